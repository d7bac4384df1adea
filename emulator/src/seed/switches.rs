//! A repository's merge settings, security features and Actions permissions (github-api/QUIRKS.md
//! 58–61), as seeded and as the emulator keeps them: every key has GitHub's default for a new
//! public repository.

use serde::{Deserialize, Serialize};

/// The repository-wide switches, and what GitHub refuses for this repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SettingsSeed {
    /// Merge commits allowed.
    pub allow_merge_commit: bool,
    /// Squash merges allowed.
    pub allow_squash_merge: bool,
    /// Rebase merges allowed.
    pub allow_rebase_merge: bool,
    /// Auto-merge allowed.
    pub allow_auto_merge: bool,
    /// Head branches deleted on merge.
    pub delete_branch_on_merge: bool,
    /// The update-branch button.
    pub allow_update_branch: bool,
    /// `PR_TITLE` or `COMMIT_OR_PR_TITLE`.
    pub squash_merge_commit_title: String,
    /// `PR_BODY`, `COMMIT_MESSAGES` or `BLANK`.
    pub squash_merge_commit_message: String,
    /// `PR_TITLE` or `MERGE_MESSAGE`.
    pub merge_commit_title: String,
    /// `PR_BODY`, `PR_TITLE` or `BLANK`.
    pub merge_commit_message: String,
    /// Web commit sign-off.
    pub web_commit_signoff_required: bool,
    /// Secret scanning (`security_and_analysis.secret_scanning`).
    pub secret_scanning: bool,
    /// Push protection (`security_and_analysis.secret_scanning_push_protection`).
    pub push_protection: bool,
    /// Dependabot alerts (`vulnerability-alerts`).
    pub dependabot_alerts: bool,
    /// Dependabot security updates (`automated-security-fixes`).
    pub dependabot_security_updates: bool,
    /// Private vulnerability reporting.
    pub private_vulnerability_reporting: bool,
    /// Immutable releases.
    pub immutable_releases: bool,
    /// Immutable releases enforced by the owner (cannot be turned off: 409).
    pub immutable_releases_enforced: bool,
    /// The name of the code security configuration attached, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_security_configuration: Option<String>,
    /// Security features the repository's plan or visibility does not offer, by the keys
    /// above (`secret_scanning`, `push_protection`, `private_vulnerability_reporting`):
    /// left out of `security_and_analysis`, refused with 422.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unavailable: Vec<String>,
    /// Actions enabled.
    pub actions_enabled: bool,
    /// `all`, `local_only` or `selected`.
    pub allowed_actions: String,
    /// SHA pinning required.
    pub sha_pinning_required: bool,
    /// With `selected`: GitHub-owned actions allowed.
    pub github_owned_allowed: bool,
    /// With `selected`: verified creators allowed.
    pub verified_allowed: bool,
    /// With `selected`: patterns allowed.
    pub patterns_allowed: Vec<String>,
    /// `read` or `write`.
    pub default_workflow_permissions: String,
    /// Workflows may approve pull requests.
    pub can_approve_pull_request_reviews: bool,
    /// Values an organisation policy forbids the repository, refused with 409, as
    /// `KEY=VALUE` of the Actions bodies (`allowed_actions=all`,
    /// `default_workflow_permissions=write`, `can_approve_pull_request_reviews=true`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub org_forbids: Vec<String>,
}

impl Default for SettingsSeed {
    fn default() -> Self {
        Self {
            allow_merge_commit: true,
            allow_squash_merge: true,
            allow_rebase_merge: true,
            allow_auto_merge: false,
            delete_branch_on_merge: false,
            allow_update_branch: false,
            squash_merge_commit_title: "COMMIT_OR_PR_TITLE".into(),
            squash_merge_commit_message: "COMMIT_MESSAGES".into(),
            merge_commit_title: "MERGE_MESSAGE".into(),
            merge_commit_message: "PR_TITLE".into(),
            web_commit_signoff_required: false,
            secret_scanning: false,
            push_protection: false,
            dependabot_alerts: false,
            dependabot_security_updates: false,
            private_vulnerability_reporting: false,
            immutable_releases: false,
            immutable_releases_enforced: false,
            code_security_configuration: None,
            unavailable: Vec::new(),
            actions_enabled: true,
            allowed_actions: "all".into(),
            sha_pinning_required: false,
            github_owned_allowed: true,
            verified_allowed: false,
            patterns_allowed: Vec::new(),
            default_workflow_permissions: "read".into(),
            can_approve_pull_request_reviews: false,
            org_forbids: Vec::new(),
        }
    }
}

impl SettingsSeed {
    /// Returns true when every key has GitHub's default (not written back).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
