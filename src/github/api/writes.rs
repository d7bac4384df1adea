//! The writes, one declaration each (see the module above for what a declaration says).

use http::{Method, StatusCode};

use super::{Write, environment_path, protection_path, repo_path};
use crate::github::error::Permission;
use crate::github::path::ApiPath;
use crate::github::wire::actions::{SecretRequest, VariableRequest};
use crate::github::wire::environment::{DeploymentBranchPolicyRequest, EnvironmentRequest};
use crate::github::wire::protection::{ChecksRequest, Protection, ProtectionRequest};
use crate::github::wire::ruleset::{Ruleset, RulesetRequest};
use crate::model::names::RepoName;

const OK: &[StatusCode] = &[StatusCode::OK];
const CREATED: &[StatusCode] = &[StatusCode::CREATED];
const NO_CONTENT: &[StatusCode] = &[StatusCode::NO_CONTENT];

/// A DELETE that GitHub answers 204.
fn delete(path: ApiPath, needs: Permission) -> Write<'static, ()> {
    Write::new(Method::DELETE, path, NO_CONTENT, needs)
}

/// `…/environments/{environment_name}/{secrets|variables}/{name}`.
fn environment_entry(
    repo: &RepoName,
    environment: &str,
    kind: &'static str,
    name: &str,
) -> ApiPath {
    environment_path(repo, environment).lit(kind).value(name)
}

/// PUT `/repos/{owner}/{repo}/branches/{branch}/protection`; answers what GitHub kept.
pub fn put_branch_protection<'a>(
    repo: &RepoName,
    branch: &str,
    body: &'a ProtectionRequest,
) -> Write<'a, ProtectionRequest, Protection> {
    let path = protection_path(repo, branch);
    Write::new(Method::PUT, path, OK, Permission::AdministrationWrite)
        .body(body)
        .answer()
}

/// DELETE `/repos/{owner}/{repo}/branches/{branch}/protection`.
pub fn delete_branch_protection(repo: &RepoName, branch: &str) -> Write<'static, ()> {
    let path = protection_path(repo, branch);
    delete(path, Permission::AdministrationWrite)
}

/// PATCH `…/branches/{branch}/protection/required_status_checks`.
pub fn set_status_checks<'a>(
    repo: &RepoName,
    branch: &str,
    body: &'a ChecksRequest,
) -> Write<'a, ChecksRequest> {
    let path = protection_path(repo, branch).lit("required_status_checks");
    Write::new(Method::PATCH, path, OK, Permission::AdministrationWrite).body(body)
}

/// POST (on) or DELETE (off) `…/branches/{branch}/protection/required_signatures`; off
/// when already off (404) is the desired state.
pub fn set_required_signatures(repo: &RepoName, branch: &str, on: bool) -> Write<'static, ()> {
    let path = protection_path(repo, branch).lit("required_signatures");
    let needs = Permission::AdministrationWrite;
    if on {
        Write::new(Method::POST, path, OK, needs)
    } else {
        let ok = &[StatusCode::NO_CONTENT, StatusCode::NOT_FOUND];
        Write::new(Method::DELETE, path, ok, needs)
    }
}

/// PUT `/repos/{owner}/{repo}/environments/{environment_name}`: create or update.
pub fn put_environment<'a>(
    repo: &RepoName,
    name: &str,
    body: &'a EnvironmentRequest,
) -> Write<'a, EnvironmentRequest> {
    let path = environment_path(repo, name);
    Write::new(Method::PUT, path, OK, Permission::AdministrationWrite).body(body)
}

/// DELETE `/repos/{owner}/{repo}/environments/{environment_name}`.
pub fn delete_environment(repo: &RepoName, name: &str) -> Write<'static, ()> {
    let path = environment_path(repo, name);
    delete(path, Permission::AdministrationWrite)
}

/// POST `…/environments/{environment_name}/deployment-branch-policies`; 303 says the same
/// pattern exists already, which is the desired state.
pub fn create_deployment_branch_policy<'a>(
    repo: &RepoName,
    environment: &str,
    body: &'a DeploymentBranchPolicyRequest,
) -> Write<'a, DeploymentBranchPolicyRequest> {
    let path = environment_path(repo, environment).lit("deployment-branch-policies");
    let ok = &[StatusCode::OK, StatusCode::SEE_OTHER];
    Write::new(Method::POST, path, ok, Permission::AdministrationWrite).body(body)
}

/// DELETE `…/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}`.
pub fn delete_deployment_branch_policy(
    repo: &RepoName,
    environment: &str,
    id: u64,
) -> Write<'static, ()> {
    let path = environment_path(repo, environment)
        .lit("deployment-branch-policies")
        .id(id);
    delete(path, Permission::AdministrationWrite)
}

/// PUT `…/environments/{environment_name}/secrets/{secret_name}`: 201 created, 204 updated.
pub fn put_environment_secret<'a>(
    repo: &RepoName,
    environment: &str,
    name: &str,
    body: &'a SecretRequest,
) -> Write<'a, SecretRequest> {
    let path = environment_entry(repo, environment, "secrets", name);
    let ok = &[StatusCode::CREATED, StatusCode::NO_CONTENT];
    Write::new(Method::PUT, path, ok, Permission::EnvironmentsWrite).body(body)
}

/// DELETE `…/environments/{environment_name}/secrets/{secret_name}`.
pub fn delete_environment_secret(
    repo: &RepoName,
    environment: &str,
    name: &str,
) -> Write<'static, ()> {
    let path = environment_entry(repo, environment, "secrets", name);
    delete(path, Permission::EnvironmentsWrite)
}

/// POST `…/environments/{environment_name}/variables`.
pub fn create_environment_variable<'a>(
    repo: &RepoName,
    environment: &str,
    body: &'a VariableRequest,
) -> Write<'a, VariableRequest> {
    let path = environment_path(repo, environment).lit("variables");
    Write::new(Method::POST, path, CREATED, Permission::EnvironmentsWrite).body(body)
}

/// PATCH `…/environments/{environment_name}/variables/{name}`.
pub fn update_environment_variable<'a>(
    repo: &RepoName,
    environment: &str,
    name: &str,
    body: &'a VariableRequest,
) -> Write<'a, VariableRequest> {
    let path = environment_entry(repo, environment, "variables", name);
    Write::new(
        Method::PATCH,
        path,
        NO_CONTENT,
        Permission::EnvironmentsWrite,
    )
    .body(body)
}

/// DELETE `…/environments/{environment_name}/variables/{name}`.
pub fn delete_environment_variable(
    repo: &RepoName,
    environment: &str,
    name: &str,
) -> Write<'static, ()> {
    let path = environment_entry(repo, environment, "variables", name);
    delete(path, Permission::EnvironmentsWrite)
}

/// POST `/repos/{owner}/{repo}/rulesets`; answers the ruleset as GitHub stored it.
pub fn create_ruleset<'a>(
    repo: &RepoName,
    body: &'a RulesetRequest,
) -> Write<'a, RulesetRequest, Ruleset> {
    let path = repo_path(repo).lit("rulesets");
    Write::new(Method::POST, path, CREATED, Permission::AdministrationWrite)
        .body(body)
        .answer()
}

/// PUT `/repos/{owner}/{repo}/rulesets/{ruleset_id}`; answers the ruleset as GitHub
/// stored it.
pub fn update_ruleset<'a>(
    repo: &RepoName,
    id: u64,
    body: &'a RulesetRequest,
) -> Write<'a, RulesetRequest, Ruleset> {
    let path = repo_path(repo).lit("rulesets").id(id);
    Write::new(Method::PUT, path, OK, Permission::AdministrationWrite)
        .body(body)
        .answer()
}

/// DELETE `/repos/{owner}/{repo}/rulesets/{ruleset_id}`.
pub fn delete_ruleset(repo: &RepoName, id: u64) -> Write<'static, ()> {
    let path = repo_path(repo).lit("rulesets").id(id);
    delete(path, Permission::AdministrationWrite)
}
