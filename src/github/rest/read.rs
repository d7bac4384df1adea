//! The reads.

use async_trait::async_trait;
use http::StatusCode;

use super::{
    Rest, environment_path, message, parse, paths, protection_path, repo_path, repository_missing,
};
use crate::github::api::{GithubRead, ProtectionRead};
use crate::github::api::{OrgRead, Read};
use crate::github::client::Reads;
use crate::github::error::{ApiError, ApiErrorKind, Permission};
use crate::github::path::ApiPath;
use crate::github::wire::account::{App, BranchItem, Repository, Team, User};
use crate::github::wire::actions::{PublicKey, SecretItem, VariableItem};
use crate::github::wire::checks::{CheckRun, CheckRuns};
use crate::github::wire::environment::{DeploymentBranchPolicy, Environment};
use crate::github::wire::properties::{PropertyDefinition, RepositoryValues};
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
        let call = format!("GET {path}");
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
        let call = format!("GET {path}");
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
        let path = paths::protected_branches(repo);
        let items: Vec<BranchItem> = self
            .reads()
            .get_all(&path, None)
            .await
            .map_err(|e| repository_missing(e.needing(Permission::ContentsRead), repo))?;
        Ok(items.into_iter().map(|b| b.name).collect())
    }

    async fn environments(&self, repo: &RepoName) -> Result<Vec<Environment>, ApiError> {
        let path = paths::environments(repo);
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
        let path = paths::patterns(repo, environment);
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
        let path = paths::secrets(repo, environment);
        self.list_in_environment(path, "secrets").await
    }

    async fn environment_variables(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<VariableItem>>, ApiError> {
        let path = paths::variables(repo, environment);
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
        let response = self.reads().get(&path).await?;
        if response.status != StatusCode::OK {
            return Err(
                ApiError::from_status(&response, call).needing(Permission::EnvironmentsRead)
            );
        }
        parse(&response, &call)
    }

    async fn user(&self, login: &str) -> Result<Option<User>, ApiError> {
        self.lookup(paths::user(login)).await
    }

    async fn team(&self, org: &str, slug: &str) -> Result<Option<Team>, ApiError> {
        self.lookup(paths::team(org, slug))
            .await
            .map_err(|e| e.needing(Permission::MembersRead))
    }

    async fn app(&self, slug: &str) -> Result<Option<App>, ApiError> {
        self.lookup(paths::app(slug)).await
    }

    async fn user_by_id(&self, id: u64) -> Result<Option<User>, ApiError> {
        self.lookup(ApiPath::new("user").id(id)).await
    }

    async fn org_teams(&self, org: &str) -> Result<Vec<Team>, ApiError> {
        let path = paths::org_teams(org);
        match self.reads().get_all(&path, None).await {
            Ok(teams) => Ok(teams),
            // A user-owned repository has no organisation, and so no teams.
            Err(err) if err.kind == ApiErrorKind::NotFound => Ok(Vec::new()),
            Err(err) => Err(err.needing(Permission::MembersRead)),
        }
    }

    async fn rulesets(&self, repo: &RepoName) -> Result<Vec<RulesetSummary>, ApiError> {
        let path = paths::rulesets(repo);
        self.reads()
            .get_all(&path, None)
            .await
            .map_err(|e| repository_missing(e.needing(Permission::AdministrationRead), repo))
    }

    async fn ruleset(&self, repo: &RepoName, id: u64) -> Result<Ruleset, ApiError> {
        let path = repo_path(repo).lit("rulesets").id(id);
        let call = format!("GET {path}");
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
        let path = paths::branch_rules(repo, branch);
        self.reads()
            .get_all(&path, None)
            .await
            .map_err(|e| repository_missing(e, repo))
    }

    async fn repository(&self, repo: &RepoName) -> Result<Repository, ApiError> {
        let path = repo_path(repo);
        let call = format!("GET {path}");
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
        let path = paths::org_repositories(org);
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

    async fn org_property_values(&self, org: &str) -> Result<Vec<RepositoryValues>, ApiError> {
        let path = paths::org_property_values(org);
        self.reads()
            .get_all(&path, None)
            .await
            .map_err(|e| e.needing(Permission::CustomPropertiesRead))
    }

    async fn org_property_schema(&self, org: &str) -> Result<Vec<PropertyDefinition>, ApiError> {
        let path = paths::org_property_schema(org);
        self.reads()
            .get_all(&path, None)
            .await
            .map_err(|e| e.needing(Permission::CustomPropertiesRead))
    }

    async fn org_rulesets(&self, org: &str) -> Result<Vec<RulesetSummary>, ApiError> {
        let path = paths::org_rulesets(org);
        self.reads()
            .get_all(&path, None)
            .await
            .map_err(|e| e.needing(Permission::OrganizationAdministrationRead))
    }

    async fn org_ruleset(&self, org: &str, id: u64) -> Result<Ruleset, ApiError> {
        let path = ApiPath::new("orgs").value(org).lit("rulesets").id(id);
        let call = format!("GET {path}");
        let response = self.reads().get(&path).await?;
        if response.status != StatusCode::OK {
            return Err(ApiError::from_status(&response, call)
                .needing(Permission::OrganizationAdministrationRead));
        }
        parse(&response, &call)
    }

    async fn check_runs(
        &self,
        repo: &RepoName,
        reference: &str,
    ) -> Result<Vec<CheckRun>, ApiError> {
        let path = paths::check_runs(repo, reference);
        let call = format!("GET {path}");
        let response = self.reads().get(&path).await?;
        if response.status != StatusCode::OK {
            return Err(ApiError::from_status(&response, call).needing(Permission::ChecksRead));
        }
        parse::<CheckRuns>(&response, &call).map(|page| page.check_runs)
    }

    fn cached(&self, repo: &RepoName, read: &Read) -> bool {
        self.reads().is_cached(&paths::of(repo, read))
    }

    fn org_cached(&self, org: &str, read: OrgRead) -> bool {
        self.reads().is_cached(&paths::of_org(org, read))
    }

    async fn rate_limit(&self) -> Result<RateLimit, ApiError> {
        let path = ApiPath::new("rate_limit");
        let call = format!("GET {path}");
        let response = self.reads().get(&path).await?;
        if response.status != StatusCode::OK {
            return Err(ApiError::from_status(&response, call));
        }
        parse::<Overview>(&response, &call).map(|overview| overview.resources.core)
    }
}
