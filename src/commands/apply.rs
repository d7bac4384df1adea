//! `gh-policy apply`: show the plan, confirm, execute it, then read back and verify.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use crate::apply::{self, ApplyReport, Outcome};
use crate::cli::{ApplyArgs, PlanFormat};
use crate::commands::plan::{load_policy, show};
use crate::commands::{Context, remote};
use crate::diff;
use crate::error::{Error, ExitStatus};
use crate::github::client::WriteClient;
use crate::github::write::SecretValues;
use crate::github::{RestWriter, read};
use crate::plan::{Plan, SecretWrite, Target};
use crate::progress::with_spinner;

/// Runs `apply`: exit 0 when the repository matches, 2 when only drift apply cannot fix
/// remains, 1 on any error (a partial apply included).
pub fn run(
    args: &ApplyArgs,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let desired = load_policy(&args.policy.policy)?;
    let remote::Remote {
        repo,
        mut config,
        runtime,
    } = remote::connect(&args.remote, desired.repository.as_deref(), ctx)?;
    config.write_pace = Duration::from_millis(args.write_delay_ms);
    let context = diff::Context::of_process(&desired)?;
    runtime.block_on(async {
        let github = RestWriter::new(WriteClient::new(config));
        let live = with_spinner(
            format!("reading {repo} from GitHub…"),
            ctx.verbose,
            read::read_live(&github, &repo, &desired),
        )
        .await?;
        let plan = diff::plan(&repo.to_string(), &desired, &live, &context);
        show(&plan, PlanFormat::Text, ctx, out)?;
        for warning in &plan.warnings {
            writeln!(err, "warning: {warning}")?;
        }
        if plan.in_sync() {
            return Ok(ExitStatus::Success);
        }
        let applicable = plan
            .changes
            .iter()
            .filter(|c| c.applicable && !c.excepted)
            .count();
        if applicable == 0 {
            writeln!(out, "\nNothing apply can change: the drift above needs a person.")?;
            return Ok(ExitStatus::Drift);
        }
        if args.require_secret_values {
            refuse_missing_secret_values(&plan)?;
        }
        // Read once, before any write: what the plan will upload.
        let values = ProcessSecrets::read(&plan);
        if !args.yes {
            out.flush()?;
            confirm(&repo.to_string(), applicable, err)?;
            github.restart_deadline();
        }
        let report = apply::execute(&plan, &repo, &github, &values).await;
        write_report(&report, out, err)?;
        if report.failed() {
            return Err(Error::new(format!(
                "apply stopped after a failed write: {} of {applicable} changes applied",
                report.applied()
            ))
            .with_hint("fix the cause above and run apply again; it plans afresh and converges"));
        }
        // Read back what was written: the plan must have predicted the result.
        let after = with_spinner(
            format!("reading {repo} back to verify…"),
            ctx.verbose,
            read::read_live(&github, &repo, &desired),
        )
        .await?;
        let remaining = diff::plan(&repo.to_string(), &desired, &after, &context);
        if remaining.changes.iter().any(|c| c.applicable && !c.excepted) {
            writeln!(out, "\nStill drifting after apply:")?;
            show(&remaining, PlanFormat::Text, ctx, out)?;
            return Err(Error::new("the repository still differs from the policy after apply")
                .with_hint("GitHub accepted the writes but did not keep every setting; see the drift above"));
        }
        if remaining.in_sync() {
            writeln!(out, "\n{repo} matches the policy.")?;
            Ok(ExitStatus::Success)
        } else {
            writeln!(out, "\nApplied all that apply can; this drift remains:")?;
            for change in remaining.inapplicable() {
                writeln!(out, "  ! {}: {}", change.address, change.reason.as_deref().unwrap_or("cannot be applied"))?;
            }
            Ok(ExitStatus::Drift)
        }
    })
}

/// With `--require-secret-values`: every secret the policy would create needs its value
/// here, or nothing is written.
fn refuse_missing_secret_values(plan: &Plan) -> Result<(), Error> {
    let missing: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| {
            c.kind == crate::plan::ResourceKind::Secret
                && c.action == crate::plan::Action::Create
                && !c.applicable
        })
        .map(|c| {
            format!(
                "{}: {}",
                c.address,
                c.reason.as_deref().unwrap_or("no value")
            )
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
struct ProcessSecrets(BTreeMap<String, Vec<u8>>);

impl ProcessSecrets {
    fn read(plan: &Plan) -> Self {
        let values = plan
            .changes
            .iter()
            .filter_map(|c| match &c.target {
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

/// Asks on the terminal (stderr, so that a redirected stdout keeps only the plan).
fn confirm(repo: &str, count: usize, prompt: &mut dyn Write) -> Result<(), Error> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() || !std::io::stderr().is_terminal() {
        return Err(
            Error::new("refusing to apply without confirmation; nothing was written")
                .detail("there is no terminal to ask on")
                .with_hint("review the plan above and pass --yes to apply it"),
        );
    }
    write!(
        prompt,
        "\nApply {count} change(s) to {repo}? Type `yes` to go on: "
    )?;
    prompt.flush()?;
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::new("failed to read the answer").caused_by(e))?;
    if answer.trim() == "yes" {
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
        };
        writeln!(out, "  {mark} {word:<13} {}", change.address)?;
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
