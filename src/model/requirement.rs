//! Requirements (DESIGN §8): what must hold on a branch, whichever mechanism provides it —
//! classic protection, the repository's rulesets or the organisation's. Floors, never
//! ceilings: `false`, `0` and empty ask for nothing.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{RequiredCheck, is_false};

/// What must hold on one branch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// At least this many approving reviews, 0 to 10.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[schemars(range(min = 0, max = 10))]
    pub required_approvals: u8,
    /// These checks must be required (a set; a pinned check only by that app).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_checks: Vec<RequiredCheck>,
    /// New commits dismiss approvals.
    #[serde(default, skip_serializing_if = "is_false")]
    pub dismiss_stale_reviews: bool,
    /// A code owner must approve.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_code_owner_reviews: bool,
    /// The last push must be approved by someone else.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_last_push_approval: bool,
    /// Review conversations resolved before merging.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_conversation_resolution: bool,
    /// The branch must be up to date before merging.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,
    /// Force pushes are blocked.
    #[serde(default, skip_serializing_if = "is_false")]
    pub block_force_pushes: bool,
    /// Deleting the branch is blocked.
    #[serde(default, skip_serializing_if = "is_false")]
    pub restrict_deletions: bool,
    /// No merge commits.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_linear_history: bool,
    /// Signed commits only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_signatures: bool,
    /// Nobody may bypass the sources that provide these requirements.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_bypass: bool,
}

/// The on/off requirements by name, in declaration order.
pub const FLAGS: [&str; 9] = [
    "dismiss_stale_reviews",
    "require_code_owner_reviews",
    "require_last_push_approval",
    "required_conversation_resolution",
    "strict",
    "block_force_pushes",
    "restrict_deletions",
    "required_linear_history",
    "required_signatures",
];

impl Requirement {
    /// Returns an on/off requirement by its name in [`FLAGS`].
    pub fn flag(&self, name: &str) -> bool {
        match name {
            "dismiss_stale_reviews" => self.dismiss_stale_reviews,
            "require_code_owner_reviews" => self.require_code_owner_reviews,
            "require_last_push_approval" => self.require_last_push_approval,
            "required_conversation_resolution" => self.required_conversation_resolution,
            "strict" => self.strict,
            "block_force_pushes" => self.block_force_pushes,
            "restrict_deletions" => self.restrict_deletions,
            "required_linear_history" => self.required_linear_history,
            "required_signatures" => self.required_signatures,
            _ => false,
        }
    }

    /// Returns the floors of both: the higher count, each flag on in either, every check.
    #[must_use]
    pub fn stricter(&self, other: &Self) -> Self {
        let mut checks = self.required_checks.clone();
        for check in &other.required_checks {
            if !checks.contains(check) {
                checks.push(check.clone());
            }
        }
        Self {
            required_approvals: self.required_approvals.max(other.required_approvals),
            required_checks: checks,
            dismiss_stale_reviews: self.dismiss_stale_reviews || other.dismiss_stale_reviews,
            require_code_owner_reviews: self.require_code_owner_reviews
                || other.require_code_owner_reviews,
            require_last_push_approval: self.require_last_push_approval
                || other.require_last_push_approval,
            required_conversation_resolution: self.required_conversation_resolution
                || other.required_conversation_resolution,
            strict: self.strict || other.strict,
            block_force_pushes: self.block_force_pushes || other.block_force_pushes,
            restrict_deletions: self.restrict_deletions || other.restrict_deletions,
            required_linear_history: self.required_linear_history || other.required_linear_history,
            required_signatures: self.required_signatures || other.required_signatures,
            no_bypass: self.no_bypass || other.no_bypass,
        }
    }
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
fn is_zero(value: &u8) -> bool {
    *value == 0
}
