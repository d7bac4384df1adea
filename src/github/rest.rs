//! The GitHub seam over HTTP: each operation's path, the statuses that mean success, and
//! the permission a 403 means is missing. Bodies are the DTOs of `wire`.

use async_trait::async_trait;
use http::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::api::{GithubRead, GithubWrite, ProtectionRead};
use super::client::{HttpResponse, ReadClient, WriteClient};
use super::error::{ApiError, ApiErrorKind, Cause, Permission};
use super::path::ApiPath;
use super::wire::account::{App, BranchItem, Team, User};
use super::wire::actions::{PublicKey, SecretItem, SecretRequest, VariableItem, VariableRequest};
use super::wire::environment::{
    DeploymentBranchPolicy, DeploymentBranchPolicyRequest, Environment, EnvironmentRequest,
};
use super::wire::protection::{ChecksRequest, Protection, ProtectionRequest};
use crate::names::RepoName;

/// GitHub's largest page for most lists.
const PER_PAGE: u32 = 100;
/// The largest page for environment variables (QUIRKS 12).
const VARIABLES_PER_PAGE: u32 = 30;

/// Reads over HTTP.
#[derive(Clone)]
pub struct RestReader {
    client: ReadClient,
}

/// Reads and writes over HTTP. Only `apply` builds one.
#[derive(Clone)]
pub struct RestWriter {
    reader: RestReader,
    client: WriteClient,
}

impl RestReader {
    /// Wraps a read-only client.
    pub fn new(client: ReadClient) -> Self {
        Self { client }
    }
}

impl RestWriter {
    /// Wraps a client that may write.
    pub fn new(client: WriteClient) -> Self {
        Self {
            reader: RestReader::new(client.reader()),
            client,
        }
    }

    /// Starts the overall timeout afresh (after a person confirmed).
    pub fn restart_deadline(&self) {
        self.client.restart_deadline();
    }
}

fn repo_path(repo: &RepoName) -> ApiPath {
    ApiPath::new("repos").value(&repo.owner).value(&repo.name)
}

fn protection_path(repo: &RepoName, branch: &str) -> ApiPath {
    repo_path(repo)
        .lit("branches")
        .value(branch)
        .lit("protection")
}

fn environment_path(repo: &RepoName, environment: &str) -> ApiPath {
    repo_path(repo).lit("environments").value(environment)
}

/// Returns GitHub's `message` from an error body.
fn message(response: &HttpResponse) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Body {
        message: String,
    }
    serde_json::from_slice::<Body>(&response.body)
        .ok()
        .map(|b| b.message)
}

fn parse<T: DeserializeOwned>(response: &HttpResponse, call: &str) -> Result<T, ApiError> {
    serde_json::from_slice(&response.body)
        .map_err(|err| ApiError::new(ApiErrorKind::Malformed, call).because(Cause::Malformed(err)))
}

/// A 404 on a repository-wide read means the repository is not there for this token.
fn repository_missing(err: ApiError, repo: &RepoName) -> ApiError {
    if err.kind != ApiErrorKind::NotFound {
        return err;
    }
    err.with_hint(format!(
        "repository `{repo}` was not found, or the token cannot see it; check --repo and the token's repository access"
    ))
}

impl RestReader {
    async fn lookup<T: DeserializeOwned>(&self, path: ApiPath) -> Result<Option<T>, ApiError> {
        let call = format!("GET {path}");
        let response = self.client.get(&path).await?;
        match response.status {
            StatusCode::OK => parse(&response, &call).map(Some),
            StatusCode::NOT_FOUND => Ok(None),
            _ => Err(ApiError::from_status(&response, call)),
        }
    }

    async fn list_in_environment<T: DeserializeOwned>(
        &self,
        path: ApiPath,
        field: &str,
    ) -> Result<Option<Vec<T>>, ApiError> {
        match self.client.get_all(&path, Some(field)).await {
            Ok(items) => Ok(Some(items)),
            Err(err) if err.kind == ApiErrorKind::NotFound => Ok(None),
            Err(err) => Err(err.needing(Permission::EnvironmentsRead)),
        }
    }
}

#[async_trait]
impl GithubRead for RestReader {
    async fn branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<ProtectionRead, ApiError> {
        let path = protection_path(repo, branch);
        let call = format!("GET {path}");
        let response = self.client.get(&path).await?;
        match response.status {
            StatusCode::OK => Ok(ProtectionRead::Protected(Box::new(parse(
                &response, &call,
            )?))),
            StatusCode::NOT_FOUND => match message(&response).as_deref() {
                Some("Branch not protected") => Ok(ProtectionRead::NotProtected),
                Some("Branch not found") => Ok(ProtectionRead::BranchMissing),
                _ => Err(repository_missing(
                    ApiError::from_status(&response, call),
                    repo,
                )),
            },
            _ => {
                Err(ApiError::from_status(&response, call).needing(Permission::AdministrationRead))
            }
        }
    }

    async fn required_signatures(&self, repo: &RepoName, branch: &str) -> Result<bool, ApiError> {
        #[derive(serde::Deserialize)]
        struct Enabled {
            enabled: bool,
        }
        let path = protection_path(repo, branch).lit("required_signatures");
        let call = format!("GET {path}");
        let response = self.client.get(&path).await?;
        match response.status {
            StatusCode::OK => parse::<Enabled>(&response, &call).map(|e| e.enabled),
            StatusCode::NOT_FOUND => Ok(false),
            _ => {
                Err(ApiError::from_status(&response, call).needing(Permission::AdministrationRead))
            }
        }
    }

    async fn protected_branches(&self, repo: &RepoName) -> Result<Vec<String>, ApiError> {
        let path = repo_path(repo)
            .lit("branches")
            .query("protected", "true")
            .query("per_page", PER_PAGE);
        let items: Vec<BranchItem> = self
            .client
            .get_all(&path, None)
            .await
            .map_err(|e| repository_missing(e.needing(Permission::ContentsRead), repo))?;
        Ok(items.into_iter().map(|b| b.name).collect())
    }

    async fn environments(&self, repo: &RepoName) -> Result<Vec<Environment>, ApiError> {
        let path = repo_path(repo)
            .lit("environments")
            .query("per_page", PER_PAGE);
        self.client
            .get_all(&path, Some("environments"))
            .await
            .map_err(|e| repository_missing(e.needing(Permission::ActionsRead), repo))
    }

    async fn deployment_branch_policies(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Vec<DeploymentBranchPolicy>, ApiError> {
        let path = environment_path(repo, environment)
            .lit("deployment-branch-policies")
            .query("per_page", PER_PAGE);
        self.client
            .get_all(&path, Some("branch_policies"))
            .await
            .map_err(|e| e.needing(Permission::ActionsRead))
    }

    async fn environment_secrets(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<SecretItem>>, ApiError> {
        let path = environment_path(repo, environment)
            .lit("secrets")
            .query("per_page", PER_PAGE);
        self.list_in_environment(path, "secrets").await
    }

    async fn environment_variables(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<VariableItem>>, ApiError> {
        let path = environment_path(repo, environment)
            .lit("variables")
            .query("per_page", VARIABLES_PER_PAGE);
        self.list_in_environment(path, "variables").await
    }

    async fn environment_public_key(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<PublicKey, ApiError> {
        let path = environment_path(repo, environment)
            .lit("secrets")
            .lit("public-key");
        let call = format!("GET {path}");
        let response = self.client.get(&path).await?;
        if response.status != StatusCode::OK {
            return Err(
                ApiError::from_status(&response, call).needing(Permission::EnvironmentsRead)
            );
        }
        parse(&response, &call)
    }

    async fn user(&self, login: &str) -> Result<Option<User>, ApiError> {
        self.lookup(ApiPath::new("users").value(login)).await
    }

    async fn team(&self, org: &str, slug: &str) -> Result<Option<Team>, ApiError> {
        self.lookup(ApiPath::new("orgs").value(org).lit("teams").value(slug))
            .await
            .map_err(|e| e.needing(Permission::MembersRead))
    }

    async fn app(&self, slug: &str) -> Result<Option<App>, ApiError> {
        self.lookup(ApiPath::new("apps").value(slug)).await
    }
}

impl RestWriter {
    /// Sends a write and checks its status; `body` is `None` for writes without one.
    async fn write<B: serde::Serialize + Sync>(
        &self,
        method: Method,
        path: &ApiPath,
        body: Option<&B>,
        ok: &[StatusCode],
        needs: Permission,
    ) -> Result<HttpResponse, ApiError> {
        let call = format!("{method} {path}");
        let response = match body {
            Some(body) => self.client.send(method, path, body).await?,
            None => self.client.send_empty(method, path).await?,
        };
        if ok.contains(&response.status) {
            Ok(response)
        } else {
            Err(ApiError::from_status(&response, call).needing(needs))
        }
    }

    async fn delete(&self, path: &ApiPath, needs: Permission) -> Result<(), ApiError> {
        self.write::<()>(Method::DELETE, path, None, &[StatusCode::NO_CONTENT], needs)
            .await
            .map(drop)
    }
}

#[async_trait]
impl GithubRead for RestWriter {
    async fn branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<ProtectionRead, ApiError> {
        self.reader.branch_protection(repo, branch).await
    }
    async fn required_signatures(&self, repo: &RepoName, branch: &str) -> Result<bool, ApiError> {
        self.reader.required_signatures(repo, branch).await
    }
    async fn protected_branches(&self, repo: &RepoName) -> Result<Vec<String>, ApiError> {
        self.reader.protected_branches(repo).await
    }
    async fn environments(&self, repo: &RepoName) -> Result<Vec<Environment>, ApiError> {
        self.reader.environments(repo).await
    }
    async fn deployment_branch_policies(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Vec<DeploymentBranchPolicy>, ApiError> {
        self.reader
            .deployment_branch_policies(repo, environment)
            .await
    }
    async fn environment_secrets(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<SecretItem>>, ApiError> {
        self.reader.environment_secrets(repo, environment).await
    }
    async fn environment_variables(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<VariableItem>>, ApiError> {
        self.reader.environment_variables(repo, environment).await
    }
    async fn environment_public_key(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<PublicKey, ApiError> {
        self.reader.environment_public_key(repo, environment).await
    }
    async fn user(&self, login: &str) -> Result<Option<User>, ApiError> {
        self.reader.user(login).await
    }
    async fn team(&self, org: &str, slug: &str) -> Result<Option<Team>, ApiError> {
        self.reader.team(org, slug).await
    }
    async fn app(&self, slug: &str) -> Result<Option<App>, ApiError> {
        self.reader.app(slug).await
    }
}

#[async_trait]
impl GithubWrite for RestWriter {
    async fn put_branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
        body: &ProtectionRequest,
    ) -> Result<Protection, ApiError> {
        let path = protection_path(repo, branch);
        let response = self
            .write(
                Method::PUT,
                &path,
                Some(body),
                &[StatusCode::OK],
                Permission::AdministrationWrite,
            )
            .await?;
        parse(&response, &format!("PUT {path}"))
    }

    async fn delete_branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<(), ApiError> {
        self.delete(
            &protection_path(repo, branch),
            Permission::AdministrationWrite,
        )
        .await
    }

    async fn set_status_checks(
        &self,
        repo: &RepoName,
        branch: &str,
        body: &ChecksRequest,
    ) -> Result<(), ApiError> {
        let path = protection_path(repo, branch).lit("required_status_checks");
        self.write(
            Method::PATCH,
            &path,
            Some(body),
            &[StatusCode::OK],
            Permission::AdministrationWrite,
        )
        .await
        .map(drop)
    }

    async fn set_required_signatures(
        &self,
        repo: &RepoName,
        branch: &str,
        on: bool,
    ) -> Result<(), ApiError> {
        let path = protection_path(repo, branch).lit("required_signatures");
        if on {
            self.write::<()>(
                Method::POST,
                &path,
                None,
                &[StatusCode::OK],
                Permission::AdministrationWrite,
            )
            .await
            .map(drop)
        } else {
            // Already off is the desired state.
            self.write::<()>(
                Method::DELETE,
                &path,
                None,
                &[StatusCode::NO_CONTENT, StatusCode::NOT_FOUND],
                Permission::AdministrationWrite,
            )
            .await
            .map(drop)
        }
    }

    async fn put_environment(
        &self,
        repo: &RepoName,
        name: &str,
        body: &EnvironmentRequest,
    ) -> Result<(), ApiError> {
        self.write(
            Method::PUT,
            &environment_path(repo, name),
            Some(body),
            &[StatusCode::OK],
            Permission::AdministrationWrite,
        )
        .await
        .map(drop)
    }

    async fn delete_environment(&self, repo: &RepoName, name: &str) -> Result<(), ApiError> {
        self.delete(
            &environment_path(repo, name),
            Permission::AdministrationWrite,
        )
        .await
    }

    async fn create_deployment_branch_policy(
        &self,
        repo: &RepoName,
        environment: &str,
        body: &DeploymentBranchPolicyRequest,
    ) -> Result<(), ApiError> {
        let path = environment_path(repo, environment).lit("deployment-branch-policies");
        // 303: the same pattern exists already, which is the desired state.
        self.write(
            Method::POST,
            &path,
            Some(body),
            &[StatusCode::OK, StatusCode::SEE_OTHER],
            Permission::AdministrationWrite,
        )
        .await
        .map(drop)
    }

    async fn delete_deployment_branch_policy(
        &self,
        repo: &RepoName,
        environment: &str,
        id: u64,
    ) -> Result<(), ApiError> {
        let path = environment_path(repo, environment)
            .lit("deployment-branch-policies")
            .id(id);
        self.delete(&path, Permission::AdministrationWrite).await
    }

    async fn put_environment_secret(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
        body: &SecretRequest,
    ) -> Result<(), ApiError> {
        let path = environment_path(repo, environment)
            .lit("secrets")
            .value(name);
        self.write(
            Method::PUT,
            &path,
            Some(body),
            &[StatusCode::CREATED, StatusCode::NO_CONTENT],
            Permission::EnvironmentsWrite,
        )
        .await
        .map(drop)
    }

    async fn delete_environment_secret(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        self.delete(
            &environment_path(repo, environment)
                .lit("secrets")
                .value(name),
            Permission::EnvironmentsWrite,
        )
        .await
    }

    async fn create_environment_variable(
        &self,
        repo: &RepoName,
        environment: &str,
        body: &VariableRequest,
    ) -> Result<(), ApiError> {
        let path = environment_path(repo, environment).lit("variables");
        self.write(
            Method::POST,
            &path,
            Some(body),
            &[StatusCode::CREATED],
            Permission::EnvironmentsWrite,
        )
        .await
        .map(drop)
    }

    async fn update_environment_variable(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
        body: &VariableRequest,
    ) -> Result<(), ApiError> {
        let path = environment_path(repo, environment)
            .lit("variables")
            .value(name);
        self.write(
            Method::PATCH,
            &path,
            Some(body),
            &[StatusCode::NO_CONTENT],
            Permission::EnvironmentsWrite,
        )
        .await
        .map(drop)
    }

    async fn delete_environment_variable(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        self.delete(
            &environment_path(repo, environment)
                .lit("variables")
                .value(name),
            Permission::EnvironmentsWrite,
        )
        .await
    }
}
