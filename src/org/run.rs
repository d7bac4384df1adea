//! Planning and applying over the selected repositories of an organisation.
//!
//! Reads run concurrently across repositories, within the one bound the client holds for the
//! whole run; the organisation's rulesets are read once. Writes go one at a time for the
//! whole run (the client paces them). One repository's failure never stops the others: it
//! gets its row in the errors.

use std::collections::BTreeMap;

use super::merge::{layers_of, policy_for};
use super::properties::Problem;
use super::select::{in_shard, name_matches, selects};
use crate::diff::{self, Context};
use crate::github::read::{self, OrgRulesets};
use crate::github::{ApiError, ApiErrorKind, GithubRead, graphql};
use crate::model::{OrgPolicy, RepoSettings};
use crate::names::RepoName;
use crate::plan::Plan;
use crate::policy::{Located, Segment};
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
    /// Where the layers it was merged from are in the policy file, in order.
    pub layers: Vec<Vec<Segment>>,
}

impl Target {
    /// Returns the groups that select it, in file order (where its settings are declared).
    pub fn groups(&self) -> Vec<String> {
        self.layers
            .iter()
            .filter_map(|layer| match layer.as_slice() {
                [Segment::Key(groups), Segment::Key(name), ..] if groups == "groups" => {
                    Some(name.clone())
                }
                _ => None,
            })
            .collect()
    }
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
    /// Selected repositories whose layers do not merge into a policy, or whose custom
    /// property values could not be read, and why.
    pub unmergeable: Vec<(RepoName, String)>,
    /// What a person should know of the selection: each group that selects no repository
    /// of the organisation, at its path in the policy.
    pub warnings: Vec<Problem>,
    /// How many repositories the organisation lists.
    pub listed: usize,
}

/// Why the repositories could not be selected.
#[derive(Debug)]
pub enum SelectionError {
    /// A call failed.
    Api(ApiError),
    /// Groups select by custom properties the organisation does not define, or by values
    /// they do not take: each at its path in the policy.
    Policy(Vec<Problem>),
}

impl From<ApiError> for SelectionError {
    fn from(err: ApiError) -> Self {
        Self::Api(err)
    }
}

/// Lists the organisation's repositories and returns those the policy selects, each with
/// its merged policy: `repositories` entries always (archived and forks included); every
/// other repository unless excluded, archived or a fork. When a group selects by custom
/// properties, their values are read too (`GET /orgs/{org}/properties/values`), and every
/// property and value the groups name is checked against the organisation's definitions.
pub async fn targets(
    github: &dyn GithubRead,
    policy: &OrgPolicy,
    scope: Scope<'_>,
) -> Result<Selection, SelectionError> {
    let org = &policy.organization;
    let by_property = policy
        .groups
        .values()
        .any(|group| !group.select.properties.is_empty());
    let (repositories, properties) =
        futures::try_join!(read::org_repositories(github, org), async {
            if by_property {
                read::org_properties(github, org).await.map(Some)
            } else {
                Ok(None)
            }
        })?;
    if let Some(properties) = &properties {
        let problems = super::properties::check(policy, properties);
        if !problems.is_empty() {
            return Err(SelectionError::Policy(problems));
        }
    }
    let none = BTreeMap::new();
    let mut selected_by_group = vec![0_usize; policy.groups.len()];
    let mut selection = Selection {
        listed: repositories.len(),
        ..Selection::default()
    };
    for repository in repositories {
        let name = repository.name.clone();
        let listed = policy
            .repositories
            .keys()
            .any(|n| n.eq_ignore_ascii_case(&name));
        let excluded = policy.exclude.iter().any(|glob| name_matches(glob, &name));
        if !listed && (excluded || repository.archived || repository.fork) {
            continue;
        }
        // Without a group that selects by property, no value is needed; with one, a
        // repository whose values could not be read has none to select by.
        let values = match &properties {
            None => Some(&none),
            Some(properties) => properties.of(&name),
        };
        if let Some(values) = values {
            for (count, group) in selected_by_group.iter_mut().zip(policy.groups.values()) {
                if selects(&group.select, &name, values) {
                    *count += 1;
                }
            }
        }
        if scope
            .only
            .is_some_and(|only| !only.eq_ignore_ascii_case(&name))
        {
            continue;
        }
        let full = format!("{org}/{name}");
        if let Some((index, count)) = scope.shard
            && !in_shard(&full, index, count)
        {
            continue;
        }
        let Ok(repo) = RepoName::parse(&full) else {
            continue;
        };
        let Some(values) = values else {
            selection.unmergeable.push((
                repo,
                format!(
                    "the custom property values of {full} could not be read (`GET /orgs/{org}/properties/values` does not list it), and groups select by them"
                ),
            ));
            continue;
        };
        match target(policy, repo.clone(), repository.archived, values) {
            Ok(target) => selection.targets.push(target),
            Err(reason) => selection.unmergeable.push((repo, reason)),
        }
    }
    selection.warnings = idle_groups(policy, &selected_by_group);
    selection.targets.sort_by(|a, b| a.repo.cmp(&b.repo));
    Ok(selection)
}

/// Returns a selected repository with its merged policy and the layers it comes from.
fn target(
    policy: &OrgPolicy,
    repo: RepoName,
    archived: bool,
    values: &BTreeMap<String, Vec<String>>,
) -> Result<Target, String> {
    let entry_name = policy
        .repositories
        .keys()
        .find(|n| n.eq_ignore_ascii_case(&repo.name))
        .map_or(repo.name.as_str(), String::as_str);
    let settings = policy_for(policy, &policy.organization, entry_name, values)?;
    let layers = layers_of(policy, entry_name, values)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    Ok(Target {
        repo,
        archived,
        settings,
        layers,
    })
}

/// Returns a warning for each group that selects no repository of the organisation.
fn idle_groups(policy: &OrgPolicy, selected_by_group: &[usize]) -> Vec<Problem> {
    policy
        .groups
        .keys()
        .zip(selected_by_group)
        .filter(|(_, count)| **count == 0)
        .map(|(name, _)| Problem {
            path: vec!["groups".into(), name.into(), "select".into()],
            at_key: false,
            message: format!(
                "group {} selects no repository of {}: its policy applies nowhere",
                crate::untrusted::quote(name),
                policy.organization
            ),
        })
        .collect()
}

/// The outcome of planning one repository.
pub type Planned = (Target, Result<Plan, crate::Error>);

/// What a repository's plan is judged with (the secret values at hand, the time), from its
/// policy.
pub type ContextFor<'a> = &'a (dyn Fn(&RepoSettings) -> Context + Sync);

/// Returns true when the run reads the organisation's rulesets: a layer of the policy sets
/// requirements.
pub fn reads_org_rulesets(policy: &OrgPolicy) -> bool {
    std::iter::once(&policy.defaults)
        .chain(policy.groups.values().map(|group| &group.policy))
        .chain(policy.repositories.values())
        .any(|body| !body.requirements.is_empty())
}

/// Reads the organisation's rulesets once for the run, when a layer of the policy sets
/// requirements (no requirement, no read).
pub async fn org_rulesets_for(
    github: &dyn GithubRead,
    policy: &OrgPolicy,
) -> Result<OrgRulesets, ApiError> {
    if !reads_org_rulesets(policy) {
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

/// Reads in bulk through GraphQL what it serves of the targets whose policy reads it
/// (classic protection, the default branch), 25 repositories to a query (DESIGN §16);
/// planning through [`graphql::BulkRead`] over it reads the rest through REST.
pub async fn read_in_bulk(github: &dyn GithubRead, targets: &[Target]) -> graphql::Bulk {
    let in_bulk: Vec<RepoName> = targets
        .iter()
        .filter(|t| !t.settings.branches.is_empty() || !t.settings.requirements.is_empty())
        .map(|t| t.repo.clone())
        .collect();
    graphql::prefetch(github, &in_bulk).await
}

/// Plans every target, `concurrency` repositories at a time (the client's bound on requests
/// in flight holds for the whole run).
pub async fn plan_all(
    github: &dyn GithubRead,
    targets: Vec<Target>,
    org_rulesets: &OrgRulesets,
    context_for: ContextFor<'_>,
    located: &Located,
    concurrency: usize,
) -> Vec<Planned> {
    let mut planned: Vec<Planned> = stream::iter(targets)
        .map(|target| async move {
            let context = context_for(&target.settings);
            let result = plan_one(github, &target, org_rulesets, &context, located).await;
            (target, result)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    planned.sort_by(|a, b| a.0.repo.cmp(&b.0.repo));
    planned
}

/// Plans one repository of the run; a name GitHub does not know is located in the policy
/// file `located`, at the layer that writes it.
pub async fn plan_one(
    github: &dyn GithubRead,
    target: &Target,
    org_rulesets: &OrgRulesets,
    context: &Context,
    located: &Located,
) -> Result<Plan, crate::Error> {
    let live = read::read_live_in_org(github, &target.repo, &target.settings, org_rulesets)
        .await
        .map_err(|err| err.located(&target.settings, &target.layers, located))?;
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
        // Nothing is written, so nothing can be broken.
        plan.contradictions.clear();
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
