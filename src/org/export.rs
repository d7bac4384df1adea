//! An organisation policy from what its repositories have (`export --org`): every block —
//! a branch's protection, an environment, a ruleset, a requirement, the prune switches —
//! that is identical in every exported repository goes to `defaults`; everything else stays
//! under that repository's entry.
//!
//! A block is hoisted only when every repository has it, equal: then no entry holds a block
//! of the same name, so merging `defaults` with an entry gives back exactly the repository's
//! own settings, and the exported policy plans in sync for each of them.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::model::names::RepositoryName;
use crate::model::{OrgPolicy, PolicyBody, Prune, RepoSettings};

/// Builds the organisation policy of `repositories` (name → its settings as exported); a
/// name that is not a repository's cannot be an entry, and is refused.
pub fn organisation_policy(
    organization: &str,
    repositories: BTreeMap<String, RepoSettings>,
) -> Result<OrgPolicy, String> {
    let mut bodies: BTreeMap<RepositoryName, PolicyBody> = repositories
        .into_iter()
        .map(|(name, settings)| Ok((RepositoryName::parse(name)?, PolicyBody::from(settings))))
        .collect::<Result<_, String>>()?;
    let mut defaults = PolicyBody::default();
    hoist(&mut bodies, &mut defaults, |body| &mut body.branches);
    hoist(&mut bodies, &mut defaults, |body| &mut body.environments);
    hoist(&mut bodies, &mut defaults, |body| &mut body.rulesets);
    hoist(&mut bodies, &mut defaults, |body| &mut body.requirements);
    hoist_keys(&mut bodies, &mut defaults, |body| &mut body.settings);
    hoist_keys(&mut bodies, &mut defaults, |body| &mut body.security);
    hoist_keys(&mut bodies, &mut defaults, |body| &mut body.actions);
    let first_prune = bodies.values().next().map(|body| body.prune.clone());
    if let Some(prune) = first_prune
        && bodies.values().all(|body| body.prune == prune)
    {
        defaults.prune = prune;
        for body in bodies.values_mut() {
            body.prune = Prune::default();
        }
    }
    bodies.retain(|_, body| !body.is_empty());
    Ok(OrgPolicy {
        version: 1,
        organization: organization.to_owned(),
        defaults,
        groups: IndexMap::new(),
        repositories: bodies,
        exclude: Vec::new(),
        written: serde_json::Value::Null,
    })
}

/// Moves every entry of one section that all bodies hold, equal, into `defaults`.
fn hoist<K: Ord + Clone, T: Clone + PartialEq>(
    bodies: &mut BTreeMap<RepositoryName, PolicyBody>,
    defaults: &mut PolicyBody,
    section: impl Fn(&mut PolicyBody) -> &mut BTreeMap<K, T>,
) {
    let Some(first) = bodies.values_mut().next().map(|body| section(body).clone()) else {
        return;
    };
    for (key, value) in first {
        let shared = bodies
            .values_mut()
            .all(|body| section(body).get(&key) == Some(&value));
        if shared {
            for body in bodies.values_mut() {
                section(body).remove(&key);
            }
            section(defaults).insert(key, value);
        }
    }
}

/// Moves every key of a repository-wide section (`settings`, `security`, `actions`) that
/// all bodies hold, equal, into `defaults`; a section left empty is dropped. Keys merge one
/// by one across layers, so a key hoisted alone gives back each repository's value.
fn hoist_keys<T: serde::Serialize + serde::de::DeserializeOwned>(
    bodies: &mut BTreeMap<RepositoryName, PolicyBody>,
    defaults: &mut PolicyBody,
    section: impl Fn(&mut PolicyBody) -> &mut Option<T>,
) {
    let as_map = |value: &Option<T>| -> serde_json::Map<String, serde_json::Value> {
        match value.as_ref().map(serde_json::to_value) {
            Some(Ok(serde_json::Value::Object(map))) => map,
            _ => serde_json::Map::new(),
        }
    };
    let from_map = |map: serde_json::Map<String, serde_json::Value>| -> Option<T> {
        if map.is_empty() {
            return None;
        }
        serde_json::from_value(serde_json::Value::Object(map)).ok()
    };
    let mut maps: Vec<serde_json::Map<String, serde_json::Value>> = bodies
        .values_mut()
        .map(|body| as_map(section(body)))
        .collect();
    let Some(first) = maps.first().cloned() else {
        return;
    };
    let mut shared = serde_json::Map::new();
    for (key, value) in first {
        if maps.iter().all(|map| map.get(&key) == Some(&value)) {
            for map in &mut maps {
                map.remove(&key);
            }
            shared.insert(key, value);
        }
    }
    for (body, map) in bodies.values_mut().zip(maps) {
        *section(body) = from_map(map);
    }
    *section(defaults) = from_map(shared);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Branch, Environment, PullRequestRules};
    use crate::org::merge::policy_for;

    fn reviewed(approvals: u8) -> Branch {
        Branch {
            pull_request: Some(PullRequestRules {
                required_approvals: approvals,
                ..PullRequestRules::default()
            }),
            enforce_admins: true,
            ..Branch::default()
        }
    }

    fn repository(branches: &[(&str, Branch)], environments: &[&str]) -> RepoSettings {
        let mut settings = RepoSettings::empty();
        settings.branches = branches
            .iter()
            .map(|(n, b)| (crate::testing::name(n), b.clone()))
            .collect();
        settings.environments = environments
            .iter()
            .map(|n| (crate::testing::name(n), Environment::default()))
            .collect();
        settings
    }

    #[test]
    fn blocks_every_repository_shares_go_to_defaults_and_the_rest_stays() {
        let repositories = BTreeMap::from([
            (
                "api".to_owned(),
                repository(
                    &[("main", reviewed(2)), ("dev", reviewed(1))],
                    &["production"],
                ),
            ),
            (
                "web".to_owned(),
                repository(
                    &[("main", reviewed(2)), ("dev", reviewed(0))],
                    &["production"],
                ),
            ),
            (
                "docs".to_owned(),
                repository(&[("main", reviewed(2))], &["production", "preview"]),
            ),
        ]);
        let policy = organisation_policy("acme", repositories.clone()).unwrap();
        assert_eq!(
            policy.defaults.branches.keys().collect::<Vec<_>>(),
            ["main"]
        );
        assert_eq!(
            policy.defaults.environments.keys().collect::<Vec<_>>(),
            ["production"]
        );
        assert_eq!(
            policy.repositories["api"]
                .branches
                .keys()
                .collect::<Vec<_>>(),
            ["dev"]
        );
        assert_eq!(
            policy.repositories["docs"]
                .environments
                .keys()
                .collect::<Vec<_>>(),
            ["preview"]
        );
        // Merged back, every repository gets exactly what it has.
        for (name, settings) in &repositories {
            let merged = policy_for(&policy, "acme", name, &BTreeMap::new()).unwrap();
            assert_eq!(merged.branches, settings.branches, "{name}");
            assert_eq!(merged.environments, settings.environments, "{name}");
        }
    }

    #[test]
    fn a_repository_with_nothing_of_its_own_has_no_entry() {
        let same = repository(&[("main", reviewed(1))], &[]);
        let policy = organisation_policy(
            "acme",
            BTreeMap::from([("a".to_owned(), same.clone()), ("b".to_owned(), same)]),
        )
        .unwrap();
        assert!(policy.repositories.is_empty());
        assert_eq!(policy.defaults.branches.len(), 1);
        assert!(
            organisation_policy("acme", BTreeMap::new())
                .unwrap()
                .defaults
                .is_empty()
        );
    }
}
