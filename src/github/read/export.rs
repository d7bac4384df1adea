//! Reading everything a repository has, for `export`: every protected branch, environment
//! and repository ruleset, its actors and pinned apps named where GitHub can name them.

use std::collections::BTreeSet;

use super::{OrgRulesets, read};
use crate::github::api::reads;
use crate::github::error::{ApiError, ApiErrorKind};
use crate::github::rest::RestReader;
use crate::model::live::LiveState;
use crate::model::names::RepoName;
use crate::model::{Branch, Environment, RepoSettings};

use super::ReadError;

/// Reads everything the repository has, for `export`: every protected branch, every
/// environment with its patterns, secret names and variables, and every repository ruleset
/// with its actors named where GitHub can name them. The ids of the apps a `policy` pins
/// checks to are learnt too, so that the export can name them.
pub async fn read_all(
    github: &RestReader,
    repo: &RepoName,
    policy: Option<&RepoSettings>,
) -> Result<LiveState, ReadError> {
    let mut everything = RepoSettings::empty();
    for name in github.read(reads::protected_branches(repo)).await? {
        everything.branches.insert(name, Branch::default());
    }
    for environment in github.read(reads::environments(repo)).await? {
        everything
            .environments
            .insert(environment.name, Environment::default());
    }
    // Every repository-wide switch is read, as a policy that manages each key would.
    everything.settings = Some(crate::model::RepositorySettings::everything());
    everything.security = Some(crate::model::Security::everything());
    everything.actions = Some(crate::model::Actions::everything());
    // Every ruleset, secret and variable is read, as a plan that prunes them would.
    everything.prune.rulesets = true;
    everything.prune.secrets = true;
    everything.prune.variables = true;
    // The policy's pinned apps: learnt like a plan learns them, for their slugs.
    if let Some(policy) = policy {
        for (name, branch) in &policy.branches {
            if let (Some(checks), Some(target)) =
                (&branch.status_checks, everything.branches.get_mut(name))
            {
                target.status_checks = Some(checks.clone());
            }
        }
    }
    let mut live = read(github, repo, &everything, true, &OrgRulesets::default()).await?;
    live.settings.branches.retain(|_, branch| branch.protected);
    // A feature GitHub does not offer this repository is left out: it cannot be managed.
    if let Some(security) = live.settings.security.as_mut() {
        for feature in live.switches.unavailable.keys() {
            security.set(*feature, None);
        }
    }
    name_pinned_apps(github, repo, &mut live).await?;
    Ok(live)
}

/// Learns the slugs of the apps live checks are pinned to by id alone, from the check runs
/// of the default branch's head (emulator/github-api/QUIRKS.md 63: GitHub has no lookup of
/// an app by id), so that an export names them as a policy does and `plan --state` of it
/// compares like live. An app no recent run names keeps its id; a token that may not read
/// check runs only means no names.
async fn name_pinned_apps(
    github: &RestReader,
    repo: &RepoName,
    live: &mut LiveState,
) -> Result<(), ApiError> {
    let checks = live
        .settings
        .branches
        .values()
        .filter_map(|b| b.status_checks.as_ref())
        .flat_map(|c| &c.required)
        .chain(
            live.settings
                .rulesets
                .values()
                .filter_map(|r| r.rules.status_checks.as_ref())
                .flat_map(|c| &c.required),
        );
    let unnamed: BTreeSet<u64> = checks
        .filter_map(|check| check.app_id.and_then(|id| u64::try_from(id).ok()))
        .filter(|id| live.ids.app_slug(*id).is_none())
        .collect();
    if unnamed.is_empty() {
        return Ok(());
    }
    let default_branch = match &live.default_branch {
        Some(branch) => branch.clone(),
        None => github
            .read(reads::repository_settings(repo))
            .await?
            .default_branch
            .unwrap_or_else(|| "main".to_owned()),
    };
    let runs = match github.read(reads::check_runs(repo, &default_branch)).await {
        Ok(runs) => runs,
        Err(err) if matches!(err.kind, ApiErrorKind::Permission | ApiErrorKind::NotFound) => {
            return Ok(());
        }
        Err(err) => return Err(err),
    };
    for app in runs.into_iter().filter_map(|run| run.app) {
        if let Some(slug) = app.slug
            && unnamed.contains(&app.id)
        {
            live.ids.apps.insert(slug.to_lowercase(), app.id);
        }
    }
    Ok(())
}
