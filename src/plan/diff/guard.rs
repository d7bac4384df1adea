//! Requirements guard apply (DESIGN §11): a requirement the live repository meets and the
//! state `apply` would leave does not is the policy contradicting itself. The plan names it
//! with the policy settings that lower it — the settings of the managed sources that meet
//! it now and would not after — and `apply` refuses it, even with `--allow-weakening`.
//!
//! Which source meets what is `effective::judge`'s to say, source by source; this module
//! only knows which key of the policy makes a managed source provide a requirement (a branch's
//! classic protection, a repository ruleset), or take it away (`protected: false`, pruning,
//! an enforcement other than `active`, conditions that no longer select the branch).

use std::collections::BTreeSet;

use crate::model::live::{Identities, LiveState, Source};
use crate::model::{Enforcement, RepoSettings, Requirement};
use crate::plan::{Address, Contradiction};
use crate::policy::Segment;
use crate::protection::effective::{Check, Contribution, Judged, Verdict, contributions, judge};

/// What was judged of one requirement, live and as `apply` would leave it.
pub(super) struct Judgements<'a> {
    /// The requirement key as written (`main`, `~DEFAULT_BRANCH`).
    pub key: &'a str,
    /// The branch it names.
    pub branch: &'a str,
    /// The requirement.
    pub requirement: &'a Requirement,
    /// The enforced contributions now.
    pub now: &'a [Contribution],
    /// The enforced contributions after `apply`.
    pub after: &'a [Contribution],
}

/// Returns the contradiction of one setting met now and not after.
pub(super) fn contradiction(
    judged: &Judgements<'_>,
    now: &Judged,
    after: &Judged,
    desired: &RepoSettings,
    live: &LiveState,
) -> Contradiction {
    Contradiction {
        address: Address::Requirement(judged.key.to_owned()),
        branch: judged.branch.to_owned(),
        setting: now.setting.to_owned(),
        floor: now.policy.clone(),
        live: now.live.clone(),
        after: after.live.clone(),
        lowered_by: lowered_by(judged, now.setting, desired, live),
    }
}

/// Returns the policy settings that take the requirement setting away: of each managed
/// source that meets it now and would not after, the key that makes it so.
fn lowered_by(
    judged: &Judgements<'_>,
    setting: &str,
    desired: &RepoSettings,
    live: &LiveState,
) -> Vec<Vec<Segment>> {
    let ids = &live.ids;
    let sources: Vec<&Source> = match setting {
        // Nobody may bypass: the sources that provide something after and may be bypassed.
        "no_bypass" => judged
            .after
            .iter()
            .filter(|c| c.provides() && c.bypass_free == Some(false))
            .map(|c| &c.source)
            .collect(),
        // Each wanted check that nothing requires after: the sources requiring it now.
        "required_checks" => {
            let mut sources = Vec::new();
            for wanted in &judged.requirement.required_checks {
                let wanted = Check::of(wanted, ids);
                let provides = |c: &&Contribution| c.checks.iter().any(|have| have.meets(&wanted));
                if !judged.after.iter().any(|c| provides(&c)) {
                    sources.extend(judged.now.iter().filter(provides).map(|c| &c.source));
                }
            }
            sources
        }
        _ => judged
            .now
            .iter()
            .filter(|c| meets(judged.requirement, setting, c, ids))
            .filter(|c| {
                !judged
                    .after
                    .iter()
                    .any(|a| a.source == c.source && meets(judged.requirement, setting, a, ids))
            })
            .map(|c| &c.source)
            .collect(),
    };
    let mut paths: Vec<Vec<Segment>> = sources
        .into_iter()
        .filter_map(|source| key_of(source, setting, desired, live, judged.branch))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Returns true when one source alone meets the requirement's setting.
fn meets(
    requirement: &Requirement,
    setting: &str,
    contribution: &Contribution,
    ids: &Identities,
) -> bool {
    judge(requirement, std::slice::from_ref(contribution), &[], ids)
        .iter()
        .any(|j| j.setting == setting && j.verdict == Verdict::Met)
}

/// Returns the key of the policy that decides what a managed source provides of a
/// requirement setting on the branch; `None` for a source the policy does not manage.
pub(super) fn key_of(
    source: &Source,
    setting: &str,
    desired: &RepoSettings,
    live: &LiveState,
    branch: &str,
) -> Option<Vec<Segment>> {
    let path =
        |parts: &[&str]| -> Vec<Segment> { parts.iter().map(|p| Segment::from(*p)).collect() };
    match source {
        Source::Classic => match desired.branches.get(branch) {
            None if desired.prune.branch_protection => Some(path(&["prune", "branch_protection"])),
            None => None,
            Some(protection) if !protection.protected => {
                Some(path(&["branches", branch, "protected"]))
            }
            Some(protection) => {
                let key: Vec<&str> = match setting {
                    "required_approvals"
                    | "dismiss_stale_reviews"
                    | "require_code_owner_reviews"
                    | "require_last_push_approval" => vec!["pull_request", setting],
                    "strict" => vec!["status_checks", "strict"],
                    "required_checks" => vec!["status_checks", "required"],
                    // Classic protection says what it allows.
                    "block_force_pushes" => vec!["allow_force_pushes"],
                    "restrict_deletions" => vec!["allow_deletions"],
                    "no_bypass" if !protection.enforce_admins => vec!["enforce_admins"],
                    "no_bypass" => vec!["pull_request", "bypass"],
                    other => vec![other],
                };
                let mut full = path(&["branches", branch]);
                full.extend(path(&key));
                Some(full)
            }
        },
        Source::Ruleset {
            name,
            organization: None,
        } => {
            let Some(ruleset) = desired.rulesets.get(name.as_str()) else {
                return desired.prune.rulesets.then(|| path(&["prune", "rulesets"]));
            };
            let mut full = path(&["rulesets", name]);
            let default_branch = live.default_branch();
            if ruleset.enforcement != Enforcement::Active {
                full.push("enforcement".into());
            } else if !super::prediction::selects(ruleset, branch, default_branch) {
                full.push("include".into());
            } else {
                let key: Vec<&str> = match setting {
                    "required_approvals"
                    | "dismiss_stale_reviews"
                    | "require_code_owner_reviews"
                    | "require_last_push_approval"
                    | "required_conversation_resolution" => vec!["rules", "pull_request", setting],
                    "strict" => vec!["rules", "status_checks", "strict"],
                    "required_checks" => vec!["rules", "status_checks", "required"],
                    "no_bypass" => vec!["bypass"],
                    other => vec!["rules", other],
                };
                full.extend(path(&key));
            }
            Some(full)
        }
        Source::Ruleset { .. } => None,
    }
}

/// A requirement the policy's own classic protection of a branch falls short of, with no
/// ruleset of the policy making up for it: wherever the branch meets the requirement today
/// through that protection, `apply` would lower it (and `plan` refuses). Found offline, by
/// `validate`, on what the policy alone writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// The setting that falls short, a path into the policy.
    pub lowered_by: Vec<Segment>,
    /// The requirement it falls short of.
    pub requirement: Vec<Segment>,
    /// What the policy's own protection gives.
    pub gives: serde_json::Value,
    /// What the requirement asks.
    pub floor: serde_json::Value,
}

/// Returns every requirement on a branch the policy protects (by name: `~DEFAULT_BRANCH`
/// cannot be told offline) that the policy's own classic protection and rulesets do not
/// meet.
pub fn shortfalls(desired: &RepoSettings) -> Vec<Shortfall> {
    let live = LiveState::from_settings(RepoSettings::empty());
    // Offline, every branch and ruleset of the policy counts as written.
    let written: Vec<Address> = (desired
        .branches
        .keys()
        .map(|b| Address::Branch(b.to_string())))
    .chain(
        desired
            .rulesets
            .keys()
            .map(|r| Address::Ruleset(r.to_string())),
    )
    .collect();
    let written: BTreeSet<&Address> = written.iter().collect();
    let mut found = Vec::new();
    for (key, requirement) in &desired.requirements {
        if key.starts_with('~') || !desired.branches.contains_key(key.as_str()) {
            continue;
        }
        let now = super::prediction::evidence(&live, key);
        let after = super::prediction::predict(desired, &live, &now, &written);
        let (enforced, evaluate) = contributions(&after, &live.ids);
        for judged in judge(requirement, &enforced, &evaluate, &live.ids) {
            if judged.verdict == Verdict::Met {
                continue;
            }
            if let Some(lowered_by) = key_of(&Source::Classic, judged.setting, desired, &live, key)
            {
                found.push(Shortfall {
                    lowered_by,
                    requirement: vec!["requirements".into(), key.into(), judged.setting.into()],
                    gives: judged.live,
                    floor: judged.policy,
                });
            }
        }
    }
    found
}
