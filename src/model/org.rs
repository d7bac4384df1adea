//! An organisation policy (DESIGN §10): one policy for every selected repository of an
//! organisation — `defaults` for all, `groups` selected by name and custom properties, and
//! `repositories` entries — and the body each layer writes.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::names::{BranchName, EnvironmentName, RepositoryName, Text};

use super::{
    Actions, Branch, Environment, Exception, Prune, RepositorySettings, Requirement, Ruleset,
    Security,
};

/// A policy for many repositories of one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "gh-policy organisation policy file")]
pub struct OrgPolicy {
    /// Format version of this file. Only `1` exists.
    #[schemars(extend(
        "const" = 1,
        "x-expected" = "`1` (the only format version this gh-policy reads)"
    ))]
    pub version: u32,

    /// The organisation's login.
    #[schemars(pattern(crate::model::names::LOGIN_PATTERN))]
    pub organization: String,

    /// The policy every selected repository gets.
    #[serde(default, skip_serializing_if = "PolicyBody::is_empty")]
    pub defaults: PolicyBody,

    /// Groups of repositories, applied in file order after `defaults` to the repositories
    /// they select.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub groups: IndexMap<Text, Group>,

    /// One repository's own policy, applied last, by repository name (a listed repository is
    /// selected even when archived, a fork, or excluded).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub repositories: BTreeMap<RepositoryName, PolicyBody>,

    /// Name globs of repositories `defaults` and `groups` leave out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(min = 1, max = 255)))]
    pub exclude: Vec<String>,

    /// The document as written (JSON), when it was read from a file: layers merge as
    /// written, so that a value a layer sets to its default (`enforce_admins: false`) still
    /// replaces an earlier one. `Null` for a policy built in code.
    #[serde(skip)]
    #[schemars(skip)]
    pub written: serde_json::Value,
}

/// A group: which repositories, and what they get.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Which repositories: name globs and custom property values, all of which must match.
    #[serde(default)]
    pub select: Select,
    /// What the selected repositories get.
    #[serde(default)]
    pub policy: PolicyBody,
}

/// A selection of repositories.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Select {
    /// Name globs (`svc-*`); any may match. Absent: every name. At most 255 characters: a
    /// repository name has at most 100, and a longer glob only costs time to match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(min = 1, max = 255)))]
    pub names: Vec<String>,
    /// Custom property values that must all match (for a multi-select property, the value
    /// must be one of the repository's).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<Text, String>,
}

/// What one layer of an organisation policy says about a repository: the sections of a
/// repository policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    /// Classic branch protection by branch name (no wildcards), as in a repository policy.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub branches: BTreeMap<BranchName, Branch>,
    /// Deployment environments by name, as in a repository policy.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environments: BTreeMap<EnvironmentName, Environment>,
    /// Repository rulesets by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rulesets: BTreeMap<Text, Ruleset>,
    /// What must hold on a branch; across layers the stricter floor wins.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": crate::model::names::NON_BLANK_PATTERN }))]
    pub requirements: BTreeMap<String, Requirement>,
    /// Merge settings; merged key by key across layers, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<RepositorySettings>,
    /// Security features; across layers on beats off (a floor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Security>,
    /// Actions permissions; across layers the stricter value wins (a floor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Actions>,
    /// Drift accepted until a date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
    /// What to delete when not listed.
    #[serde(default, skip_serializing_if = "Prune::is_off")]
    pub prune: Prune,
}

impl From<super::RepoSettings> for PolicyBody {
    /// A repository's policy as a layer (its `repository` left out).
    fn from(settings: super::RepoSettings) -> Self {
        Self {
            branches: settings.branches,
            environments: settings.environments,
            rulesets: settings.rulesets,
            requirements: settings.requirements,
            settings: settings.settings,
            security: settings.security,
            actions: settings.actions,
            exceptions: settings.exceptions,
            prune: settings.prune,
        }
    }
}

impl PolicyBody {
    /// Returns true when the body says nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}
