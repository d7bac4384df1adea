//! A repository's policy from an organisation policy's layers: `defaults`, then each group
//! that selects it (in file order), then its `repositories` entry. Maps merge by key; a
//! scalar or a list replaces; requirements combine as floors, the stricter winning — so a
//! later layer can tighten a requirement but never loosen it (`loosenings` finds the entries
//! that try, for `validate`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::select::selects;
use crate::model::{OrgPolicy, PolicyBody, RepoSettings, Requirement};

/// Returns the policy a repository gets. `properties` are its custom property values
/// (name → values; one for single-select properties).
pub fn policy_for(
    policy: &OrgPolicy,
    owner: &str,
    name: &str,
    properties: &BTreeMap<String, Vec<String>>,
) -> RepoSettings {
    let mut layers: Vec<&PolicyBody> = vec![&policy.defaults];
    layers.extend(
        policy
            .groups
            .values()
            .filter(|group| selects(&group.select, name, properties))
            .map(|group| &group.policy),
    );
    if let Some(entry) = policy.repositories.get(name) {
        layers.push(entry);
    }
    let body = merge(&layers);
    RepoSettings {
        version: 1,
        repository: Some(format!("{owner}/{name}")),
        branches: body.branches,
        environments: body.environments,
        rulesets: body.rulesets,
        requirements: body.requirements,
        exceptions: body.exceptions,
        prune: body.prune,
    }
}

/// Merges the layers in order.
pub fn merge(layers: &[&PolicyBody]) -> PolicyBody {
    let mut merged = Value::Object(Map::new());
    let mut requirements: BTreeMap<String, Requirement> = BTreeMap::new();
    for layer in layers {
        for (branch, requirement) in &layer.requirements {
            let floor = requirements.remove(branch).unwrap_or_default();
            requirements.insert(branch.clone(), floor.stricter(requirement));
        }
        let mut value = serde_json::to_value(layer).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.remove("requirements");
        }
        deep_merge(&mut merged, value);
    }
    let mut body: PolicyBody = serde_json::from_value(merged).unwrap_or_default();
    body.requirements = requirements;
    body
}

/// Merges `layer` into `base`: objects by key, recursively; anything else replaces.
fn deep_merge(base: &mut Value, layer: Value) {
    match (base, layer) {
        (Value::Object(base), Value::Object(layer)) => {
            for (key, value) in layer {
                match base.get_mut(&key) {
                    Some(existing) => deep_merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, layer) => *base = layer,
    }
}

/// A requirement a later layer writes lower than an earlier one asks: its dotted path in
/// the policy file and the message.
pub type Loosening = (String, String);

/// Returns every requirement a group or a `repositories` entry writes lower than
/// `defaults` (or, for an entry, than a group its name alone selects) asks. Works on the
/// document as written: a `false` that was written is a loosening; one left out is not.
pub fn loosenings(policy: &OrgPolicy, document: &Value) -> Vec<Loosening> {
    let requirements = |pointer: &str| {
        document
            .pointer(pointer)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let defaults = requirements("/defaults/requirements");
    let mut found = Vec::new();
    for name in policy.groups.keys() {
        let later = requirements(&format!("/groups/{}/policy/requirements", escape(name)));
        compare(
            &defaults,
            "defaults",
            &later,
            &format!("groups.{name}.policy"),
            &mut found,
        );
    }
    for name in policy.repositories.keys() {
        let later = requirements(&format!("/repositories/{}/requirements", escape(name)));
        let path = format!("repositories.{name}");
        compare(&defaults, "defaults", &later, &path, &mut found);
        for (group_name, group) in &policy.groups {
            // A group that selects by name alone is known to apply.
            if group.select.properties.is_empty() && selects(&group.select, name, &BTreeMap::new())
            {
                let earlier = requirements(&format!(
                    "/groups/{}/policy/requirements",
                    escape(group_name)
                ));
                compare(
                    &earlier,
                    &format!("group `{group_name}`"),
                    &later,
                    &path,
                    &mut found,
                );
            }
        }
    }
    found
}

/// Escapes a key for a JSON pointer.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn compare(
    earlier: &Map<String, Value>,
    earlier_name: &str,
    later: &Map<String, Value>,
    later_path: &str,
    found: &mut Vec<Loosening>,
) {
    for (branch, wanted) in later {
        let (Some(floor), Some(wanted)) = (
            earlier.get(branch).and_then(Value::as_object),
            wanted.as_object(),
        ) else {
            continue;
        };
        for (key, value) in wanted {
            let Some(asked) = floor.get(key) else {
                continue;
            };
            let looser = match (asked, value) {
                (Value::Number(asked), Value::Number(value)) => value.as_u64() < asked.as_u64(),
                (Value::Bool(true), Value::Bool(false)) => true,
                _ => false,
            };
            if looser {
                found.push((
                    format!("{later_path}.requirements.{branch}.{key}"),
                    format!(
                        "requirements only tighten: {earlier_name} asks `{key}: {asked}` on `{branch}`; this writes `{value}`"
                    ),
                ));
            }
        }
    }
}
