//! `gh-policy apply`: show the plan, confirm, execute it, then read back and verify.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use crate::apply::{self, ApplyReport, Outcome};
use crate::cli::ApplyArgs;
use crate::commands::interrupt::Interrupt;
use crate::commands::org::{self, Mode};
use crate::commands::plan::show;
use crate::commands::{Context, guard, remote};
use crate::diff;
use crate::error::{Error, ExitStatus};
use crate::github::RestWriter;
use crate::github::client::WriteClient;
use crate::github::read::{self, OrgRulesets};
use crate::github::write::SecretValues;
use crate::model::RepoSettings;
use crate::names::RepoName;
use crate::plan::{Plan, SecretWrite, Target};
use crate::policy::Located;
use crate::progress::with_spinner;
use crate::render;
use crate::weakening::{self, Weakening};

/// Runs `apply`: exit 0 when the repository matches, 2 when only drift apply cannot fix
/// remains, 1 on any error (a partial apply included).
pub fn run(
    args: &ApplyArgs,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    if let Some(path) = &args.plan {
        return crate::commands::saved::apply(args, path, ctx, out, err);
    }
    let (desired, located) = match org::load(&args.policy.policy, args.org.org.as_deref())? {
        Mode::Organization(policy, located) => {
            return org::apply(args, &policy, &located, ctx, out, err);
        }
        Mode::Repository(settings, located) => (*settings, located),
    };
    org::refuse_org_flags(&args.org)?;
    let remote::Remote {
        repo,
        mut config,
        runtime,
    } = remote::connect(&args.remote, desired.repository.as_deref(), ctx)?;
    config.write_pace = Duration::from_millis(args.pace.write_delay_ms);
    let context = diff::Context::of_process(&desired)?;
    runtime.block_on(async {
        let github = RestWriter::new(WriteClient::new(config));
        let live = with_spinner(
            format!("reading {repo} from GitHub…"),
            ctx.verbose,
            read::read_live(github.reader(), &repo, &desired),
        )
        .await
        .map_err(|err| err.located(&desired, &[Vec::new()], &located))?;
        let plan = diff::plan(&repo.to_string(), &desired, &live, &context);
        let org_rulesets = OrgRulesets::default();
        let reviewed = Reviewed {
            repo: &repo,
            desired: &desired,
            plan: &plan,
            context: &context,
            org_rulesets: &org_rulesets,
        };
        review_and_apply(args, &reviewed, &located, &github, ctx, out, err).await
    })
}

/// Shows one repository's plan, stops at its errors (a contradiction, a refused weakening,
/// a missing secret value), asks unless `--yes`, then executes and verifies it.
pub(super) async fn review_and_apply(
    args: &ApplyArgs,
    reviewed: &Reviewed<'_>,
    located: &Located,
    github: &RestWriter,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let plan = reviewed.plan;
    show(plan, render::Format::Text, ctx, out)?;
    for warning in &plan.warnings {
        writeln!(err, "warning: {warning}")?;
    }
    if let Some(error) = guard::error(guard::lines(plan, &[Vec::new()], located, false)) {
        return Err(error);
    }
    if plan.in_sync() {
        return Ok(ExitStatus::Success);
    }
    let applicable = plan.changes.iter().filter(|c| c.applies()).count();
    if applicable == 0 {
        writeln!(
            out,
            "\nNothing apply can change: the drift above needs a person."
        )?;
        return Ok(ExitStatus::Drift);
    }
    if args.require_secret_values {
        refuse_missing_secret_values(plan)?;
    }
    let weakening = guard_weakening(args, [plan], false)?;
    // Read once, before any write: what the plan will upload.
    let values = ProcessSecrets::read(&[plan]);
    if !args.yes {
        out.flush()?;
        confirm(&reviewed.repo.to_string(), applicable, err)?;
        confirm_weakening(&weakening, err)?;
        github.restart_deadline();
    }
    let interrupt = Interrupt::listen();
    let result = execute_and_verify(reviewed, github, &values, &interrupt, ctx, out, err).await?;
    writeln!(out, "\n{}", result.message)?;
    Ok(result.status)
}

/// A plan that was shown and confirmed, and what it was made from.
pub(super) struct Reviewed<'a> {
    pub repo: &'a RepoName,
    pub desired: &'a RepoSettings,
    pub plan: &'a Plan,
    pub context: &'a diff::Context,
    /// The organisation's rulesets when the run read them once; empty otherwise.
    pub org_rulesets: &'a OrgRulesets,
}

/// How one repository ended after apply: drift left that apply cannot fix (`Drift`) or none
/// (`Success`), with the closing line to print.
pub(super) struct Applied {
    pub status: ExitStatus,
    pub message: String,
}

/// Executes a reviewed plan on its repository, reports each change, then reads the
/// repository back: the plan must have predicted the result. A failed write, or drift apply
/// should have fixed, is an error.
pub(super) async fn execute_and_verify(
    reviewed: &Reviewed<'_>,
    github: &RestWriter,
    values: &dyn SecretValues,
    interrupt: &Interrupt,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Applied, Error> {
    let Reviewed {
        repo,
        desired,
        plan,
        context,
        org_rulesets,
    } = *reviewed;
    let applicable = plan.changes.iter().filter(|c| c.applies()).count();
    let report = apply::execute_until(plan, repo, github, values, &|| interrupt.asked()).await;
    write_report(&report, out, err)?;
    if report.interrupted {
        return Err(Error::new(format!(
            "apply interrupted: {} of {applicable} changes applied, the rest not attempted",
            report.applied()
        ))
        .with_hint("run apply again when ready: it plans afresh and converges"));
    }
    if report.failed() {
        return Err(Error::new(format!(
            "apply stopped after a failed write: {} of {applicable} changes applied",
            report.applied()
        ))
        .with_hint("fix the cause above and run apply again; it plans afresh and converges"));
    }
    let after = with_spinner(
        format!("reading {repo} back to verify…"),
        ctx.verbose,
        read::read_live_in_org(github.reader(), repo, desired, org_rulesets),
    )
    .await?;
    let mut remaining = diff::plan(&repo.to_string(), desired, &after, context);
    report.mark_refused(&mut remaining);
    if remaining.changes.iter().any(crate::plan::Change::applies) {
        writeln!(out, "\nStill drifting after apply:")?;
        show(&remaining, render::Format::Text, ctx, out)?;
        return Err(
            Error::new(format!("{repo} still differs from the policy after apply")).with_hint(
                "GitHub accepted the writes but did not keep every setting; see the drift above",
            ),
        );
    }
    if remaining.in_sync() {
        return Ok(Applied {
            status: ExitStatus::Success,
            message: format!("{repo} matches the policy."),
        });
    }
    let message = remaining.inapplicable().fold(
        "Applied all that apply can; this drift remains:".to_owned(),
        |text, change| {
            text + "\n  ! "
                + &change.address.to_string()
                + ": "
                + change.reason().unwrap_or("cannot be applied")
        },
    );
    Ok(Applied {
        status: ExitStatus::Drift,
        message,
    })
}

/// With `--require-secret-values`: every secret the policy would create needs its value
/// here, or nothing is written.
pub(super) fn refuse_missing_secret_values(plan: &Plan) -> Result<(), Error> {
    let missing: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| {
            c.kind() == crate::plan::ResourceKind::Secret && c.action == crate::plan::Action::Create
        })
        .filter_map(|c| {
            let refusal = c.refusal()?;
            Some(format!(
                "{}: {}",
                c.address,
                refusal.0.as_deref().unwrap_or("no value")
            ))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut error =
        Error::new("secret values are missing (--require-secret-values); nothing was written");
    for line in missing {
        error = error.detail(line);
    }
    Err(error.with_hint("set the variables to the secrets' values and run apply again"))
}

/// The secret values a plan uploads, read from this process's environment.
pub(super) struct ProcessSecrets(BTreeMap<String, Vec<u8>>);

impl ProcessSecrets {
    pub(super) fn read(plans: &[&Plan]) -> Self {
        let values = plans
            .iter()
            .flat_map(|plan| &plan.changes)
            .filter_map(|c| match c.target() {
                Some(Target::Secret {
                    write: SecretWrite::Create { from_env },
                    ..
                }) => Some(from_env),
                _ => None,
            })
            .filter_map(|var| {
                let value = std::env::var_os(var)?;
                (!value.is_empty()).then(|| (var.clone(), value.into_encoded_bytes()))
            })
            .collect();
        Self(values)
    }
}

impl SecretValues for ProcessSecrets {
    fn value(&self, var: &str) -> Option<&[u8]> {
        self.0.get(var).map(Vec::as_slice)
    }
}

/// The changes of the plans that weaken protection (DESIGN §11), unless `--allow-weakening`
/// lets them through; with `--yes` (no question to ask) they refuse the whole run, before
/// any write.
pub(super) fn guard_weakening<'a>(
    args: &ApplyArgs,
    plans: impl IntoIterator<Item = &'a Plan>,
    with_repository: bool,
) -> Result<Vec<Weakening>, Error> {
    if args.allow_weakening {
        return Ok(Vec::new());
    }
    let weakening = weakening::listed(plans, with_repository);
    if args.yes && !weakening.is_empty() {
        return Err(weakening::refusal(&weakening));
    }
    Ok(weakening)
}

/// Asks on the terminal (stderr, so that a redirected stdout keeps only the plan).
pub(super) fn confirm(what: &str, count: usize, prompt: &mut dyn Write) -> Result<(), Error> {
    ask(
        &format!("\nApply {count} change(s) to {what}? Type `yes` to go on: "),
        "yes",
        prompt,
    )
}

/// Asks, apart from the plan as a whole, for the changes that weaken protection: they are
/// listed again and need their own answer, `weaken`.
pub(super) fn confirm_weakening(
    weakening: &[Weakening],
    prompt: &mut dyn Write,
) -> Result<(), Error> {
    if weakening.is_empty() {
        return Ok(());
    }
    let mut question = format!(
        "\n{} of these changes weaken{} protection:\n",
        weakening.len(),
        if weakening.len() == 1 { "s" } else { "" }
    );
    for Weakening(line) in weakening {
        question.push_str("  ⚠ ");
        question.push_str(line);
        question.push('\n');
    }
    question.push_str("Apply them too? Type `weaken` to go on: ");
    ask(&question, "weaken", prompt)
}

/// Asks a question on the terminal and goes on only on `expected`.
fn ask(question: &str, expected: &str, prompt: &mut dyn Write) -> Result<(), Error> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() || !std::io::stderr().is_terminal() {
        return Err(
            Error::new("refusing to apply without confirmation; nothing was written")
                .detail("there is no terminal to ask on")
                .with_hint("review the plan above and pass --yes to apply it"),
        );
    }
    write!(prompt, "{question}")?;
    prompt.flush()?;
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::new("failed to read the answer").caused_by(e))?;
    if answer.trim() == expected {
        Ok(())
    } else {
        Err(Error::new("apply cancelled; nothing was written"))
    }
}

fn write_report(
    report: &ApplyReport,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    writeln!(out, "\nApply:")?;
    for (change, outcome) in &report.outcomes {
        let (mark, word) = match outcome {
            Outcome::Applied => ("✓", "applied"),
            Outcome::Failed(_) => ("✗", "FAILED"),
            Outcome::NotAttempted => ("·", "not attempted"),
            Outcome::NoWrite => ("✓", "met"),
            Outcome::Excepted => ("=", "excepted"),
            Outcome::Inapplicable => ("!", "cannot apply"),
            Outcome::Refused(_) => ("!", "refused"),
        };
        writeln!(out, "  {mark} {word:<13} {}", change.address)?;
        if let Outcome::Refused(refusals) = outcome {
            for refusal in refusals {
                writeln!(out, "      {}: {}", refusal.path, refusal.message)?;
            }
        }
        if let Outcome::Failed(error) = outcome {
            writeln!(out, "      {error}")?;
            crate::error::write_causes(std::error::Error::source(error), out, "      ")?;
            writeln!(out, "      hint: {}", error.hint())?;
        }
    }
    for warning in &report.warnings {
        writeln!(err, "warning: {warning}")?;
    }
    Ok(())
}
