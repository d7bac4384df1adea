//! Exceptions (DESIGN §9): drift accepted until a date, with a reason.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One accepted drift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// A plan address (`branches.main`), optionally followed by `.` and a diff path
    /// (`branches.main.pull_request.required_approvals`).
    pub path: String,
    /// The live value accepted, as the plan shows it; `any` (default) accepts every value.
    #[serde(default = "any", skip_serializing_if = "is_any")]
    pub allow: Value,
    /// Why, for the people reading the plan.
    #[schemars(length(min = 1))]
    pub reason: String,
    /// Until when: a date (to the end of that day, UTC) or an RFC 3339 time.
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
