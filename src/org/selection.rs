//! Which repositories of the organisation a run covers: the listing held against the
//! policy's `repositories` entries, groups, exclusions and the run's scope, and the
//! repositories it covers but cannot plan.

use std::collections::{BTreeMap, BTreeSet};

use super::merge::{layers_of, policy_for};
use super::properties::Problem;
use super::run::{Scope, Target};
use super::select::{in_shard, name_matches, selects};
use crate::github::read;
use crate::github::{ApiError, RestReader};
use crate::model::OrgPolicy;
use crate::model::names::{RepoName, RepositoryName};
use crate::output::untrusted::{escape, quote};

/// The repositories a run covers.
#[derive(Debug, Default)]
pub struct Selection {
    /// Each selected repository with its merged policy, by name.
    pub targets: Vec<Target>,
    /// Repositories (`OWNER/NAME`) the run covers but cannot plan, and why: layers that do
    /// not merge, custom property values that could not be read, a `repositories` entry
    /// naming no repository, a listed name that is not one.
    pub refused: Vec<(String, String)>,
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
/// A repository the listing repeats is planned once; an entry no listed repository answers
/// to is refused, so that a typo cannot silently leave a repository with less than the
/// entry asks.
pub async fn targets(
    github: &RestReader,
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
    let in_scope = |name: &str| {
        scope
            .only
            .is_none_or(|only| only.eq_ignore_ascii_case(name))
            && scope
                .shard
                .is_none_or(|(index, count)| in_shard(&format!("{org}/{name}"), index, count))
    };
    let none = BTreeMap::new();
    let mut selected_by_group = vec![0_usize; policy.groups.len()];
    let mut selection = Selection {
        listed: repositories.len(),
        ..Selection::default()
    };
    let mut seen = BTreeSet::new();
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
        if !in_scope(&name) {
            continue;
        }
        let full = format!("{org}/{name}");
        let repo = match RepoName::parse(&full) {
            Ok(repo) => repo,
            Err(reason) => {
                selection.refused.push((
                    escape(&full).into_owned(),
                    format!("GitHub listed a repository whose name gh-policy cannot use: {reason}"),
                ));
                continue;
            }
        };
        let Some(values) = values else {
            selection.refused.push((
                full.clone(),
                format!(
                    "the custom property values of {full} could not be read (`GET /orgs/{org}/properties/values` does not list it), and groups select by them"
                ),
            ));
            continue;
        };
        match target(policy, repo.clone(), repository.archived, values) {
            Ok(target) => selection.targets.push(target),
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
        .map_or(repo.name.as_str(), RepositoryName::as_str);
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

/// Says that a `repositories` entry names no repository of the organisation, with the
/// closest name listed when one is near.
fn missing_entry(org: &str, entry: &str, listed: &[String]) -> String {
    let names: Vec<&str> = listed.iter().map(String::as_str).collect();
    let near = crate::policy::closest(entry, &names)
        .map_or_else(String::new, |name| format!(" (did you mean `{name}`?)"));
    format!(
        "`repositories` lists {}, but {} has no such repository, or the credentials cannot see it{near}; its entry applies to nothing",
        quote(entry),
        quote(org)
    )
}

/// Returns a warning for each group that selects no repository of the organisation.
fn idle_groups(policy: &OrgPolicy, selected_by_group: &[usize]) -> Vec<Problem> {
    policy
        .groups
        .keys()
        .zip(selected_by_group)
        .filter(|(_, count)| **count == 0)
        .map(|(name, _)| Problem {
            path: vec!["groups".into(), name.as_str().into(), "select".into()],
            at_key: false,
            message: format!(
                "group {} selects no repository of {}: its policy applies nowhere",
                quote(name),
                policy.organization
            ),
        })
        .collect()
}
