//! The reads planning a repository makes when it is in sync with its policy: the reader's
//! own count, for the rate-budget check of an organisation run (DESIGN §11). Each entry
//! follows one decision of the reader — `environments.rs`, `protection.rs`, `rulesets.rs`,
//! `names.rs`, `evidence.rs` — and a test holds the count to what the reader does. What
//! depends on the repository beyond its policy (a second page of a long list, rulesets the
//! policy does not manage) is not counted: in sync, there is none of it.

use std::collections::BTreeSet;

use crate::github::api::{self, findings, reads, switches};
use crate::github::path::ApiPath;
use crate::github::rest::RestReader;
use crate::model::names::RepoName;
use crate::model::{RepoSettings, Reviewer};

/// One GET of a repository's plan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Read {
    /// `GET /repos/{o}/{r}`: the default branch, for requirements; the merge settings and
    /// `security_and_analysis`, for `settings` and `security`.
    Repository,
    /// `GET …/vulnerability-alerts` and the other security switches, by endpoint segment.
    Switch(&'static str),
    /// `GET …/code-security-configuration`.
    CodeSecurityConfiguration,
    /// `GET …/actions/permissions`.
    ActionsPermissions,
    /// `GET …/actions/permissions/selected-actions` (only while `selected`).
    SelectedActions,
    /// `GET …/actions/permissions/workflow`.
    WorkflowPermissions,
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
    /// The people with write access (findings, DESIGN §13).
    Writers,
    /// Every branch's name (findings).
    BranchNames,
    /// The CODEOWNERS errors for a branch (findings).
    Codeowners(String),
    /// The closed pull requests into a branch (findings).
    ClosedPulls(String),
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

/// Returns the reads planning a repository in sync with `desired` makes, once each.
pub fn reads_in_sync(desired: &RepoSettings) -> Vec<Read> {
    let mut reads = BTreeSet::new();
    // protection.rs: each listed branch, and the protected ones when pruning.
    for branch in desired.branches.keys() {
        reads.insert(Read::Protection(branch.to_string()));
    }
    if desired.prune.branch_protection {
        reads.insert(Read::ProtectedBranches);
    }
    // environments.rs: the list always; patterns where custom; secrets and variables where
    // the policy compares them.
    reads.insert(Read::Environments);
    for (name, environment) in &desired.environments {
        if matches!(
            environment.deployment_branches,
            crate::model::DeploymentBranches::Custom(_)
        ) {
            reads.insert(Read::Patterns(name.to_string()));
        }
        if !environment.secrets.is_empty() || desired.prune.secrets {
            reads.insert(Read::Secrets(name.to_string()));
        }
        if !environment.variables.is_empty() || desired.prune.variables {
            reads.insert(Read::Variables(name.to_string()));
        }
    }
    // rulesets.rs: the list, then each ruleset the policy lists.
    if !desired.rulesets.is_empty() || desired.prune.rulesets || !desired.requirements.is_empty() {
        reads.insert(Read::Rulesets);
        reads.extend(
            desired
                .rulesets
                .keys()
                .map(|name| Read::Ruleset(name.to_string())),
        );
    }
    // evidence.rs: the default branch, and each requirement branch's effective rules and
    // (unless the policy lists it) its classic protection. The rulesets those rules come
    // from are the policy's (read above) or the organisation's (read once for the run).
    if !desired.requirements.is_empty() {
        reads.insert(Read::Repository);
        for key in desired.requirements.keys() {
            // `~DEFAULT_BRANCH` is counted as `main` when the policy lists no such branch.
            let branch = if key == crate::model::ref_pattern::DEFAULT_BRANCH {
                "main"
            } else {
                key
            };
            reads.insert(Read::BranchRules(branch.to_owned()));
            reads.insert(Read::Protection(branch.to_owned()));
        }
    }
    // switches.rs: the repository-wide sections, only the endpoints their keys need.
    reads.extend(super::switches::reads_in_sync(desired));
    // names.rs: in sync, what the policy names is seen live; ids still needed are looked up.
    reads.extend(lookups(desired));
    reads.into_iter().collect()
}

/// The names whose ids a plan in sync still looks up: users and teams a ruleset lets
/// bypass (an environment's reviewers come with their ids), and apps by slug.
fn lookups(desired: &RepoSettings) -> Vec<Read> {
    let reviewers: BTreeSet<String> = desired
        .environments
        .values()
        .flat_map(|e| &e.reviewers)
        .map(|reviewer| match reviewer {
            Reviewer::User(login) => login.to_lowercase(),
            Reviewer::Team(slug) => slug.to_lowercase(),
        })
        .collect();
    let mut reads = Vec::new();
    for actor in desired.rulesets.values().flat_map(|r| &r.bypass) {
        if let Some(login) = &actor.user
            && !reviewers.contains(&login.to_lowercase())
        {
            reads.push(Read::User(login.to_lowercase()));
        }
        if let Some(slug) = &actor.team
            && !reviewers.contains(&slug.to_lowercase())
        {
            reads.push(Read::Team(slug.to_lowercase()));
        }
        if let Some(slug) = &actor.app {
            reads.push(Read::App(slug.to_lowercase()));
        }
    }
    let checks = desired
        .branches
        .values()
        .filter_map(|b| b.status_checks.as_ref())
        .flat_map(|c| &c.required)
        .chain(
            desired
                .rulesets
                .values()
                .filter_map(|r| r.rules.status_checks.as_ref())
                .flat_map(|c| &c.required),
        );
    for check in checks {
        if let (Some(slug), None) = (&check.app, check.app_id) {
            reads.push(Read::App(slug.to_lowercase()));
        }
    }
    reads
}

impl Read {
    /// The request path of this read of `repo`, taken from its declaration so that the
    /// question whether the cache can answer it never disagrees with the read on a query
    /// parameter. A ruleset's own path needs its id, which the list gives: it stands for the
    /// list's (both change when a ruleset does).
    pub fn path(&self, repo: &RepoName) -> ApiPath {
        match self {
            Read::Repository => reads::repository(repo).path,
            Read::Protection(branch) => reads::branch_protection(repo, branch).path,
            Read::ProtectedBranches => reads::protected_branches(repo).path,
            Read::Environments => reads::environments(repo).path,
            Read::Patterns(environment) => {
                reads::deployment_branch_policies(repo, environment).path
            }
            Read::Secrets(environment) => reads::environment_secrets(repo, environment).path,
            Read::Variables(environment) => reads::environment_variables(repo, environment).path,
            Read::Rulesets | Read::Ruleset(_) => reads::rulesets(repo).path,
            Read::BranchRules(branch) => reads::branch_rules(repo, branch).path,
            Read::User(login) => reads::user(login).path,
            Read::Team(slug) => reads::team(&repo.owner, slug).path,
            Read::App(slug) => reads::app(slug).path,
            Read::Switch(segment) => api::repo_path(repo).lit(segment),
            Read::CodeSecurityConfiguration => switches::code_security_configuration(repo).path,
            Read::ActionsPermissions => switches::actions_permissions(repo).path,
            Read::SelectedActions => switches::selected_actions(repo).path,
            Read::WorkflowPermissions => switches::workflow_permissions(repo).path,
            Read::Writers => findings::writers(repo).path,
            Read::BranchNames => findings::branch_names(repo).path,
            Read::Codeowners(branch) => findings::codeowners_errors(repo, branch).path,
            Read::ClosedPulls(branch) => findings::closed_pulls(repo, branch).path,
        }
    }
}

impl Read {
    /// Returns true when this read of `repo` costs `github` no rate limit: a bulk read
    /// answered it, or the cache can.
    pub fn is_free(&self, repo: &RepoName, github: &RestReader) -> bool {
        match self {
            Read::Repository => github.is_free(&reads::repository(repo)),
            Read::Protection(branch) => github.is_free(&reads::branch_protection(repo, branch)),
            Read::Rulesets => github.is_free(&reads::rulesets(repo)),
            Read::Writers => github.is_free(&findings::writers(repo)),
            Read::BranchNames => github.is_free(&findings::branch_names(repo)),
            Read::Ruleset(name) => {
                let in_bulk = github
                    .bulk()
                    .and_then(|bulk| bulk.ruleset_id(repo, name))
                    .is_some_and(|id| github.is_free(&reads::ruleset(repo, id)));
                in_bulk || github.is_cached(&self.path(repo))
            }
            _ => github.is_cached(&self.path(repo)),
        }
    }
}

impl OrgRead {
    /// The request path of this read of `org`, taken from its declaration.
    pub fn path(self, org: &str) -> ApiPath {
        match self {
            OrgRead::Repositories => reads::org_repositories(org).path,
            OrgRead::PropertyValues => reads::org_property_values(org).path,
            OrgRead::PropertySchema => reads::org_property_schema(org).path,
            OrgRead::Rulesets => reads::org_rulesets(org).path,
        }
    }
}
