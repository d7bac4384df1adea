//! What weakens protection (DESIGN §11), in one place.
//!
//! A change weakens protection when the state `apply` leaves is less protective than live.
//! Every setting the diff shows declares how it protects — a [`Protects`], which `Leaves`
//! asks for with each setting, so no setting can be added without saying it — and this
//! module holds the one rule that says, for each way of protecting, which changes lower it
//! ([`lowers`]), which whole changes do ([`whole_change_lowers`], [`pattern_added_lowers`]),
//! and what of a plan counts ([`settle`], which gives a change its `Disposition::Weakening`,
//! and [`diff_weakens`]): only what `apply` would write, so never excepted drift and never a
//! change it cannot make.
//!
//! The repository-wide sections (§12) say it the same way: a security feature turned off
//! (`WhenOn`), Actions widened (`ALLOWED_ACTIONS`, allowed actions added, Actions turned on,
//! pull request approval by workflows allowed) and a `write` token (`WORKFLOW_PERMISSIONS`).
//!
//! `refusal` words the list of weakening changes for `apply`'s refusal and its question.

mod refusal;

use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::DeploymentBranches;
use crate::plan::{
    Action, Change, Disposition, FieldDiff, Handover, ProtectionWrite, ResourceKind, Target,
};

pub use refusal::{Weakening, listed, refusal};

/// How a setting protects: which way of changing it lowers protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protects {
    /// It is not protection (a variable's value).
    Nothing,
    /// A count or a duration: lower weakens (required approvals, a wait timer).
    AtLeast,
    /// On protects: turning it off weakens (`enforce_admins`, `strict`, …).
    WhenOn,
    /// Off protects: turning it on weakens (`allow_force_pushes`, `can_admins_bypass`).
    WhenOff,
    /// A section whose presence protects (`pull_request: required`): removing it weakens.
    Present,
    /// A set each of whose items protects: removing one weakens (reviewers, `include`
    /// patterns, required deployments).
    EachItem,
    /// A set each of whose items loosens: adding one weakens (bypass allowances, `exclude`
    /// patterns, allowed merge methods).
    NoItem,
    /// Required checks: removing one, or unpinning it from its app, weakens.
    Checks,
    /// Ruleset bypass actors: adding one, or widening its mode (`pull_request` → `always`
    /// → `exempt`), weakens.
    Actors,
    /// Who may do something, where that is restricted (push restrictions, who may dismiss
    /// reviews): lifting the restriction, or letting more in, weakens. `restricted` says
    /// whether this side restricts at all.
    Allowlist {
        /// This side restricts.
        restricted: bool,
    },
    /// One of these values, strongest first: a weaker one weakens, and so does any change
    /// from a value not in the list (GitHub's, unknown to gh-policy: it cannot tell).
    Ranked(&'static [&'static str]),
    /// Its direction is not known (a parameter of a rule type gh-policy does not model, a
    /// ruleset's target): any change may lower protection, so any change counts.
    AnyChange,
}

/// Enforcement of a ruleset, strongest first.
pub const ENFORCEMENT: &[&str] = &["active", "evaluate", "disabled"];

/// `restrict_updates` as the plan shows it, strongest first.
pub const RESTRICT_UPDATES: &[&str] = &["true", r#"{"allow_fetch_and_merge":true}"#, "false"];

/// Deployment branches of an environment, narrowest first: custom patterns name their refs,
/// protected branches may be many, every ref is the widest.
pub const DEPLOYMENT_BRANCHES: &[&str] = &["custom", "protected", "all"];

/// Which actions may run (DESIGN §12), narrowest first: widening them weakens.
pub const ALLOWED_ACTIONS: &[&str] = &["local_only", "selected", "all"];

/// The default permissions of `GITHUB_TOKEN`, narrowest first: `read` → `write` weakens.
pub const WORKFLOW_PERMISSIONS: &[&str] = &["read", "write"];

/// One side of a setting as the diff flattened it.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// Its value.
    pub value: &'a Value,
    /// How it protects.
    pub protects: Protects,
}

/// Returns true when changing a setting from `live` to `policy` lowers protection. A side
/// that lacks the setting has its `default` (a section that is not there is absent).
pub fn lowers(live: Option<Side<'_>>, policy: Option<Side<'_>>, default: Option<&Value>) -> bool {
    let Some(protects) = policy.or(live).map(|side| side.protects) else {
        return false;
    };
    let null = Value::Null;
    let absent = default.unwrap_or(&null);
    let have = live.map_or(absent, |side| side.value);
    let want = policy.map_or(absent, |side| side.value);
    match protects {
        Protects::Nothing => false,
        // A setting that was not there lowers nothing when it comes.
        Protects::AnyChange => live.is_some() && have != want,
        Protects::AtLeast => number(want) < number(have),
        Protects::WhenOn => have == &Value::Bool(true) && want != &Value::Bool(true),
        Protects::WhenOff => have != &Value::Bool(true) && want == &Value::Bool(true),
        Protects::Present => live.is_some() && policy.is_none(),
        Protects::EachItem => !items(have).iter().all(|item| items(want).contains(item)),
        Protects::NoItem => !items(want).iter().all(|item| items(have).contains(item)),
        Protects::Checks => items(have)
            .iter()
            .any(|live| !items(want).iter().any(|wanted| check_holds(wanted, live))),
        Protects::Actors => items(want)
            .iter()
            .any(|wanted| !items(have).iter().any(|live| actor_covers(live, wanted))),
        Protects::Allowlist { .. } => {
            let restricted = |side: Option<Side<'_>>| {
                matches!(
                    side,
                    Some(Side {
                        protects: Protects::Allowlist { restricted: true },
                        ..
                    })
                )
            };
            restricted(live)
                && (!restricted(policy)
                    || !items(want).iter().all(|item| items(have).contains(item)))
        }
        Protects::Ranked(order) => {
            let rank = |value: &Value| {
                let key = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                order.iter().position(|known| *known == key)
            };
            match (rank(have), rank(want)) {
                (Some(have), Some(want)) => want > have,
                _ => have != want,
            }
        }
    }
}

/// Returns true when a whole change lowers protection, whatever its settings: deleting a
/// branch's classic protection, a ruleset or an environment.
pub fn whole_change_lowers(kind: ResourceKind, action: Action) -> bool {
    action == Action::Delete
        && matches!(
            kind,
            ResourceKind::BranchProtection | ResourceKind::Ruleset | ResourceKind::Environment
        )
}

/// Returns true when adding a deployment pattern to an environment whose live deployment
/// branches are these widens them: only a live custom list grows (a list that replaces
/// `all` or protected branches names the refs it lets in).
pub fn pattern_added_lowers(live: &DeploymentBranches) -> bool {
    matches!(live, DeploymentBranches::Custom(_))
}

/// Settles whether `apply` making this change weakens protection, once the plan knows
/// everything else of it: a change that is applicable (not accepted by an exception, not
/// refused) and lowers protection as a whole (the diff marked it `Weakening`) or through one
/// of its settings that is not excepted. What is created lowers nothing through its
/// settings: it was not there. Requirements are checks, never writes. Classic protection
/// that rulesets of the same plan replace whole (written first, and confirmed in force
/// before the removal) lowers nothing: the branch's effective protection does not drop
/// (DESIGN §14).
pub fn settle(change: &mut Change) {
    let whole = match &change.disposition {
        Disposition::Weakening(_) => true,
        Disposition::Applicable(_) => false,
        Disposition::Inapplicable(_) | Disposition::Excepted { .. } => return,
    };
    let weakens = change.kind() != ResourceKind::Requirement
        && !replaced_whole(change)
        && (whole
            || change
                .diffs
                .iter()
                .any(|diff| setting_lowers(change.action, diff)));
    let (Disposition::Applicable(target) | Disposition::Weakening(target)) =
        std::mem::replace(&mut change.disposition, Disposition::Applicable(None))
    else {
        return;
    };
    change.disposition = if weakens {
        Disposition::Weakening(target)
    } else {
        Disposition::Applicable(target)
    };
}

/// Returns true when this setting of a weakening change is one that weakens protection
/// (see [`settle`]).
pub fn diff_weakens(change: &Change, diff: &FieldDiff) -> bool {
    change.weakens() && setting_lowers(change.action, diff)
}

/// A setting, not excepted, of a change that does not create the resource, lowers
/// protection.
fn setting_lowers(action: Action, diff: &FieldDiff) -> bool {
    action != Action::Create && diff.lowers && diff.excepted.is_none()
}

/// The handover of a classic protection removal, if rulesets protect the branch after it
/// (`diff` works it out, DESIGN §14).
pub fn handover_of(change: &Change) -> Option<&Handover> {
    match change.target() {
        Some(Target::BranchProtection {
            write: ProtectionWrite::Remove {
                handover: Some(handover),
            },
            ..
        }) => Some(handover),
        _ => None,
    }
}

/// Returns true when a change removes classic protection that rulesets replace whole — those
/// the plan writes first and those in force it leaves — every setting of the branch's
/// effective protection, its lock, no bypass where it allowed none: a removal that lowers
/// nothing.
pub fn replaced_whole(change: &Change) -> bool {
    handover_of(change).is_some_and(Handover::complete)
}

/// A count as a number (absent, `null` or not a number: 0).
fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

/// A list as its items (absent or `null`: none; a single value: itself).
fn items(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// A required check as the plan shows it: its context and, when pinned, the app.
fn check_parts(check: &Value) -> (Option<&str>, Option<String>) {
    match check {
        Value::String(context) => (Some(context), None),
        Value::Object(map) => (
            map.get("context").and_then(Value::as_str),
            map.get("app")
                .or_else(|| map.get("app_id"))
                .map(Value::to_string),
        ),
        _ => (None, None),
    }
}

/// Returns true when the wanted check requires at least what the live one does: the same
/// context, and where the live one is pinned, the same app.
fn check_holds(wanted: &Value, live: &Value) -> bool {
    let (want_context, want_app) = check_parts(wanted);
    let (have_context, have_app) = check_parts(live);
    want_context.is_some()
        && want_context == have_context
        && (have_app.is_none() || want_app == have_app)
}

/// How widely an actor may bypass: `pull_request` only, `always` (written as no mode), or
/// `exempt` (the rules do not run for it). A mode gh-policy does not know ranks lowest, so
/// that any known mode in its place counts as a widening it cannot rule out.
fn bypass_reach(actor: &Value) -> u8 {
    match actor.get("mode").and_then(Value::as_str) {
        None => 2,
        Some("pull_request") => 1,
        Some("exempt") => 3,
        Some(_) => 0,
    }
}

/// Returns true when a live actor already allows what the wanted one would: the same actor
/// (its keys but the mode), at least as widely.
fn actor_covers(live: &Value, wanted: &Value) -> bool {
    let identity = |actor: &Value| -> BTreeSet<(String, String)> {
        actor
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(key, _)| key.as_str() != "mode")
            .map(|(key, value)| (key.clone(), value.to_string()))
            .collect()
    };
    identity(live) == identity(wanted) && bypass_reach(live) >= bypass_reach(wanted)
}

#[cfg(test)]
mod tests;
