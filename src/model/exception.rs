//! Exceptions (DESIGN §9): drift accepted until a date, with a reason.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::names::Text;

/// One accepted drift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// A plan address (`branches.main`), optionally followed by `.` and a diff path
    /// (`branches.main.pull_request.required_approvals`). Absent for an exception that
    /// accepts a finding (`finding`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// The id of a finding this exception accepts (DESIGN §13), e.g. `not-enough-reviewers`;
    /// then `target` names what it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    /// The target of the accepted finding, as the plan shows it: `branches.main`,
    /// `environments.production`, `rulesets.protect-main`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Text>,
    /// The live value accepted, as the plan shows it; `any` (default) accepts every value.
    #[serde(default = "any", skip_serializing_if = "is_any")]
    pub allow: Value,
    /// Why, for the people reading the plan.
    #[schemars(length(min = 1))]
    pub reason: String,
    /// Until when: a date (to the end of that day, UTC) or an RFC 3339 time.
    pub expires: String,
}

/// An exception as a plan or a finding shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionNote {
    /// Why the drift is accepted.
    pub reason: String,
    /// Until when, as written in the policy.
    pub expires: String,
}

fn any() -> Value {
    Value::String("any".to_owned())
}

fn is_any(value: &Value) -> bool {
    *value == any()
}

impl Exception {
    /// Returns true when the exception accepts this live value.
    pub fn allows(&self, live: &Value) -> bool {
        is_any(&self.allow) || self.allow == *live
    }
}
