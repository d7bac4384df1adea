//! The one model of a repository's settings, `RepoSettings`, used on both sides of the diff.
//!
//! The policy file deserialises into it, the GitHub reader builds it from the live
//! repository, `export` serialises it and `--state` reads it back. It speaks in policy
//! terms only: logins, team slugs, app slugs, branch names. No numeric ids, no wire shapes
//! (those live in `github/`). Every omitted setting means GitHub's default for a new
//! resource, so `Default` here *is* GitHub's default; serialisation skips defaults so that
//! `export` writes short, readable files.
//!
//! The JSON Schema (`gh-policy schema`) is derived from these types, their doc comments and
//! their `#[schemars(...)]` attributes, which carry every rule a schema can state (names,
//! ranges, limits, shapes): the loader validates each file against that schema before it
//! builds the model, so an editor and `validate` give one verdict. The keywords `x-expected`,
//! `x-message` and `x-at` are the loader's wording for a failing value (see
//! `policy::report`); editors ignore them.

mod actions;
mod branch;
mod bypass;
mod environment;
mod exception;
mod forms;
pub mod limits;
pub mod live;
pub mod names;
mod org;
pub mod ref_pattern;
mod requirement;
mod ruleset;
mod security;
mod settings;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::names::{BranchName, EnvironmentName, Text};

pub use actions::{Actions, AllowedActions, SelectedActions, WorkflowPermissions};
pub use branch::{Actors, Branch, PullRequestRules, RequiredCheck, StatusChecks};
pub use bypass::{
    Account, AccountRef, Actor, ActorKind, BypassActor, BypassMode, Directory, RepositoryRole,
    UnknownActor,
};
pub use environment::{
    DeploymentBranches, DeploymentPattern, Environment, RefType, Reviewer, Secret,
};
pub use exception::{Exception, ExceptionNote};
pub use org::{Group, OrgPolicy, PolicyBody, Select};
pub use requirement::{FLAGS as REQUIREMENT_FLAGS, Requirement};
pub use ruleset::{
    Enforcement, MergeMethod, OtherRule, PullRequestRule, RestrictUpdates, RuleType, Rules,
    Ruleset, RulesetTarget, StatusChecksRule,
};
pub use security::{Security, SecurityFeature};
pub use settings::{
    MergeCommit, MergeMessage, MergeTitle, RepositorySettings, SquashCommit, SquashMessage,
    SquashTitle,
};

/// Branch protection and deployment environments of one GitHub repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "gh-policy policy file")]
pub struct RepoSettings {
    /// Format version of this file. Only `1` exists.
    #[schemars(extend(
        "const" = 1,
        "x-expected" = "`1` (the only format version this gh-policy reads)"
    ))]
    pub version: u32,

    /// The repository as `OWNER/NAME`. Optional: `--repo`, `GITHUB_REPOSITORY` or the
    /// `origin` remote are used when it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(crate::model::names::REPOSITORY_PATTERN))]
    pub repository: Option<String>,

    /// Branch protection, keyed by exact branch name (no wildcards). A listed branch is
    /// managed whole: an omitted setting means GitHub's default (off, empty).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub branches: BTreeMap<BranchName, Branch>,

    /// Deployment environments, keyed by name. A listed environment is managed whole.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environments: BTreeMap<EnvironmentName, Environment>,

    /// Repository rulesets, keyed by their (unique) name. A listed ruleset is managed whole.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rulesets: BTreeMap<Text, Ruleset>,

    /// What must hold on a branch (or `~DEFAULT_BRANCH`), however it is configured:
    /// evaluated on classic protection and every active ruleset together.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": crate::model::names::NON_BLANK_PATTERN }))]
    pub requirements: BTreeMap<String, Requirement>,

    /// Merge settings of the repository (DESIGN §12); only the keys written are managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<RepositorySettings>,

    /// Security features of the repository; only the keys written are managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Security>,

    /// GitHub Actions permissions of the repository; only the keys written are managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Actions>,

    /// Drift accepted until a date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,

    /// What to delete when the repository has it and the policy does not list it.
    /// Everything is off unless set.
    #[serde(default, skip_serializing_if = "Prune::is_off")]
    pub prune: Prune,
}

impl RepoSettings {
    /// Returns an empty version-1 document, the starting point of a live snapshot.
    pub fn empty() -> Self {
        Self {
            version: 1,
            repository: None,
            branches: BTreeMap::new(),
            environments: BTreeMap::new(),
            rulesets: BTreeMap::new(),
            requirements: BTreeMap::new(),
            settings: None,
            security: None,
            actions: None,
            exceptions: Vec::new(),
            prune: Prune::default(),
        }
    }
}

/// Deletion of what the repository has and the policy does not list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Prune {
    /// Delete environments the policy does not list.
    #[serde(default, skip_serializing_if = "is_false")]
    pub environments: bool,
    /// Remove classic protection from protected branches the policy does not list.
    #[serde(default, skip_serializing_if = "is_false")]
    pub branch_protection: bool,
    /// Delete secrets of listed environments that the policy does not list.
    #[serde(default, skip_serializing_if = "is_false")]
    pub secrets: bool,
    /// Delete variables of listed environments that the policy does not list.
    #[serde(default, skip_serializing_if = "is_false")]
    pub variables: bool,
    /// Delete repository rulesets the policy does not list (never an organisation's).
    #[serde(default, skip_serializing_if = "is_false")]
    pub rulesets: bool,
}

impl Prune {
    /// Returns true when nothing is pruned.
    pub fn is_off(&self) -> bool {
        *self == Self::default()
    }
}

// ---------------------------------------------------------------------------------------
// serde helpers for defaults

pub(crate) fn default_true() -> bool {
    true
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
pub(crate) fn is_true(value: &bool) -> bool {
    *value
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
pub(crate) fn is_false(value: &bool) -> bool {
    !*value
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
pub(crate) fn is_zero_u8(value: &u8) -> bool {
    *value == 0
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
pub(crate) fn is_zero_u32(value: &u32) -> bool {
    *value == 0
}
