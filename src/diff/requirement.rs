//! Requirements: judged on the protection GitHub will enforce, live and as `apply` will
//! leave it (DESIGN §8).
//!
//! The prediction is the live evidence with every branch and ruleset `apply` writes
//! replaced by its policy: classic protection of a branch it writes is the policy's (or
//! none); a repository ruleset it writes (or prunes) is dropped from what GitHub reported,
//! and the policy's version is matched against the branch here. What apply does not write
//! keeps its live values. An unmet requirement that the prediction
//! meets is an applicable change with no write of its own (the other changes make it so);
//! one the prediction still misses is `applicable: false`, saying why.

use std::collections::BTreeSet;

use super::guard::{self, Judgements};
use super::inapplicable;
use crate::effective::{
    AppliedRuleset, BranchEvidence, Classic, Judged, Source, Verdict, contributions, judge,
};
use crate::live::LiveState;
use crate::model::ref_pattern::selects_branch;
use crate::model::{Enforcement, RepoSettings, Ruleset, RulesetTarget};
use crate::plan::{
    Action, Address, Change, Contradiction, Disposition, FieldDiff, JudgedSetting, Plan,
    RequirementReport,
};
use crate::policy::Dotted;

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

/// Returns the live evidence of the branch a requirement key names.
pub(super) fn evidence(live: &LiveState, key: &str) -> BranchEvidence {
    let branch = live.branch_of(key);
    live.evidence
        .get(branch)
        .cloned()
        .unwrap_or_else(|| from_settings(live, branch))
}

/// Returns a branch's protection as it is live and as `apply` of `plan` (made from `desired`
/// and `live`) will leave it: the plan's own prediction, for `migrate`'s proof.
pub fn predicted(
    desired: &RepoSettings,
    live: &LiveState,
    plan: &Plan,
    branch: &str,
) -> (BranchEvidence, BranchEvidence) {
    let written: BTreeSet<&Address> = plan
        .changes
        .iter()
        .filter(|c| c.applies())
        .map(|c| &c.address)
        .collect();
    let now = evidence(live, branch);
    let after = predict(desired, live, &now, &written);
    (now, after)
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
            .any(crate::effective::Contribution::provides)
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
    let by = if found.lowered_by.is_empty() {
        "the branches and rulesets the policy manages".to_owned()
    } else {
        found
            .lowered_by
            .iter()
            .map(|path| format!("`{}`", Dotted(path)))
            .collect::<Vec<_>>()
            .join(", ")
    };
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

/// The evidence a state file gives: its classic protection and its rulesets, matched here.
fn from_settings(live: &LiveState, branch: &str) -> BranchEvidence {
    let classic = match live.settings.branches.get(branch) {
        Some(b) if b.protected => Classic::Protected(Box::new(b.clone())),
        _ => Classic::None,
    };
    let rulesets = applied(&live.settings, live.branch_of("~DEFAULT_BRANCH"), branch);
    BranchEvidence {
        branch: branch.to_owned(),
        exists: !live.missing_branches.contains(branch),
        classic,
        rulesets,
    }
}

/// Returns the evidence as `apply` will leave it: what apply writes (`written`, by
/// address) is the policy's; everything else keeps its live values, so that a bare-name
/// check in sync keeps the app GitHub records for it.
pub(super) fn predict(
    desired: &RepoSettings,
    live: &LiveState,
    now: &BranchEvidence,
    written: &BTreeSet<&Address>,
) -> BranchEvidence {
    let branch = now.branch.as_str();
    let classic = if written.contains(&Address::Branch(branch.to_owned())) {
        match desired.branches.get(branch) {
            Some(b) if b.protected => Classic::Protected(Box::new(b.clone())),
            // Its protection removed: unlisted and pruned, or `protected: false`.
            _ => Classic::None,
        }
    } else {
        now.classic.clone()
    };
    let rewritten = |name: &str| written.contains(&Address::Ruleset(name.to_owned()));
    let mut rulesets: Vec<AppliedRuleset> = now
        .rulesets
        .iter()
        .filter(|r| {
            !matches!(&r.source, Source::Ruleset { name, organization: None } if rewritten(name))
        })
        .cloned()
        .collect();
    rulesets.extend(
        applied(desired, live.branch_of("~DEFAULT_BRANCH"), branch)
            .into_iter()
            .filter(|r| matches!(&r.source, Source::Ruleset { name, .. } if rewritten(name))),
    );
    BranchEvidence {
        branch: branch.to_owned(),
        exists: now.exists,
        classic,
        rulesets,
    }
}

/// The evidence of a branch as `apply` will leave it, `changes` being the plan's (for the
/// findings of DESIGN §13, judged on what apply leaves).
pub fn predicted_evidence(
    desired: &RepoSettings,
    live: &LiveState,
    changes: &[Change],
    branch: &str,
) -> BranchEvidence {
    let written: BTreeSet<&Address> = changes
        .iter()
        .filter(|c| c.applies())
        .map(|c| &c.address)
        .collect();
    let now = live
        .evidence
        .get(branch)
        .cloned()
        .unwrap_or_else(|| from_settings(live, branch));
    predict(desired, live, &now, &written)
}

/// The evidence of a branch the policy alone gives: its classic protection and the
/// policy's rulesets that select it (offline, `validate`).
pub fn policy_evidence(
    desired: &RepoSettings,
    branch: &str,
    default_branch: &str,
) -> BranchEvidence {
    let classic = match desired.branches.get(branch) {
        Some(b) if b.protected => Classic::Protected(Box::new(b.clone())),
        _ => Classic::None,
    };
    BranchEvidence {
        branch: branch.to_owned(),
        exists: true,
        classic,
        rulesets: applied(desired, default_branch, branch),
    }
}

/// The rulesets of `settings` that apply to the branch (enforced or evaluated).
fn applied(settings: &RepoSettings, default_branch: &str, branch: &str) -> Vec<AppliedRuleset> {
    settings
        .rulesets
        .iter()
        // Enforced or evaluated; disabled, or an enforcement gh-policy does not know, never
        // counts.
        .filter(|(_, r)| {
            r.target == RulesetTarget::Branch
                && matches!(r.enforcement, Enforcement::Active | Enforcement::Evaluate)
        })
        .filter(|(_, r)| selects(r, branch, default_branch))
        .map(|(name, r)| AppliedRuleset {
            id: None,
            source: Source::Ruleset {
                name: name.clone(),
                organization: None,
            },
            active: r.enforcement == Enforcement::Active,
            rules: r.rules.clone(),
            bypass: Some(r.bypass.clone()),
        })
        .collect()
}

/// Returns true when the ruleset's conditions select the branch (as GitHub matches them).
pub(super) fn selects(ruleset: &Ruleset, branch: &str, default_branch: &str) -> bool {
    let qualify = |list: &[String]| -> Vec<String> {
        list.iter().map(|p| ruleset.target.qualified(p)).collect()
    };
    selects_branch(
        &qualify(&ruleset.include),
        &qualify(&ruleset.exclude),
        branch,
        default_branch,
    )
}

#[cfg(test)]
mod tests;
