//! Settings flattened into leaves — `(setting path, JSON value)` pairs in policy terms — and
//! compared path by path into the `FieldDiff`s a person reads.
//!
//! This is the display side of a diff only: nothing that writes reads these paths (each
//! resource's file names its settings; requirements build their `FieldDiff`s in
//! `requirement.rs`). Set-like lists are sorted and deduplicated and names
//! lower-cased before they become leaves, so order, duplicates and case never show. Each
//! leaf says how its setting protects (`weakening::Protects`), so that every difference
//! knows whether it lowers protection.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::plan::{FieldDiff, SettingPath};
use crate::protection::weakening::{self, Protects, Side};

/// One setting: where it is, its value, and GitHub's default for it (a setting missing on
/// one side and at its default on the other is no difference worth showing: a section that
/// is off, or a resource that does not exist yet).
#[derive(Debug, Clone)]
pub struct Leaf {
    /// The setting, from the resource, e.g. `pull_request.required_approvals`.
    pub path: SettingPath,
    /// The value.
    pub value: Value,
    /// GitHub's default, if the setting has one.
    pub default: Option<Value>,
    /// How the setting protects.
    pub protects: Protects,
}

impl Leaf {
    /// Returns the leaf as `weakening` weighs it.
    fn side(&self) -> Side<'_> {
        Side {
            value: &self.value,
            protects: self.protects,
        }
    }
}

/// The leaves of one resource, in the order they are shown.
#[derive(Debug, Clone, Default)]
pub struct Leaves(Vec<Leaf>);

impl Leaves {
    /// Adds a setting with a default, and how it protects.
    pub fn setting(
        &mut self,
        path: impl Into<SettingPath>,
        value: Value,
        default: Value,
        protects: Protects,
    ) {
        self.0.push(Leaf {
            path: path.into(),
            value,
            default: Some(default),
            protects,
        });
    }

    /// Adds a section's presence (`pull_request: required`), which protects; shown only when
    /// none of the section's own settings shows a difference.
    pub fn presence(&mut self, path: impl Into<SettingPath>, word: &str) {
        self.0.push(Leaf {
            path: path.into(),
            value: Value::String(word.to_owned()),
            default: None,
            protects: Protects::Present,
        });
    }

    /// Adds a pull request's review requirement under `section` (classic protection's
    /// `pull_request`, a ruleset's `rules.pull_request`), the one place both are judged:
    /// its presence, the approval floor (fewer lowers it), and each on/off requirement
    /// (off lowers it).
    pub fn reviews(&mut self, section: &str, approvals: u8, switches: &[(&str, bool)]) {
        self.presence(section, "required");
        self.setting(
            format!("{section}.required_approvals"),
            Value::from(approvals),
            Value::from(0),
            Protects::AtLeast,
        );
        for (key, on) in switches {
            self.setting(
                format!("{section}.{key}"),
                Value::Bool(*on),
                Value::Bool(false),
                Protects::WhenOn,
            );
        }
    }

    /// Adds a set of names, lower-cased, sorted and deduplicated; default empty.
    pub fn name_set<'a, Name: AsRef<str> + 'a>(
        &mut self,
        path: impl Into<SettingPath>,
        names: impl IntoIterator<Item = &'a Name>,
        protects: Protects,
    ) {
        let set: BTreeSet<String> = names
            .into_iter()
            .map(|n| n.as_ref().to_lowercase())
            .collect();
        self.setting(
            path,
            Value::from(set.into_iter().collect::<Vec<_>>()),
            Value::Array(Vec::new()),
            protects,
        );
    }
}

/// Compares two sides' leaves; the policy's order wins, then live-only paths.
pub fn compare(live: &Leaves, policy: &Leaves) -> Vec<FieldDiff> {
    let live_map: BTreeMap<&SettingPath, &Leaf> = live.0.iter().map(|l| (&l.path, l)).collect();
    let policy_map: BTreeMap<&SettingPath, &Leaf> = policy.0.iter().map(|l| (&l.path, l)).collect();
    let mut diffs = Vec::new();
    let mut presences = Vec::new();
    let mut seen = BTreeSet::new();
    for leaf in policy.0.iter().chain(&live.0) {
        if !seen.insert(&leaf.path) {
            continue;
        }
        let live_leaf = live_map.get(&leaf.path).copied();
        let policy_leaf = policy_map.get(&leaf.path).copied();
        let have = live_leaf.map(|l| &l.value);
        let want = policy_leaf.map(|l| &l.value);
        if have == want {
            continue;
        }
        // Missing on one side and at its default on the other: not worth showing.
        let at_default = |value: Option<&Value>| value.is_some() && value == leaf.default.as_ref();
        if (have.is_none() && at_default(want)) || (want.is_none() && at_default(have)) {
            continue;
        }
        if leaf.default.is_none() {
            presences.push(diffs.len());
        }
        let mut diff = FieldDiff::new(
            leaf.path.clone(),
            have.cloned().unwrap_or(Value::Null),
            want.cloned().unwrap_or(Value::Null),
        );
        diff.lowers = weakening::lowers(
            live_leaf.map(Leaf::side),
            policy_leaf.map(Leaf::side),
            leaf.default.as_ref(),
        );
        diffs.push(diff);
    }
    // A section's presence says nothing more once one of its settings is shown.
    let shown: Vec<SettingPath> = diffs.iter().map(|d| d.path.clone()).collect();
    let mut index = 0;
    diffs.retain(|diff| {
        let is_presence = presences.contains(&index);
        index += 1;
        !is_presence || !shown.iter().any(|path| path.is_inside(&diff.path))
    });
    diffs
}

/// Returns values as a sorted JSON list without duplicates (sorted by their JSON text).
pub fn sorted_list(values: impl IntoIterator<Item = Value>) -> Value {
    let unique: BTreeMap<String, Value> = values
        .into_iter()
        .map(|value| (value.to_string(), value))
        .collect();
    Value::Array(unique.into_values().collect())
}
