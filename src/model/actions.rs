//! `actions:` — a repository's GitHub Actions permissions (DESIGN §12,
//! emulator/github-api/QUIRKS.md 61). Only the keys written are managed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::settings::github_enum;

/// Whether Actions run, which actions they may use, and what `GITHUB_TOKEN` may do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [{
    "if": { "required": ["selected", "allowed_actions"], "properties": { "selected": { "type": "object" } } },
    "then": {
        "properties": { "allowed_actions": { "const": "selected" } },
        "x-message": "`selected` applies only with `allowed_actions: selected`: set it, or remove `selected`",
        "x-at": "selected"
    }
}]))]
pub struct Actions {
    /// GitHub Actions is enabled for the repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Which actions and reusable workflows may run: `all`, `local_only` or `selected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<AllowedActions>,
    /// With `allowed_actions: selected`: which actions are allowed besides the
    /// repository's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<SelectedActions>,
    /// Actions must be pinned to a full commit SHA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha_pinning_required: Option<bool>,
    /// The default permissions of `GITHUB_TOKEN`: `read` or `write`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_permissions: Option<WorkflowPermissions>,
    /// Workflows may create and approve pull requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_approve_pull_requests: Option<bool>,
}

/// The actions allowed with `allowed_actions: selected`. Managed whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectedActions {
    /// Actions GitHub creates (`actions/*`, `github/*`).
    #[serde(default)]
    pub github_owned: bool,
    /// Actions of verified creators in the Marketplace.
    #[serde(default)]
    pub verified: bool,
    /// Further actions by pattern (`docker/*`, `octo-org/octo-repo@v2`). A set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("items" = { "type": "string", "minLength": 1 }))]
    pub patterns: Vec<String>,
}

github_enum!(
    /// Which actions may run.
    AllowedActions {
        /// Any action or reusable workflow.
        All = "all",
        /// Only those in the repository (or its organisation/enterprise).
        LocalOnly = "local_only",
        /// Only those `selected` allows.
        Selected = "selected",
    }
);

github_enum!(
    /// The default permissions of `GITHUB_TOKEN`.
    WorkflowPermissions {
        /// Read the contents and packages.
        Read = "read",
        /// Read and write in every scope.
        Write = "write",
    }
);

impl Actions {
    /// Returns a section that manages every key (what `export` reads; `selected` is read
    /// only while the allowed actions are `selected`).
    pub fn everything() -> Self {
        Self {
            enabled: Some(false),
            allowed_actions: Some(AllowedActions::All),
            selected: Some(SelectedActions::default()),
            sha_pinning_required: Some(false),
            workflow_permissions: Some(WorkflowPermissions::Read),
            can_approve_pull_requests: Some(false),
        }
    }

    /// Returns true when the section manages nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl SelectedActions {
    /// Returns the patterns as a sorted set (order and duplicates are not drift).
    pub fn pattern_set(&self) -> std::collections::BTreeSet<&str> {
        self.patterns.iter().map(String::as_str).collect()
    }
}
