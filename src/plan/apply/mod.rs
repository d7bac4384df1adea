//! Executing a plan: the changes it lists, in its order, one target at a time.
//!
//! There is no diffing here and no dry-run flag: the plan *is* the dry run, and each
//! change's target is the complete instruction. Writes are never retried blindly; on the
//! first failure, writing stops, and the report says for every change whether it was
//! applied, failed (with GitHub's message) or not attempted, so a rerun (which plans afresh)
//! converges.

use crate::github::write::{Refusal, SecretValues, perform, perform_switches};
use crate::github::{ApiError, RestWriter};
use crate::model::names::RepoName;
use crate::plan::{Change, Disposition, Plan, Target};

/// What happened to one change.
#[derive(Debug)]
pub enum Outcome {
    /// GitHub accepted the write(s).
    Applied,
    /// The write failed; nothing after it was attempted.
    Failed(ApiError),
    /// Not attempted because an earlier write failed.
    NotAttempted,
    /// Nothing to write of its own: the other changes make it so (a requirement).
    NoWrite,
    /// An active exception accepts this drift: left as it is live.
    Excepted,
    /// `apply` cannot make this change (the plan says why).
    Inapplicable,
    /// GitHub refused some settings of the change for the repository's plan, visibility or
    /// an organisation policy, each with its message; the others were written (DESIGN §12).
    Refused(Vec<Refusal>),
}

/// The account of an apply: one outcome per plan change, in plan order.
#[derive(Debug)]
pub struct ApplyReport {
    /// Each change with its outcome.
    pub outcomes: Vec<(Change, Outcome)>,
    /// What GitHub accepted but did differently (e.g. users dropped from a restriction).
    pub warnings: Vec<String>,
    /// A stop was asked for (a signal) before every change was attempted.
    pub interrupted: bool,
}

impl ApplyReport {
    /// Returns true when a write failed.
    pub fn failed(&self) -> bool {
        self.outcomes
            .iter()
            .any(|(_, o)| matches!(o, Outcome::Failed(_)))
    }

    /// Returns how many changes were applied.
    pub fn applied(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Applied))
            .count()
    }
}

/// Executes the applicable changes of `plan`, in order, on `repo`.
pub async fn execute(
    plan: &Plan,
    repo: &RepoName,
    github: &RestWriter,
    secrets: &dyn SecretValues,
) -> ApplyReport {
    execute_until(plan, repo, github, secrets, &|| false).await
}

/// Executes the applicable changes of `plan`, in order, on `repo`, until `stop` says so:
/// it is asked before each write, so a write once started is finished.
pub async fn execute_until(
    plan: &Plan,
    repo: &RepoName,
    github: &RestWriter,
    secrets: &dyn SecretValues,
    stop: &(dyn Fn() -> bool + Sync),
) -> ApplyReport {
    let mut outcomes = Vec::with_capacity(plan.changes.len());
    let mut warnings = Vec::new();
    let mut stopped = false;
    let mut interrupted = false;
    for change in &plan.changes {
        if !stopped && change.target().is_some() && stop() {
            stopped = true;
            interrupted = true;
        }
        let outcome = match &change.disposition {
            Disposition::Excepted { .. } => Outcome::Excepted,
            Disposition::Inapplicable(_) => Outcome::Inapplicable,
            _ if stopped => Outcome::NotAttempted,
            Disposition::Applicable(None) | Disposition::Weakening(None) => Outcome::NoWrite,
            Disposition::Applicable(Some(target)) | Disposition::Weakening(Some(target))
                if is_switches(target) =>
            {
                match perform_switches(github, repo, target).await {
                    Some(Ok(refusals)) if refusals.is_empty() => Outcome::Applied,
                    Some(Ok(refusals)) => Outcome::Refused(refusals),
                    Some(Err(err)) => {
                        stopped = true;
                        Outcome::Failed(err)
                    }
                    None => Outcome::NoWrite,
                }
            }
            Disposition::Applicable(Some(target)) | Disposition::Weakening(Some(target)) => {
                match perform(github, repo, target, secrets).await {
                    Ok(mut more) => {
                        warnings.append(&mut more);
                        Outcome::Applied
                    }
                    Err(err) => {
                        stopped = true;
                        Outcome::Failed(err)
                    }
                }
            }
        };
        outcomes.push((change.clone(), outcome));
    }
    ApplyReport {
        outcomes,
        warnings,
        interrupted,
    }
}

/// The targets whose writes GitHub may refuse one by one (`perform_switches`).
fn is_switches(target: &Target) -> bool {
    matches!(
        target,
        Target::RepositorySettings(_) | Target::Security(_) | Target::Actions(_)
    )
}

impl ApplyReport {
    /// Marks what GitHub refused in a plan made after apply: those changes of the same
    /// address are drift `apply` cannot fix, with GitHub's words as the reason.
    pub fn mark_refused(&self, plan: &mut Plan) {
        for (refused, outcome) in &self.outcomes {
            let Outcome::Refused(refusals) = outcome else {
                continue;
            };
            let reason = refusals
                .iter()
                .map(|r| format!("{}: {}", r.path, r.message))
                .collect::<Vec<_>>()
                .join("; ");
            for change in plan
                .changes
                .iter_mut()
                .filter(|c| c.address == refused.address && c.applies())
            {
                change.refuse(reason.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests;
