//! The repository-wide sections across an organisation policy's layers (DESIGN §12):
//! `security` switches and `actions` restrictions combine as floors — a security feature on
//! beats off, SHA pinning on beats off, `local_only`/`selected` beat `all`, `read` beats
//! `write`, `false` beats `true` for `can_approve_pull_requests` — so a later layer can
//! tighten them but never loosen them. The other keys (`enabled`, `selected`, every
//! `settings` key) merge as written.

use serde_json::{Map, Value};

use crate::protection::weakening::{ALLOWED_ACTIONS, WORKFLOW_PERMISSIONS};

/// The sections whose keys may be floors.
pub const SECTIONS: [&str; 2] = ["security", "actions"];

/// How strict a value of a floor key is (higher: stricter); `None` for a key that merges as
/// written, or a value gh-policy does not rank.
fn strictness(section: &str, key: &str, value: &Value) -> Option<usize> {
    let ranked = |order: &[&str]| {
        value
            .as_str()
            .and_then(|v| order.iter().position(|known| *known == v))
            .map(|position| order.len() - position)
    };
    match (section, key) {
        ("security", _) | ("actions", "sha_pinning_required") => value.as_bool().map(usize::from),
        ("actions", "can_approve_pull_requests") => value.as_bool().map(|on| usize::from(!on)),
        ("actions", "allowed_actions") => ranked(ALLOWED_ACTIONS),
        ("actions", "workflow_permissions") => ranked(WORKFLOW_PERMISSIONS),
        _ => None,
    }
}

/// Returns true when `later` is looser than `earlier` for a floor key.
pub fn looser(section: &str, key: &str, earlier: &Value, later: &Value) -> bool {
    match (
        strictness(section, key, earlier),
        strictness(section, key, later),
    ) {
        (Some(earlier), Some(later)) => later < earlier,
        _ => false,
    }
}

/// Merges a layer's section into what the earlier layers made: a floor key keeps the
/// stricter value, any other key takes the layer's.
pub fn merge_section(section: &str, merged: &mut Map<String, Value>, layer: Map<String, Value>) {
    for (key, value) in layer {
        match merged.get(&key) {
            Some(earlier) if looser(section, &key, earlier, &value) => {}
            _ => {
                merged.insert(key, value);
            }
        }
    }
}

/// Every floor key of `later` that is looser than `earlier`'s: `(section.key, asked,
/// written)`.
pub fn loosened(
    earlier: &Map<String, Value>,
    later: &Map<String, Value>,
) -> Vec<(String, Value, Value)> {
    let mut found = Vec::new();
    for section in SECTIONS {
        let (Some(Value::Object(asked)), Some(Value::Object(written))) =
            (earlier.get(section), later.get(section))
        else {
            continue;
        };
        for (key, value) in written {
            if let Some(floor) = asked.get(key)
                && looser(section, key, floor, value)
            {
                found.push((format!("{section}.{key}"), floor.clone(), value.clone()));
            }
        }
    }
    found
}
