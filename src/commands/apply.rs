//! `gh-policy apply`: show the plan, confirm, execute it, then read back and verify.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use crate::apply::{self, ApplyReport, Outcome};
use crate::cli::{ApplyArgs, PlanFormat};
use crate::commands::plan::{load_policy, show};
use crate::commands::{Context, remote};
use crate::diff;
use crate::error::{Error, ExitStatus};
use crate::github::write::Writer;
use crate::github::{WriteApi, read};
use crate::plan::{Plan, Target};

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
        config,
        runtime,
    } = remote::connect(&args.remote, desired.repository.as_deref(), ctx)?;
    runtime.block_on(async {
        let api = WriteApi::new(config)?;
        let live = remote::with_spinner(
            format!("reading {repo} from GitHub…"),
            ctx.verbose,
            read::read_live(&api.reader(), &repo, &desired),
        )
        .await?;
        let plan = diff::plan(&repo.to_string(), &desired, &live);
        show(&plan, PlanFormat::Text, ctx, out)?;
        if plan.in_sync() {
            return Ok(ExitStatus::Success);
        }
        let applicable = plan.changes.iter().filter(|c| c.applicable).count();
        if applicable == 0 {
            writeln!(out, "\nNothing apply can change: the drift above needs a person.")?;
            return Ok(ExitStatus::Drift);
        }
        check_secret_sources(&plan)?;
        if !args.yes {
            out.flush()?;
            confirm(&repo.to_string(), applicable, err)?;
            api.restart_deadline();
        }
        let writer = Writer::new(&api, &repo, &live.ids, Duration::from_millis(args.write_delay_ms));
        let report = apply::execute(&plan, &writer).await;
        write_report(&report, out, err)?;
        if report.failed() {
            return Err(Error::new(format!(
                "apply stopped after a failed write: {} of {applicable} changes applied",
                report.applied()
            ))
            .with_hint("fix the cause above and run apply again; it plans afresh and converges"));
        }
        // Read back what was written: the plan must have predicted the result.
        let after = remote::with_spinner(
            format!("reading {repo} back to verify…"),
            ctx.verbose,
            read::read_live(&api.reader(), &repo, &desired),
        )
        .await?;
        let remaining = diff::plan(&repo.to_string(), &desired, &after);
        if remaining.changes.iter().any(|c| c.applicable) {
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

/// Every secret apply will create needs its value's variable; say so before any write.
fn check_secret_sources(plan: &Plan) -> Result<(), Error> {
    let missing: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| c.applicable)
        .filter_map(|c| match &c.target {
            Target::Secret {
                from_env: Some(var),
                name,
                ..
            } if std::env::var_os(var).is_none() => {
                Some(format!("`{var}` (for secret {name}, {})", c.address))
            }
            _ => None,
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut error = Error::new("secret values are missing; nothing was written");
    for var in missing {
        error = error.caused_by(format!("environment variable {var} is not set"));
    }
    Err(error.with_hint("set the variables to the secrets' values and run apply again"))
}

/// Asks on the terminal (stderr, so that a redirected stdout keeps only the plan).
fn confirm(repo: &str, count: usize, prompt: &mut dyn Write) -> Result<(), Error> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() || !std::io::stderr().is_terminal() {
        return Err(
            Error::new("refusing to apply without confirmation; nothing was written")
                .caused_by("there is no terminal to ask on")
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
        .map_err(|e| Error::new("failed to read the answer").caused_by(e.to_string()))?;
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
            Outcome::Inapplicable => ("!", "cannot apply"),
        };
        writeln!(out, "  {mark} {word:<13} {}", change.address)?;
        if let Outcome::Failed(error) = outcome {
            for line in error.to_string().split(": caused by: ") {
                writeln!(out, "      {line}")?;
            }
            if let Some(hint) = &error.hint {
                writeln!(out, "      hint: {hint}")?;
            }
        }
    }
    for warning in &report.warnings {
        writeln!(err, "warning: {warning}")?;
    }
    Ok(())
}
