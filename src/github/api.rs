//! The GitHub seam: one method per REST operation gh-policy uses, in GitHub's own shapes.
//!
//! [`GithubRead`] has only reads: `plan`, `explain` and `export` are handed one, so the
//! reading path has no way to write. [`GithubWrite`] adds the writes, and only `apply`
//! gets one. `rest` implements both over HTTP; `fake` implements both in memory for the
//! tests below the binary. Everything above this seam — what to read, how answers become
//! the model, which requests a plan change needs — is the same for both.
//!
//! [`Read`] and [`OrgRead`] name the GETs of a plan, for the cache and the rate budget.

use async_trait::async_trait;

use super::error::ApiError;
use super::wire::account::{App, Repository, Team, User};
use super::wire::actions::{PublicKey, SecretItem, SecretRequest, VariableItem, VariableRequest};
use super::wire::checks::CheckRun;
use super::wire::environment::{
    DeploymentBranchPolicy, DeploymentBranchPolicyRequest, Environment, EnvironmentRequest,
};
use super::wire::properties::{PropertyDefinition, RepositoryValues};
use super::wire::protection::{ChecksRequest, Protection, ProtectionRequest};
use super::wire::rate_limit::RateLimit;
use super::wire::ruleset::{EffectiveRule, Ruleset, RulesetRequest, RulesetSummary};
use crate::names::RepoName;

/// What GET `…/branches/{branch}/protection` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtectionRead {
    /// The branch is protected, like this.
    Protected(Box<Protection>),
    /// The branch exists and has no classic protection.
    NotProtected,
    /// The branch does not exist.
    BranchMissing,
}

/// The reads.
#[async_trait]
pub trait GithubRead: Send + Sync {
    /// GET `/repos/{owner}/{repo}`.
    async fn repository(&self, repo: &RepoName) -> Result<Repository, ApiError>;

    /// GET `…/branches/{branch}/protection`.
    async fn branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<ProtectionRead, ApiError>;

    /// GET `…/branches/{branch}/protection/required_signatures` (false when unprotected).
    async fn required_signatures(&self, repo: &RepoName, branch: &str) -> Result<bool, ApiError>;

    /// GET `…/branches?protected=true`, every page: the names of protected branches.
    async fn protected_branches(&self, repo: &RepoName) -> Result<Vec<String>, ApiError>;

    /// GET `…/environments`, every page.
    async fn environments(&self, repo: &RepoName) -> Result<Vec<Environment>, ApiError>;

    /// GET `…/environments/{env}/deployment-branch-policies`, every page.
    async fn deployment_branch_policies(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Vec<DeploymentBranchPolicy>, ApiError>;

    /// GET `…/environments/{env}/secrets`, every page; `None` when the environment does not
    /// exist.
    async fn environment_secrets(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<SecretItem>>, ApiError>;

    /// GET `…/environments/{env}/variables`, every page; `None` when the environment does
    /// not exist.
    async fn environment_variables(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<VariableItem>>, ApiError>;

    /// GET `…/environments/{env}/secrets/public-key`.
    async fn environment_public_key(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<PublicKey, ApiError>;

    /// GET `/users/{username}`; `None` when there is no such user.
    async fn user(&self, login: &str) -> Result<Option<User>, ApiError>;

    /// GET `/orgs/{org}/teams/{team_slug}`; `None` when there is no such team.
    async fn team(&self, org: &str, slug: &str) -> Result<Option<Team>, ApiError>;

    /// GET `/apps/{app_slug}`; `None` when there is no such app.
    async fn app(&self, slug: &str) -> Result<Option<App>, ApiError>;

    /// GET `/user/{account_id}`; `None` when there is no such user.
    async fn user_by_id(&self, id: u64) -> Result<Option<User>, ApiError>;

    /// GET `/orgs/{org}/teams`, every page; empty when the owner is not an organisation.
    async fn org_teams(&self, org: &str) -> Result<Vec<Team>, ApiError>;

    /// GET `…/rulesets` with `includes_parents=true`, every page: the repository's rulesets
    /// and the organisation's that apply to it, as summaries.
    async fn rulesets(&self, repo: &RepoName) -> Result<Vec<RulesetSummary>, ApiError>;

    /// GET `…/rulesets/{ruleset_id}`: one ruleset whole (also an organisation's that applies).
    async fn ruleset(&self, repo: &RepoName, id: u64) -> Result<Ruleset, ApiError>;

    /// GET `/orgs/{org}/repos`, every page.
    async fn org_repositories(&self, org: &str) -> Result<Vec<Repository>, ApiError>;

    /// GET `/orgs/{org}/properties/values`, every page: each repository's custom property
    /// values (the repository list does not reliably carry them,
    /// emulator/github-api/QUIRKS.md 57).
    async fn org_property_values(&self, org: &str) -> Result<Vec<RepositoryValues>, ApiError>;

    /// GET `/orgs/{org}/properties/schema`: the custom properties the organisation defines.
    async fn org_property_schema(&self, org: &str) -> Result<Vec<PropertyDefinition>, ApiError>;

    /// GET `/orgs/{org}/rulesets`, every page.
    async fn org_rulesets(&self, org: &str) -> Result<Vec<RulesetSummary>, ApiError>;

    /// GET `/orgs/{org}/rulesets/{ruleset_id}`.
    async fn org_ruleset(&self, org: &str, id: u64) -> Result<Ruleset, ApiError>;

    /// GET `…/rules/branches/{branch}`, every page: the rules of every active ruleset that
    /// applies to a branch (which need not exist).
    async fn branch_rules(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<Vec<EffectiveRule>, ApiError>;

    /// GET `…/commits/{ref}/check-runs`, one page of 100: what reported the checks of a
    /// commit, each with its app (the one place an app's id becomes its slug).
    async fn check_runs(&self, repo: &RepoName, reference: &str)
    -> Result<Vec<CheckRun>, ApiError>;

    /// GET `/rate_limit` (free): the `core` budget, to check before a large run.
    async fn rate_limit(&self) -> Result<RateLimit, ApiError>;

    /// Returns true when the cache can answer this read of a repository without spending
    /// rate limit (a conditional request, answered `304`). Only the HTTP seam has a cache.
    fn cached(&self, _repo: &RepoName, _read: &Read) -> bool {
        false
    }

    /// The same for a read of an organisation.
    fn org_cached(&self, _org: &str, _read: OrgRead) -> bool {
        false
    }
}

/// The writes. Each is one request; none is retried unless GitHub refused it unprocessed.
#[async_trait]
pub trait GithubWrite: GithubRead {
    /// PUT `…/branches/{branch}/protection`; returns GitHub's answer (what it kept).
    async fn put_branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
        body: &ProtectionRequest,
    ) -> Result<Protection, ApiError>;

    /// DELETE `…/branches/{branch}/protection`.
    async fn delete_branch_protection(&self, repo: &RepoName, branch: &str)
    -> Result<(), ApiError>;

    /// PATCH `…/protection/required_status_checks`.
    async fn set_status_checks(
        &self,
        repo: &RepoName,
        branch: &str,
        body: &ChecksRequest,
    ) -> Result<(), ApiError>;

    /// POST (on) or DELETE (off) `…/protection/required_signatures`.
    async fn set_required_signatures(
        &self,
        repo: &RepoName,
        branch: &str,
        on: bool,
    ) -> Result<(), ApiError>;

    /// PUT `…/environments/{name}`: create or update.
    async fn put_environment(
        &self,
        repo: &RepoName,
        name: &str,
        body: &EnvironmentRequest,
    ) -> Result<(), ApiError>;

    /// DELETE `…/environments/{name}`.
    async fn delete_environment(&self, repo: &RepoName, name: &str) -> Result<(), ApiError>;

    /// POST `…/deployment-branch-policies`.
    async fn create_deployment_branch_policy(
        &self,
        repo: &RepoName,
        environment: &str,
        body: &DeploymentBranchPolicyRequest,
    ) -> Result<(), ApiError>;

    /// DELETE `…/deployment-branch-policies/{id}`.
    async fn delete_deployment_branch_policy(
        &self,
        repo: &RepoName,
        environment: &str,
        id: u64,
    ) -> Result<(), ApiError>;

    /// PUT `…/environments/{env}/secrets/{name}`.
    async fn put_environment_secret(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
        body: &SecretRequest,
    ) -> Result<(), ApiError>;

    /// DELETE `…/environments/{env}/secrets/{name}`.
    async fn delete_environment_secret(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
    ) -> Result<(), ApiError>;

    /// POST `…/environments/{env}/variables`.
    async fn create_environment_variable(
        &self,
        repo: &RepoName,
        environment: &str,
        body: &VariableRequest,
    ) -> Result<(), ApiError>;

    /// PATCH `…/environments/{env}/variables/{name}`.
    async fn update_environment_variable(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
        body: &VariableRequest,
    ) -> Result<(), ApiError>;

    /// POST `…/rulesets`.
    async fn create_ruleset(
        &self,
        repo: &RepoName,
        body: &RulesetRequest,
    ) -> Result<Ruleset, ApiError>;

    /// PUT `…/rulesets/{ruleset_id}`.
    async fn update_ruleset(
        &self,
        repo: &RepoName,
        id: u64,
        body: &RulesetRequest,
    ) -> Result<Ruleset, ApiError>;

    /// DELETE `…/rulesets/{ruleset_id}`.
    async fn delete_ruleset(&self, repo: &RepoName, id: u64) -> Result<(), ApiError>;

    /// DELETE `…/environments/{env}/variables/{name}`.
    async fn delete_environment_variable(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
    ) -> Result<(), ApiError>;
}

/// One GET of a repository's plan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Read {
    /// `GET /repos/{o}/{r}`: the default branch, for requirements.
    Repository,
    /// `GET …/branches/{branch}/protection`.
    Protection(String),
    /// `GET …/branches?protected=true`, to prune classic protection.
    ProtectedBranches,
    /// `GET …/environments`.
    Environments,
    /// `GET …/environments/{env}/deployment-branch-policies`.
    Patterns(String),
    /// `GET …/environments/{env}/secrets`.
    Secrets(String),
    /// `GET …/environments/{env}/variables`.
    Variables(String),
    /// `GET …/rulesets?includes_parents=true`.
    Rulesets,
    /// `GET …/rulesets/{id}` of a ruleset the policy lists (its id comes from the list).
    Ruleset(String),
    /// `GET …/rules/branches/{branch}`.
    BranchRules(String),
    /// `GET /users/{login}`.
    User(String),
    /// `GET /orgs/{org}/teams/{slug}`.
    Team(String),
    /// `GET /apps/{slug}`.
    App(String),
}

/// One GET an organisation run makes once, before it plans any repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRead {
    /// `GET /orgs/{org}/repos`, a page of 100.
    Repositories,
    /// `GET /orgs/{org}/properties/values`.
    PropertyValues,
    /// `GET /orgs/{org}/properties/schema`.
    PropertySchema,
    /// `GET /orgs/{org}/rulesets`.
    Rulesets,
}
