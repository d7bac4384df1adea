//! Deployment environments (`…/environments[/{name}]`) and their deployment branch
//! policies (`…/deployment-branch-policies`).

use serde::{Deserialize, Serialize};

use crate::model::names::EnvironmentName;

/// `environment`: one item of GET `…/environments`, or GET `…/environments/{name}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Environment {
    /// The environment's name (an answer naming one against the rule is malformed).
    pub name: EnvironmentName,
    /// Its protection rules (wait timer, required reviewers, branch policy).
    #[serde(default)]
    pub protection_rules: Vec<ProtectionRule>,
    /// Which refs may deploy; `null` means any.
    #[serde(default)]
    pub deployment_branch_policy: Option<BranchPolicySettings>,
    /// Not in the 2022-11-28 description, but sent by the live API
    /// (emulator/github-api/QUIRKS.md 31).
    #[serde(default)]
    pub can_admins_bypass: Option<bool>,
}

/// One protection rule of an environment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProtectionRule {
    /// `wait_timer`, `required_reviewers` or `branch_policy`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Minutes, for `wait_timer`.
    #[serde(default)]
    pub wait_timer: Option<u32>,
    /// For `required_reviewers`.
    #[serde(default)]
    pub prevent_self_review: Option<bool>,
    /// For `required_reviewers`.
    #[serde(default)]
    pub reviewers: Vec<ReviewerEntry>,
}

/// One required reviewer as GET lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReviewerEntry {
    /// `User` or `Team`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The user or team.
    #[serde(default)]
    pub reviewer: Option<ReviewerObject>,
}

/// A reviewer's identity.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReviewerObject {
    /// The numeric id.
    #[serde(default)]
    pub id: Option<u64>,
    /// A user's login.
    #[serde(default)]
    pub login: Option<String>,
    /// A team's slug.
    #[serde(default)]
    pub slug: Option<String>,
}

/// `deployment_branch_policy` of an environment, in answers and PUT bodies alike.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct BranchPolicySettings {
    /// Only protected branches.
    #[serde(default)]
    pub protected_branches: bool,
    /// Only refs matching custom patterns.
    #[serde(default)]
    pub custom_branch_policies: bool,
}

/// The body of PUT `…/environments/{name}`. A key left out keeps its live value
/// (emulator/github-api/QUIRKS.md 32), so each optional key is sent only when it must be.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct EnvironmentRequest {
    /// Minutes to wait.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_timer: Option<u32>,
    /// The person who triggered a deployment cannot approve it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prevent_self_review: Option<bool>,
    /// Required reviewers; `Some(None)` sends `null`, which clears them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewers: Option<Option<Vec<ReviewerRequest>>>,
    /// Which refs may deploy; `null` means any. Always sent.
    pub deployment_branch_policy: Option<BranchPolicySettings>,
    /// Administrators may bypass (not in the 2022-11-28 description;
    /// emulator/github-api/QUIRKS.md 31).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_admins_bypass: Option<bool>,
}

/// A reviewer in a PUT body: by type and numeric id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewerRequest {
    /// `User` or `Team`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The numeric id.
    pub id: u64,
}

/// `deployment-branch-policy`: one item of GET `…/deployment-branch-policies`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DeploymentBranchPolicy {
    /// The policy's id, needed to delete it.
    pub id: u64,
    /// The name pattern.
    pub name: String,
    /// `branch` or `tag`; the official list example leaves it out, meaning `branch`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// The body of POST `…/deployment-branch-policies`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeploymentBranchPolicyRequest {
    /// The name pattern.
    pub name: String,
    /// `branch` or `tag`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}
