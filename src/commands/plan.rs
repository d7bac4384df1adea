//! `gh-policy plan`: show how the live repository differs from the policy.

use std::io::Write;

use crate::cli::{PlanArgs, PlanFormat};
use crate::commands::{Context, remote};
use crate::error::{Error, ExitStatus};
use crate::github::{ReadApi, read};
use crate::live::LiveState;
use crate::model::RepoSettings;
use crate::plan::Plan;
use crate::{diff, policy, render};

/// Runs `plan`: exit 0 in sync, 2 drift.
pub fn run(args: &PlanArgs, ctx: &Context, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let desired = load_policy(&args.policy.policy)?;
    let plan = if let Some(state) = &args.state {
        let live = policy::load(state).map_err(|err| {
            Error::new(format!("cannot use state file {}", state.display()))
                .caused_by(err.to_string())
        })?;
        let repository = desired
            .repository
            .clone()
            .or_else(|| live.repository.clone())
            .unwrap_or_else(|| state.display().to_string());
        diff::plan(&repository, &desired, &LiveState::from_settings(live))
    } else {
        let repo = remote::resolve_repo(
            args.remote.repo.as_deref(),
            desired.repository.as_deref(),
            &ctx.cwd,
        )?;
        let config = remote::client_config(&args.remote, ctx.verbose)?;
        let runtime = remote::runtime()?;
        let live = runtime.block_on(async {
            let api = ReadApi::new(config)?;
            read::read_live(&api, &repo, &desired).await
        })?;
        diff::plan(&repo.to_string(), &desired, &live)
    };
    show(&plan, args.format, ctx, out)?;
    Ok(if plan.in_sync() {
        ExitStatus::Success
    } else {
        ExitStatus::Drift
    })
}

/// Loads the policy, turning its problems into one error listing them all.
pub fn load_policy(path: &std::path::Path) -> Result<RepoSettings, Error> {
    policy::load(path).map_err(|err| {
        let mut error = Error::new(format!("invalid policy {}", path.display()));
        for diagnostic in err.to_string().lines() {
            error = error.caused_by(diagnostic.to_owned());
        }
        error.with_hint(format!(
            "run `gh-policy validate -p {}` for details",
            path.display()
        ))
    })
}

/// Writes the plan in the requested format.
pub fn show(
    plan: &Plan,
    format: PlanFormat,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let format = match format {
        PlanFormat::Text => render::Format::Text,
        PlanFormat::Json => render::Format::Json,
        PlanFormat::Markdown => render::Format::Markdown,
    };
    render::render(plan, format, ctx.color, out)?;
    Ok(())
}
