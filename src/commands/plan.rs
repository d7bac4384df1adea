//! `gh-policy plan`: show how the live repository differs from the policy.

use std::io::Write;
use std::path::Path;

use crate::ci::actions;
use crate::cli::{PlanArgs, PlanFormat};
use crate::commands::{Context, remote};
use crate::error::{Error, ExitStatus};
use crate::github::{ReadApi, read};
use crate::live::LiveState;
use crate::model::RepoSettings;
use crate::plan::Plan;
use crate::policy::SourceMap;
use crate::{diff, policy, render};

/// Runs `plan`: exit 0 in sync, 2 drift.
pub fn run(args: &PlanArgs, ctx: &Context, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    // Key locations are only for GitHub Actions annotations; elsewhere skip finding them.
    let in_actions = actions::in_actions();
    let (desired, source_map) = if in_actions {
        let (desired, map) = load_policy_with_map(&args.policy.policy)?;
        (desired, Some(map))
    } else {
        (load_policy(&args.policy.policy)?, None)
    };
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
        let remote::Remote {
            repo,
            config,
            runtime,
        } = remote::connect(&args.remote, desired.repository.as_deref(), ctx)?;
        let live = runtime.block_on(async {
            let api = ReadApi::new(config)?;
            let step = format!("reading {repo} from GitHub…");
            remote::with_spinner(step, ctx.verbose, read::read_live(&api, &repo, &desired)).await
        })?;
        diff::plan(&repo.to_string(), &desired, &live)
    };
    show(&plan, args.format, ctx, out)?;
    if let Some(source_map) = &source_map {
        actions::append_step_summary(&plan).map_err(|err| {
            Error::new("failed to write $GITHUB_STEP_SUMMARY").caused_by(err.to_string())
        })?;
        // Annotations are workflow commands on stdout; they would break a JSON document.
        if args.format != PlanFormat::Json {
            actions::write_annotations(&plan, &args.policy.policy, source_map, out)?;
        }
    }
    Ok(if plan.in_sync() {
        ExitStatus::Success
    } else {
        ExitStatus::Drift
    })
}

/// Loads the policy, turning its problems into one error listing them all.
pub fn load_policy(path: &Path) -> Result<RepoSettings, Error> {
    policy::load(path).map_err(|err| invalid_policy(path, &err))
}

/// Loads the policy with the locations of its keys (for annotations).
fn load_policy_with_map(path: &Path) -> Result<(RepoSettings, SourceMap), Error> {
    policy::load_with_source_map(path).map_err(|err| invalid_policy(path, &err))
}

fn invalid_policy(path: &Path, err: &policy::PolicyError) -> Error {
    let mut error = Error::new(format!("invalid policy {}", path.display()));
    for diagnostic in err.to_string().lines() {
        error = error.caused_by(diagnostic.to_owned());
    }
    error.with_hint(format!(
        "run `gh-policy validate -p {}` for details",
        path.display()
    ))
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
