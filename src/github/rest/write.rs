//! The writes: one request each, never retried unless GitHub refused it unprocessed.

use async_trait::async_trait;
use http::{Method, StatusCode};

use super::repo_path;
use super::{Rest, environment_path, parse, protection_path};
use crate::github::api::GithubWrite;
use crate::github::client::{HttpResponse, WriteClient};
use crate::github::error::{ApiError, Permission};
use crate::github::path::ApiPath;
use crate::github::wire::actions::{SecretRequest, VariableRequest};
use crate::github::wire::environment::{DeploymentBranchPolicyRequest, EnvironmentRequest};
use crate::github::wire::protection::{ChecksRequest, Protection, ProtectionRequest};
use crate::github::wire::ruleset::{Ruleset, RulesetRequest};
use crate::github::wire::switches::{
    ActionsPermissions, RepositoryPatch, SelectedActions, Switch, WorkflowPermissions,
};
use crate::names::RepoName;

impl Rest<WriteClient> {
    /// Sends a write and checks its status; `body` is `None` for writes without one.
    pub(super) async fn write<B: serde::Serialize + Sync>(
        &self,
        method: Method,
        path: &ApiPath,
        body: Option<&B>,
        ok: &[StatusCode],
        needs: Permission,
    ) -> Result<HttpResponse, ApiError> {
        let call = path.call(method.clone());
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
impl GithubWrite for Rest<WriteClient> {
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
        parse(&response, &path.call(http::Method::PUT))
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

    async fn create_ruleset(
        &self,
        repo: &RepoName,
        body: &RulesetRequest,
    ) -> Result<Ruleset, ApiError> {
        let path = repo_path(repo).lit("rulesets");
        let response = self
            .write(
                Method::POST,
                &path,
                Some(body),
                &[StatusCode::CREATED],
                Permission::AdministrationWrite,
            )
            .await?;
        parse(&response, &path.call(http::Method::POST))
    }

    async fn update_ruleset(
        &self,
        repo: &RepoName,
        id: u64,
        body: &RulesetRequest,
    ) -> Result<Ruleset, ApiError> {
        let path = repo_path(repo).lit("rulesets").id(id);
        let response = self
            .write(
                Method::PUT,
                &path,
                Some(body),
                &[StatusCode::OK],
                Permission::AdministrationWrite,
            )
            .await?;
        parse(&response, &path.call(http::Method::PUT))
    }

    async fn delete_ruleset(&self, repo: &RepoName, id: u64) -> Result<(), ApiError> {
        self.delete(
            &repo_path(repo).lit("rulesets").id(id),
            Permission::AdministrationWrite,
        )
        .await
    }

    async fn update_repository(
        &self,
        repo: &RepoName,
        body: &RepositoryPatch,
    ) -> Result<(), ApiError> {
        self.write_admin(Method::PATCH, &repo_path(repo), Some(body), StatusCode::OK)
            .await
    }

    async fn set_switch(&self, repo: &RepoName, switch: Switch, on: bool) -> Result<(), ApiError> {
        self.write_switch(repo, switch, on).await
    }

    async fn put_actions_permissions(
        &self,
        repo: &RepoName,
        body: &ActionsPermissions,
    ) -> Result<(), ApiError> {
        let path = super::switches::actions_path(repo);
        self.write_admin(Method::PUT, &path, Some(body), StatusCode::NO_CONTENT)
            .await
    }

    async fn put_selected_actions(
        &self,
        repo: &RepoName,
        body: &SelectedActions,
    ) -> Result<(), ApiError> {
        let path = super::switches::actions_path(repo).lit("selected-actions");
        self.write_admin(Method::PUT, &path, Some(body), StatusCode::NO_CONTENT)
            .await
    }

    async fn put_workflow_permissions(
        &self,
        repo: &RepoName,
        body: &WorkflowPermissions,
    ) -> Result<(), ApiError> {
        let path = super::switches::actions_path(repo).lit("workflow");
        self.write_admin(Method::PUT, &path, Some(body), StatusCode::NO_CONTENT)
            .await
    }
}
