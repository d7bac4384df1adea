//! The repository-wide switches over HTTP (emulator/github-api/QUIRKS.md 58–61): each security
//! endpoint read as its own shape says, the Actions permission endpoints, and their writes.

use http::{Method, StatusCode};

use super::{Rest, message, parse, repo_path};
use crate::github::client::{Reads, WriteClient};
use crate::github::error::{ApiError, ApiErrorKind, Permission};
use crate::github::path::ApiPath;
use crate::github::wire::switches::{ConfigurationForRepository, Switch, SwitchRead, SwitchState};
use crate::model::names::RepoName;

pub(super) fn switch_path(repo: &RepoName, switch: Switch) -> ApiPath {
    repo_path(repo).lit(switch.segment())
}

pub(super) fn actions_path(repo: &RepoName) -> ApiPath {
    repo_path(repo).lit("actions").lit("permissions")
}

pub(super) fn configuration_path(repo: &RepoName) -> ApiPath {
    repo_path(repo).lit("code-security-configuration")
}

impl<C: Reads> Rest<C> {
    /// Reads one security switch. `vulnerability-alerts` has no body: 204 on, 404 off;
    /// `automated-security-fixes` and `immutable-releases` answer 404 when off; a refusal
    /// for the repository's plan or visibility (422, or a 403 that names no missing token
    /// permission) is the feature being unavailable, with GitHub's message.
    pub(super) async fn read_switch(
        &self,
        repo: &RepoName,
        switch: Switch,
    ) -> Result<SwitchRead, ApiError> {
        let path = switch_path(repo, switch);
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
        let off = SwitchRead::Known {
            enabled: false,
            enforced: false,
        };
        match (switch, response.status) {
            (Switch::VulnerabilityAlerts, StatusCode::NO_CONTENT) => Ok(SwitchRead::Known {
                enabled: true,
                enforced: false,
            }),
            (
                Switch::VulnerabilityAlerts
                | Switch::AutomatedSecurityFixes
                | Switch::ImmutableReleases,
                StatusCode::NOT_FOUND,
            ) => Ok(off),
            (Switch::VulnerabilityAlerts, _) => Err(refused_or_error(&response, call)),
            (_, StatusCode::OK) => {
                let state: SwitchState = parse(&response, &call)?;
                Ok(SwitchRead::Known {
                    enabled: state.enabled,
                    enforced: state.enforced_by_owner,
                })
            }
            (_, StatusCode::UNPROCESSABLE_ENTITY) => Ok(SwitchRead::Unavailable(
                message(&response).unwrap_or_else(|| "Unprocessable Entity".to_owned()),
            )),
            _ => Err(refused_or_error(&response, call)),
        }
    }

    /// Reads the code security configuration attached to the repository, if any.
    pub(super) async fn read_configuration(
        &self,
        repo: &RepoName,
    ) -> Result<Option<ConfigurationForRepository>, ApiError> {
        let path = configuration_path(repo);
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
        match response.status {
            StatusCode::OK => parse(&response, &call).map(Some),
            StatusCode::NO_CONTENT => Ok(None),
            _ => {
                Err(ApiError::from_status(&response, call).needing(Permission::AdministrationRead))
            }
        }
    }

    /// GETs a JSON answer that needs "Administration: read".
    pub(super) async fn read_admin<T: serde::de::DeserializeOwned>(
        &self,
        path: ApiPath,
    ) -> Result<T, ApiError> {
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
        if response.status == StatusCode::OK {
            parse(&response, &call)
        } else {
            Err(ApiError::from_status(&response, call).needing(Permission::AdministrationRead))
        }
    }
}

/// A read GitHub answered with an error: needs administration read.
fn refused_or_error(
    response: &crate::github::client::HttpResponse,
    call: crate::github::error::Call,
) -> ApiError {
    let error = ApiError::from_status(response, call);
    if error.kind == ApiErrorKind::Permission {
        error.needing(Permission::AdministrationRead)
    } else {
        error
    }
}

impl Rest<WriteClient> {
    /// Switches a security feature on (PUT) or off (DELETE); both answer 204.
    pub(super) async fn write_switch(
        &self,
        repo: &RepoName,
        switch: Switch,
        on: bool,
    ) -> Result<(), ApiError> {
        let method = if on { Method::PUT } else { Method::DELETE };
        self.write_admin::<()>(
            method,
            &switch_path(repo, switch),
            None,
            StatusCode::NO_CONTENT,
        )
        .await
    }

    /// Sends a write that needs "Administration: write" and expects one status.
    pub(super) async fn write_admin<B: serde::Serialize + Sync>(
        &self,
        method: Method,
        path: &ApiPath,
        body: Option<&B>,
        ok: StatusCode,
    ) -> Result<(), ApiError> {
        self.write(method, path, body, &[ok], Permission::AdministrationWrite)
            .await
            .map(drop)
    }
}
