//! What `apply` writes when exceptions accept part of the drift: an excepted setting stays
//! as it is live. A change excepted whole gets no write; a change excepted in part gets the
//! write of the policy with the excepted settings set to their live values.

use serde_json::Value;

use super::{SecretSources, compare};
use crate::live::LiveState;
use crate::model::RepoSettings;
use crate::plan::Plan;

/// Rewrites the targets of the plan's excepted changes.
pub fn withhold(
    plan: &mut Plan,
    desired: &RepoSettings,
    live: &LiveState,
    sources: &SecretSources,
) {
    let mut settings = Vec::new();
    let mut partial = Vec::new();
    for (index, change) in plan.changes.iter_mut().enumerate() {
        if change.excepted {
            change.target = None;
            continue;
        }
        let excepted: Vec<&str> = change
            .diffs
            .iter()
            .filter(|d| d.excepted.is_some())
            .map(|d| d.path.as_str())
            .collect();
        if excepted.is_empty() {
            continue;
        }
        partial.push(index);
        settings.extend(
            excepted
                .into_iter()
                .map(|path| (change.address.clone(), path.to_owned())),
        );
    }
    if partial.is_empty() {
        return;
    }
    let relaxed = patched(desired, &live.settings, &settings);
    let replanned = relaxed.map(|relaxed| compare(&plan.repository, &relaxed, live, sources));
    for index in partial {
        let change = &mut plan.changes[index];
        change.target = if let Some(replanned) = &replanned {
            replanned
                .changes
                .iter()
                .find(|c| c.address == change.address)
                .and_then(|c| c.target.clone())
        } else {
            // The settings could not be set to their live values: write nothing of this
            // change rather than the excepted setting.
            change.applicable = false;
            change.reason = Some(
                "an exception holds back part of it, and the rest cannot be written without it"
                    .to_owned(),
            );
            None
        };
    }
}

/// Returns the policy with each `(address, setting)` set to its live value.
fn patched(
    desired: &RepoSettings,
    live: &RepoSettings,
    settings: &[(String, String)],
) -> Option<RepoSettings> {
    let mut policy = serde_json::to_value(desired).ok()?;
    let live = serde_json::to_value(live).ok()?;
    for (address, setting) in settings {
        let (section, name) = address.split_once('.')?;
        let mut path: Vec<String> = vec![section.to_owned(), name.to_owned()];
        path.extend(setting.split('.').map(str::to_owned));
        let live_name = live
            .get(section)
            .and_then(Value::as_object)
            .and_then(|m| m.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned())
            .unwrap_or_else(|| name.to_owned());
        let mut live_path = path.clone();
        live_path[1] = live_name;
        let value = get(&live, &live_path).cloned();
        set(&mut policy, &path, value)?;
    }
    serde_json::from_value(policy).ok()
}

fn get<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, key| node.get(key))
}

/// Sets (or, for `None`, removes) the value at `path`, creating objects on the way.
fn set(value: &mut Value, path: &[String], new: Option<Value>) -> Option<()> {
    let (last, parents) = path.split_last()?;
    let mut node = value;
    for key in parents {
        let map = node.as_object_mut()?;
        node = map
            .entry(key.clone())
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if node.is_null() {
            *node = Value::Object(serde_json::Map::new());
        }
    }
    let map = node.as_object_mut()?;
    match new {
        Some(new) => {
            map.insert(last.clone(), new);
        }
        None => {
            map.remove(last);
        }
    }
    Some(())
}
