//! Reading the live repository into a `LiveState` through the seam, with as few requests as
//! the policy needs.
//!
//! What is read follows the policy: protection of each listed branch (`protection`), the
//! environments list and what hangs off the listed environments (`environments`), the
//! rulesets the policy manages or may prune (`rulesets`). Independent reads run
//! concurrently; the client bounds how many are in flight. Then every name the policy would
//! write is checked to exist and the ids writes and comparisons need are learnt (`names`).

mod environments;
mod evidence;
mod names;
mod protection;
mod rulesets;

use std::collections::{BTreeMap, BTreeSet};

use super::api::GithubRead;
use super::error::{ApiError, ApiErrorKind, Permission};
use super::wire::ruleset::Ruleset as WireRuleset;
use crate::effective::{BranchEvidence, Classic};
use crate::live::{LiveState, OrgRepository};
use crate::model::{Branch, Environment, RepoSettings};
use crate::names::RepoName;
use crate::plan::ActorKind;
use crate::untrusted;

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
    read(github, repo, desired, false, &OrgRulesets::default()).await
}

/// The most name lookups (users, teams, apps) reading for this policy makes.
pub fn name_lookups(desired: &RepoSettings) -> usize {
    names::lookups(desired)
}

/// Lists an organisation's repositories with their custom property values.
pub async fn org_repositories(
    github: &dyn GithubRead,
    org: &str,
) -> Result<Vec<OrgRepository>, ApiError> {
    Ok(github
        .org_repositories(org)
        .await?
        .into_iter()
        .map(|repository| OrgRepository {
            properties: repository
                .custom_properties
                .iter()
                .flatten()
                .map(|(name, value)| {
                    let values = match value {
                        serde_json::Value::Array(items) => items
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect(),
                        serde_json::Value::String(text) => vec![text.clone()],
                        serde_json::Value::Null => Vec::new(),
                        other => vec![other.to_string()],
                    };
                    (name.clone(), values)
                })
                .collect(),
            name: repository.name,
            archived: repository.archived,
            fork: repository.fork,
        })
        .collect())
}

/// The rulesets of an organisation, read once for a whole run over its repositories.
#[derive(Debug, Clone, Default)]
pub struct OrgRulesets(Vec<WireRuleset>);

impl OrgRulesets {
    /// Returns how many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns true when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Reads every ruleset of the organisation (the list, then each by id): once per run, not
/// once per repository.
pub async fn read_org_rulesets(
    github: &dyn GithubRead,
    org: &str,
) -> Result<OrgRulesets, ApiError> {
    let summaries = github.org_rulesets(org).await?;
    let rulesets =
        futures::future::try_join_all(summaries.iter().map(|s| github.org_ruleset(org, s.id)))
            .await?;
    Ok(OrgRulesets(rulesets))
}

/// Reads what `desired` covers from one repository of an organisation whose rulesets were
/// read already.
pub async fn read_live_in_org(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
    org_rulesets: &OrgRulesets,
) -> Result<LiveState, ReadError> {
    read(github, repo, desired, false, org_rulesets).await
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
    Ok(live)
}

async fn read(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
    name_every_actor: bool,
    org_rulesets: &OrgRulesets,
) -> Result<LiveState, ReadError> {
    // The environments come first: only they have a dependent read (list → patterns), so
    // that chain starts at once instead of queueing behind every branch read.
    let environments = environments::read_environments(github, repo, desired);
    let branches = protection::read_branches(github, repo, desired);
    let fetched = rulesets::fetch(github, repo, desired);
    let default_branch = async {
        if desired.requirements.is_empty() {
            return Ok(None);
        }
        github.repository(repo).await.map(|r| r.default_branch)
    };
    let ((environments, mut live), (branches, missing_branches), fetched, default_branch) =
        futures::try_join!(environments, branches, fetched, default_branch)?;
    live.default_branch = default_branch;
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
    if !desired.requirements.is_empty() {
        let keys: BTreeSet<String> = desired
            .requirements
            .keys()
            .map(|key| live.branch_of(key).to_owned())
            .collect();
        live.evidence =
            read_evidence(github, repo, &keys, &live, &fetched, &org_rulesets.0).await?;
        refuse_unreadable(desired, &live)?;
    }
    let (models, facts) = rulesets::into_model(fetched, desired, &live.ids)?;
    live.settings.rulesets = models;
    live.rulesets = facts;
    Ok(live)
}

/// Reads what protects each branch a key names (a branch, or `~DEFAULT_BRANCH`), for
/// `explain`: what a token that can only read can see, and what it cannot, never guessed.
pub async fn read_protection_of(
    github: &dyn GithubRead,
    repo: &RepoName,
    keys: &[String],
) -> Result<LiveState, ReadError> {
    let (repository, summaries) =
        futures::try_join!(github.repository(repo), github.rulesets(repo))?;
    let mut live = LiveState::from_settings(RepoSettings::empty());
    live.ids.offline = false;
    live.settings.repository = Some(repo.to_string());
    live.default_branch = repository.default_branch;
    let branches: BTreeSet<String> = keys.iter().map(|k| live.branch_of(k).to_owned()).collect();
    let fetched = rulesets::Fetched {
        summaries,
        own: Vec::new(),
    };
    live.evidence = read_evidence(github, repo, &branches, &live, &fetched, &[]).await?;
    Ok(live)
}

/// Reads what protects each branch (for requirements, and for `explain`).
async fn read_evidence(
    github: &dyn GithubRead,
    repo: &RepoName,
    branches: &BTreeSet<String>,
    live: &LiveState,
    fetched: &rulesets::Fetched,
    org_rulesets: &[WireRuleset],
) -> Result<BTreeMap<String, BranchEvidence>, ApiError> {
    let default_branch = live.default_branch.as_deref().unwrap_or("main");
    let reads = evidence::read_branches(github, repo, branches, live).await?;
    let active: BTreeSet<u64> = reads
        .values()
        .flat_map(evidence::BranchReads::ruleset_ids)
        .collect();
    // Rulesets read already (the repository's own, the organisation's) are not read again.
    let known: Vec<WireRuleset> = fetched.own.iter().chain(org_rulesets).cloned().collect();
    let details = evidence::details(github, repo, &fetched.summaries, &active, &known).await?;
    Ok(reads
        .into_iter()
        .map(|(branch, read)| {
            let assembled = evidence::assemble(&branch, read, &details, default_branch, &live.ids);
            (branch, assembled)
        })
        .collect())
}

/// A plan judges requirements on what it can see: a branch's classic protection the token
/// cannot read, or the hidden bypass actors of a ruleset when `no_bypass` is required, is
/// an error naming the permission, never a guess.
fn refuse_unreadable(desired: &RepoSettings, live: &LiveState) -> Result<(), ApiError> {
    for (key, requirement) in &desired.requirements {
        let branch = live.branch_of(key);
        let Some(evidence) = live.evidence.get(branch) else {
            continue;
        };
        if evidence.classic == Classic::Unreadable {
            return Err(ApiError::new(ApiErrorKind::Permission, super::Call::get(format!("…/branches/{}/protection", untrusted::escape(branch))))
                .with_detail(format!(
                    "the token cannot read the classic protection of branch {}, on which requirements are judged",
                    untrusted::quote(branch)
                ))
                .needing(Permission::AdministrationRead));
        }
        let hidden = evidence
            .rulesets
            .iter()
            .find(|r| r.active && r.bypass.is_none());
        if requirement.no_bypass
            && let Some(ruleset) = hidden
        {
            return Err(ApiError::new(ApiErrorKind::Permission, super::Call::get(ruleset.source.to_string()))
                .with_detail("GitHub left out the ruleset's bypass actors, which `no_bypass` is judged on: it shows them only to tokens that can edit the ruleset")
                .needing(Permission::AdministrationWrite));
        }
    }
    Ok(())
}
