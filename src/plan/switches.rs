//! What `apply` writes for the repository-wide sections (DESIGN §12): only the keys that
//! differ, each through the endpoint GitHub reads it from.

use crate::model::{
    AllowedActions, RepositorySettings, SecurityFeature, SelectedActions, WorkflowPermissions,
};

/// The `security` section: each feature to switch on (`true`) or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityWrite {
    /// The features, in the policy's order.
    pub switches: Vec<(SecurityFeature, bool)>,
}

/// The `actions` section: the PUTs to make, in order (the permissions first: the allowed
/// actions can be listed only while they are `selected`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionsWrite {
    /// `PUT …/actions/permissions`, whole (GitHub requires `enabled`).
    pub permissions: Option<PermissionsPut>,
    /// `PUT …/actions/permissions/selected-actions`.
    pub selected: Option<SelectedActions>,
    /// `PUT …/actions/permissions/workflow`, the keys that change.
    pub workflow: Option<WorkflowPut>,
}

/// `PUT …/actions/permissions`: the state after apply of its three keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionsPut {
    /// Actions enabled.
    pub enabled: bool,
    /// Which actions may run, when known.
    pub allowed_actions: Option<AllowedActions>,
    /// SHA pinning, when known.
    pub sha_pinning_required: Option<bool>,
}

/// `PUT …/actions/permissions/workflow`: the keys to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowPut {
    /// The default `GITHUB_TOKEN` permissions.
    pub default_workflow_permissions: Option<WorkflowPermissions>,
    /// Whether workflows may approve pull requests.
    pub can_approve_pull_request_reviews: Option<bool>,
}

/// The `settings` section: the keys to send in `PATCH /repos/{o}/{r}`.
pub type SettingsWrite = RepositorySettings;
