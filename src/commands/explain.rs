//! `gh-policy explain`: the effective protection of branches, each setting with its sources.

use crate::cli::{ExplainArgs, ExplainFormat};
use crate::commands::console::Console;
use crate::commands::policy_file;
use crate::commands::{Context, remote};
use crate::error::{Error, ExitStatus};
use crate::github::client::ReadClient;
use crate::github::{RestReader, read};
use crate::model::RepoSettings;
use crate::protection::effective::explain::explain;
use crate::render;

/// Runs `explain`: read-only; exit 0, or 1 on an error.
pub fn run(
    args: &ExplainArgs,
    ctx: &Context,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    // The policy, when there is one, names the repository and the branches to explain.
    let policy = policy_file::one_repository(&args.policy.policy, args.remote.repo.as_deref())?;
    let keys: Vec<String> = if !args.branches.is_empty() {
        args.branches.clone()
    } else if let Some((policy, _)) = policy.as_ref().filter(|(p, _)| !p.requirements.is_empty()) {
        policy.requirements.keys().cloned().collect()
    } else {
        vec!["~DEFAULT_BRANCH".to_owned()]
    };
    let remote::Remote {
        repo,
        config,
        runtime,
    } = policy_file::connect(&args.remote, policy.as_ref(), ctx, console)?;
    let github = RestReader::new(ReadClient::new(config));
    let live = runtime.block_on(console.spinner(
        format!("reading {repo} from GitHub…"),
        read::read_protection_of(&github, &repo, &keys),
    ))?;
    let mut explanation = explain(&repo.to_string(), &live);
    if !args.no_findings {
        let desired = policy
            .as_ref()
            .map_or_else(RepoSettings::empty, |(p, _)| p.clone());
        runtime.block_on(crate::protection::findings::plan::explain(
            &github,
            &repo,
            &desired,
            &live,
            &mut explanation,
        ))?;
    }
    match args.format {
        ExplainFormat::Text => render::explain::text(&explanation, console.out())?,
        ExplainFormat::Json => render::explain::json(&explanation, console.out())?,
    }
    Ok(ExitStatus::Success)
}
