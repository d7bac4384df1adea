//! The GitHub seam over HTTP: each operation's path, the statuses that mean success, and
//! the permission a 403 means is missing. Bodies are the DTOs of `wire`.
//!
//! `Rest<ReadClient>` ([`RestReader`]) implements only `GithubRead`, so the reading commands
//! have no way to write; `Rest<WriteClient>` ([`RestWriter`]) implements `GithubWrite` too.
//! Reads are in `read.rs`, writes in `write.rs`.

mod content;
mod paths;
mod read;
#[cfg(test)]
mod tests;
mod write;

use http::StatusCode;
use serde::de::DeserializeOwned;

use super::client::{HttpResponse, ReadClient, Reads, WriteClient};

use super::error::{ApiError, ApiErrorKind, Cause, Permission};
use super::path::ApiPath;
use crate::names::RepoName;
pub use content::RestContent;

/// GitHub's largest page for most lists.
const PER_PAGE: u32 = 100;
/// The largest page for environment variables (emulator/github-api/QUIRKS.md 12).
const VARIABLES_PER_PAGE: u32 = 30;

/// The seam over HTTP, reading (and writing, when `C` is a `WriteClient`).
#[derive(Clone)]
pub struct Rest<C> {
    client: C,
}

/// Reads over HTTP: what `plan`, `explain` and `export` hold.
pub type RestReader = Rest<ReadClient>;

/// Reads and writes over HTTP. Only `apply` builds one.
pub type RestWriter = Rest<WriteClient>;

impl<C: Reads> Rest<C> {
    /// Wraps a client.
    pub fn new(client: C) -> Self {
        Self { client }
    }

    fn reads(&self) -> &ReadClient {
        self.client.reads()
    }
}

impl Rest<WriteClient> {
    /// Starts the overall timeout afresh (after a person confirmed).
    pub fn restart_deadline(&self) {
        self.client.restart_deadline();
    }
}

pub(super) fn repo_path(repo: &RepoName) -> ApiPath {
    ApiPath::new("repos").value(&repo.owner).value(&repo.name)
}

pub(super) fn protection_path(repo: &RepoName, branch: &str) -> ApiPath {
    repo_path(repo)
        .lit("branches")
        .value(branch)
        .lit("protection")
}

pub(super) fn environment_path(repo: &RepoName, environment: &str) -> ApiPath {
    repo_path(repo).lit("environments").value(environment)
}

/// Returns GitHub's `message` from an error body.
pub(super) fn message(response: &HttpResponse) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Body {
        message: String,
    }
    serde_json::from_slice::<Body>(&response.body)
        .ok()
        .map(|b| b.message)
}

pub(super) fn parse<T: DeserializeOwned>(
    response: &HttpResponse,
    call: &str,
) -> Result<T, ApiError> {
    serde_json::from_slice(&response.body)
        .map_err(|err| ApiError::new(ApiErrorKind::Malformed, call).because(Cause::Malformed(err)))
}

/// A 404 on a repository-wide read means the repository is not there for this token.
pub(super) fn repository_missing(err: ApiError, repo: &RepoName) -> ApiError {
    if err.kind != ApiErrorKind::NotFound {
        return err;
    }
    err.or_hint(format!(
        "repository `{repo}` was not found, or the token cannot see it; check --repo and the token's repository access"
    ))
}

impl<C: Reads> Rest<C> {
    pub(super) async fn lookup<T: DeserializeOwned>(
        &self,
        path: ApiPath,
    ) -> Result<Option<T>, ApiError> {
        let call = format!("GET {path}");
        let response = self.reads().get(&path).await?;
        match response.status {
            StatusCode::OK => parse(&response, &call).map(Some),
            StatusCode::NOT_FOUND => Ok(None),
            _ => Err(ApiError::from_status(&response, call)),
        }
    }

    pub(super) async fn list_in_environment<T: DeserializeOwned>(
        &self,
        path: ApiPath,
        field: &str,
    ) -> Result<Option<Vec<T>>, ApiError> {
        match self.reads().get_all(&path, Some(field)).await {
            Ok(items) => Ok(Some(items)),
            Err(err) if err.kind == ApiErrorKind::NotFound => Ok(None),
            Err(err) => Err(err.needing(Permission::EnvironmentsRead)),
        }
    }
}
