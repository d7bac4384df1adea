//! The proof of a migration: a branch's effective protection (DESIGN §8) once the new
//! policy is applied — predicted exactly as `plan` predicts it — equals today's, setting by
//! setting, each side with its sources. The lock of a branch, which requirements do not
//! name, is compared too.

use serde_json::{Value, json};

use crate::model::live::{BranchEvidence, Classic, Identities, Source};
use crate::protection::effective::explain::{self, ExplainedSetting};

/// One setting of a branch's effective protection, before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The setting, named as in `requirements` (and `lock_branch`).
    pub setting: String,
    /// Today's value and its sources; `None` when nothing provides it.
    pub before: Option<Side>,
    /// The value after the new policy is applied, and its sources.
    pub after: Option<Side>,
}

impl Row {
    /// Returns true when both sides have the same value (or neither has one).
    pub fn holds(&self) -> bool {
        self.before.as_ref().map(|s| &s.value) == self.after.as_ref().map(|s| &s.value)
    }
}

/// A value and the sources that provide it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The effective value.
    pub value: Value,
    /// Its sources, e.g. `classic`, `ruleset "protect-main"`.
    pub sources: Vec<String>,
}

/// The proof for one branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    /// The branch.
    pub branch: String,
    /// Every setting either side has, today's order first.
    pub rows: Vec<Row>,
    /// What could not be seen on either side (the token's blind spots): the proof cannot
    /// hold over them.
    pub unreadable: Vec<String>,
}

impl Proof {
    /// Returns true when every setting is the same after as before, and all was seen.
    pub fn holds(&self) -> bool {
        self.unreadable.is_empty() && self.rows.iter().all(Row::holds)
    }
}

/// Compares a branch's effective protection today and after.
pub fn prove(before: &BranchEvidence, after: &BranchEvidence, ids: &Identities) -> Proof {
    let today = explain::branch(before, ids);
    let then = explain::branch(after, ids);
    let mut rows: Vec<Row> = Vec::new();
    for setting in &today.settings {
        rows.push(Row {
            setting: setting.setting.clone(),
            before: Some(side(setting)),
            after: then
                .settings
                .iter()
                .find(|s| s.setting == setting.setting)
                .map(side),
        });
    }
    for setting in &then.settings {
        if !today.settings.iter().any(|s| s.setting == setting.setting) {
            rows.push(Row {
                setting: setting.setting.clone(),
                before: None,
                after: Some(side(setting)),
            });
        }
    }
    let (locked_before, locked_after) = (lock(before), lock(after));
    if locked_before.is_some() || locked_after.is_some() {
        rows.push(Row {
            setting: "lock_branch".to_owned(),
            before: locked_before,
            after: locked_after,
        });
    }
    let mut unreadable = today.not_readable;
    for what in then.not_readable {
        if !unreadable.contains(&what) {
            unreadable.push(what);
        }
    }
    Proof {
        branch: before.branch.clone(),
        rows,
        unreadable,
    }
}

fn side(setting: &ExplainedSetting) -> Side {
    Side {
        value: setting.value.clone(),
        sources: setting.sources.clone(),
    }
}

/// Whether the branch is read-only, and what makes it so: classic `lock_branch`, or an
/// active ruleset's `restrict_updates`. `true` when a source forbids every update; `"fork
/// syncing allowed"` when the sources still let a fork pull from upstream.
fn lock(evidence: &BranchEvidence) -> Option<Side> {
    // (source, whether it still lets a fork pull from upstream)
    let mut locks: Vec<(Source, bool)> = Vec::new();
    if let Classic::Protected(branch) = &evidence.classic
        && branch.lock_branch
    {
        locks.push((Source::Classic, branch.allow_fork_syncing));
    }
    for ruleset in evidence.rulesets.iter().filter(|r| r.active) {
        if let Some(fetch_and_merge) = ruleset.rules.restrict_updates.on() {
            locks.push((ruleset.source.clone(), fetch_and_merge));
        }
    }
    let strict = locks.iter().any(|(_, loose)| !loose);
    let (value, sources) = if strict {
        (
            json!(true),
            locks.iter().filter(|(_, loose)| !loose).collect::<Vec<_>>(),
        )
    } else {
        (json!("fork syncing allowed"), locks.iter().collect())
    };
    (!sources.is_empty()).then(|| Side {
        value,
        sources: sources.iter().map(|(s, _)| s.to_string()).collect(),
    })
}
