//! [`BulkRead`]: the read seam over what GraphQL read in bulk. A repository and a branch's
//! classic protection come from the bulk answer when it has them whole; every other read,
//! and those it lacks, go to the REST seam underneath unchanged.

use async_trait::async_trait;

use super::Bulk;
use crate::github::api::{GithubRead, ProtectionRead};
use crate::github::error::ApiError;
use crate::github::read::{OrgRead, Read};
use crate::github::wire::account::{App, Repository, Team, User};
use crate::github::wire::actions::{PublicKey, SecretItem, VariableItem};
use crate::github::wire::checks::CheckRun;
use crate::github::wire::environment::{DeploymentBranchPolicy, Environment};
use crate::github::wire::findings::{CodeownersError, Collaborator, PullRequest};
use crate::github::wire::properties::{PropertyDefinition, RepositoryValues};
use crate::github::wire::rate_limit::RateLimit;
use crate::github::wire::ruleset::{EffectiveRule, Ruleset, RulesetSummary};
use crate::github::wire::switches::{
    ActionsPermissions, ConfigurationForRepository, SelectedActions, Switch, SwitchRead,
    WorkflowPermissions,
};
use crate::names::RepoName;

/// Reads through `bulk` first, then `rest`.
pub struct BulkRead<'a> {
    rest: &'a dyn GithubRead,
    bulk: &'a Bulk,
}

impl<'a> BulkRead<'a> {
    /// Reads from `bulk` what it has, from `rest` the rest.
    pub fn new(rest: &'a dyn GithubRead, bulk: &'a Bulk) -> Self {
        Self { rest, bulk }
    }
}

#[async_trait]
impl GithubRead for BulkRead<'_> {
    async fn repository(&self, repo: &RepoName) -> Result<Repository, ApiError> {
        match self.bulk.repository(repo) {
            Some(known) => Ok(known.clone()),
            None => self.rest.repository(repo).await,
        }
    }

    async fn repository_settings(&self, repo: &RepoName) -> Result<Repository, ApiError> {
        // GraphQL's answer lacks the merge settings and security features.
        self.rest.repository_settings(repo).await
    }

    async fn branch_names(&self, repo: &RepoName) -> Result<Vec<String>, ApiError> {
        self.rest.branch_names(repo).await
    }

    async fn writers(&self, repo: &RepoName) -> Result<Vec<Collaborator>, ApiError> {
        self.rest.writers(repo).await
    }

    async fn codeowners_errors(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<Option<Vec<CodeownersError>>, ApiError> {
        self.rest.codeowners_errors(repo, branch).await
    }

    async fn closed_pulls(
        &self,
        repo: &RepoName,
        base: &str,
    ) -> Result<Vec<PullRequest>, ApiError> {
        self.rest.closed_pulls(repo, base).await
    }

    async fn commit_statuses(&self, repo: &RepoName, sha: &str) -> Result<Vec<String>, ApiError> {
        self.rest.commit_statuses(repo, sha).await
    }

    async fn switch(&self, repo: &RepoName, switch: Switch) -> Result<SwitchRead, ApiError> {
        self.rest.switch(repo, switch).await
    }

    async fn code_security_configuration(
        &self,
        repo: &RepoName,
    ) -> Result<Option<ConfigurationForRepository>, ApiError> {
        self.rest.code_security_configuration(repo).await
    }

    async fn actions_permissions(&self, repo: &RepoName) -> Result<ActionsPermissions, ApiError> {
        self.rest.actions_permissions(repo).await
    }

    async fn selected_actions(&self, repo: &RepoName) -> Result<SelectedActions, ApiError> {
        self.rest.selected_actions(repo).await
    }

    async fn workflow_permissions(&self, repo: &RepoName) -> Result<WorkflowPermissions, ApiError> {
        self.rest.workflow_permissions(repo).await
    }

    async fn branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<ProtectionRead, ApiError> {
        match self.bulk.protection(repo, branch) {
            Some(known) => Ok(ProtectionRead::Protected(Box::new(known.clone()))),
            None => self.rest.branch_protection(repo, branch).await,
        }
    }

    async fn required_signatures(&self, repo: &RepoName, branch: &str) -> Result<bool, ApiError> {
        self.rest.required_signatures(repo, branch).await
    }

    async fn protected_branches(&self, repo: &RepoName) -> Result<Vec<String>, ApiError> {
        self.rest.protected_branches(repo).await
    }

    async fn environments(&self, repo: &RepoName) -> Result<Vec<Environment>, ApiError> {
        self.rest.environments(repo).await
    }

    async fn deployment_branch_policies(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Vec<DeploymentBranchPolicy>, ApiError> {
        self.rest
            .deployment_branch_policies(repo, environment)
            .await
    }

    async fn environment_secrets(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<SecretItem>>, ApiError> {
        self.rest.environment_secrets(repo, environment).await
    }

    async fn environment_variables(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<VariableItem>>, ApiError> {
        self.rest.environment_variables(repo, environment).await
    }

    async fn environment_public_key(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<PublicKey, ApiError> {
        self.rest.environment_public_key(repo, environment).await
    }

    async fn user(&self, login: &str) -> Result<Option<User>, ApiError> {
        self.rest.user(login).await
    }

    async fn team(&self, org: &str, slug: &str) -> Result<Option<Team>, ApiError> {
        self.rest.team(org, slug).await
    }

    async fn app(&self, slug: &str) -> Result<Option<App>, ApiError> {
        self.rest.app(slug).await
    }

    async fn user_by_id(&self, id: u64) -> Result<Option<User>, ApiError> {
        self.rest.user_by_id(id).await
    }

    async fn org_teams(&self, org: &str) -> Result<Vec<Team>, ApiError> {
        self.rest.org_teams(org).await
    }

    async fn rulesets(&self, repo: &RepoName) -> Result<Vec<RulesetSummary>, ApiError> {
        self.rest.rulesets(repo).await
    }

    async fn ruleset(&self, repo: &RepoName, id: u64) -> Result<Ruleset, ApiError> {
        self.rest.ruleset(repo, id).await
    }

    async fn org_repositories(&self, org: &str) -> Result<Vec<Repository>, ApiError> {
        self.rest.org_repositories(org).await
    }

    async fn org_property_values(&self, org: &str) -> Result<Vec<RepositoryValues>, ApiError> {
        self.rest.org_property_values(org).await
    }

    async fn org_property_schema(&self, org: &str) -> Result<Vec<PropertyDefinition>, ApiError> {
        self.rest.org_property_schema(org).await
    }

    async fn org_rulesets(&self, org: &str) -> Result<Vec<RulesetSummary>, ApiError> {
        self.rest.org_rulesets(org).await
    }

    async fn org_ruleset(&self, org: &str, id: u64) -> Result<Ruleset, ApiError> {
        self.rest.org_ruleset(org, id).await
    }

    async fn branch_rules(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<Vec<EffectiveRule>, ApiError> {
        self.rest.branch_rules(repo, branch).await
    }

    async fn check_runs(
        &self,
        repo: &RepoName,
        reference: &str,
    ) -> Result<Vec<CheckRun>, ApiError> {
        self.rest.check_runs(repo, reference).await
    }

    async fn rate_limit(&self) -> Result<RateLimit, ApiError> {
        self.rest.rate_limit().await
    }

    async fn graphql(
        &self,
        query: &str,
        variables: &serde_json::Value,
    ) -> Result<Option<serde_json::Value>, ApiError> {
        self.rest.graphql(query, variables).await
    }

    /// A read the bulk answer has costs nothing more; the others, what the cache says.
    fn cached(&self, repo: &RepoName, read: &Read) -> bool {
        let known = match read {
            Read::Repository => self.bulk.repository(repo).is_some(),
            Read::Protection(branch) => self.bulk.protection(repo, branch).is_some(),
            _ => false,
        };
        known || self.rest.cached(repo, read)
    }

    fn org_cached(&self, org: &str, read: OrgRead) -> bool {
        self.rest.org_cached(org, read)
    }
}
