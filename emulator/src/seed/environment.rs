//! Deployment environments in the seed format: protection rules, reviewers and deployment
//! branch policies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::yes;

/// A deployment environment, in a shape close to the environment PUT body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentSeed {
    /// Minutes to wait before deploying (0..=43200).
    #[serde(default)]
    pub wait_timer: u64,
    /// Whether a reviewer may not approve their own deployment.
    #[serde(default)]
    pub prevent_self_review: bool,
    /// Required reviewers (at most 6).
    #[serde(default)]
    pub reviewers: Vec<ReviewerSeed>,
    /// Whether administrators may bypass the protection rules (default `true`).
    #[serde(default = "yes")]
    pub can_admins_bypass: bool,
    /// `null` (all branches) or `{protected_branches, custom_branch_policies}`.
    #[serde(default)]
    pub deployment_branch_policy: Option<DeploymentBranchPolicySeed>,
    /// Custom deployment branch policies (needs `custom_branch_policies: true`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub branch_policies: Vec<BranchPolicySeed>,
    /// Secret names (seeded with an empty value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    /// Variables by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, String>,
}

impl Default for EnvironmentSeed {
    fn default() -> Self {
        Self {
            wait_timer: 0,
            prevent_self_review: false,
            reviewers: Vec::new(),
            can_admins_bypass: true,
            deployment_branch_policy: None,
            branch_policies: Vec::new(),
            secrets: Vec::new(),
            variables: BTreeMap::new(),
        }
    }
}

/// A required reviewer: by id (`{"type": "User", "id": 1}`, the API's shape) or by name
/// (`{"user": "octocat"}`, `{"team": "release-managers"}`). [`crate::Emulator::state`] writes
/// names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ReviewerSeed {
    /// A user by login.
    User {
        /// Login.
        user: String,
    },
    /// A team by slug.
    Team {
        /// Slug.
        team: String,
    },
    /// A user or team by id.
    ById {
        /// `"User"` or `"Team"`.
        #[serde(rename = "type")]
        kind: String,
        /// Numeric id.
        id: u64,
    },
}

/// `{protected_branches, custom_branch_policies}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentBranchPolicySeed {
    /// Only protected branches may deploy.
    pub protected_branches: bool,
    /// Only branches matching the custom policies may deploy.
    pub custom_branch_policies: bool,
}

/// A custom deployment branch policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchPolicySeed {
    /// Name pattern (Ruby `File.fnmatch` syntax).
    pub name: String,
    /// `"branch"` (default) or `"tag"`.
    #[serde(rename = "type", default = "branch_type")]
    pub kind: String,
}

fn branch_type() -> String {
    "branch".into()
}
