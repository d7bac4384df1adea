//! `migrate` (DESIGN §14): a policy's classic branch protection as rulesets, with the proof
//! that GitHub will then enforce exactly what it enforces today. Nothing here touches GitHub:
//! the new policy is a value, and its text the old one edited.
//!
//! - `convert`: one branch's classic protection as a ruleset, or what a ruleset cannot say;
//! - `group`: branches with identical protection share a ruleset; names; `--evaluate` trials;
//! - `proof`: each branch's effective protection after the new policy is applied (predicted
//!   as `plan` predicts it) against today's, setting by setting;
//! - `layer`: the edits one layer of a policy file needs (a repository policy has one);
//!   `org`: an organisation policy, layer by layer;
//! - `edit`: the text edited in place at located entries; `rewrite`: the fallback.
//!
//! A branch a ruleset cannot express exactly, or whose proof fails, is left as it was,
//! named with the reasons.

pub mod convert;
pub mod edit;
pub mod group;
pub mod layer;
pub mod org;
pub mod proof;
pub mod rewrite;

use std::collections::BTreeSet;

use crate::model::live::LiveState;
use crate::model::{Branch, Enforcement, RepoSettings};
use crate::plan::diff;

pub use group::Planned;
pub use proof::{Proof, Row, Side};

/// What to migrate.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The branches asked for; empty: every protected branch the policy manages.
    pub branches: Vec<String>,
    /// Write the rulesets in `evaluate` mode and keep classic protection (a trial).
    pub evaluate: bool,
}

/// What protects the repository today.
pub struct Today<'a> {
    /// The live side: read from GitHub, from a state file, or the policy itself.
    pub live: &'a LiveState,
    /// True when `live` was read (GitHub or a state file): a check's live app pin counts.
    pub read: bool,
    /// Names of rulesets the repository has (lower-case), which a new one must not take.
    pub taken: BTreeSet<String>,
    /// When exceptions are judged.
    pub now: time::OffsetDateTime,
}

/// A branch left as it was, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    /// The branch.
    pub branch: String,
    /// Why, one reason a line.
    pub reasons: Vec<String>,
    /// The proof that failed, when it came to that.
    pub proof: Option<Proof>,
}

/// The outcome: the new policy and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The new policy.
    pub settings: RepoSettings,
    /// The rulesets it writes (or finishes, or keeps on trial).
    pub rulesets: Vec<Planned>,
    /// The branches it declares `protected: false`.
    pub unprotected: Vec<String>,
    /// The proof of each branch taken over (in evaluate mode: as it will be once finished).
    pub proofs: Vec<Proof>,
    /// The branches left as they were.
    pub stopped: Vec<Stopped>,
    /// True for a trial: the rulesets in `evaluate` mode, classic protection kept.
    pub evaluate: bool,
}

/// Migrates a repository policy. `order` is its branches in the file's order.
pub fn migrate(
    policy: &RepoSettings,
    order: &[String],
    today: &Today<'_>,
    request: &Request,
) -> Migration {
    let (candidates, mut stopped) = select(policy, order, request);
    let mut converted = Vec::new();
    for name in candidates {
        let branch = &policy.branches[name.as_str()];
        let mut reasons = blockers(policy, today, &name);
        let live = today
            .read
            .then(|| today.live.settings.branches.get(name.as_str()))
            .flatten()
            .filter(|b| b.protected);
        let as_ruleset = convert::convert(&name, branch, live, &today.live.ids);
        if let Err(gaps) = &as_ruleset {
            reasons.extend(gaps.iter().cloned());
        }
        // What GitHub has beyond the policy would be lost without a word: it stops too.
        if let Some(Err(gaps)) = live.map(|b| convert::convert(&name, b, None, &today.live.ids)) {
            for gap in gaps {
                if !reasons.contains(&gap) {
                    reasons.push(format!("on GitHub: {gap}"));
                }
            }
        }
        match as_ruleset {
            Ok(as_ruleset) if reasons.is_empty() => converted.push((name, as_ruleset)),
            _ => stopped.push(Stopped {
                branch: name,
                reasons,
                proof: None,
            }),
        }
    }
    // Prove on the policy as it will be once finished; a branch whose proof fails is taken
    // out, and the rest proven again (their rulesets' names may change with it).
    let (planned, finished, proofs) = loop {
        let groups = group::group(converted.clone());
        let planned = group::name(&groups, &policy.rulesets, &today.taken, false);
        let branches: Vec<String> = converted.iter().map(|(b, _)| b.clone()).collect();
        let finished = with(policy, &planned, &branches);
        let proofs = prove(&finished, today, &branches);
        let failed: Vec<&Proof> = proofs.iter().filter(|p| !p.holds()).collect();
        if failed.is_empty() {
            break (
                group::name(&groups, &policy.rulesets, &today.taken, request.evaluate),
                finished,
                proofs,
            );
        }
        for proof in failed {
            converted.retain(|(b, _)| *b != proof.branch);
            stopped.push(Stopped {
                branch: proof.branch.clone(),
                reasons: vec![if proof.rows.iter().all(Row::holds) {
                    "its effective protection cannot be proven the same: the token cannot read all of it (the lines marked ?)".to_owned()
                } else if today.read {
                    "its effective protection would not be the same after the change (the rows marked ≠): what protects it today differs from the policy, as `gh-policy plan` shows".to_owned()
                } else {
                    "its effective protection would not be the same after the change (the rows marked ≠)".to_owned()
                }],
                proof: Some(proof.clone()),
            });
        }
    };
    let unprotected: Vec<String> = if request.evaluate {
        Vec::new()
    } else {
        converted.iter().map(|(b, _)| b.clone()).collect()
    };
    let settings = if request.evaluate {
        with(policy, &planned, &[])
    } else {
        finished
    };
    stopped.sort_by_key(|s| order.iter().position(|b| *b == s.branch));
    Migration {
        settings,
        rulesets: planned,
        unprotected,
        proofs,
        stopped,
        evaluate: request.evaluate,
    }
}

/// Returns the branches to migrate, in file order, and those asked for that cannot be.
fn select(
    policy: &RepoSettings,
    order: &[String],
    request: &Request,
) -> (Vec<String>, Vec<Stopped>) {
    let protected = |name: &str| policy.branches.get(name).is_some_and(|b| b.protected);
    if request.branches.is_empty() {
        let chosen = order.iter().filter(|b| protected(b)).cloned().collect();
        return (chosen, Vec::new());
    }
    let mut chosen = Vec::new();
    let mut stopped = Vec::new();
    for name in order {
        if request.branches.contains(name) && protected(name) {
            chosen.push(name.clone());
        }
    }
    let mut asked: Vec<&String> = request.branches.iter().collect();
    asked.dedup();
    for name in asked {
        if !protected(name) {
            let why = if policy.branches.contains_key(name.as_str()) {
                "the policy declares it `protected: false`: it has no classic protection to move"
            } else {
                "the policy has no `branches` entry for it: it manages no classic protection of it"
            };
            stopped.push(Stopped {
                branch: name.clone(),
                reasons: vec![why.to_owned()],
                proof: None,
            });
        }
    }
    (chosen, stopped)
}

/// Returns what keeps a branch from being migrated besides its settings: a name a ruleset
/// cannot include (a branch name may hold a character the pattern rule refuses), an
/// exception that names its protection (it would name nothing after), or a branch GitHub
/// does not have.
fn blockers(policy: &RepoSettings, today: &Today<'_>, name: &str) -> Vec<String> {
    let mut reasons = Vec::new();
    if let Err(reason) = crate::model::names::Pattern::parse(name) {
        reasons.push(format!("a ruleset cannot include it: {reason}"));
    }
    let address = format!("branches.{name}");
    for exception in &policy.exceptions {
        if exception.path == address || exception.path.starts_with(&format!("{address}.")) {
            reasons.push(format!(
                "the exception for `{}` names its classic protection: move or remove it first",
                exception.path
            ));
        }
    }
    if today.live.missing_branches.contains(name) {
        reasons.push(
            "the branch does not exist on GitHub: there is no protection to prove".to_owned(),
        );
    }
    reasons
}

/// Returns the policy with the rulesets and with the branches unprotected.
fn with(policy: &RepoSettings, planned: &[Planned], unprotect: &[String]) -> RepoSettings {
    let mut settings = policy.clone();
    for ruleset in planned {
        settings
            .rulesets
            .insert(ruleset.name.clone(), ruleset.ruleset.clone());
    }
    // Each is a protected branch of the policy (`select` chose it there).
    for name in unprotect {
        if let Some(branch) = settings.branches.get_mut(name.as_str()) {
            *branch = Branch::unprotected();
        }
    }
    settings
}

/// Proves each branch: its protection today against the protection `apply` of `finished`
/// would leave, as the plan predicts it.
fn prove(finished: &RepoSettings, today: &Today<'_>, branches: &[String]) -> Vec<Proof> {
    if branches.is_empty() {
        return Vec::new();
    }
    let context = diff::Context {
        sources: diff::SecretSources::default(),
        now: today.now,
    };
    let plan = diff::plan("", finished, today.live, &context);
    branches
        .iter()
        .map(|branch| {
            let (before, after) = diff::predicted(finished, today.live, &plan, branch);
            proof::prove(&before, &after, &today.live.ids)
        })
        .collect()
}

impl Migration {
    /// Returns a migration that moves nothing: the policy as it is.
    pub fn nothing(settings: RepoSettings, evaluate: bool) -> Self {
        Self {
            settings,
            rulesets: Vec::new(),
            unprotected: Vec::new(),
            proofs: Vec::new(),
            stopped: Vec::new(),
            evaluate,
        }
    }

    /// Returns true when there is nothing to write: no ruleset new or switched, and no
    /// branch unprotected.
    pub fn is_empty(&self) -> bool {
        self.unprotected.is_empty()
            && self
                .rulesets
                .iter()
                .all(|r| r.trial && r.ruleset.enforcement == Enforcement::Evaluate)
    }
}

#[cfg(test)]
mod tests;
