//! The GitHub seam in memory, for the tests below the binary (compiled only under
//! `cfg(test)`).
//!
//! It keeps one repository's state in GitHub's own shapes and answers as GitHub does for
//! what gh-policy uses: a PUT replaces protection, a PATCH pins checks, an environment PUT
//! keeps the keys it is not given, names match without case. Every call is logged, and any
//! call can be made to fail ("fail call N", "fail every call of an operation"), so reading,
//! name resolution, apply order and stop-on-first-failure are tested without HTTP. The HTTP
//! emulator (`emulator/`) remains the end-to-end and conformance test.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use base64::Engine as _;
use crypto_box::aead::OsRng;

use super::api::{GithubRead, GithubWrite, ProtectionRead};
use super::error::{ApiError, ApiErrorKind, Cause};
use super::wire::Enabled;
use super::wire::account::{App, Team, User};
use super::wire::actions::{
    KeyId, PublicKey, SecretItem, SecretRequest, VariableItem, VariableRequest,
};
use super::wire::environment::{
    BranchPolicySettings, DeploymentBranchPolicy, DeploymentBranchPolicyRequest, Environment,
    EnvironmentRequest, ProtectionRule, ReviewerEntry, ReviewerObject,
};
use super::wire::protection::{
    ActorNames, ActorNamesOrOff, ActorObjects, Check, ChecksRequest, Login, Protection,
    ProtectionRequest, PullRequestReviews, Slug, StatusCheckPolicy,
};
use super::wire::rate_limit::RateLimit;
use super::wire::ruleset::{EffectiveRule, Ruleset as WireRuleset, RulesetRequest, RulesetSummary};
use crate::names::RepoName;

/// One logged call: the operation and what it was about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The trait method, e.g. `put_branch_protection`.
    pub op: &'static str,
    /// The object, e.g. `main` or `production/SSH_KEY`.
    pub object: String,
    /// The body, as JSON, for writes that have one.
    pub body: Option<serde_json::Value>,
}

/// A branch: exists, maybe protected.
#[derive(Debug, Clone, Default)]
pub struct FakeBranch {
    /// The protection, as GET would answer.
    pub protection: Option<Protection>,
}

/// An environment with what hangs off it.
#[derive(Debug, Clone)]
pub struct FakeEnvironment {
    /// As GET would answer (protection rules, branch policy, `can_admins_bypass`).
    pub wire: Environment,
    /// Custom deployment patterns.
    pub patterns: Vec<DeploymentBranchPolicy>,
    /// Secret values (decrypted), by upper-case name.
    pub secrets: BTreeMap<String, Vec<u8>>,
    /// Variables by upper-case name.
    pub variables: BTreeMap<String, String>,
}

#[derive(Default)]
struct State {
    branches: BTreeMap<String, FakeBranch>,
    environments: Vec<FakeEnvironment>,
    users: BTreeMap<String, (String, u64)>,
    teams: BTreeMap<String, (String, u64)>,
    apps: BTreeMap<String, u64>,
    rulesets: Vec<WireRuleset>,
    hide_bypass: bool,
    /// What `rate_limit` answers; `None` for a generous default.
    rate_limit: Option<RateLimit>,
    switches: answers::FakeSwitches,
    calls: Vec<Call>,
    failures: Vec<Failure>,
    next_id: u64,
}

/// A call made to fail.
struct Failure {
    /// The 1-based number of the call to fail, or every call of `op`.
    nth: Option<usize>,
    op: Option<&'static str>,
    kind: ApiErrorKind,
    status: u16,
}

/// The in-memory GitHub.
pub struct FakeGithub {
    repo: RepoName,
    secret_key: crypto_box::SecretKey,
    state: Mutex<State>,
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl FakeGithub {
    /// Returns an empty repository `acme/katz-backend` with a `main` branch.
    pub fn new() -> Self {
        let fake = Self {
            repo: RepoName {
                owner: "acme".to_owned(),
                name: "katz-backend".to_owned(),
            },
            secret_key: crypto_box::SecretKey::generate(&mut OsRng),
            state: Mutex::new(State {
                next_id: 1000,
                ..State::default()
            }),
        };
        fake.add_branch("main");
        fake
    }

    /// Returns the repository's name.
    #[must_use]
    pub fn repo(&self) -> &RepoName {
        &self.repo
    }

    /// Adds an unprotected branch.
    pub fn add_branch(&self, name: &str) {
        lock(&self.state)
            .branches
            .insert(name.to_owned(), FakeBranch::default());
    }

    /// Adds a user, a team or an app GitHub knows.
    pub fn add_user(&self, login: &str, id: u64) {
        lock(&self.state)
            .users
            .insert(login.to_lowercase(), (login.to_owned(), id));
    }

    /// Adds a team of the repository's organisation.
    pub fn add_team(&self, slug: &str, id: u64) {
        lock(&self.state)
            .teams
            .insert(slug.to_lowercase(), (slug.to_owned(), id));
    }

    /// Adds a GitHub App.
    pub fn add_app(&self, slug: &str, id: u64) {
        lock(&self.state).apps.insert(slug.to_lowercase(), id);
    }

    /// Adds a ruleset as GET by id would answer it (`source_type` `Organization` for one of
    /// the organisation's that applies to the repository).
    ///
    /// # Panics
    ///
    /// When the value is not a ruleset: a mistake in the test that wrote it.
    pub fn add_ruleset(&self, ruleset: serde_json::Value) {
        let ruleset: WireRuleset = serde_json::from_value(ruleset)
            .expect("a ruleset as GitHub answers it, written in a test");
        lock(&self.state).rulesets.push(ruleset);
    }

    /// Makes ruleset answers leave out bypass actors, as for a token without write access.
    pub fn hide_bypass_actors(&self) {
        lock(&self.state).hide_bypass = true;
    }

    /// Sets what `GET /rate_limit` answers (by default 5000 an hour, none used, resetting
    /// in an hour).
    pub fn set_rate_limit(&self, rate_limit: RateLimit) {
        lock(&self.state).rate_limit = Some(rate_limit);
    }

    /// Returns the ruleset with this name, as stored.
    pub fn ruleset_named(&self, name: &str) -> Option<WireRuleset> {
        lock(&self.state)
            .rulesets
            .iter()
            .find(|r| r.name == name)
            .cloned()
    }

    /// Makes the `nth` call (1-based, counting every call) fail with this status.
    pub fn fail_call(&self, nth: usize, status: u16) {
        lock(&self.state).failures.push(Failure {
            nth: Some(nth),
            op: None,
            kind: kind_of(status),
            status,
        });
    }

    /// Makes every call of an operation fail with this status.
    pub fn fail_op(&self, op: &'static str, status: u16) {
        lock(&self.state).failures.push(Failure {
            nth: None,
            op: Some(op),
            kind: kind_of(status),
            status,
        });
    }

    /// Returns the calls so far.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.state).calls.clone()
    }

    /// Returns the write calls so far (every operation that is not a read).
    pub fn writes(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| is_write(c.op))
            .collect()
    }

    /// Forgets the calls so far.
    pub fn clear_calls(&self) {
        lock(&self.state).calls.clear();
    }

    /// Returns a branch's state.
    pub fn branch(&self, name: &str) -> Option<FakeBranch> {
        lock(&self.state).branches.get(name).cloned()
    }

    /// Returns an environment's state (by name, without case).
    pub fn environment(&self, name: &str) -> Option<FakeEnvironment> {
        lock(&self.state)
            .environments
            .iter()
            .find(|e| e.wire.name.eq_ignore_ascii_case(name))
            .cloned()
    }

    /// Logs a call and returns the failure it was made to have, if any.
    fn call(
        &self,
        op: &'static str,
        object: &str,
        body: Option<serde_json::Value>,
    ) -> Result<std::sync::MutexGuard<'_, State>, ApiError> {
        let mut state = lock(&self.state);
        state.calls.push(Call {
            op,
            object: object.to_owned(),
            body,
        });
        let n = state.calls.len();
        if let Some(failure) = state
            .failures
            .iter()
            .find(|f| f.nth == Some(n) || f.op == Some(op))
        {
            return Err(
                ApiError::new(failure.kind, call_of(op, object)).because(Cause::Status {
                    status: failure.status,
                    message: "injected failure".to_owned(),
                    errors: Vec::new(),
                }),
            );
        }
        Ok(state)
    }

    fn check_repo(&self, repo: &RepoName, op: &'static str) -> Result<(), ApiError> {
        if *repo == self.repo {
            Ok(())
        } else {
            Err(ApiError::new(
                ApiErrorKind::NotFound,
                call_of(op, &repo.to_string()),
            ))
        }
    }
}

fn kind_of(status: u16) -> ApiErrorKind {
    match status {
        401 => ApiErrorKind::Auth,
        403 => ApiErrorKind::Permission,
        404 => ApiErrorKind::NotFound,
        422 => ApiErrorKind::Rejected,
        _ => ApiErrorKind::Server,
    }
}

/// The operations of `GithubWrite`: what `writes` lists (every other call is a read).
fn is_write(op: &str) -> bool {
    matches!(
        op,
        "put_branch_protection"
            | "delete_branch_protection"
            | "set_status_checks"
            | "set_required_signatures"
            | "put_environment"
            | "delete_environment"
            | "create_deployment_branch_policy"
            | "delete_deployment_branch_policy"
            | "put_environment_secret"
            | "delete_environment_secret"
            | "create_environment_variable"
            | "update_environment_variable"
            | "delete_environment_variable"
            | "create_ruleset"
            | "update_ruleset"
            | "delete_ruleset"
    )
}

/// The call an operation's error names: `PUT` for a write, `GET` for a read, then the
/// operation and its object.
fn call_of(op: &str, object: &str) -> crate::github::Call {
    let method = if is_write(op) {
        http::Method::PUT
    } else {
        http::Method::GET
    };
    crate::github::Call::new(method, format!("{op} {object}"))
}

fn json(body: &impl serde::Serialize) -> Option<serde_json::Value> {
    serde_json::to_value(body).ok()
}

fn not_found(op: &str, object: &str) -> ApiError {
    ApiError::new(ApiErrorKind::NotFound, call_of(op, object)).because(Cause::Status {
        status: 404,
        message: "Not Found".to_owned(),
        errors: Vec::new(),
    })
}

impl Default for FakeGithub {
    fn default() -> Self {
        Self::new()
    }
}

mod answers;
