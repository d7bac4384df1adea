//! What `validate` says about exceptions: `expires` must be a date or time at most 90 days
//! away, and `path` must name something the policy manages — the address one of its own
//! keys, the setting one that kind of resource has. An expired exception is a warning,
//! never an error: policy files live long.

use serde_json::Value;
use time::OffsetDateTime;

use super::{expires_at, resolve};
use crate::model::RepoSettings;
use crate::output::untrusted::quote;
use crate::plan::{Address, SettingPath};

/// How far ahead an exception may expire.
pub const MAX_DAYS: i64 = 90;

/// One problem, at a dotted path of the policy file.
pub type Problem = (String, String);

/// Returns the errors and the warnings of the policy's exceptions.
pub fn check(policy: &RepoSettings, now: OffsetDateTime) -> (Vec<Problem>, Vec<String>) {
    let schema = crate::policy::json_schema_value::<RepoSettings>();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (i, exception) in policy.exceptions.iter().enumerate() {
        let at = |key: &str| format!("exceptions.{i}.{key}");
        if exception.reason.trim().is_empty() {
            errors.push((at("reason"), "an exception needs a `reason`".to_owned()));
        }
        match expires_at(&exception.expires) {
            Err(message) => errors.push((at("expires"), message)),
            Ok(until) if until - now > time::Duration::days(MAX_DAYS) => errors.push((
                at("expires"),
                format!(
                    "an exception may last at most {MAX_DAYS} days; {} is {} days away",
                    quote(&exception.expires),
                    (until - now).whole_days()
                ),
            )),
            Ok(until) if until <= now => warnings.push(format!(
                "the exception for {} expired on {}: its drift counts again",
                quote(&super::subject(exception)),
                exception.expires
            )),
            Ok(_) => {}
        }
        if let Some(problem) = super::finding_problem(exception) {
            errors.push((at(problem.0), problem.1));
            continue;
        }
        if exception.finding.is_some() {
            continue;
        }
        match resolve(&exception.path, policy) {
            None => errors.push((
                at("path"),
                format!(
                    "{} names nothing in the policy: write a plan address such as `branches.main`, optionally followed by a setting",
                    quote(&exception.path)
                ),
            )),
            Some(named) => {
                if let Some(setting) = &named.setting
                    && !setting_exists(&schema, policy, &named.address, setting)
                {
                    errors.push((
                        at("path"),
                        format!(
                            "{} has no setting {}",
                            quote(&named.address.to_string()),
                            quote(&setting.to_string())
                        ),
                    ));
                }
            }
        }
    }
    (errors, warnings)
}

/// Returns true when a resource of that kind has the setting: walks the policy schema, or
/// for the sub-resources of environments, the one value they have.
fn setting_exists(
    schema: &Value,
    policy: &RepoSettings,
    address: &Address,
    setting: &SettingPath,
) -> bool {
    let keys: Vec<&str> = setting.keys().iter().map(String::as_str).collect();
    let (section, name) = match address {
        Address::Variable { .. } => return keys == ["value"],
        Address::Secret { .. } | Address::DeploymentPattern { .. } => return false,
        Address::Settings => ("settings", None),
        Address::Security => ("security", None),
        Address::Actions => ("actions", None),
        Address::Branch(name) => ("branches", Some(name)),
        Address::Environment(name) => ("environments", Some(name)),
        Address::Requirement(name) => ("requirements", Some(name)),
        Address::Ruleset(name) => {
            if let ["rules", "other", kind, ..] = keys.as_slice() {
                return policy
                    .rulesets
                    .get(name.as_str())
                    .is_some_and(|r| r.rules.other.iter().any(|o| o.kind == *kind));
            }
            ("rulesets", Some(name))
        }
    };
    let mut path = vec![section];
    if name.is_some() {
        path.push("*");
    }
    path.extend(keys);
    walk(schema, schema, &path)
}

/// Follows object properties (and map values, `*`) through the schema.
fn walk(root: &Value, node: &Value, path: &[&str]) -> bool {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let target = reference
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer));
        return target.is_some_and(|target| walk(root, target, path));
    }
    let Some((first, rest)) = path.split_first() else {
        return true;
    };
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = node.get(key).and_then(Value::as_array)
            && options.iter().any(|option| walk(root, option, path))
        {
            return true;
        }
    }
    if *first == "*" {
        return node
            .get("additionalProperties")
            .filter(|v| v.is_object())
            .is_some_and(|values| walk(root, values, rest));
    }
    node.get("properties")
        .and_then(|p| p.get(*first))
        .is_some_and(|property| walk(root, property, rest))
}
