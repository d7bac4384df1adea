//! Executing a plan: the changes it lists, in its order, one write at a time.
//!
//! There is no diffing here and no dry-run flag: the plan *is* the dry run. Writes are
//! never retried blindly; on the first failure, writing stops, and the report says for
//! every change whether it was applied, failed (with GitHub's message) or not attempted,
//! so a rerun (which plans afresh) converges.

use crate::github::write::Writer;
use crate::plan::{Change, Plan};

/// What happened to one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// GitHub accepted the write(s).
    Applied,
    /// The write failed; nothing after it was attempted.
    Failed(crate::Error),
    /// Not attempted because an earlier write failed.
    NotAttempted,
    /// `apply` cannot make this change (the plan says why).
    Inapplicable,
}

/// The account of an apply: one outcome per plan change, in plan order.
#[derive(Debug, Clone)]
pub struct ApplyReport {
    /// Each change with its outcome.
    pub outcomes: Vec<(Change, Outcome)>,
    /// What GitHub accepted but did differently (e.g. users dropped from a restriction).
    pub warnings: Vec<String>,
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
            .filter(|(_, o)| *o == Outcome::Applied)
            .count()
    }
}

/// Executes the applicable changes of `plan`, in order. The writer paces its requests.
pub async fn execute(plan: &Plan, writer: &Writer<'_>) -> ApplyReport {
    let mut outcomes = Vec::with_capacity(plan.changes.len());
    let mut warnings = Vec::new();
    let mut stopped = false;
    for change in &plan.changes {
        let outcome = if !change.applicable {
            Outcome::Inapplicable
        } else if stopped {
            Outcome::NotAttempted
        } else {
            match writer.write(change).await {
                Ok(mut more) => {
                    warnings.append(&mut more);
                    Outcome::Applied
                }
                Err(err) => {
                    stopped = true;
                    Outcome::Failed(err.into())
                }
            }
        };
        outcomes.push((change.clone(), outcome));
    }
    ApplyReport { outcomes, warnings }
}
