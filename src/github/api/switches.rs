//! The repository-wide settings of DESIGN §12: the repository's own PATCH, the security
//! switches that each have an endpoint (read as each one's shape says,
//! emulator/github-api/QUIRKS.md 58–61), the code security configuration, and the Actions
//! permissions.

use http::{Method, StatusCode};
use serde::Deserialize;

use super::{Read, Write, repo_path};
use crate::github::error::Permission;
use crate::github::path::ApiPath;
use crate::github::wire::switches::{
    ActionsPermissions, ConfigurationForRepository, RepositoryPatch, SelectedActions, Switch,
    SwitchRead, SwitchState, WorkflowPermissions,
};
use crate::model::names::RepoName;

const OK: &[StatusCode] = &[StatusCode::OK];
const NO_CONTENT: &[StatusCode] = &[StatusCode::NO_CONTENT];

/// A body that is never there: `vulnerability-alerts` answers 204 or 404, and a 200 with a
/// body is not its answer.
#[derive(Deserialize)]
pub enum NoBody {}

const OFF: SwitchRead = SwitchRead::Known {
    enabled: false,
    enforced: false,
};

fn switch_path(repo: &RepoName, switch: Switch) -> ApiPath {
    repo_path(repo).lit(switch.segment())
}

fn actions_path(repo: &RepoName) -> ApiPath {
    repo_path(repo).lit("actions").lit("permissions")
}

/// A PUT of the Actions permissions, answered 204.
fn put_actions<B>(path: ApiPath, body: &B) -> Write<'_, B> {
    Write::new(
        Method::PUT,
        path,
        NO_CONTENT,
        Permission::AdministrationWrite,
    )
    .body(body)
}

/// A refusal for the repository's plan or visibility (422): the feature is unavailable,
/// with GitHub's message.
fn unavailable(status: StatusCode, message: &str) -> Option<SwitchRead> {
    (status == StatusCode::UNPROCESSABLE_ENTITY).then(|| {
        SwitchRead::Unavailable(if message.is_empty() {
            "Unprocessable Entity".to_owned()
        } else {
            message.to_owned()
        })
    })
}

/// GET `…/vulnerability-alerts`: no body, 204 on, 404 off; anything else is an error.
pub fn vulnerability_alerts(repo: &RepoName) -> Read<NoBody, SwitchRead> {
    Read::one(switch_path(repo, Switch::VulnerabilityAlerts))
        .needs(Permission::AdministrationRead)
        .answering(|never| match never {}, |_| Some(OFF))
        .otherwise(|status, _| {
            (status == StatusCode::NO_CONTENT).then_some(SwitchRead::Known {
                enabled: true,
                enforced: false,
            })
        })
}

/// GET `…/automated-security-fixes`, `…/private-vulnerability-reporting` or
/// `…/immutable-releases`: `{enabled, …}`; the first and last answer 404 when off; a 422 is
/// the feature being unavailable. (`vulnerability-alerts` is [`vulnerability_alerts`].)
pub fn switch(repo: &RepoName, switch: Switch) -> Read<SwitchState, SwitchRead> {
    let read = Read::one(switch_path(repo, switch)).needs(Permission::AdministrationRead);
    let known = |state: SwitchState| SwitchRead::Known {
        enabled: state.enabled,
        enforced: state.enforced_by_owner,
    };
    let read = match switch {
        Switch::PrivateVulnerabilityReporting => read.answering(known, |_| None),
        _ => read.answering(known, |_| Some(OFF)),
    };
    read.otherwise(unavailable)
}

/// GET `…/code-security-configuration`; `None` when none is attached (204).
pub fn code_security_configuration(
    repo: &RepoName,
) -> Read<ConfigurationForRepository, Option<ConfigurationForRepository>> {
    Read::one(repo_path(repo).lit("code-security-configuration"))
        .needs(Permission::AdministrationRead)
        .answering(Some, |_| None)
        .otherwise(|status, _| (status == StatusCode::NO_CONTENT).then_some(None))
}

/// GET `…/actions/permissions`.
pub fn actions_permissions(repo: &RepoName) -> Read<ActionsPermissions> {
    Read::one(actions_path(repo)).needs(Permission::AdministrationRead)
}

/// GET `…/actions/permissions/selected-actions`.
pub fn selected_actions(repo: &RepoName) -> Read<SelectedActions> {
    Read::one(actions_path(repo).lit("selected-actions")).needs(Permission::AdministrationRead)
}

/// GET `…/actions/permissions/workflow`.
pub fn workflow_permissions(repo: &RepoName) -> Read<WorkflowPermissions> {
    Read::one(actions_path(repo).lit("workflow")).needs(Permission::AdministrationRead)
}

/// PATCH `/repos/{owner}/{repo}`: only the keys sent change.
pub fn update_repository<'a>(
    repo: &RepoName,
    body: &'a RepositoryPatch,
) -> Write<'a, RepositoryPatch> {
    Write::new(
        Method::PATCH,
        repo_path(repo),
        OK,
        Permission::AdministrationWrite,
    )
    .body(body)
}

/// PUT (on) or DELETE (off) a security switch's endpoint; both answer 204.
pub fn set_switch(repo: &RepoName, switch: Switch, on: bool) -> Write<'static, ()> {
    let method = if on { Method::PUT } else { Method::DELETE };
    Write::new(
        method,
        switch_path(repo, switch),
        NO_CONTENT,
        Permission::AdministrationWrite,
    )
}

/// PUT `…/actions/permissions`.
pub fn put_actions_permissions<'a>(
    repo: &RepoName,
    body: &'a ActionsPermissions,
) -> Write<'a, ActionsPermissions> {
    let path = actions_path(repo);
    put_actions(path, body)
}

/// PUT `…/actions/permissions/selected-actions`.
pub fn put_selected_actions<'a>(
    repo: &RepoName,
    body: &'a SelectedActions,
) -> Write<'a, SelectedActions> {
    let path = actions_path(repo).lit("selected-actions");
    put_actions(path, body)
}

/// PUT `…/actions/permissions/workflow`.
pub fn put_workflow_permissions<'a>(
    repo: &RepoName,
    body: &'a WorkflowPermissions,
) -> Write<'a, WorkflowPermissions> {
    let path = actions_path(repo).lit("workflow");
    put_actions(path, body)
}
