//! The JSON plan (`plan --format json`), for scripts; DESIGN.md §3 is its contract.
//!
//! One pretty-printed object, followed by a newline:
//!
//! ```json
//! {
//!   "repository": "acme/katz-backend",
//!   "in_sync": false,
//!   "summary": { "create": 2, "update": 1, "delete": 0 },
//!   "weakens": 0,
//!   "changes": [
//!     { "address": "branches.main", "kind": "branch_protection", "action": "update",
//!       "diffs": [ { "path": "pull_request.required_approvals", "live": 1, "policy": 2 } ] },
//!     { "address": "environments.staging.secrets.SSH_HOST", "kind": "secret",
//!       "action": "create", "diffs": [],
//!       "applicable": false, "reason": "secret values are not in the policy" }
//!   ]
//! }
//! ```
//!
//! - Keys appear in exactly this order. `in_sync` is true when `changes` is empty (but for
//!   excepted ones).
//! - `summary` counts every change by its `action`, applicable or not, except the excepted
//!   ones, which only `summary.excepted` counts (absent when 0); `weakens` beside it
//!   counts the changes that weaken protection (DESIGN §11), which `apply --yes` refuses
//!   without `--allow-weakening`. Such a change, and each of its settings that lowers
//!   protection, carries `"weakens": true` (absent otherwise). Excepted drift and changes
//!   `apply` cannot make never weaken.
//! - `contradictions` (only when there are some) lists the requirements met live that the
//!   plan would break: `{address, branch, setting, floor, live, after, lowered_by}`; such a
//!   plan is an error.
//! - A requirement's diffs always carry `sources`, `[]` when nothing provides it.
//! - `gaps` (only when there are some) names what the token cannot read of what the policy
//!   manages, `{address, what, permission}`: not compared, never guessed, never written over.
//! - `kind` is one of `branch_protection`, `environment`, `deployment_branch_policy`,
//!   `secret`, `variable`, `ruleset`, `requirement`; `action` one of `create`, `update`,
//!   `delete`.
//! - `diffs[].path` is dotted from the resource, in policy terms; `live` and `policy` are
//!   the two values as JSON, `null` where a side has none. Objects inside them have sorted
//!   keys, so the output is byte-stable.
//! - A diff may also carry `sources` (a requirement's), `note`, `excepted` or
//!   `exception_expired` (`{reason, expires}` of the exception) and `weakens`.
//! - `requirements` (when the policy has some) lists every requirement as judged on the
//!   live repository: `{address, branch, settings: [{setting, met, value, floor, sources}]}`.
//! - `applicable` and `reason` appear only on a change `apply` cannot make; there
//!   `applicable` is `false` and `reason` says why (`null` if no reason is known).
//! - `excepted: true` appears only on a change active exceptions accept whole (every one of
//!   its settings, or the resource itself): it is not drift.
//! - `note` appears only on a change that has one: something a reviewer should know that is
//!   not a setting, such as where a secret's value comes from ("value from environment
//!   variable `PROD_SSH_KEY`") or that a requirement is met by the other changes. It comes
//!   last.
//! - The write a change stands for (its `Disposition`'s target) is never part of the output.
//! - `findings` (only when there are some) lists the rules that can never be met, or that
//!   protect nothing (DESIGN §13): `{id, severity, target, message, sources, fix}`, with
//!   `excepted: {reason, expires}` on one an active exception accepts; `finding_notes` (only
//!   when there are some) says what was not judged and why (a permission the token lacks).
//!   An error finding no exception accepts fails the gate (exit 2) like drift; `in_sync`
//!   stays about drift alone.
//! - The format only gains keys, never loses or renames them.

use std::io::{self, Write};

use serde::Serialize;

use crate::plan::{
    Action, Address, Change, Contradiction, Disposition, FieldDiff, Gap, Plan, Refusal,
    RequirementReport, ResourceKind, Summary,
};
use crate::protection::weakening::diff_weakens;

/// The plan as written, keys in DESIGN.md's order.
#[derive(Serialize)]
struct JsonPlan<'a> {
    repository: &'a str,
    in_sync: bool,
    summary: Summary,
    weakens: usize,
    changes: Vec<JsonChange<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    requirements: &'a [RequirementReport],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    contradictions: &'a [Contradiction],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    gaps: &'a [Gap],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    findings: &'a [crate::protection::findings::Finding],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    finding_notes: &'a [String],
}

/// One change as written.
#[derive(Serialize)]
struct JsonChange<'a> {
    address: &'a Address,
    kind: ResourceKind,
    action: Action,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    weakens: bool,
    diffs: Vec<JsonDiff<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    inapplicable: Option<Inapplicable<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    excepted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

/// One setting as written: the difference, and `weakens` when it lowers protection.
#[derive(Serialize)]
struct JsonDiff<'a> {
    #[serde(flatten)]
    diff: &'a FieldDiff,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    weakens: bool,
}

/// The two keys only a change `apply` cannot make carries.
#[derive(Serialize)]
struct Inapplicable<'a> {
    applicable: bool,
    reason: Option<&'a str>,
}

impl<'a> From<&'a Change> for JsonChange<'a> {
    fn from(change: &'a Change) -> Self {
        let cannot = |refusal: &'a Refusal| Inapplicable {
            applicable: false,
            reason: refusal.0.as_deref(),
        };
        let (weakens, inapplicable, excepted) = match &change.disposition {
            Disposition::Applicable(_) => (false, None, false),
            Disposition::Weakening(_) => (true, None, false),
            Disposition::Inapplicable(refusal) => (false, Some(cannot(refusal)), false),
            Disposition::Excepted { refused, .. } => (false, refused.as_ref().map(cannot), true),
        };
        Self {
            address: &change.address,
            kind: change.kind(),
            action: change.action,
            weakens,
            diffs: change
                .diffs
                .iter()
                .map(|diff| JsonDiff {
                    diff,
                    weakens: diff_weakens(change, diff),
                })
                .collect(),
            inapplicable,
            excepted,
            note: change.note.as_deref(),
        }
    }
}

/// Writes the JSON plan, pretty-printed, with a final newline.
pub(super) fn render(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &json_plan(plan)).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Returns the plan as the JSON document it is written as.
pub(super) fn value(plan: &Plan) -> serde_json::Value {
    serde_json::to_value(json_plan(plan)).unwrap_or(serde_json::Value::Null)
}

fn json_plan(plan: &Plan) -> JsonPlan<'_> {
    JsonPlan {
        repository: &plan.repository,
        in_sync: plan.in_sync(),
        summary: plan.summary(),
        weakens: plan.weakening(),
        changes: plan.changes.iter().map(JsonChange::from).collect(),
        requirements: &plan.requirements,
        contradictions: &plan.contradictions,
        gaps: &plan.gaps,
        findings: &plan.findings.findings,
        finding_notes: &plan.findings.notes,
    }
}
