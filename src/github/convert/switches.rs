//! The repository-wide switches between GitHub's shapes and the model
//! (emulator/github-api/QUIRKS.md 58–61): the merge methods as three flags,
//! `security_and_analysis` statuses, the Actions permission bodies. A key GitHub left out of an answer stays `None` (unknown), never off.

use std::collections::{BTreeMap, BTreeSet};

use crate::github::wire::switches::{
    ActionsPermissions, FeatureStatus, MergeSettings, RepositoryPatch,
    SelectedActions as WireSelected, WorkflowPermissions as WireWorkflow,
};
use crate::model::{
    Actions, AllowedActions, MergeCommit, MergeMessage, MergeMethod, MergeTitle,
    RepositorySettings, SecurityFeature, SelectedActions, SquashCommit, SquashMessage, SquashTitle,
    WorkflowPermissions,
};
use crate::plan::{PermissionsPut, WorkflowPut};

/// The merge settings GitHub answered, every key it showed.
pub fn merge_settings(wire: &MergeSettings) -> RepositorySettings {
    let methods = [
        (MergeMethod::Merge, wire.allow_merge_commit),
        (MergeMethod::Squash, wire.allow_squash_merge),
        (MergeMethod::Rebase, wire.allow_rebase_merge),
    ];
    let merge_methods = methods.iter().all(|(_, on)| on.is_some()).then(|| {
        methods
            .iter()
            .filter(|(_, on)| *on == Some(true))
            .map(|(method, _)| *method)
            .collect::<BTreeSet<_>>()
    });
    let squash_commit = match (
        &wire.squash_merge_commit_title,
        &wire.squash_merge_commit_message,
    ) {
        (Some(title), Some(message)) => Some(SquashCommit {
            title: SquashTitle::parse(title),
            message: SquashMessage::parse(message),
        }),
        _ => None,
    };
    let merge_commit = match (&wire.merge_commit_title, &wire.merge_commit_message) {
        (Some(title), Some(message)) => Some(MergeCommit {
            title: MergeTitle::parse(title),
            message: MergeMessage::parse(message),
        }),
        _ => None,
    };
    RepositorySettings {
        merge_methods,
        auto_merge: wire.allow_auto_merge,
        delete_branch_on_merge: wire.delete_branch_on_merge,
        allow_update_branch: wire.allow_update_branch,
        squash_commit,
        merge_commit,
        web_commit_signoff_required: wire.web_commit_signoff_required,
    }
}

/// The `PATCH /repos/{o}/{r}` body that sets these keys (the merge methods as all three
/// flags: the ones not listed are turned off).
pub fn repository_patch(settings: &RepositorySettings) -> RepositoryPatch {
    let method = |method: MergeMethod| {
        settings
            .merge_methods
            .as_ref()
            .map(|methods| methods.contains(&method))
    };
    RepositoryPatch {
        allow_merge_commit: method(MergeMethod::Merge),
        allow_squash_merge: method(MergeMethod::Squash),
        allow_rebase_merge: method(MergeMethod::Rebase),
        allow_auto_merge: settings.auto_merge,
        delete_branch_on_merge: settings.delete_branch_on_merge,
        allow_update_branch: settings.allow_update_branch,
        squash_merge_commit_title: settings
            .squash_commit
            .as_ref()
            .map(|c| c.title.as_str().to_owned()),
        squash_merge_commit_message: settings
            .squash_commit
            .as_ref()
            .map(|c| c.message.as_str().to_owned()),
        merge_commit_title: settings
            .merge_commit
            .as_ref()
            .map(|c| c.title.as_str().to_owned()),
        merge_commit_message: settings
            .merge_commit
            .as_ref()
            .map(|c| c.message.as_str().to_owned()),
        web_commit_signoff_required: settings.web_commit_signoff_required,
        security_and_analysis: None,
    }
}

/// GitHub's name of a feature inside `security_and_analysis`, for the two that live there.
pub fn analysis_name(feature: SecurityFeature) -> Option<&'static str> {
    match feature {
        SecurityFeature::SecretScanning => Some("secret_scanning"),
        SecurityFeature::PushProtection => Some("secret_scanning_push_protection"),
        _ => None,
    }
}

/// A feature's status as GitHub writes it.
pub fn status(on: bool) -> FeatureStatus {
    FeatureStatus {
        status: if on { "enabled" } else { "disabled" }.to_owned(),
    }
}

/// A status as on/off; a status gh-policy does not know is `None` (unknown, never off).
pub fn status_on(status: &FeatureStatus) -> Option<bool> {
    match status.status.as_str() {
        "enabled" => Some(true),
        "disabled" => Some(false),
        _ => None,
    }
}

/// The `PATCH` body that switches `security_and_analysis` features.
pub fn analysis_patch(switches: &[(SecurityFeature, bool)]) -> Option<RepositoryPatch> {
    let features: BTreeMap<&'static str, FeatureStatus> = switches
        .iter()
        .filter_map(|(feature, on)| analysis_name(*feature).map(|name| (name, status(*on))))
        .collect();
    (!features.is_empty()).then(|| RepositoryPatch {
        security_and_analysis: Some(features),
        ..RepositoryPatch::default()
    })
}

/// The Actions permissions GitHub answered, in the model (`selected` and the workflow keys
/// come from their own reads).
pub fn actions_permissions(wire: &ActionsPermissions) -> Actions {
    Actions {
        enabled: Some(wire.enabled),
        allowed_actions: wire.allowed_actions.as_deref().map(AllowedActions::parse),
        sha_pinning_required: wire.sha_pinning_required,
        ..Actions::default()
    }
}

/// The allowed actions GitHub answered; `None` when it left a key out.
pub fn selected_actions(wire: &WireSelected) -> Option<SelectedActions> {
    Some(SelectedActions {
        github_owned: wire.github_owned_allowed?,
        verified: wire.verified_allowed?,
        patterns: wire.patterns_allowed.clone().unwrap_or_default(),
    })
}

/// Adds the workflow permissions GitHub answered to the model.
pub fn add_workflow(actions: &mut Actions, wire: &WireWorkflow) {
    actions.workflow_permissions = wire
        .default_workflow_permissions
        .as_deref()
        .map(WorkflowPermissions::parse);
    actions.can_approve_pull_requests = wire.can_approve_pull_request_reviews;
}

/// The `PUT …/actions/permissions` body.
pub fn permissions_body(put: &PermissionsPut) -> ActionsPermissions {
    ActionsPermissions {
        enabled: put.enabled,
        allowed_actions: put.allowed_actions.as_ref().map(|a| a.as_str().to_owned()),
        sha_pinning_required: put.sha_pinning_required,
    }
}

/// The `PUT …/actions/permissions/selected-actions` body.
pub fn selected_body(selected: &SelectedActions) -> WireSelected {
    let patterns: BTreeSet<&str> = selected.pattern_set();
    WireSelected {
        github_owned_allowed: Some(selected.github_owned),
        verified_allowed: Some(selected.verified),
        patterns_allowed: Some(patterns.into_iter().map(str::to_owned).collect()),
    }
}

/// The `PUT …/actions/permissions/workflow` body.
pub fn workflow_body(put: &WorkflowPut) -> WireWorkflow {
    WireWorkflow {
        default_workflow_permissions: put
            .default_workflow_permissions
            .as_ref()
            .map(|p| p.as_str().to_owned()),
        can_approve_pull_request_reviews: put.can_approve_pull_request_reviews,
    }
}
