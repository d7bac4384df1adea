//! A repository's policy from an organisation policy's layers: `defaults`, then each group
//! that selects it (in file order), then its `repositories` entry. Maps merge by key; a
//! scalar or a list replaces; requirements combine as floors, the stricter winning — so a
//! later layer can tighten a requirement but never loosen it (`loosenings` finds the entries
//! that try, for `validate`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

mod floors;

use super::select::selects;
use crate::model::names::Text;
use crate::model::{Group, OrgPolicy, PolicyBody, RepoSettings, Requirement};
use crate::policy::Segment;

/// Returns the layers that apply to a repository, in the order they apply: `defaults`, each
/// group that selects it (in file order), its `repositories` entry; each with its path in
/// the policy file.
pub fn layers_of<'a>(
    policy: &'a OrgPolicy,
    name: &str,
    properties: &BTreeMap<String, Vec<String>>,
) -> Vec<(Vec<Segment>, &'a PolicyBody)> {
    let mut layers = vec![(vec![Segment::from("defaults")], &policy.defaults)];
    layers.extend(
        selecting_groups(policy, name, properties).map(|(group_name, group)| {
            (
                vec!["groups".into(), group_name.as_str().into(), "policy".into()],
                &group.policy,
            )
        }),
    );
    if let Some(entry) = policy.repositories.get(name) {
        layers.push((vec!["repositories".into(), name.into()], entry));
    }
    layers
}

/// Returns the policy a repository gets. `properties` are its custom property values
/// (name → values; one for single-select properties). Fails, saying why, when the merged
/// layers do not make a policy (a value of one type in one layer and another in the next)
/// or break a rule that ties keys together (a secret listed twice, say).
pub fn policy_for(
    policy: &OrgPolicy,
    owner: &str,
    name: &str,
    properties: &BTreeMap<String, Vec<String>>,
) -> Result<RepoSettings, String> {
    let layers: Vec<Layer<'_>> = layers_of(policy, name, properties)
        .into_iter()
        .map(|(path, body)| Layer::new(policy, &pointer(&path), body))
        .collect();
    let body = merge(&layers).map_err(|err| {
        format!("the layers that apply to {owner}/{name} do not merge into a policy: {err}")
    })?;
    let settings = RepoSettings {
        version: 1,
        repository: Some(format!("{owner}/{name}")),
        branches: body.branches,
        environments: body.environments,
        rulesets: body.rulesets,
        requirements: body.requirements,
        settings: body.settings,
        security: body.security,
        actions: body.actions,
        exceptions: body.exceptions,
        prune: body.prune,
    };
    // Each layer met the schema; the rules that tie keys together hold only for the whole.
    let problems = crate::policy::rule_problems(&settings);
    if problems.is_empty() {
        Ok(settings)
    } else {
        Err(format!(
            "the policy {owner}/{name} gets from its layers breaks a rule: {}",
            problems.join("; ")
        ))
    }
}

/// A path as a JSON pointer.
fn pointer(path: &[Segment]) -> String {
    path.iter()
        .map(|segment| match segment {
            Segment::Key(key) => format!("/{}", escape(key)),
            Segment::Index(index) => format!("/{index}"),
        })
        .collect()
}

/// Returns the groups that select the repository `name`, in file order.
pub fn selecting_groups<'a>(
    policy: &'a OrgPolicy,
    name: &str,
    properties: &BTreeMap<String, Vec<String>>,
) -> impl Iterator<Item = (&'a Text, &'a Group)> {
    policy
        .groups
        .iter()
        .filter(move |(_, group)| selects(&group.select, name, properties))
}

/// One layer: its body, and the same as written in the file (`Null` when not read from one).
pub struct Layer<'a> {
    body: &'a PolicyBody,
    written: Value,
}

impl<'a> Layer<'a> {
    /// The layer at `pointer` of the policy's document.
    fn new(policy: &OrgPolicy, pointer: &str, body: &'a PolicyBody) -> Self {
        let written = policy
            .written
            .pointer(pointer)
            .cloned()
            .unwrap_or(Value::Null);
        Self { body, written }
    }

    /// A layer built in code.
    pub fn of(body: &'a PolicyBody) -> Self {
        Self {
            body,
            written: Value::Null,
        }
    }
}

/// Merges the layers in order: maps by key, a value or a list replacing (as written, when
/// read from a file); requirements as floors.
pub fn merge(layers: &[Layer<'_>]) -> Result<PolicyBody, serde_json::Error> {
    let mut merged = Value::Object(Map::new());
    let mut requirements: BTreeMap<String, Requirement> = BTreeMap::new();
    for layer in layers {
        for (branch, requirement) in &layer.body.requirements {
            let floor = requirements.remove(branch).unwrap_or_default();
            requirements.insert(branch.clone(), floor.stricter(requirement));
        }
        let mut value = if layer.written.is_object() {
            layer.written.clone()
        } else {
            serde_json::to_value(layer.body)?
        };
        if let Value::Object(map) = &mut value {
            map.remove("requirements");
            // `security` and `actions`: floors, key by key.
            for section in floors::SECTIONS {
                if let Some(Value::Object(layer)) = map.remove(section)
                    && let Value::Object(merged) = &mut merged
                    && let Value::Object(so_far) = merged
                        .entry(section)
                        .or_insert_with(|| Value::Object(Map::new()))
                {
                    floors::merge_section(section, so_far, layer);
                }
            }
        }
        deep_merge(&mut merged, value);
    }
    let mut body: PolicyBody = serde_json::from_value(merged)?;
    body.requirements = requirements;
    Ok(body)
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
    found.extend(section_loosenings(policy, document));
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

/// Every `security` or `actions` key a group or a `repositories` entry writes looser than
/// `defaults` (or, for an entry, than a group its name alone selects) asks.
fn section_loosenings(policy: &OrgPolicy, document: &Value) -> Vec<Loosening> {
    let body = |pointer: &str| {
        document
            .pointer(pointer)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let defaults = body("/defaults");
    let mut found = Vec::new();
    let mut check = |earlier: &Map<String, Value>,
                     earlier_name: &str,
                     later_pointer: &str,
                     later_path: &str| {
        let plain = |value: &Value| {
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned)
        };
        for (key, asked, written) in floors::loosened(earlier, &body(later_pointer)) {
            let (asked, written) = (plain(&asked), plain(&written));
            found.push((
                format!("{later_path}.{key}"),
                format!(
                    "security and actions settings only tighten: {earlier_name} asks `{key}: {asked}`; this writes `{written}`"
                ),
            ));
        }
    };
    for name in policy.groups.keys() {
        let pointer = format!("/groups/{}/policy", escape(name));
        check(
            &defaults,
            "defaults",
            &pointer,
            &format!("groups.{name}.policy"),
        );
    }
    for name in policy.repositories.keys() {
        let pointer = format!("/repositories/{}", escape(name));
        let path = format!("repositories.{name}");
        check(&defaults, "defaults", &pointer, &path);
        for (group_name, group) in &policy.groups {
            if group.select.properties.is_empty() && selects(&group.select, name, &BTreeMap::new())
            {
                let earlier = body(&format!("/groups/{}/policy", escape(group_name)));
                check(&earlier, &format!("group `{group_name}`"), &pointer, &path);
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

#[cfg(test)]
mod tests;
