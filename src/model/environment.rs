//! A deployment environment: its protection rules, deployment branches, secrets and
//! variables, in policy terms.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{default_true, is_false, is_true, is_zero_u32};
use crate::model::names::{EnvVarName, Login, Pattern, SecretName, Slug, VariableName};

/// A deployment environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [{
    "if": { "properties": { "prevent_self_review": { "const": true } }, "required": ["prevent_self_review"] },
    "then": {
        "required": ["reviewers"],
        "properties": { "reviewers": { "minItems": 1 } },
        "x-message": "`prevent_self_review: true` needs at least one reviewer: add `reviewers`, or remove `prevent_self_review`",
        "x-at": "prevent_self_review"
    }
}]))]
pub struct Environment {
    /// Minutes to wait before a job referencing the environment may proceed, 0 to 43200.
    /// GitHub default: `0`.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    #[schemars(
        range(min = 0, max = crate::model::limits::MAX_WAIT_TIMER),
        extend("x-expected" = "a number of minutes from 0 to 43200 (30 days)")
    )]
    pub wait_timer: u32,

    /// Stop the user who triggered a deployment from approving it. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub prevent_self_review: bool,

    /// Users and teams, at most 6 in total, one of whom must approve each deployment.
    /// Empty: no manual approval. A set: one listed twice counts once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend(
        "if" = { "uniqueItems": true },
        "then" = {
            "maxItems": crate::model::limits::MAX_REVIEWERS,
            "x-message": "at most 6 reviewers (users and teams together) per environment"
        }
    ))]
    pub reviewers: Vec<Reviewer>,

    /// Let repository administrators bypass the protection rules. GitHub default: `true`.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub can_admins_bypass: bool,

    /// Which branches and tags may deploy: `all` (GitHub's default), `protected` (branches
    /// with protection rules), or a list of name patterns (`main`, `release/*`, `{tag: "v*"}`).
    #[serde(default, skip_serializing_if = "DeploymentBranches::is_all")]
    pub deployment_branches: DeploymentBranches,

    /// Secrets that must exist, at most 100. Values are never read back; `from_env` names the
    /// variable `apply` takes the value from when a secret is missing. A set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend(
        "if" = { "uniqueItems": true },
        "then" = {
            "maxItems": crate::model::limits::MAX_SECRETS,
            "x-message": "at most 100 secrets per environment"
        }
    ))]
    pub secrets: Vec<Secret>,

    /// Environment variables and their exact values: at most 100, each at most 48 KB.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend(
        "maxProperties" = crate::model::limits::MAX_VARIABLES,
        "additionalProperties" = {
            "type": "string",
            "maxLength": crate::model::limits::MAX_VARIABLE_BYTES,
            "x-expected": "a string (at most 48 KB)"
        }
    ))]
    pub variables: BTreeMap<VariableName, String>,
}

impl Default for Environment {
    fn default() -> Self {
        Self {
            wait_timer: 0,
            prevent_self_review: false,
            reviewers: Vec::new(),
            can_admins_bypass: true,
            deployment_branches: DeploymentBranches::All,
            secrets: Vec::new(),
            variables: BTreeMap::new(),
        }
    }
}

/// A required deployment reviewer (its JSON Schema is in `forms.rs`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Reviewer {
    /// A user, by login.
    User(Login),
    /// A team of the repository's organisation, by slug.
    Team(Slug),
}

impl Reviewer {
    /// Returns the login or slug.
    pub fn name(&self) -> &str {
        match self {
            Self::User(login) => login,
            Self::Team(slug) => slug,
        }
    }
}

impl fmt::Display for Reviewer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(login) => write!(f, "user:{login}"),
            Self::Team(slug) => write!(f, "team:{slug}"),
        }
    }
}

/// Which refs may deploy to an environment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "super::forms::ModeForm", into = "super::forms::ModeForm")]
pub enum DeploymentBranches {
    /// Any branch or tag (GitHub's default).
    #[default]
    All,
    /// Only branches with branch protection rules.
    Protected,
    /// Only refs matching these name patterns. A set.
    Custom(Vec<DeploymentPattern>),
}

impl DeploymentBranches {
    /// Returns true for the default, `all`.
    pub fn is_all(&self) -> bool {
        matches!(self, Self::All)
    }

    /// Returns the mode's name as written in the policy (`all`, `protected`, `custom`).
    pub fn mode(&self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Protected => "protected",
            Self::Custom(_) => "custom",
        }
    }
}

/// A deployment branch or tag name pattern (Ruby `File.fnmatch` syntax; `*` does not match `/`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "super::forms::PatternForm", into = "super::forms::PatternForm")]
pub struct DeploymentPattern {
    /// Whether the pattern matches branches or tags.
    pub ref_type: RefType,
    /// The name pattern.
    pub pattern: Pattern,
}

impl fmt::Display for DeploymentPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ref_type {
            RefType::Branch => f.write_str(&self.pattern),
            RefType::Tag => write!(f, "tag:{}", self.pattern),
        }
    }
}

/// The kind of ref a deployment pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefType {
    /// Branches.
    Branch,
    /// Tags.
    Tag,
}

/// An environment secret that must exist.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "super::forms::SecretForm", into = "super::forms::SecretForm")]
pub struct Secret {
    /// The secret's name.
    pub name: SecretName,
    /// The environment variable `apply` reads the value from when the secret is missing.
    pub from_env: Option<EnvVarName>,
}
