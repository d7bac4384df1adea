//! A ruleset's write with settings an exception accepts held at their live values.
//!
//! Rulesets are still written through their policy form (`model::Ruleset`), whose keys are
//! the paths the diff shows: a held setting is copied from the live ruleset's form, key by
//! key, inside this one ruleset. Once rulesets are typed end to end, this becomes a typed
//! hold like the other resources'.

use serde_json::{Map, Value};

use super::{live_id, put};
use crate::model::Ruleset;
use crate::model::live::LiveState;
use crate::plan::{RulesetWrite, SettingPath, Target};

/// Returns the write of the ruleset `name` with the `held` settings at their live values;
/// `None` when they cannot be held (the ruleset would not read back).
pub(in crate::plan::diff) fn held(
    name: &str,
    want: &Ruleset,
    held: &[SettingPath],
    live: &LiveState,
) -> Option<Target> {
    let have = live.settings.rulesets.get(name);
    let mut relaxed = serde_json::to_value(want).ok()?;
    let have = have.map_or(Ok(Value::Null), serde_json::to_value).ok()?;
    for path in held {
        let value = path
            .keys()
            .iter()
            .try_fold(&have, |node, key| node.get(key))
            .cloned();
        set(&mut relaxed, path.keys(), value)?;
    }
    let relaxed: Ruleset = serde_json::from_value(relaxed).ok()?;
    let write = match live.settings.rulesets.get(name) {
        None => RulesetWrite::Create(Box::new(put(&relaxed, None, live).ok()?)),
        Some(_) => RulesetWrite::Update {
            id: live_id(live, name).ok()?,
            put: Box::new(put(&relaxed, Some(name), live).ok()?),
        },
    };
    Some(Target::Ruleset {
        name: name.to_owned(),
        write,
    })
}

/// Sets (or, for `None`, removes) the value at `path`, creating sections on the way.
fn set(value: &mut Value, path: &[String], new: Option<Value>) -> Option<()> {
    let (last, parents) = path.split_last()?;
    let mut node = value;
    for key in parents {
        if node.is_null() {
            *node = Value::Object(Map::new());
        }
        node = node
            .as_object_mut()?
            .entry(key.clone())
            .or_insert(Value::Null);
    }
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    let map = node.as_object_mut()?;
    match new {
        Some(new) => map.insert(last.clone(), new),
        None => map.remove(last),
    };
    Some(())
}
