//! Executing a reviewed plan on its repository, as `apply` does for one repository and for
//! each repository of an organisation: the writes, their report, and the read-back that
//! verifies the plan predicted the result.

use crate::commands::console::Console;
use crate::commands::interrupt::Interrupt;
use crate::error::{Error, ExitStatus};
use crate::github::RestWriter;
use crate::github::read::{self, OrgRulesets};
use crate::github::write::SecretValues;
use crate::model::RepoSettings;
use crate::model::names::RepoName;
use crate::plan::Plan;
use crate::plan::apply::{self, ApplyReport, Outcome};
use crate::plan::diff;
use crate::render;

/// A plan that was shown and confirmed, and what it was made from.
pub(crate) struct Reviewed<'a> {
    pub repo: &'a RepoName,
    pub desired: &'a RepoSettings,
    pub plan: &'a Plan,
    pub context: &'a diff::Context,
    /// The organisation's rulesets when the run read them once; empty otherwise.
    pub org_rulesets: &'a OrgRulesets,
}

/// How one repository ended after apply: drift left that apply cannot fix (`Drift`) or none
/// (`Success`), with the closing line to print.
pub(crate) struct Applied {
    pub status: ExitStatus,
    pub message: String,
}

/// Executes a reviewed plan on its repository, reports each change, then reads the
/// repository back: the plan must have predicted the result. A failed write, or drift apply
/// should have fixed, is an error.
pub(crate) async fn execute_and_verify(
    reviewed: &Reviewed<'_>,
    github: &RestWriter,
    values: &dyn SecretValues,
    interrupt: &Interrupt,
    console: &mut Console<'_>,
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
    write_report(&report, console)?;
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
    let after = console
        .spinner(
            format!("reading {repo} back to verify…"),
            read::read_live_in_org(github.reader(), repo, desired, org_rulesets),
        )
        .await?;
    let mut remaining = diff::plan(&repo.to_string(), desired, &after, context);
    report.mark_refused(&mut remaining);
    if remaining.changes.iter().any(crate::plan::Change::applies) {
        writeln!(
            console.out(),
            "
Still drifting after apply:"
        )?;
        render::render(
            &remaining,
            render::Format::Text,
            console.color(),
            console.out(),
        )?;
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
pub(crate) fn refuse_missing_secret_values(plan: &Plan) -> Result<(), Error> {
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

fn write_report(report: &ApplyReport, console: &mut Console<'_>) -> Result<(), Error> {
    let out = console.out();
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
        console.warn(warning)?;
    }
    Ok(())
}
