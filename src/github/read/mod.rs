//! Reading the live repository into a `LiveState` through the seam, with as few requests as
//! the policy needs.
//!
//! What is read follows the policy: protection of each listed branch (`protection`), the
//! environments list and what hangs off the listed environments (`environments`), the
//! rulesets the policy manages or may prune (`rulesets`). Independent reads run
//! concurrently; the client bounds how many are in flight. Then every name the policy would
//! write is checked to exist and the ids writes and comparisons need are learnt (`names`).

mod environments;
mod names;
mod protection;
mod rulesets;

use std::collections::BTreeSet;

use super::api::GithubRead;
use super::error::ApiError;
use crate::live::LiveState;
use crate::model::{Branch, Environment, RepoSettings};
use crate::names::RepoName;
use crate::plan::ActorKind;

/// Why the live side could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A call failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Names the policy would write that GitHub does not know.
    #[error("the policy names {} that {} not exist (or that the token cannot see)", .0.join(", "), if .0.len() == 1 { "does" } else { "do" })]
    UnknownNames(Vec<String>),
}

impl From<ReadError> for crate::Error {
    fn from(err: ReadError) -> Self {
        match err {
            ReadError::Api(err) => err.into(),
            err @ ReadError::UnknownNames(_) => crate::Error::new(err.to_string()).with_hint(
                "check the spelling in the policy: users by login, teams and apps by slug",
            ),
        }
    }
}

/// Reads what `desired` covers from the repository.
pub async fn read_live(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<LiveState, ReadError> {
    read(github, repo, desired, false).await
}

/// Reads everything the repository has, for `export`: every protected branch, every
/// environment with its patterns, secret names and variables, and every repository ruleset
/// with its actors named where GitHub can name them. The ids of the apps a `policy` pins
/// checks to are learnt too, so that the export can name them.
pub async fn read_all(
    github: &dyn GithubRead,
    repo: &RepoName,
    policy: Option<&RepoSettings>,
) -> Result<LiveState, ReadError> {
    let mut everything = RepoSettings::empty();
    for name in github.protected_branches(repo).await? {
        everything.branches.insert(name, Branch::default());
    }
    for environment in github.environments(repo).await? {
        everything
            .environments
            .insert(environment.name, Environment::default());
    }
    everything.prune.rulesets = true;
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
    let mut live = read(github, repo, &everything, true).await?;
    live.settings.branches.retain(|_, branch| branch.protected);
    Ok(live)
}

async fn read(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
    name_every_actor: bool,
) -> Result<LiveState, ReadError> {
    // The environments come first: only they have a dependent read (list → patterns), so
    // that chain starts at once instead of queueing behind every branch read.
    let environments = environments::read_environments(github, repo, desired);
    let branches = protection::read_branches(github, repo, desired);
    let fetched = rulesets::fetch(github, repo, desired);
    let ((environments, mut live), (branches, missing_branches), fetched) =
        futures::try_join!(environments, branches, fetched)?;
    live.settings.repository = Some(repo.to_string());
    live.settings.branches = branches;
    live.settings.environments = environments;
    live.missing_branches = missing_branches;
    names::resolve(github, repo, desired, &mut live).await?;
    if name_every_actor {
        let mut users = BTreeSet::new();
        let mut teams = BTreeSet::new();
        for actor in fetched
            .own
            .iter()
            .flat_map(|r| r.bypass_actors.iter().flatten())
        {
            match (ActorKind::parse(&actor.actor_type), actor.actor_id) {
                (Some(ActorKind::User), Some(id)) => users.insert(id),
                (Some(ActorKind::Team), Some(id)) => teams.insert(id),
                _ => false,
            };
        }
        names::name_actor_ids(github, repo, users, teams, &mut live.ids).await?;
    }
    let (models, facts) = rulesets::into_model(fetched, desired, &live.ids)?;
    live.settings.rulesets = models;
    live.rulesets = facts;
    Ok(live)
}
