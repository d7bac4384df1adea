//! `gh-policy plan`: show how the live repository differs from the policy.

use std::path::Path;

use crate::ci::actions;
use crate::cli::PlanArgs;
use crate::commands::console::Console;
use crate::commands::org;
use crate::commands::policy_file::{self, Mode};
use crate::commands::reports::{self, Output, PolicySource, Reported};
use crate::commands::{Context, guard, process, remote, saved};
use crate::error::{Error, ExitStatus};
use crate::github::client::ReadClient;
use crate::github::{RestReader, read};
use crate::model::RepoSettings;
use crate::model::live::LiveState;
use crate::model::names::RepoName;
use crate::output::untrusted::quote;
use crate::plan::Plan;
use crate::plan::diff;
use crate::protection::findings::{Findings, plan as findings};
use crate::{policy, render};

/// Runs `plan`: exit 0 in sync, 2 drift.
pub fn run(args: &PlanArgs, ctx: &Context, console: &mut Console<'_>) -> Result<ExitStatus, Error> {
    let (desired, located) = match policy_file::load(&args.policy.policy, args.org.org.as_deref())?
    {
        Mode::Organization(policy, located) => {
            saved::refuse_organization(args)?;
            return org::plan(args, &policy, &located, ctx, console);
        }
        Mode::Repository(settings, located) => (*settings, located),
    };
    policy_file::refuse_org_flags(&args.org)?;
    let context = process::context(&desired)?;
    let (plan, live) = if let Some(state) = &args.state {
        (plan_from_state(args, &desired, state, ctx, &context)?, None)
    } else {
        let remote::Remote {
            repo,
            config,
            runtime,
        } = remote::connect(&args.remote, desired.repository.as_deref(), ctx, console)?;
        let github = RestReader::new(ReadClient::new(config));
        let live = runtime
            .block_on(console.spinner(
                format!("reading {repo} from GitHub…"),
                read::read_live(&github, &repo, &desired),
            ))
            .map_err(|err| err.located(&desired, &[Vec::new()], &located))?;
        let mut plan = diff::plan(&repo.to_string(), &desired, &live, &context);
        let found = if args.no_findings {
            Findings::skipped()
        } else {
            runtime.block_on(findings::judge_live(&github, &repo, &desired, &live, &plan))?
        };
        findings::attach(&mut plan, found, &desired, context.now);
        (plan, Some(live))
    };
    let output = Output::of(args.format);
    match output {
        Output::Plan(format) => render::render(&plan, format, console.color(), console.out())?,
        Output::Report(report) => {
            let source = PolicySource {
                path: &args.policy.policy,
                map: &located.map,
                cwd: &ctx.cwd,
            };
            let reported = [Reported::repository(&plan, &desired)];
            reports::write(
                report,
                &reported,
                &[],
                &source,
                &reports::category(None, None),
                console.out(),
            )?;
        }
    }
    for warning in &plan.warnings {
        console.warn(warning)?;
    }
    if let Some(error) = guard::error(guard::lines(&plan, &[Vec::new()], &located, false)) {
        return Err(error);
    }
    if let (Some(path), Some(live)) = (&args.out, &live) {
        saved::save(path, &args.policy.policy, &plan, &desired, live, &context)?;
    }
    if actions::in_actions() {
        actions::append_step_summary(&plan)
            .map_err(|err| Error::new("failed to write $GITHUB_STEP_SUMMARY").caused_by(err))?;
        // Annotations are workflow commands on stdout; they would break a document (JSON,
        // SARIF, JUnit).
        if matches!(
            output,
            Output::Plan(render::Format::Text | render::Format::Markdown)
        ) {
            actions::write_annotations(&plan, &args.policy.policy, &located.map, console.out())?;
        }
    }
    // Error findings fail the gate like drift; warnings never change the exit code.
    Ok(if plan.passes() {
        ExitStatus::Success
    } else {
        ExitStatus::Drift
    })
}

/// Plans against a state file. The repository is the one a plan against GitHub would use
/// (`--repo`, the policy's, …), else the state file's; a state file of another repository
/// is refused rather than compared.
fn plan_from_state(
    args: &PlanArgs,
    desired: &RepoSettings,
    state: &Path,
    ctx: &Context,
    context: &diff::Context,
) -> Result<Plan, Error> {
    let live = load_state(state)?;
    let named = args
        .remote
        .repo
        .as_deref()
        .or(desired.repository.as_deref())
        .map(|_| {
            remote::resolve_repo(
                args.remote.repo.as_deref(),
                desired.repository.as_deref(),
                &ctx.cwd,
            )
        })
        .transpose()?;
    let described = live
        .repository
        .as_deref()
        .map(|text| {
            RepoName::parse(text).map_err(|reason| {
                Error::new(format!(
                    "the state file's `repository` is invalid: {reason}"
                ))
            })
        })
        .transpose()?;
    let repository = match (named, described) {
        (Some(named), Some(described))
            if !named
                .to_string()
                .eq_ignore_ascii_case(&described.to_string()) =>
        {
            return Err(Error::new(format!(
                "the state file {} describes {}, not {}",
                state.display(),
                quote(&described.to_string()),
                quote(&named.to_string())
            ))
            .with_hint(
                "export the state of the repository the policy is for, or pass the matching --repo",
            ));
        }
        (Some(repo), _) | (None, Some(repo)) => repo.to_string(),
        (None, None) => "(the state file's repository)".to_owned(),
    };
    let live = LiveState::from_settings(live);
    let mut plan = diff::plan(&repository, desired, &live, context);
    let found = if args.no_findings {
        Findings::skipped()
    } else {
        findings::judge_state(desired, &live, &plan)
    };
    findings::attach(&mut plan, found, desired, context.now);
    Ok(plan)
}

/// Loads a state file: the live side in policy format, as `export` writes it.
pub fn load_state(state: &Path) -> Result<RepoSettings, Error> {
    // The loader's message for a missing file is about policy files (`--policy`); a state
    // file that cannot be opened gets its own.
    std::fs::File::open(state).map_err(|err| {
        Error::new(format!("cannot read the state file {}", state.display()))
            .caused_by(err)
            .with_hint("a state file holds the live settings in policy format: write one with `gh-policy export -o FILE`")
    })?;
    policy::load(state).map_err(|err| {
        let mut error = Error::new(format!("cannot use the state file {}", state.display()));
        for diagnostic in &err.diagnostics {
            error = error.detail(diagnostic.to_string());
        }
        error.with_hint("a state file is a policy file describing the live side, as `gh-policy export` writes it")
    })
}
