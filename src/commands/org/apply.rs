//! `apply` over an organisation: one plan and one confirmation for the run, then each
//! repository in turn, one write at a time, each verified by reading it back.

use std::io::Write;

use super::{Planning, context_for, org_plan, plan_run, scope, share_points, status_of, warn};
use crate::cli::ApplyArgs;
use crate::commands::console::Console;
use crate::commands::execute::{self, Applied, Reviewed};
use crate::commands::interrupt::Interrupt;
use crate::commands::process::ProcessSecrets;
use crate::commands::{confirm, guard, remote};
use crate::error::{Error, ExitStatus};
use crate::github::RestWriter;
use crate::github::client::WriteClient;
use crate::github::read::OrgRulesets;
use crate::model::OrgPolicy;
use crate::org::run::{Planned, Target};
use crate::plan::{OrgPlan, Plan};
use crate::policy::Located;
use crate::render;

/// Runs `apply` over the organisation: one plan for the run, one confirmation, then each
/// repository in turn, each verified by reading it back.
pub fn apply(
    args: &ApplyArgs,
    policy: &OrgPolicy,
    located: &Located,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    crate::plan::exceptions::now().map_err(Error::new)?;
    let scope = scope(policy, &args.remote, &args.org)?;
    let (mut config, runtime) = remote::connect_org(&args.remote, &policy.organization, console)?;
    share_points(&mut config, scope);
    config.write_pace = std::time::Duration::from_millis(args.pace.write_delay_ms);
    let github = RestWriter::new(WriteClient::new(config));
    let concurrency = args.remote.repositories_at_once();
    runtime.block_on(async {
        let Planning {
            planned,
            refused,
            org_rulesets,
            warnings,
            estimate,
        } = console
            .spinner(
                format!("planning the repositories of {}…", policy.organization),
                // Findings are plan's (DESIGN §13); apply reads only what it writes from.
                plan_run(
                    github.reader(),
                    policy,
                    located,
                    scope,
                    args.org.force,
                    concurrency,
                    false,
                ),
            )
            .await?;
        let report = org_plan(&policy.organization, &planned, &refused, located);
        render::org::render(
            &report,
            render::Format::Text,
            console.color(),
            console.out(),
        )?;
        console.note(crate::commands::budget::describe(&estimate))?;
        for warning in &warnings {
            console.warn(warning)?;
        }
        for plan in &report.plans {
            warn(plan, console)?;
        }
        // A policy that contradicts a repository's requirements is bad input: nothing of
        // the run is written.
        let contradictions: Vec<String> = planned
            .iter()
            .filter_map(|(target, result)| {
                let plan = result.as_ref().ok()?;
                Some(guard::lines(plan, &target.layers, located, true))
            })
            .flatten()
            .collect();
        if let Some(error) = guard::error(contradictions) {
            return Err(error);
        }
        let (to_apply, count) = applicable(&planned);
        if let Some(halt) = github.halted() {
            return Err(Error::new(format!(
                "nothing was written: {}",
                halt.sentence()
            )));
        }
        if count == 0 {
            if !report.in_sync() && report.errors.is_empty() {
                writeln!(
                    console.out(),
                    "\nNothing apply can change: the drift above needs a person."
                )?;
            }
            return Ok(status_of(&report));
        }
        if args.require_secret_values {
            for (_, plan) in &to_apply {
                execute::refuse_missing_secret_values(plan)?;
            }
        }
        // One refusal (or one question) for the whole run, every change named with its
        // repository.
        let weakening =
            confirm::guard_weakening(args, to_apply.iter().map(|(_, plan)| *plan), true)?;
        let values =
            ProcessSecrets::of_plans(&to_apply.iter().map(|(_, plan)| *plan).collect::<Vec<_>>());
        if !args.yes {
            console.out().flush()?;
            let what = format!("{} repositories of {}", to_apply.len(), policy.organization);
            confirm::confirm(&what, count, console)?;
            confirm::confirm_weakening(&weakening, console)?;
            github.restart_deadline();
        }
        let interrupt = Interrupt::listen();
        let writing = Writing {
            github: &github,
            org_rulesets: &org_rulesets,
            values: &values,
            interrupt: &interrupt,
        };
        let outcomes = apply_each(&to_apply, &writing, console).await?;
        summarise(&report, &outcomes, console.out())
    })
}

/// The repositories with a change apply makes, and how many changes that is.
fn applicable(planned: &[Planned]) -> (Vec<(&Target, &Plan)>, usize) {
    let makes = |plan: &Plan| plan.changes.iter().filter(|c| c.applies()).count();
    let to_apply: Vec<(&Target, &Plan)> = planned
        .iter()
        .filter_map(|(target, result)| result.as_ref().ok().map(|plan| (target, plan)))
        .filter(|(_, plan)| makes(plan) > 0)
        .collect();
    let count = to_apply.iter().map(|(_, plan)| makes(plan)).sum();
    (to_apply, count)
}

/// How the repositories of an `apply --org` ended.
#[derive(Default)]
struct Outcomes {
    matching: Vec<String>,
    drifting: Vec<String>,
    failed: Vec<String>,
    /// Not attempted: the run stopped before them (a rate limit), and why.
    stopped: Option<(Vec<String>, String)>,
}

/// What every repository of the run is applied with.
struct Writing<'a> {
    github: &'a RestWriter,
    org_rulesets: &'a OrgRulesets,
    values: &'a ProcessSecrets,
    interrupt: &'a Interrupt,
}

/// Applies each repository's plan in turn; a failure is reported and the next goes on,
/// until the run halts at a rate limit or a signal asks it to stop.
async fn apply_each(
    to_apply: &[(&Target, &Plan)],
    writing: &Writing<'_>,
    console: &mut Console<'_>,
) -> Result<Outcomes, Error> {
    let Writing {
        github,
        org_rulesets,
        values,
        interrupt,
    } = *writing;
    let mut outcomes = Outcomes::default();
    for (i, (target, plan)) in to_apply.iter().enumerate() {
        let stop = github.halted().map(|halt| halt.sentence()).or_else(|| {
            interrupt
                .asked()
                .then(|| "a signal asked it to stop, once the write in flight was done".to_owned())
        });
        if let Some(why) = stop {
            let rest = to_apply[i..].iter().map(|(t, _)| t.repo.to_string());
            outcomes.stopped = Some((rest.collect(), why));
            break;
        }
        writeln!(console.out(), "\n── {} ──", target.repo)?;
        let context = context_for(&target.settings);
        let reviewed = Reviewed {
            repo: &target.repo,
            desired: &target.settings,
            plan,
            context: &context,
            org_rulesets,
        };
        match execute::execute_and_verify(&reviewed, github, values, interrupt, console).await {
            Ok(Applied { status, message }) => {
                writeln!(console.out(), "{message}")?;
                if status == ExitStatus::Success {
                    outcomes.matching.push(target.repo.to_string());
                } else {
                    outcomes.drifting.push(target.repo.to_string());
                }
            }
            Err(error) if error.is_output_closed() => return Err(error),
            Err(error) => {
                error.report(&mut *console.out())?;
                outcomes.failed.push(target.repo.to_string());
            }
        }
    }
    Ok(outcomes)
}

/// The run's last lines, and its exit status: 1 if any repository failed (to plan or to
/// apply), else 2 if drift apply cannot fix remains, else 0.
fn summarise(
    report: &OrgPlan,
    outcomes: &Outcomes,
    out: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    writeln!(
        out,
        "\nApplied to {}: {} match the policy, {} keep drift apply cannot fix, {} failed.",
        match outcomes.matching.len() + outcomes.drifting.len() + outcomes.failed.len() {
            1 => "1 repository".to_owned(),
            n => format!("{n} repositories"),
        },
        outcomes.matching.len(),
        outcomes.drifting.len(),
        outcomes.failed.len(),
    )?;
    if let Some((rest, why)) = &outcomes.stopped {
        writeln!(out, "Not attempted: {}.", rest.join(", "))?;
        return Err(Error::new(format!("apply stopped: {why}")).with_hint(
            "run apply again then: it plans afresh and converges, without repeating a write",
        ));
    }
    let failed: Vec<&str> = outcomes
        .failed
        .iter()
        .map(String::as_str)
        .chain(report.errors.iter().map(|e| e.repository.as_str()))
        .collect();
    if !failed.is_empty() {
        return Err(
            Error::new(format!("repositories that failed: {}", failed.join(", "))).with_hint(
                "fix the causes above and run apply again; it plans afresh and converges",
            ),
        );
    }
    let inapplicable = report
        .plans
        .iter()
        .any(|p| p.inapplicable().next().is_some());
    Ok(if outcomes.drifting.is_empty() && !inapplicable {
        ExitStatus::Success
    } else {
        ExitStatus::Drift
    })
}
