//! An organisation policy migrates layer by layer — `defaults`, each group's `policy`, each
//! `repositories` entry. A branch's classic protection declared in one layer only becomes
//! rulesets in that same layer, so every repository that gets the layer gets the same
//! rulesets: `defaults` where every repository gets them, a `repositories` entry for its one
//! repository. A branch declared in several layers merges key by key across them, and is
//! left as it was, naming the layers. Each layer is proven on its own, offline (the layers
//! of one repository never declare the same branch, so its proof is the layer's).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Migration, Request, Stopped, Today, layer, migrate};
use crate::model::live::LiveState;
use crate::model::{OrgPolicy, PolicyBody, RepoSettings};
use crate::policy::Segment;

/// One layer's migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    /// The layer as the account names it: `defaults`, `groups.NAME.policy`,
    /// `repositories.NAME`.
    pub label: String,
    /// Where it is in the file.
    pub path: Vec<Segment>,
    /// What happened in it.
    pub migration: Migration,
}

/// Where a layer is: its label, its path in the file, its body.
type Place<'a> = (String, Vec<Segment>, &'a PolicyBody);

/// Migrates every layer; returns the new policy, each layer that has something to say,
/// and the branches asked for that no layer protects.
pub fn migrate_org(
    policy: &OrgPolicy,
    document: &Value,
    request: &Request,
    now: time::OffsetDateTime,
) -> (OrgPolicy, Vec<Layer>, Vec<Stopped>) {
    let layers = places(policy);
    let mut declared: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (label, _, body) in &layers {
        for branch in body.branches.keys() {
            declared.entry(branch).or_default().push(label);
        }
    }
    // Every name a ruleset has anywhere: a new one in a layer that shares repositories
    // with another must not merge with that layer's ruleset of the same name.
    let mut shared: BTreeSet<String> = layers
        .iter()
        .flat_map(|(_, _, body)| body.rulesets.keys().map(|n| n.to_lowercase()))
        .collect();
    let mut new_policy = policy.clone();
    let mut done = Vec::new();
    for (label, path, body) in &layers {
        let Some(migration) = migrate_layer(body, path, document, &declared, &shared, request, now)
        else {
            continue;
        };
        // Repositories' entries never share a repository with each other.
        if path.first() != Some(&Segment::Key("repositories".to_owned())) {
            shared.extend(migration.rulesets.iter().map(|r| r.name.to_lowercase()));
        }
        if let Some(target) = body_mut(&mut new_policy, path) {
            target.branches.clone_from(&migration.settings.branches);
            target.rulesets.clone_from(&migration.settings.rulesets);
        }
        done.push(Layer {
            label: label.clone(),
            path: path.clone(),
            migration,
        });
    }
    let unknown = request
        .branches
        .iter()
        .filter(|b| {
            !layers
                .iter()
                .any(|(_, _, body)| body.branches.get(b.as_str()).is_some_and(|x| x.protected))
        })
        .map(|b| Stopped {
            branch: b.clone(),
            reasons: vec!["no layer of the policy declares classic protection for it".to_owned()],
            proof: None,
        })
        .collect();
    (new_policy, done, unknown)
}

/// Returns the layers in the order they apply: `defaults`, the groups, the entries.
fn places(policy: &OrgPolicy) -> Vec<Place<'_>> {
    let key = |k: &str| Segment::Key(k.to_owned());
    let mut layers: Vec<Place<'_>> = vec![(
        "defaults".to_owned(),
        vec![key("defaults")],
        &policy.defaults,
    )];
    for (name, group) in &policy.groups {
        layers.push((
            format!("groups.{name}.policy"),
            vec![key("groups"), key(name), key("policy")],
            &group.policy,
        ));
    }
    for (name, body) in &policy.repositories {
        layers.push((
            format!("repositories.{name}"),
            vec![key("repositories"), key(name)],
            body,
        ));
    }
    layers
}

/// Migrates one layer's branches that no other layer declares, and names those another
/// does; `None` when the layer protects none of the branches asked for.
fn migrate_layer(
    body: &PolicyBody,
    path: &[Segment],
    document: &Value,
    declared: &BTreeMap<&str, Vec<&str>>,
    shared: &BTreeSet<String>,
    request: &Request,
    now: time::OffsetDateTime,
) -> Option<Migration> {
    let settings = settings_of(body);
    let order = layer::branch_order(document, path);
    let (alone, elsewhere): (Vec<String>, Vec<String>) = order
        .iter()
        .filter(|b| {
            settings
                .branches
                .get(b.as_str())
                .is_some_and(|b| b.protected)
        })
        .filter(|b| request.branches.is_empty() || request.branches.contains(b))
        .cloned()
        .partition(|b| declared.get(b.as_str()).is_some_and(|l| l.len() == 1));
    if alone.is_empty() && elsewhere.is_empty() {
        return None;
    }
    let mut migration = if alone.is_empty() {
        Migration::nothing(settings.clone(), request.evaluate)
    } else {
        let live = LiveState::from_settings(settings.clone());
        let today = Today {
            live: &live,
            read: false,
            taken: shared.clone(),
            now,
        };
        let asked = Request {
            branches: alone,
            evaluate: request.evaluate,
        };
        migrate(&settings, &order, &today, &asked)
    };
    for branch in elsewhere {
        let layers = declared.get(branch.as_str()).cloned().unwrap_or_default();
        migration.stopped.push(Stopped {
            reasons: vec![format!(
                "it is declared in several layers ({}), whose settings merge key by key: give it one declaration first",
                layers.join(", ")
            )],
            branch,
            proof: None,
        });
    }
    migration
        .stopped
        .sort_by_key(|s| order.iter().position(|b| *b == s.branch));
    Some(migration)
}

/// A layer as a repository policy, for the migration and its proof.
fn settings_of(body: &PolicyBody) -> RepoSettings {
    RepoSettings {
        version: 1,
        repository: None,
        branches: body.branches.clone(),
        environments: body.environments.clone(),
        rulesets: body.rulesets.clone(),
        requirements: body.requirements.clone(),
        settings: body.settings.clone(),
        security: body.security.clone(),
        actions: body.actions.clone(),
        exceptions: body.exceptions.clone(),
        prune: body.prune.clone(),
    }
}

/// The body of the layer at `path`.
fn body_mut<'a>(policy: &'a mut OrgPolicy, path: &[Segment]) -> Option<&'a mut PolicyBody> {
    match path {
        [Segment::Key(top)] if top == "defaults" => Some(&mut policy.defaults),
        [Segment::Key(top), Segment::Key(name), _] if top == "groups" => {
            policy.groups.get_mut(name.as_str()).map(|g| &mut g.policy)
        }
        [Segment::Key(top), Segment::Key(name)] if top == "repositories" => {
            policy.repositories.get_mut(name.as_str())
        }
        _ => None,
    }
}
