//! The evidence a branch is judged on: live, as `apply` will leave it, or as the policy alone
//! gives it (offline).
//!
//! The prediction is the live evidence with every branch and ruleset `apply` writes
//! replaced by its policy: classic protection of a branch it writes is the policy's (or
//! none); a repository ruleset it writes (or prunes) is dropped from what GitHub reported,
//! and the policy's version is matched against the branch here. What apply does not write
//! keeps its live values.

use std::collections::BTreeSet;

use crate::model::live::{AppliedRuleset, BranchEvidence, Classic, LiveState, Source};
use crate::model::names::Pattern;
use crate::model::ref_pattern::selects_branch;
use crate::model::{Enforcement, RepoSettings, Ruleset, RulesetTarget};
use crate::plan::{Address, Change, Plan};

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

/// The evidence a state file gives: its classic protection and its rulesets, matched here.
fn from_settings(live: &LiveState, branch: &str) -> BranchEvidence {
    let classic = match live.settings.branches.get(branch) {
        Some(b) if b.protected => Classic::Protected(Box::new(b.clone())),
        _ => Classic::None,
    };
    let rulesets = applied(&live.settings, live.default_branch(), branch);
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
        applied(desired, live.default_branch(), branch)
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
                name: name.to_string(),
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
    let qualify = |list: &[Pattern]| -> Vec<String> {
        list.iter().map(|p| ruleset.target.qualified(p)).collect()
    };
    selects_branch(
        &qualify(&ruleset.include),
        &qualify(&ruleset.exclude),
        branch,
        default_branch,
    )
}
