//! Requirements: judged on the protection GitHub will enforce, live and as `apply` will
//! leave it (DESIGN §8; the evidence of both in `prediction.rs`).
//!
//! An unmet requirement that the prediction meets is an applicable change with no write of
//! its own (the other changes make it so); one the prediction still misses is
//! `applicable: false`, saying why.

use std::collections::BTreeSet;

use super::guard::{self, Judgements};
use super::inapplicable;
use super::prediction::{evidence, predict};
use crate::model::RepoSettings;
use crate::model::live::LiveState;
use crate::plan::{
    Action, Address, Change, Contradiction, Disposition, FieldDiff, JudgedSetting,
    RequirementReport,
};
use crate::protection::effective::{Judged, Verdict, contributions, judge};

/// Returns every requirement as judged on the live repository.
pub fn reports(desired: &RepoSettings, live: &LiveState) -> Vec<RequirementReport> {
    desired
        .requirements
        .iter()
        .map(|(key, requirement)| {
            let now = evidence(live, key);
            let (enforced, evaluate) = contributions(&now, &live.ids);
            RequirementReport {
                address: Address::Requirement(key.clone()).to_string(),
                branch: now.branch.clone(),
                settings: judge(requirement, &enforced, &evaluate, &live.ids)
                    .into_iter()
                    .map(|j| JudgedSetting {
                        setting: j.setting.to_owned(),
                        met: j.verdict == Verdict::Met,
                        value: j.live,
                        floor: j.policy,
                        sources: j.sources.iter().map(ToString::to_string).collect(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Adds a change for every requirement unmet live or after `apply`, and a contradiction for
/// every one met live that `apply` would break (`guard`).
pub fn diff(
    desired: &RepoSettings,
    live: &LiveState,
    changes: &mut Vec<Change>,
    contradictions: &mut Vec<Contradiction>,
) {
    // What apply will write: the branches and rulesets of the changes before these.
    let written: BTreeSet<Address> = changes
        .iter()
        .filter(|c| c.applies())
        .map(|c| c.address.clone())
        .collect();
    let written: BTreeSet<&Address> = written.iter().collect();
    for (key, requirement) in &desired.requirements {
        let now = evidence(live, key);
        let after = predict(desired, live, &now, &written);
        let (enforced, evaluate) = contributions(&now, &live.ids);
        let judged_now = judge(requirement, &enforced, &evaluate, &live.ids);
        let (enforced_after, evaluate_after) = contributions(&after, &live.ids);
        let judged_after = judge(requirement, &enforced_after, &evaluate_after, &live.ids);
        let judgements = Judgements {
            key,
            branch: &now.branch,
            requirement,
            now: &enforced,
            after: &enforced_after,
        };
        let mut diffs = Vec::new();
        let mut not_provided = Vec::new();
        for (now, after) in judged_now.iter().zip(&judged_after) {
            if now.verdict == Verdict::Met && after.verdict == Verdict::Met {
                continue;
            }
            diffs.push(field_diff(now));
            if now.verdict == Verdict::Met {
                let found = guard::contradiction(&judgements, now, after, desired, live);
                not_provided.push(lowered(&found));
                contradictions.push(found);
            } else if after.verdict != Verdict::Met {
                not_provided.push(shortfall(after));
            }
        }
        if diffs.is_empty() {
            continue;
        }
        let action = if enforced
            .iter()
            .any(crate::protection::effective::Contribution::provides)
        {
            Action::Update
        } else {
            Action::Create
        };
        let address = Address::Requirement(key.clone());
        let change = if not_provided.is_empty() {
            Change {
                address,
                action,
                diffs: Vec::new(),
                disposition: Disposition::Applicable(None),
                note: Some(
                    "apply meets it with the changes to the branches and rulesets it manages"
                        .to_owned(),
                ),
            }
        } else {
            inapplicable(address, action, not_provided.join("; "))
        };
        changes.push(Change { diffs, ..change });
    }
}

/// Says how apply would break a requirement met now, and what lowers it.
fn lowered(found: &Contradiction) -> String {
    let by = found.lowered_by_words(", ");
    format!(
        "met now ({}), apply would leave `{}` at {}: {by} lower{} it",
        found.live,
        found.setting,
        found.after,
        if found.lowered_by.len() == 1 { "s" } else { "" }
    )
}

fn field_diff(judged: &Judged) -> FieldDiff {
    let mut diff = FieldDiff::new(judged.setting, judged.live.clone(), judged.policy.clone());
    diff.sources = Some(judged.sources.iter().map(ToString::to_string).collect());
    if !judged.evaluate_only.is_empty() {
        let names: Vec<String> = judged
            .evaluate_only
            .iter()
            .map(ToString::to_string)
            .collect();
        diff.note = Some(format!(
            "required only by {}, in evaluate mode (reported, never enforced)",
            names.join(", ")
        ));
    }
    diff
}

/// Says why nothing managed provides a requirement.
fn shortfall(judged: &Judged) -> String {
    match judged.verdict {
        Verdict::Unknown => format!(
            "`{}` cannot be judged: a ruleset's bypass actors cannot be read",
            judged.setting
        ),
        _ if judged.evaluate_only.is_empty() => format!(
            "nothing the policy manages provides `{}` (the policy's branches and rulesets, with the organisation's)",
            judged.setting
        ),
        _ => format!(
            "`{}` is provided only by {}, in evaluate mode",
            judged.setting,
            judged
                .evaluate_only
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests;
