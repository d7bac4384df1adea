//! Planning and applying over the selected repositories of an organisation.
//!
//! Reads run concurrently across repositories, within the one bound the client holds for the
//! whole run; the organisation's rulesets are read once. Writes go one at a time for the
//! whole run (the client paces them). One repository's failure never stops the others: it
//! gets its row in the errors.

use super::merge::policy_for;
use super::select::{in_shard, name_matches};
use crate::diff::{self, Context};
use crate::github::read::{self, OrgRulesets};
use crate::github::{ApiError, ApiErrorKind, GithubRead};
use crate::model::{OrgPolicy, RepoSettings};
use crate::names::RepoName;
use crate::plan::Plan;
use futures::stream::{self, StreamExt};

/// Why an archived repository's changes cannot be made.
pub const REASON_ARCHIVED: &str = "archived repositories are read-only";

/// A repository the run covers, and the policy it gets.
#[derive(Debug, Clone)]
pub struct Target {
    /// The repository.
    pub repo: RepoName,
    /// Archived repositories are planned, never written.
    pub archived: bool,
    /// Its merged policy.
    pub settings: RepoSettings,
}

/// Which repositories a run covers, besides the policy's own selection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    /// Only this repository (`--repo NAME`).
    pub only: Option<&'a str>,
    /// Only this share: shard `.0` of `.1`, 1-based (`--shard I/N`).
    pub shard: Option<(u32, u32)>,
}

/// The repositories a run covers.
#[derive(Debug, Default)]
pub struct Selection {
    /// Each selected repository with its merged policy, by name.
    pub targets: Vec<Target>,
    /// Repositories (`OWNER/NAME`) the run covers but cannot plan, and why: layers that do
    /// not merge, a `repositories` entry naming no repository, a name that is not one.
    pub refused: Vec<(String, String)>,
}

/// Lists the organisation's repositories and returns those the policy selects, each with
/// its merged policy: `repositories` entries always (archived and forks included); every
/// other repository unless excluded, archived or a fork. A repository the listing repeats
/// is planned once; an entry no listed repository answers to is refused, so that a typo
/// cannot silently leave a repository with less than the entry asks.
pub async fn targets(
    github: &dyn GithubRead,
    policy: &OrgPolicy,
    scope: Scope<'_>,
) -> Result<Selection, ApiError> {
    let org = &policy.organization;
    let repositories = read::org_repositories(github, org).await?;
    let in_scope = |name: &str| {
        scope
            .only
            .is_none_or(|only| only.eq_ignore_ascii_case(name))
            && scope
                .shard
                .is_none_or(|(index, count)| in_shard(&format!("{org}/{name}"), index, count))
    };
    let mut selection = Selection::default();
    let mut seen = std::collections::BTreeSet::new();
    for repository in repositories {
        let name = repository.name.clone();
        if !seen.insert(name.to_lowercase()) {
            continue;
        }
        let listed = policy
            .repositories
            .keys()
            .any(|n| n.eq_ignore_ascii_case(&name));
        let excluded = policy.exclude.iter().any(|glob| name_matches(glob, &name));
        if (!listed && (excluded || repository.archived || repository.fork)) || !in_scope(&name) {
            continue;
        }
        let full = format!("{org}/{name}");
        let repo = match RepoName::parse(&full) {
            Ok(repo) => repo,
            Err(reason) => {
                selection.refused.push((
                    crate::untrusted::escape(&full).into_owned(),
                    format!("GitHub listed a repository whose name gh-policy cannot use: {reason}"),
                ));
                continue;
            }
        };
        let entry_name = policy
            .repositories
            .keys()
            .find(|n| n.eq_ignore_ascii_case(&name))
            .map_or(name.as_str(), String::as_str);
        match policy_for(policy, org, entry_name, &repository.properties) {
            Ok(settings) => selection.targets.push(Target {
                settings,
                archived: repository.archived,
                repo,
            }),
            Err(reason) => selection.refused.push((repo.to_string(), reason)),
        }
    }
    let listed: Vec<String> = seen.into_iter().collect();
    for entry in policy.repositories.keys() {
        if !listed.contains(&entry.to_lowercase()) && in_scope(entry) {
            selection
                .refused
                .push((format!("{org}/{entry}"), missing_entry(org, entry, &listed)));
        }
    }
    selection.targets.sort_by(|a, b| a.repo.cmp(&b.repo));
    Ok(selection)
}

/// Says that a `repositories` entry names no repository of the organisation, with the
/// closest name listed when one is near.
fn missing_entry(org: &str, entry: &str, listed: &[String]) -> String {
    let names: Vec<&str> = listed.iter().map(String::as_str).collect();
    let near = crate::policy::closest(entry, &names)
        .map_or_else(String::new, |name| format!(" (did you mean `{name}`?)"));
    format!(
        "`repositories` lists {}, but {} has no such repository, or the credentials cannot see it{near}; its entry applies to nothing",
        crate::untrusted::quote(entry),
        crate::untrusted::quote(org)
    )
}

/// The outcome of planning one repository.
pub type Planned = (Target, Result<Plan, crate::Error>);

/// What a repository's plan is judged with (the secret values at hand, the time), from its
/// policy.
pub type ContextFor<'a> = &'a (dyn Fn(&RepoSettings) -> Context + Sync);

/// Reads the organisation's rulesets once for the run, when a layer of the policy sets
/// requirements (no requirement, no read).
pub async fn org_rulesets_for(
    github: &dyn GithubRead,
    policy: &OrgPolicy,
) -> Result<OrgRulesets, ApiError> {
    let layers = std::iter::once(&policy.defaults)
        .chain(policy.groups.values().map(|group| &group.policy))
        .chain(policy.repositories.values());
    let mut layers = layers;
    if !layers.any(|body| !body.requirements.is_empty()) {
        return Ok(OrgRulesets::default());
    }
    match read::read_org_rulesets(github, &policy.organization).await {
        // Listing them needs "Organization administration: read". Without it, each
        // repository reads the organisation rulesets that apply to it through its own path:
        // more requests, the same answer.
        Err(err) if matches!(err.kind, ApiErrorKind::Permission | ApiErrorKind::NotFound) => {
            Ok(OrgRulesets::default())
        }
        read => read,
    }
}

/// Plans every target, `concurrency` repositories at a time (the client's bound on requests
/// in flight holds for the whole run).
pub async fn plan_all(
    github: &dyn GithubRead,
    targets: Vec<Target>,
    org_rulesets: &OrgRulesets,
    context_for: ContextFor<'_>,
    concurrency: usize,
) -> Vec<Planned> {
    let mut planned: Vec<Planned> = stream::iter(targets)
        .map(|target| async move {
            let context = context_for(&target.settings);
            let result = plan_one(github, &target, org_rulesets, &context).await;
            (target, result)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    planned.sort_by(|a, b| a.0.repo.cmp(&b.0.repo));
    planned
}

/// Plans one repository of the run.
pub async fn plan_one(
    github: &dyn GithubRead,
    target: &Target,
    org_rulesets: &OrgRulesets,
    context: &Context,
) -> Result<Plan, crate::Error> {
    let live = read::read_live_in_org(github, &target.repo, &target.settings, org_rulesets).await?;
    Ok(plan_of(target, &live, context))
}

/// The plan of one repository of the run from what was read.
pub fn plan_of(target: &Target, live: &crate::live::LiveState, context: &Context) -> Plan {
    let mut plan = diff::plan(&target.repo.to_string(), &target.settings, live, context);
    if target.archived {
        for change in &mut plan.changes {
            change.applicable = false;
            change.target = None;
            change.reason = Some(REASON_ARCHIVED.to_owned());
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::fake::FakeGithub;
    use crate::policy::{PolicyFile, parse_any};

    fn org_policy() -> OrgPolicy {
        let text = "version: 1\norganization: acme\ndefaults:\n  requirements:\n    main: { required_approvals: 1 }\n";
        match parse_any("org.yaml", text) {
            Ok((PolicyFile::Organization(policy), _)) => *policy,
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn without_the_right_to_list_organisation_rulesets_each_repository_reads_its_own() {
        let github = FakeGithub::new();
        github.fail_op("org_rulesets", 403);
        let rulesets = org_rulesets_for(&github, &org_policy()).await.unwrap();
        assert!(rulesets.is_empty());
        // Another failure is the run's error.
        let github = FakeGithub::new();
        github.fail_op("org_rulesets", 500);
        assert!(org_rulesets_for(&github, &org_policy()).await.is_err());
        // No requirement, no read.
        let github = FakeGithub::new();
        let mut policy = org_policy();
        policy.defaults.requirements.clear();
        org_rulesets_for(&github, &policy).await.unwrap();
        assert!(github.calls().is_empty());
    }
}
