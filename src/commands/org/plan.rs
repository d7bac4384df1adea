//! `plan` over an organisation: the table first, then each drifting repository.

use super::{Planning, org_plan, plan_run, scope, share_points, status_of, warn};
use crate::ci::actions;
use crate::cli::PlanArgs;
use crate::commands::console::Console;
use crate::commands::reports::{self, Output, PolicySource, Reported};
use crate::commands::{Context, guard, remote};
use crate::error::{Error, ExitStatus};
use crate::github::RestReader;
use crate::github::client::ReadClient;
use crate::model::OrgPolicy;
use crate::policy::Located;
use crate::render;

/// Refuses `--state`: a state file holds one repository's settings.
fn refuse_state(args: &PlanArgs) -> Result<(), Error> {
    if args.state.is_some() {
        return Err(Error::new(
            "--state holds one repository's settings; it does not go with an organisation",
        )
        .with_hint("plan one repository with --repo OWNER/NAME and a repository policy"));
    }
    Ok(())
}

/// Runs `plan` over the organisation.
pub fn plan(
    args: &PlanArgs,
    policy: &OrgPolicy,
    located: &Located,
    ctx: &Context,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    refuse_state(args)?;
    crate::plan::exceptions::now().map_err(Error::new)?;
    let scope = scope(policy, &args.remote, &args.org)?;
    let (mut config, runtime) = remote::connect_org(&args.remote, &policy.organization, console)?;
    share_points(&mut config, scope);
    let github = RestReader::new(ReadClient::new(config));
    let concurrency = args.remote.repositories_at_once();
    let Planning {
        planned,
        refused,
        warnings,
        estimate,
        ..
    } = runtime.block_on(console.spinner(
        format!("planning the repositories of {}…", policy.organization),
        plan_run(
            &github,
            policy,
            located,
            scope,
            args.org.force,
            concurrency,
            !args.no_findings,
        ),
    ))?;
    console.note(crate::commands::budget::describe(&estimate))?;
    for warning in &warnings {
        console.warn(warning)?;
    }
    let output = Output::of(args.format);
    let source = PolicySource {
        path: &args.policy.policy,
        map: &located.map,
        cwd: &ctx.cwd,
    };
    let category = reports::category(Some(&policy.organization), scope.shard);
    if scope.only.is_some() {
        // One repository: its own plan, exactly as a repository policy would show it.
        let Some((target, result)) = planned.into_iter().next() else {
            return Err(Error::new("no repository was planned"));
        };
        let plan = result?;
        match output {
            Output::Plan(format) => render::render(&plan, format, console.color(), console.out())?,
            Output::Report(report) => {
                let reported = [Reported::organization(&plan, &target, policy)];
                reports::write(report, &reported, &[], &source, &category, console.out())?;
            }
        }
        warn(&plan, console)?;
        if let Some(error) = guard::error(guard::lines(&plan, &target.layers, located, false)) {
            return Err(error);
        }
        return Ok(if plan.passes() {
            ExitStatus::Success
        } else {
            ExitStatus::Drift
        });
    }
    let report = org_plan(&policy.organization, &planned, &refused, located);
    match output {
        Output::Plan(format) => {
            render::org::render(&report, format, console.color(), console.out())?;
        }
        Output::Report(kind) => {
            // The plans of the report: a plan that contradicts its requirements is an error.
            let reported: Vec<Reported<'_>> = planned
                .iter()
                .filter_map(|(target, result)| {
                    let plan = result.as_ref().ok()?;
                    let kept = report.plans.iter().any(|p| p.repository == plan.repository);
                    kept.then(|| Reported::organization(plan, target, policy))
                })
                .collect();
            reports::write(
                kind,
                &reported,
                &report.errors,
                &source,
                &category,
                console.out(),
            )?;
        }
    }
    for plan in &report.plans {
        warn(plan, console)?;
    }
    if let Some(halt) = github.halted() {
        writeln!(
            console.err(),
            "stopped: {}; {} of {} repositories were planned before it",
            halt.sentence(),
            report.plans.len(),
            report.plans.len() + report.errors.len()
        )?;
    }
    if actions::in_actions() {
        actions::append_org_step_summary(&report)
            .map_err(|err| Error::new("failed to write $GITHUB_STEP_SUMMARY").caused_by(err))?;
    }
    Ok(status_of(&report))
}
