//! The reads, one declaration each (see the module above for what a declaration says).

use super::{Read, environment_path, protection_path, repo_path};
use crate::github::error::Permission;
use crate::github::path::ApiPath;
use crate::github::wire::Enabled;
use crate::github::wire::account::{App, BranchItem, ProtectedBranchItem, Repository, Team, User};
use crate::github::wire::actions::{PublicKey, SecretItem, VariableItem};
use crate::github::wire::checks::{CheckRun, CheckRuns};
use crate::github::wire::environment::{DeploymentBranchPolicy, Environment};
use crate::github::wire::properties::{PropertyDefinition, RepositoryValues};
use crate::github::wire::protection::Protection;
use crate::github::wire::rate_limit::{Overview, RateLimit};
use crate::github::wire::ruleset::{EffectiveRule, Ruleset, RulesetSummary};
use crate::model::names::{BranchName, RepoName};

/// GitHub's largest page for most lists.
const PER_PAGE: u32 = 100;
/// The largest page for environment variables (emulator/github-api/QUIRKS.md 12).
const VARIABLES_PER_PAGE: u32 = 30;

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

/// GET `/repos/{owner}/{repo}`.
pub fn repository(repo: &RepoName) -> Read<Repository> {
    let known = repo.clone();
    repository_settings(repo).in_bulk(move |bulk| bulk.repository(&known).cloned())
}

/// GET `/repos/{owner}/{repo}` whole, with the merge settings and security features that
/// only REST gives (a bulk read answers [`repository`] without them).
pub fn repository_settings(repo: &RepoName) -> Read<Repository> {
    Read::one(repo_path(repo)).in_repository(repo)
}

/// GET `/repos/{owner}/{repo}/branches/{branch}/protection`; GitHub's 404 message says
/// whether the branch is unprotected or missing.
pub fn branch_protection(repo: &RepoName, branch: &str) -> Read<Protection, ProtectionRead> {
    let (known, known_branch) = (repo.clone(), branch.to_owned());
    Read::one(protection_path(repo, branch))
        .in_bulk(move |bulk| bulk.protection(&known, &known_branch).cloned())
        .needs(Permission::AdministrationRead)
        .in_repository(repo)
        .answering(
            |protection| ProtectionRead::Protected(Box::new(protection)),
            |message| match message {
                "Branch not protected" => Some(ProtectionRead::NotProtected),
                "Branch not found" => Some(ProtectionRead::BranchMissing),
                _ => None,
            },
        )
}

/// GET `…/branches/{branch}/protection/required_signatures`; false when unprotected.
pub fn required_signatures(repo: &RepoName, branch: &str) -> Read<Enabled, bool> {
    Read::one(protection_path(repo, branch).lit("required_signatures"))
        .needs(Permission::AdministrationRead)
        .answering(|flag| flag.enabled, |_| Some(false))
}

/// GET `/repos/{owner}/{repo}/branches?protected=true`, every page: the protected names.
pub fn protected_branches(repo: &RepoName) -> Read<Vec<ProtectedBranchItem>, Vec<BranchName>> {
    let path = repo_path(repo)
        .lit("branches")
        .query("protected", "true")
        .query("per_page", PER_PAGE);
    Read::list(path, None)
        .needs(Permission::ContentsRead)
        .in_repository(repo)
        .answering(
            |branches| branches.into_iter().map(|b| b.name).collect(),
            |_| None,
        )
}

/// Every page of the branch listing at `path`, as names.
pub(super) fn branch_list(repo: &RepoName, path: ApiPath) -> Read<Vec<BranchItem>, Vec<String>> {
    Read::list(path, None)
        .needs(Permission::ContentsRead)
        .in_repository(repo)
        .answering(
            |branches| branches.into_iter().map(|b| b.name).collect(),
            |_| None,
        )
}

/// GET `/repos/{owner}/{repo}/environments`, every page.
pub fn environments(repo: &RepoName) -> Read<Vec<Environment>> {
    let path = repo_path(repo)
        .lit("environments")
        .query("per_page", PER_PAGE);
    Read::list(path, Some("environments"))
        .needs(Permission::ActionsRead)
        .in_repository(repo)
}

/// GET `…/environments/{environment_name}/deployment-branch-policies`, every page.
pub fn deployment_branch_policies(
    repo: &RepoName,
    environment: &str,
) -> Read<Vec<DeploymentBranchPolicy>> {
    let path = environment_path(repo, environment)
        .lit("deployment-branch-policies")
        .query("per_page", PER_PAGE);
    Read::list(path, Some("branch_policies")).needs(Permission::ActionsRead)
}

/// GET `…/environments/{environment_name}/secrets`, every page; `None` when the
/// environment does not exist.
pub fn environment_secrets(
    repo: &RepoName,
    environment: &str,
) -> Read<Vec<SecretItem>, Option<Vec<SecretItem>>> {
    let path = environment_path(repo, environment)
        .lit("secrets")
        .query("per_page", PER_PAGE);
    Read::list(path, Some("secrets"))
        .needs(Permission::EnvironmentsRead)
        .or_none()
}

/// GET `…/environments/{environment_name}/variables`, every page; `None` when the
/// environment does not exist.
pub fn environment_variables(
    repo: &RepoName,
    environment: &str,
) -> Read<Vec<VariableItem>, Option<Vec<VariableItem>>> {
    let path = environment_path(repo, environment)
        .lit("variables")
        .query("per_page", VARIABLES_PER_PAGE);
    Read::list(path, Some("variables"))
        .needs(Permission::EnvironmentsRead)
        .or_none()
}

/// GET `…/environments/{environment_name}/secrets/public-key`.
pub fn environment_public_key(repo: &RepoName, environment: &str) -> Read<PublicKey> {
    let path = environment_path(repo, environment)
        .lit("secrets")
        .lit("public-key");
    Read::one(path).needs(Permission::EnvironmentsRead)
}

/// GET `/users/{username}`; `None` when there is no such user.
pub fn user(login: &str) -> Read<User, Option<User>> {
    Read::one(ApiPath::new("users").value(login)).or_none()
}

/// GET `/user/{account_id}`; `None` when there is no such user.
pub fn user_by_id(id: u64) -> Read<User, Option<User>> {
    Read::one(ApiPath::new("user").id(id)).or_none()
}

/// GET `/orgs/{org}/teams/{team_slug}`; `None` when there is no such team.
pub fn team(org: &str, slug: &str) -> Read<Team, Option<Team>> {
    let path = ApiPath::new("orgs").value(org).lit("teams").value(slug);
    Read::one(path).needs(Permission::MembersRead).or_none()
}

/// GET `/orgs/{org}/teams`, every page; empty when the owner is not an organisation
/// (a user-owned repository has no teams).
pub fn org_teams(org: &str) -> Read<Vec<Team>> {
    let path = ApiPath::new("orgs")
        .value(org)
        .lit("teams")
        .query("per_page", PER_PAGE);
    Read::list(path, None)
        .needs(Permission::MembersRead)
        .or_default()
}

/// GET `/apps/{app_slug}`; `None` when there is no such app.
pub fn app(slug: &str) -> Read<App, Option<App>> {
    Read::one(ApiPath::new("apps").value(slug)).or_none()
}

/// GET `/repos/{owner}/{repo}/rulesets?includes_parents=true`, every page: the
/// repository's rulesets and the organisation's that apply to it, as summaries.
pub fn rulesets(repo: &RepoName) -> Read<Vec<RulesetSummary>> {
    let path = repo_path(repo)
        .lit("rulesets")
        .query("includes_parents", "true")
        .query("per_page", PER_PAGE);
    let known = repo.clone();
    Read::list(path, None)
        .in_bulk(move |bulk| bulk.ruleset_summaries(&known).map(<[_]>::to_vec))
        .needs(Permission::AdministrationRead)
        .in_repository(repo)
}

/// GET `/repos/{owner}/{repo}/rulesets/{ruleset_id}`: one ruleset whole (also an
/// organisation's that applies).
pub fn ruleset(repo: &RepoName, id: u64) -> Read<Ruleset> {
    let known = repo.clone();
    Read::one(repo_path(repo).lit("rulesets").id(id))
        .in_bulk(move |bulk| bulk.ruleset(&known, id).cloned())
        .needs(Permission::AdministrationRead)
}

/// GET `/repos/{owner}/{repo}/rules/branches/{branch}`, every page: the rules of every
/// active ruleset that applies to a branch (which need not exist).
pub fn branch_rules(repo: &RepoName, branch: &str) -> Read<Vec<EffectiveRule>> {
    let path = repo_path(repo)
        .lit("rules")
        .lit("branches")
        .value(branch)
        .query("per_page", PER_PAGE);
    Read::list(path, None).in_repository(repo)
}

/// GET `/orgs/{org}/repos`, every page, in name order.
pub fn org_repositories(org: &str) -> Read<Vec<Repository>> {
    let path = ApiPath::new("orgs")
        .value(org)
        .lit("repos")
        .query("type", "all")
        .query("sort", "full_name")
        .query("per_page", PER_PAGE);
    Read::list(path, None)
        .needs(Permission::MetadataRead)
        .in_organization(org)
}

/// GET `/orgs/{org}/properties/values`, every page: each repository's custom property
/// values (the repository list does not reliably carry them, emulator/github-api/QUIRKS.md 57).
pub fn org_property_values(org: &str) -> Read<Vec<RepositoryValues>> {
    let path = ApiPath::new("orgs")
        .value(org)
        .lit("properties")
        .lit("values")
        .query("per_page", PER_PAGE);
    Read::list(path, None).needs(Permission::CustomPropertiesRead)
}

/// GET `/orgs/{org}/properties/schema`: the custom properties the organisation defines.
pub fn org_property_schema(org: &str) -> Read<Vec<PropertyDefinition>> {
    let path = ApiPath::new("orgs")
        .value(org)
        .lit("properties")
        .lit("schema");
    Read::list(path, None).needs(Permission::CustomPropertiesRead)
}

/// GET `/orgs/{org}/rulesets`, every page.
pub fn org_rulesets(org: &str) -> Read<Vec<RulesetSummary>> {
    let path = ApiPath::new("orgs")
        .value(org)
        .lit("rulesets")
        .query("per_page", PER_PAGE);
    Read::list(path, None).needs(Permission::OrganizationAdministrationRead)
}

/// GET `/orgs/{org}/rulesets/{ruleset_id}`.
pub fn org_ruleset(org: &str, id: u64) -> Read<Ruleset> {
    let path = ApiPath::new("orgs").value(org).lit("rulesets").id(id);
    Read::one(path).needs(Permission::OrganizationAdministrationRead)
}

/// GET `…/commits/{ref}/check-runs`, one page of 100: what reported the checks of a
/// commit, each with its app (the one place an app's id becomes its slug).
pub fn check_runs(repo: &RepoName, reference: &str) -> Read<CheckRuns, Vec<CheckRun>> {
    let path = repo_path(repo)
        .lit("commits")
        .value(reference)
        .lit("check-runs")
        .query("per_page", PER_PAGE);
    Read::one(path)
        .needs(Permission::ChecksRead)
        .answering(|page| page.check_runs, |_| None)
}

/// GET `/rate_limit` (free): the `core` budget, to check before a large run.
pub fn rate_limit() -> Read<Overview, RateLimit> {
    Read::one(ApiPath::new("rate_limit")).answering(|overview| overview.resources.core, |_| None)
}
