//! The request path of each read, in one place: the reads themselves use these, and so does
//! the question whether the cache can answer a read (`GithubRead::cached`), so that the two
//! can never disagree on a query parameter.

use super::{PER_PAGE, VARIABLES_PER_PAGE, environment_path, protection_path, repo_path};
use crate::github::api::{OrgRead, Read};
use crate::github::path::ApiPath;
use crate::names::RepoName;

pub(super) fn protected_branches(repo: &RepoName) -> ApiPath {
    repo_path(repo)
        .lit("branches")
        .query("protected", "true")
        .query("per_page", PER_PAGE)
}

pub(super) fn environments(repo: &RepoName) -> ApiPath {
    repo_path(repo)
        .lit("environments")
        .query("per_page", PER_PAGE)
}

pub(super) fn patterns(repo: &RepoName, environment: &str) -> ApiPath {
    environment_path(repo, environment)
        .lit("deployment-branch-policies")
        .query("per_page", PER_PAGE)
}

pub(super) fn secrets(repo: &RepoName, environment: &str) -> ApiPath {
    environment_path(repo, environment)
        .lit("secrets")
        .query("per_page", PER_PAGE)
}

pub(super) fn variables(repo: &RepoName, environment: &str) -> ApiPath {
    environment_path(repo, environment)
        .lit("variables")
        .query("per_page", VARIABLES_PER_PAGE)
}

pub(super) fn rulesets(repo: &RepoName) -> ApiPath {
    repo_path(repo)
        .lit("rulesets")
        .query("includes_parents", "true")
        .query("per_page", PER_PAGE)
}

pub(super) fn branch_rules(repo: &RepoName, branch: &str) -> ApiPath {
    repo_path(repo)
        .lit("rules")
        .lit("branches")
        .value(branch)
        .query("per_page", PER_PAGE)
}

pub(super) fn check_runs(repo: &RepoName, reference: &str) -> ApiPath {
    repo_path(repo)
        .lit("commits")
        .value(reference)
        .lit("check-runs")
        .query("per_page", PER_PAGE)
}

pub(super) fn user(login: &str) -> ApiPath {
    ApiPath::new("users").value(login)
}

pub(super) fn team(org: &str, slug: &str) -> ApiPath {
    ApiPath::new("orgs").value(org).lit("teams").value(slug)
}

pub(super) fn org_teams(org: &str) -> ApiPath {
    ApiPath::new("orgs")
        .value(org)
        .lit("teams")
        .query("per_page", PER_PAGE)
}

pub(super) fn app(slug: &str) -> ApiPath {
    ApiPath::new("apps").value(slug)
}

pub(super) fn org_repositories(org: &str) -> ApiPath {
    ApiPath::new("orgs")
        .value(org)
        .lit("repos")
        .query("type", "all")
        .query("sort", "full_name")
        .query("per_page", PER_PAGE)
}

pub(super) fn org_property_values(org: &str) -> ApiPath {
    ApiPath::new("orgs")
        .value(org)
        .lit("properties")
        .lit("values")
        .query("per_page", PER_PAGE)
}

pub(super) fn org_property_schema(org: &str) -> ApiPath {
    ApiPath::new("orgs")
        .value(org)
        .lit("properties")
        .lit("schema")
}

pub(super) fn org_rulesets(org: &str) -> ApiPath {
    ApiPath::new("orgs")
        .value(org)
        .lit("rulesets")
        .query("per_page", PER_PAGE)
}

/// The path of a read of a repository. A ruleset's own path needs its id, which the list
/// gives: it stands for the list's (both change when a ruleset does).
pub(super) fn of(repo: &RepoName, read: &Read) -> ApiPath {
    match read {
        Read::Repository => repo_path(repo),
        Read::Protection(branch) => protection_path(repo, branch),
        Read::ProtectedBranches => protected_branches(repo),
        Read::Environments => environments(repo),
        Read::Patterns(environment) => patterns(repo, environment),
        Read::Secrets(environment) => secrets(repo, environment),
        Read::Variables(environment) => variables(repo, environment),
        Read::Rulesets | Read::Ruleset(_) => rulesets(repo),
        Read::BranchRules(branch) => branch_rules(repo, branch),
        Read::User(login) => user(login),
        Read::Team(slug) => team(&repo.owner, slug),
        Read::App(slug) => app(slug),
    }
}

/// The path of a read of an organisation.
pub(super) fn of_org(org: &str, read: OrgRead) -> ApiPath {
    match read {
        OrgRead::Repositories => org_repositories(org),
        OrgRead::PropertyValues => org_property_values(org),
        OrgRead::PropertySchema => org_property_schema(org),
        OrgRead::Rulesets => org_rulesets(org),
    }
}
