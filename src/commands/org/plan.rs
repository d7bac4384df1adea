//! `plan` over an organisation: the table first, then each drifting repository.

use std::io::Write;

use super::{Planning, org_plan, plan_run, scope, share_points, status_of, warn};
use crate::ci::actions;
use crate::cli::{PlanArgs, PlanFormat};
use crate::commands::plan::show;
use crate::commands::{Context, remote};
use crate::error::{Error, ExitStatus};
use crate::github::RestReader;
use crate::github::client::ReadClient;
use crate::model::OrgPolicy;
use crate::progress::with_spinner;
use crate::render;

/// Runs `plan` over the organisation.
pub fn plan(
    args: &PlanArgs,
    policy: &OrgPolicy,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    if args.state.is_some() {
        return Err(Error::new(
            "--state holds one repository's settings; it does not go with an organisation",
        )
        .with_hint("plan one repository with --repo OWNER/NAME and a repository policy"));
    }
    crate::exceptions::now().map_err(Error::new)?;
    let scope = scope(policy, &args.remote, &args.org)?;
    let (mut config, runtime) = remote::connect_org(&args.remote, &policy.organization, ctx)?;
    share_points(&mut config, scope);
    let github = RestReader::new(ReadClient::new(config));
    let concurrency = usize::from(args.remote.concurrency);
    let Planning {
        planned, refused, ..
    } = runtime.block_on(with_spinner(
        format!("planning the repositories of {}…", policy.organization),
        ctx.verbose,
        plan_run(&github, policy, scope, args.org.force, concurrency),
    ))?;
    if scope.only.is_some() {
        // One repository: its own plan, exactly as a repository policy would show it.
        let Some((_, result)) = planned.into_iter().next() else {
            return Err(Error::new("no repository was planned"));
        };
        let plan = result?;
        show(&plan, args.format, ctx, out)?;
        warn(&plan, err)?;
        return Ok(if plan.in_sync() {
            ExitStatus::Success
        } else {
            ExitStatus::Drift
        });
    }
    let report = org_plan(&policy.organization, &planned, &refused);
    render::org::render(&report, format_of(args.format), ctx.color, out)?;
    for plan in &report.plans {
        warn(plan, err)?;
    }
    if let Some(halt) = github.halted() {
        writeln!(
            err,
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

fn format_of(format: PlanFormat) -> render::Format {
    match format {
        PlanFormat::Text => render::Format::Text,
        PlanFormat::Json => render::Format::Json,
        PlanFormat::Markdown => render::Format::Markdown,
    }
}
