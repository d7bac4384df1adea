//! Classic branch protection of one branch, in policy terms.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{default_true, is_false, is_true, is_zero_u8};
use crate::model::names::{Login, Slug};

/// Classic branch protection of one branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [{
    "if": { "properties": { "protected": { "const": false } }, "required": ["protected"] },
    "then": {
        "propertyNames": { "const": "protected" },
        "x-message": "`protected: false` cannot be combined with other settings: remove them, or remove `protected: false`"
    }
}]))]
pub struct Branch {
    /// `false` declares that the branch must have no classic protection at all; it cannot be
    /// combined with any other setting. Default `true`.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub protected: bool,

    /// Require a pull request before merging. Absent or `null`: pull requests are not required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<PullRequestRules>,

    /// Require status checks to pass before merging. Absent or `null`: no required checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_checks: Option<StatusChecks>,

    /// Apply the rules to administrators too. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub enforce_admins: bool,

    /// Refuse merge commits. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_linear_history: bool,

    /// Allow force pushes by anyone with push access. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_force_pushes: bool,

    /// Allow the branch to be deleted. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_deletions: bool,

    /// Block creation of matching branches (only meaningful with `push_restrictions`).
    /// GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub block_creations: bool,

    /// Require every review conversation to be resolved before merging. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_conversation_resolution: bool,

    /// Require signed commits. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_signatures: bool,

    /// Make the branch read-only. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub lock_branch: bool,

    /// Let users pull changes from upstream into a locked fork branch. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_fork_syncing: bool,

    /// Only these users, teams and apps may push (organisation repositories only).
    /// Absent: anyone with write access may push.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_restrictions: Option<Actors>,
}

impl Default for Branch {
    fn default() -> Self {
        Self {
            protected: true,
            pull_request: None,
            status_checks: None,
            enforce_admins: false,
            required_linear_history: false,
            allow_force_pushes: false,
            allow_deletions: false,
            block_creations: false,
            required_conversation_resolution: false,
            required_signatures: false,
            lock_branch: false,
            allow_fork_syncing: false,
            push_restrictions: None,
        }
    }
}

impl Branch {
    /// Returns the declaration of a branch that has no classic protection.
    pub fn unprotected() -> Self {
        Self {
            protected: false,
            ..Self::default()
        }
    }
}

/// Pull request review requirements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PullRequestRules {
    /// Approving reviews required before merging, 0 to 6. GitHub default: `0`.
    #[serde(default, skip_serializing_if = "is_zero_u8")]
    #[schemars(
        range(min = 0, max = crate::model::limits::MAX_REQUIRED_APPROVALS),
        extend("x-expected" = "an integer from 0 to 6")
    )]
    pub required_approvals: u8,

    /// Dismiss approvals when new commits are pushed. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub dismiss_stale_reviews: bool,

    /// Require a review from a code owner. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_code_owner_reviews: bool,

    /// Require approval of the most recent push by someone other than its author.
    /// GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_last_push_approval: bool,

    /// Who may dismiss reviews (organisation repositories only). Empty: repository admins
    /// and users with write access, GitHub's default.
    #[serde(default, skip_serializing_if = "Actors::is_empty")]
    pub dismissal_restrictions: Actors,

    /// Who may merge without meeting the pull request requirements. GitHub default: nobody.
    #[serde(default, skip_serializing_if = "Actors::is_empty")]
    pub bypass: Actors,
}

/// Users (by login), teams (by slug) and GitHub Apps (by slug). Each list is a set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actors {
    /// User logins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<Login>,
    /// Team slugs in the repository's organisation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Slug>,
    /// GitHub App slugs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<Slug>,
}

impl Actors {
    /// Returns true when no user, team or app is listed.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.teams.is_empty() && self.apps.is_empty()
    }
}

/// Required status checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChecks {
    /// Require the branch to be up to date with the base branch before merging.
    /// GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,

    /// The checks that must pass. A set: order and duplicates do not matter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<RequiredCheck>,
}

/// One required status check: a bare context name (satisfied by any app), or a context
/// pinned to one GitHub App by `app` (slug) or `app_id`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "super::forms::CheckForm", into = "super::forms::CheckForm")]
pub struct RequiredCheck {
    /// The check's name as reported by CI (for Actions: the job's name).
    pub context: String,
    /// Pinned to the GitHub App with this slug.
    pub app: Option<Slug>,
    /// Pinned to the GitHub App with this id.
    pub app_id: Option<i64>,
}

impl RequiredCheck {
    /// Returns a check satisfied by the given context from any app.
    pub fn any_app(context: impl Into<String>) -> Self {
        Self {
            context: context.into(),
            app: None,
            app_id: None,
        }
    }

    /// Returns true when the check names a specific app.
    pub fn is_pinned(&self) -> bool {
        self.app.is_some() || self.app_id.is_some()
    }
}
