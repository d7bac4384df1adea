//! Reading the live repository into a `LiveState` through the seam, with as few requests as
//! the policy needs.
//!
//! What is read follows the policy: protection of each listed branch (`protection`), the
//! environments list and what hangs off the listed environments (`environments`), the
//! rulesets the policy manages or may prune (`rulesets`). Independent reads run
//! concurrently; the client bounds how many are in flight. Then every name the policy would
//! write is checked to exist and the ids writes and comparisons need are learnt (`names`).

mod bulk;
mod cost;
mod environments;
mod error;
mod evidence;
mod export;
mod findings;
mod names;
mod org;
mod protection;
mod rulesets;
mod switches;

use std::collections::{BTreeMap, BTreeSet};

use super::api::reads;
use super::error::{ApiError, ApiErrorKind, Permission};
use super::rest::RestReader;
use super::wire::ruleset::Ruleset as WireRuleset;
use crate::model::ActorKind;
use crate::model::RepoSettings;
use crate::model::live::{BranchEvidence, Classic, LiveState, Source};
use crate::model::names::RepoName;
use crate::output::untrusted;
use crate::protection::effective;

pub use bulk::prefetch;
pub use cost::{OrgRead, Read, reads_in_sync};
pub use error::{NameKind, ReadError, UnknownName};
pub use export::read_all;
pub use findings::read_facts;
pub use org::{OrgRulesets, org_properties, org_repositories, read_org_rulesets};

/// Reads what `desired` covers from the repository.
pub async fn read_live(
    github: &RestReader,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<LiveState, ReadError> {
    read(github, repo, desired, false, &OrgRulesets::default()).await
}

/// The most name lookups (users, teams, apps) reading for this policy makes.
pub fn name_lookups(desired: &RepoSettings) -> usize {
    names::lookups(desired)
}

/// Reads what `desired` covers from one repository of an organisation whose rulesets were
/// read already.
pub async fn read_live_in_org(
    github: &RestReader,
    repo: &RepoName,
    desired: &RepoSettings,
    org_rulesets: &OrgRulesets,
) -> Result<LiveState, ReadError> {
    read(github, repo, desired, false, org_rulesets).await
}

async fn read(
    github: &RestReader,
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
    // One `GET /repos/{o}/{r}` serves the default branch and the merge and security settings.
    let repository = async {
        if switches::needs_repository(desired) {
            return github
                .read(reads::repository_settings(repo))
                .await
                .map(Some);
        }
        if desired.requirements.is_empty() {
            return Ok(None);
        }
        github.read(reads::repository(repo)).await.map(Some)
    };
    let ((environments, mut live), (branches, missing_branches), fetched, repository) =
        futures::try_join!(environments, branches, fetched, repository)?;
    let read_switches = switches::read(github, repo, desired, repository.as_ref()).await?;
    live.default_branch = repository
        .filter(|_| !desired.requirements.is_empty())
        .and_then(|r| r.default_branch);
    live.settings.settings = read_switches.settings;
    live.settings.security = read_switches.security;
    live.settings.actions = read_switches.actions;
    live.switches = read_switches.facts;
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
            match (&actor.actor_type, actor.actor_id) {
                (ActorKind::User, Some(id)) => users.insert(id),
                (ActorKind::Team, Some(id)) => teams.insert(id),
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
    let (models, facts) = rulesets::into_model(fetched, &live.ids)?;
    if name_every_actor {
        rulesets::refuse_hidden(&facts)?;
    }
    live.gaps = rulesets::gaps(desired, &facts);
    live.settings.rulesets = models;
    live.rulesets = facts;
    Ok(live)
}

/// Reads what protects each branch a key names (a branch, or `~DEFAULT_BRANCH`), for
/// `explain`: what a token that can only read can see, and what it cannot, never guessed.
pub async fn read_protection_of(
    github: &RestReader,
    repo: &RepoName,
    keys: &[String],
) -> Result<LiveState, ReadError> {
    let (repository, summaries) = futures::try_join!(
        github.read(reads::repository(repo)),
        github.read(reads::rulesets(repo))
    )?;
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
    github: &RestReader,
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
    reads
        .into_iter()
        .map(|(branch, read)| {
            let assembled = evidence::assemble(&branch, read, &details, default_branch, &live.ids)?;
            Ok((branch, assembled))
        })
        .collect()
}

/// A plan judges requirements on what it can see: a branch's classic protection the token
/// cannot read, or the hidden bypass actors of a ruleset a `no_bypass` rests on, is an
/// error naming the permission, never a guess. Hidden actors of a ruleset that provides
/// nothing asked, or only what an unbypassable source provides too, do not matter.
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
        if requirement.no_bypass
            && let Some(source) = hidden_bypass(requirement, evidence, &live.ids)
        {
            let (what, permission) = match &source {
                Source::Ruleset {
                    organization: Some(_),
                    ..
                } => (
                    "tokens that can edit the organisation's rulesets (an organisation owner's)",
                    Permission::OrganizationAdministrationWrite,
                ),
                _ => (
                    "tokens that can edit the repository's rulesets",
                    Permission::AdministrationWrite,
                ),
            };
            return Err(ApiError::new(ApiErrorKind::Permission, super::Call::get(source.to_string()))
                .with_detail(format!(
                    "`no_bypass` on branch {} rests on {source}, whose bypass actors GitHub left out: it shows them only to {what}",
                    untrusted::quote(branch)
                ))
                .needing(permission));
        }
    }
    Ok(())
}

/// Returns the first source with hidden bypass actors that the requirement's `no_bypass`
/// rests on, if any.
fn hidden_bypass(
    requirement: &crate::model::Requirement,
    evidence: &BranchEvidence,
    ids: &crate::model::live::Identities,
) -> Option<Source> {
    let (enforced, evaluate) = effective::contributions(evidence, ids);
    effective::judge(requirement, &enforced, &evaluate, ids)
        .into_iter()
        .find(|j| j.setting == "no_bypass" && j.verdict == effective::Verdict::Unknown)
        .and_then(|j| j.sources.into_iter().next())
}
