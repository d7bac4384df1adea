//! A repository's policy from an organisation policy's layers: `defaults`, then each group
//! that selects it (in file order), then its `repositories` entry. Maps merge by key; a
//! scalar or a list replaces; requirements combine as floors, the stricter winning — so a
//! later layer can tighten a requirement but never loosen it (`loosenings` finds the entries
//! that try, for `validate`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::select::selects;
use crate::model::{Group, OrgPolicy, PolicyBody, RepoSettings, Requirement};

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
    let mut layers: Vec<Layer<'_>> = vec![Layer::new(policy, "/defaults", &policy.defaults)];
    layers.extend(
        selecting_groups(policy, name, properties).map(|(group_name, group)| {
            Layer::new(
                policy,
                &format!("/groups/{}/policy", escape(group_name)),
                &group.policy,
            )
        }),
    );
    if let Some(entry) = policy.repositories.get(name) {
        layers.push(Layer::new(
            policy,
            &format!("/repositories/{}", escape(name)),
            entry,
        ));
    }
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

/// Returns the groups that select the repository `name`, in file order.
pub fn selecting_groups<'a>(
    policy: &'a OrgPolicy,
    name: &str,
    properties: &BTreeMap<String, Vec<String>>,
) -> impl Iterator<Item = (&'a String, &'a Group)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{PolicyFile, parse_any};

    fn org(text: &str) -> OrgPolicy {
        match parse_any("org.yaml", text) {
            Ok((PolicyFile::Organization(policy), _)) => *policy,
            Ok(_) => panic!("not an organisation policy"),
            Err(err) => panic!("{err}"),
        }
    }

    fn for_repo(policy: &OrgPolicy, name: &str, tier: Option<&str>) -> RepoSettings {
        let properties = tier
            .map(|t| BTreeMap::from([("tier".to_owned(), vec![t.to_owned()])]))
            .unwrap_or_default();
        policy_for(policy, "acme", name, &properties).unwrap()
    }

    const LAYERS: &str = "version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 1, dismiss_stale_reviews: true }
      enforce_admins: true
  requirements:
    main: { required_approvals: 1, required_checks: [ci] }
groups:
  critical:
    select: { properties: { tier: critical } }
    policy:
      branches:
        main:
          pull_request: { required_approvals: 2 }
      requirements:
        main: { required_approvals: 2, block_force_pushes: true, required_checks: [security] }
repositories:
  legacy:
    branches:
      main:
        enforce_admins: false
";

    #[test]
    fn maps_merge_by_key_and_a_value_written_replaces_even_when_it_is_the_default() {
        let policy = org(LAYERS);
        let plain = for_repo(&policy, "web", None);
        let main = &plain.branches["main"];
        assert!(main.enforce_admins);
        assert_eq!(main.pull_request.as_ref().unwrap().required_approvals, 1);
        // The group writes only the count: the rest of `pull_request` stays.
        let critical = for_repo(&policy, "pay", Some("critical"));
        let pull_request = critical.branches["main"].pull_request.clone().unwrap();
        assert_eq!(pull_request.required_approvals, 2);
        assert!(pull_request.dismiss_stale_reviews);
        // `enforce_admins: false` as written replaces `true`, though false is the default.
        let legacy = for_repo(&policy, "legacy", None);
        assert!(!legacy.branches["main"].enforce_admins);
        assert_eq!(legacy.repository.as_deref(), Some("acme/legacy"));
    }

    #[test]
    fn requirements_combine_as_floors_the_stricter_winning() {
        let policy = org(LAYERS);
        let critical = &for_repo(&policy, "pay", Some("critical")).requirements["main"];
        assert_eq!(critical.required_approvals, 2);
        assert!(critical.block_force_pushes);
        let checks: Vec<&str> = critical
            .required_checks
            .iter()
            .map(|c| c.context.as_str())
            .collect();
        assert_eq!(checks, ["ci", "security"]);
        let plain = &for_repo(&policy, "web", None).requirements["main"];
        assert_eq!(plain.required_approvals, 1);
        assert!(!plain.block_force_pushes);
    }

    #[test]
    fn a_repository_entry_or_group_writing_a_requirement_lower_is_a_loosening() {
        let text = "version: 1
organization: acme
defaults:
  requirements:
    main: { required_approvals: 2, block_force_pushes: true }
groups:
  lax:
    select: { names: [\"svc-*\"] }
    policy:
      requirements:
        main: { block_force_pushes: false }
repositories:
  svc-a:
    requirements:
      main: { required_approvals: 3 }
  web:
    requirements:
      main: { required_approvals: 1 }
";
        let err = parse_any("org.yaml", text).unwrap_err();
        let messages: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(
            messages[0].starts_with("org.yaml:11:") && messages[0].contains("block_force_pushes"),
            "{messages:#?}"
        );
        assert!(
            messages[1].starts_with("org.yaml:18:") && messages[1].contains("required_approvals"),
            "{messages:#?}"
        );
    }

    #[test]
    fn layers_that_do_not_make_a_policy_are_an_error_not_an_empty_policy() {
        let policy = org("version: 1
organization: acme
defaults:
  environments:
    production: { wait_timer: 5 }
repositories:
  web:
    environments:
      production: { wait_timer: 7 }
");
        // The loader refuses a value of the wrong type in any one layer, so the clash is
        // made in code: what must not happen is a silently empty policy.
        let mut clash = policy;
        clash.written["repositories"]["web"]["environments"]["production"]["wait_timer"] =
            serde_json::json!("soon");
        let err = policy_for(&clash, "acme", "web", &BTreeMap::new()).unwrap_err();
        assert!(
            err.contains("acme/web") && err.contains("do not merge"),
            "{err}"
        );
    }

    #[test]
    fn a_merged_policy_that_breaks_a_rule_of_the_whole_is_refused() {
        // Each layer is fine alone; together they name one environment twice (GitHub
        // matches environment names without case), which would never converge.
        let policy = org("version: 1
organization: acme
defaults:
  environments:
    production: { wait_timer: 5 }
repositories:
  web:
    environments:
      Production: { wait_timer: 5 }
");
        let err = policy_for(&policy, "acme", "web", &BTreeMap::new()).unwrap_err();
        assert!(
            err.contains("acme/web") && err.contains("breaks a rule"),
            "{err}"
        );
        assert!(policy_for(&policy, "acme", "api", &BTreeMap::new()).is_ok());
    }
}
