//! The diff: a pure function from (desired, live) to a `Plan`. No I/O, no async.
//!
//! For every resource that differs it builds, from the same comparison, two things: the
//! `FieldDiff`s a person reads (`leaves`: paths and values in policy terms) and the
//! `Target` `apply` executes (typed, with every id resolved from what the reader learnt).
//! One file per resource kind.

mod branch;
mod checks;
mod environment;
mod exceptions;
mod guard;
mod handover;
mod leaves;
mod managed;
mod prediction;
mod requirement;
mod ruleset;
mod switches;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use crate::model::RepoSettings;
use crate::model::live::LiveState;
use crate::plan::{Action, Address, Change, Disposition, FieldDiff, Plan, Target};

pub use branch::REASON_BRANCH_MISSING;
pub use environment::REASON_SECRET_VALUE;
pub use guard::{Shortfall, shortfalls};
pub use managed::managed_resources;
pub use prediction::{policy_evidence, predicted, predicted_evidence};

/// The environment variables that hold a value here (set and not empty): which secrets
/// `apply` could create where the plan is made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretSources {
    available: BTreeSet<String>,
}

impl SecretSources {
    /// Returns sources with exactly these variables set.
    pub fn of<I: IntoIterator<Item = S>, S: Into<String>>(vars: I) -> Self {
        Self {
            available: vars.into_iter().map(Into::into).collect(),
        }
    }

    /// Returns true when the variable holds a value.
    pub fn has(&self, var: &str) -> bool {
        self.available.contains(var)
    }
}

/// What a plan depends on besides the two sides: where it is made.
#[derive(Debug, Clone)]
pub struct Context {
    /// The secret values available here.
    pub sources: SecretSources,
    /// The time exceptions are judged at.
    pub now: time::OffsetDateTime,
}

impl Default for Context {
    /// No secret values, and the real clock.
    fn default() -> Self {
        Self {
            sources: SecretSources::default(),
            now: time::OffsetDateTime::now_utc(),
        }
    }
}

/// Compares the policy with the live state and returns every change, in apply order, with
/// the drift active exceptions accept marked (and left out of the writes).
pub fn plan(repository: &str, desired: &RepoSettings, live: &LiveState, context: &Context) -> Plan {
    let mut plan = compare(repository, desired, live, &context.sources);
    if !desired.exceptions.is_empty() {
        let warnings = crate::plan::exceptions::mark::mark(&mut plan, desired, context.now);
        plan.warnings.extend(warnings);
        exceptions::withhold(&mut plan, desired, live);
        // A setting an exception holds at its live value lowers nothing.
        let held: BTreeSet<String> = plan
            .changes
            .iter()
            .flat_map(|change| {
                change
                    .diffs
                    .iter()
                    .filter(|diff| diff.excepted.is_some())
                    .map(|diff| format!("{}.{}", change.address, diff.path))
            })
            .collect();
        plan.contradictions.retain(|found| {
            found.lowered_by.is_empty()
                || !found
                    .lowered_by
                    .iter()
                    .all(|path| held.contains(&crate::policy::Dotted(path).to_string()))
        });
    }
    for change in &mut plan.changes {
        crate::protection::weakening::settle(change);
    }
    plan
}

/// Compares the two sides, exceptions aside.
fn compare(
    repository: &str,
    desired: &RepoSettings,
    live: &LiveState,
    sources: &SecretSources,
) -> Plan {
    let mut changes = Vec::new();
    let mut contradictions = Vec::new();
    branch::diff(desired, live, &mut changes);
    environment::diff(desired, live, sources, &mut changes);
    ruleset::diff(desired, live, &mut changes);
    handover::hand_over(desired, live, &mut changes);
    requirement::diff(desired, live, &mut changes, &mut contradictions);
    switches::diff(desired, live, &mut changes);
    Plan {
        repository: repository.to_owned(),
        changes,
        requirements: requirement::reports(desired, live),
        warnings: live.gaps.iter().map(gap_warning).collect(),
        contradictions,
        gaps: live.gaps.clone(),
        findings: crate::protection::findings::Findings::default(),
    }
}

/// A gap as a person reads it.
fn gap_warning(gap: &crate::plan::Gap) -> String {
    format!(
        "{}: GitHub hides its {} from this token, so they are not compared (the token needs \"{}\")",
        crate::output::untrusted::escape(&gap.address.to_string()),
        gap.what.words(),
        gap.permission
    )
}

/// A name whose id the reader did not learn. A plan against GitHub resolves every name it
/// writes, or fails; a plan from a state file (`offline`) resolves none, and its changes are
/// shown as they would be planned against GitHub, without a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    what: String,
    offline: bool,
}

impl Unresolved {
    /// Returns the unresolved name `what` (e.g. "app `x`") as the identities saw it.
    pub fn new(what: impl Into<String>, ids: &crate::model::live::Identities) -> Self {
        Self {
            what: what.into(),
            offline: ids.offline,
        }
    }
}

/// Returns a change; one whose target could not be resolved is not applicable, saying why.
/// One that lowers protection as a whole is marked weakening (see `Disposition::Weakening`).
fn change(
    address: Address,
    action: Action,
    diffs: Vec<FieldDiff>,
    target: Result<Target, Unresolved>,
) -> Change {
    let target = match target {
        Ok(target) => Some(target),
        Err(Unresolved { offline: true, .. }) => None,
        Err(Unresolved { what, .. }) => {
            let reason = format!("the id of {what} is not known");
            return Change {
                diffs,
                ..inapplicable(address, action, reason)
            };
        }
    };
    let disposition = if crate::protection::weakening::whole_change_lowers(address.kind(), action) {
        Disposition::Weakening(target)
    } else {
        Disposition::Applicable(target)
    };
    Change {
        address,
        action,
        diffs,
        disposition,
        note: None,
    }
}

/// Returns a change `apply` cannot make, saying why.
fn inapplicable(address: Address, action: Action, reason: String) -> Change {
    Change {
        address,
        action,
        diffs: Vec::new(),
        disposition: Disposition::Inapplicable(crate::plan::Refusal(Some(reason))),
        note: None,
    }
}
