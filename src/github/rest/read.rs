//! The reads.

use async_trait::async_trait;
use http::StatusCode;

use super::{
    PER_PAGE, Rest, VARIABLES_PER_PAGE, environment_path, message, parse, protection_path,
    repo_path, repository_missing,
};
use crate::github::api::{GithubRead, ProtectionRead};
use crate::github::client::Reads;
use crate::github::error::{ApiError, ApiErrorKind, Permission};
use crate::github::path::ApiPath;
use crate::github::wire::account::{App, BranchItem, Repository, Team, User};
use crate::github::wire::actions::{PublicKey, SecretItem, VariableItem};
use crate::github::wire::environment::{DeploymentBranchPolicy, Environment};
use crate::github::wire::rate_limit::{Overview, RateLimit};
use crate::github::wire::ruleset::{EffectiveRule, Ruleset, RulesetSummary};
use crate::names::RepoName;

#[async_trait]
impl<C: Reads> GithubRead for Rest<C> {
    async fn branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<ProtectionRead, ApiError> {
        let path = protection_path(repo, branch);
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
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
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
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
            .reads()
            .get_all(&path, None)
            .await
            .map_err(|e| repository_missing(e.needing(Permission::ContentsRead), repo))?;
        Ok(items.into_iter().map(|b| b.name).collect())
    }

    async fn environments(&self, repo: &RepoName) -> Result<Vec<Environment>, ApiError> {
        let path = repo_path(repo)
            .lit("environments")
            .query("per_page", PER_PAGE);
        self.reads()
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
        self.reads()
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
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
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

    async fn user_by_id(&self, id: u64) -> Result<Option<User>, ApiError> {
        self.lookup(ApiPath::new("user").id(id)).await
    }

    async fn org_teams(&self, org: &str) -> Result<Vec<Team>, ApiError> {
        let path = ApiPath::new("orgs")
            .value(org)
            .lit("teams")
            .query("per_page", PER_PAGE);
        match self.reads().get_all(&path, None).await {
            Ok(teams) => Ok(teams),
            // A user-owned repository has no organisation, and so no teams.
            Err(err) if err.kind == ApiErrorKind::NotFound => Ok(Vec::new()),
            Err(err) => Err(err.needing(Permission::MembersRead)),
        }
    }

    async fn rulesets(&self, repo: &RepoName) -> Result<Vec<RulesetSummary>, ApiError> {
        let path = repo_path(repo)
            .lit("rulesets")
            .query("includes_parents", "true")
            .query("per_page", PER_PAGE);
        self.reads()
            .get_all(&path, None)
            .await
            .map_err(|e| repository_missing(e.needing(Permission::AdministrationRead), repo))
    }

    async fn ruleset(&self, repo: &RepoName, id: u64) -> Result<Ruleset, ApiError> {
        let path = repo_path(repo).lit("rulesets").id(id);
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
        if response.status != StatusCode::OK {
            return Err(
                ApiError::from_status(&response, call).needing(Permission::AdministrationRead)
            );
        }
        parse(&response, &call)
    }

    async fn branch_rules(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<Vec<EffectiveRule>, ApiError> {
        let path = repo_path(repo)
            .lit("rules")
            .lit("branches")
            .value(branch)
            .query("per_page", PER_PAGE);
        self.reads()
            .get_all(&path, None)
            .await
            .map_err(|e| repository_missing(e, repo))
    }

    async fn repository(&self, repo: &RepoName) -> Result<Repository, ApiError> {
        let path = repo_path(repo);
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
        if response.status != StatusCode::OK {
            return Err(repository_missing(
                ApiError::from_status(&response, call),
                repo,
            ));
        }
        parse(&response, &call)
    }

    async fn org_repositories(&self, org: &str) -> Result<Vec<Repository>, ApiError> {
        let path = ApiPath::new("orgs")
            .value(org)
            .lit("repos")
            .query("type", "all")
            .query("sort", "full_name")
            .query("per_page", PER_PAGE);
        self.reads().get_all(&path, None).await.map_err(|e| {
            if e.kind == ApiErrorKind::NotFound {
                e.or_hint(format!(
                    "organisation `{}` was not found, or the token cannot see it",
                    crate::untrusted::escape(org)
                ))
            } else {
                e.needing(Permission::MetadataRead)
            }
        })
    }

    async fn org_rulesets(&self, org: &str) -> Result<Vec<RulesetSummary>, ApiError> {
        let path = ApiPath::new("orgs")
            .value(org)
            .lit("rulesets")
            .query("per_page", PER_PAGE);
        self.reads()
            .get_all(&path, None)
            .await
            .map_err(|e| e.needing(Permission::OrganizationAdministrationRead))
    }

    async fn org_ruleset(&self, org: &str, id: u64) -> Result<Ruleset, ApiError> {
        let path = ApiPath::new("orgs").value(org).lit("rulesets").id(id);
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
        if response.status != StatusCode::OK {
            return Err(ApiError::from_status(&response, call)
                .needing(Permission::OrganizationAdministrationRead));
        }
        parse(&response, &call)
    }

    async fn rate_limit(&self) -> Result<RateLimit, ApiError> {
        let path = ApiPath::new("rate_limit");
        let call = path.call(http::Method::GET);
        let response = self.reads().get(&path).await?;
        if response.status != StatusCode::OK {
            return Err(ApiError::from_status(&response, call));
        }
        parse::<Overview>(&response, &call).map(|overview| overview.resources.core)
    }
}
