//! The repository-wide switches (emulator/github-api/QUIRKS.md 58–61): the merge settings and
//! `security_and_analysis` of `GET`/`PATCH /repos/{o}/{r}`, the security endpoints each with
//! its own shape, and the three Actions permission endpoints.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What `GET /repos/{o}/{r}` says of the merge settings. Some keys appear only for users
/// with admin or push access (emulator/github-api/QUIRKS.md 58): absent is unknown, never off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct MergeSettings {
    /// Merge commits allowed.
    pub allow_merge_commit: Option<bool>,
    /// Squash merges allowed.
    pub allow_squash_merge: Option<bool>,
    /// Rebase merges allowed.
    pub allow_rebase_merge: Option<bool>,
    /// Auto-merge allowed.
    pub allow_auto_merge: Option<bool>,
    /// Head branches deleted on merge.
    pub delete_branch_on_merge: Option<bool>,
    /// The update-branch button.
    pub allow_update_branch: Option<bool>,
    /// `PR_TITLE` or `COMMIT_OR_PR_TITLE`.
    pub squash_merge_commit_title: Option<String>,
    /// `PR_BODY`, `COMMIT_MESSAGES` or `BLANK`.
    pub squash_merge_commit_message: Option<String>,
    /// `PR_TITLE` or `MERGE_MESSAGE`.
    pub merge_commit_title: Option<String>,
    /// `PR_BODY`, `PR_TITLE` or `BLANK`.
    pub merge_commit_message: Option<String>,
    /// Web commit sign-off.
    pub web_commit_signoff_required: Option<bool>,
    /// Shown only to admins and security managers (emulator/github-api/QUIRKS.md 59).
    pub security_and_analysis: Option<SecurityAndAnalysis>,
}

/// `security_and_analysis`: each feature `{status: enabled|disabled}`; a feature the
/// repository's plan or visibility does not offer is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SecurityAndAnalysis {
    /// Secret scanning.
    pub secret_scanning: Option<FeatureStatus>,
    /// Push protection.
    pub secret_scanning_push_protection: Option<FeatureStatus>,
}

/// `{status}` of one feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureStatus {
    /// `enabled` or `disabled` (anything else is kept and read as unknown).
    pub status: String,
}

/// `PATCH /repos/{o}/{r}`: only the keys sent change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RepositoryPatch {
    /// Sets `allow_merge_commit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_merge_commit: Option<bool>,
    /// Sets `allow_squash_merge`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_squash_merge: Option<bool>,
    /// Sets `allow_rebase_merge`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_rebase_merge: Option<bool>,
    /// Sets `allow_auto_merge`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_auto_merge: Option<bool>,
    /// Sets `delete_branch_on_merge`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_branch_on_merge: Option<bool>,
    /// Sets `allow_update_branch`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_update_branch: Option<bool>,
    /// Sets `squash_merge_commit_title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub squash_merge_commit_title: Option<String>,
    /// Sets `squash_merge_commit_message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub squash_merge_commit_message: Option<String>,
    /// Sets `merge_commit_title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_commit_title: Option<String>,
    /// Sets `merge_commit_message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_commit_message: Option<String>,
    /// Sets `web_commit_signoff_required`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_commit_signoff_required: Option<bool>,
    /// Features by GitHub's name, e.g. `secret_scanning_push_protection`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_and_analysis: Option<BTreeMap<&'static str, FeatureStatus>>,
}

/// A security feature with an endpoint of its own (emulator/github-api/QUIRKS.md 60).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    /// `…/vulnerability-alerts`: 204 on, 404 off, no body.
    VulnerabilityAlerts,
    /// `…/automated-security-fixes`: `{enabled, paused}`; 404 when Dependabot is off.
    AutomatedSecurityFixes,
    /// `…/private-vulnerability-reporting`: `{enabled}`.
    PrivateVulnerabilityReporting,
    /// `…/immutable-releases`: `{enabled, enforced_by_owner}`; 404 when off.
    ImmutableReleases,
}

impl Switch {
    /// The last segment of the endpoint's path.
    pub fn segment(self) -> &'static str {
        match self {
            Self::VulnerabilityAlerts => "vulnerability-alerts",
            Self::AutomatedSecurityFixes => "automated-security-fixes",
            Self::PrivateVulnerabilityReporting => "private-vulnerability-reporting",
            Self::ImmutableReleases => "immutable-releases",
        }
    }
}

/// What the GET of a switch found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwitchRead {
    /// On or off; `enforced` when the owner enforces it (the repository cannot change it).
    Known {
        /// On.
        enabled: bool,
        /// Enforced by the repository's owner.
        enforced: bool,
    },
    /// GitHub refused the read for this repository (its plan or visibility), with its
    /// message.
    Unavailable(String),
}

/// `GET …/automated-security-fixes`, `…/private-vulnerability-reporting`,
/// `…/immutable-releases`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SwitchState {
    /// On.
    pub enabled: bool,
    /// Immutable releases only: the owner enforces them.
    #[serde(default)]
    pub enforced_by_owner: bool,
}

/// `GET …/code-security-configuration` (200; 204 when none is attached).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ConfigurationForRepository {
    /// `attached`, `enforced`, `attaching`, …
    pub status: Option<String>,
    /// The configuration.
    pub configuration: Option<Configuration>,
}

/// A code security configuration, what gh-policy needs of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Configuration {
    /// Its id.
    pub id: Option<u64>,
    /// Its name.
    pub name: Option<String>,
}

/// `GET`/`PUT …/actions/permissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionsPermissions {
    /// Actions enabled.
    pub enabled: bool,
    /// `all`, `local_only` or `selected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<String>,
    /// SHA pinning required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha_pinning_required: Option<bool>,
}

/// `GET`/`PUT …/actions/permissions/selected-actions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectedActions {
    /// GitHub-owned actions allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_owned_allowed: Option<bool>,
    /// Verified creators' actions allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_allowed: Option<bool>,
    /// Patterns allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patterns_allowed: Option<Vec<String>>,
}

/// `GET`/`PUT …/actions/permissions/workflow`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowPermissions {
    /// `read` or `write`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_workflow_permissions: Option<String>,
    /// Workflows may approve pull requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_approve_pull_request_reviews: Option<bool>,
}
