//! Who may bypass a ruleset: users, teams, apps, repository roles, organisation admins and
//! deploy keys, each by name, with a mode.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::is_false;

/// One actor that may bypass a ruleset: exactly one of the actor keys, and a mode.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct BypassActor {
    /// A repository role: `admin`, `maintain` or `write`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RepositoryRole>,
    /// Any other repository role, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = i64::MAX))]
    pub role_id: Option<u64>,
    /// A team of the organisation, by slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// A team by id, where no slug can be had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = i64::MAX))]
    pub team_id: Option<u64>,
    /// A GitHub App, by slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// A GitHub App by id (GitHub has no lookup of an app by id, so `export` writes this).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = i64::MAX))]
    pub app_id: Option<u64>,
    /// A user, by login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// A user by id, where no login can be had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = i64::MAX))]
    pub user_id: Option<u64>,
    /// `true`: the organisation's administrators.
    #[serde(default, skip_serializing_if = "is_false")]
    pub org_admins: bool,
    /// `true`: deploy keys.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deploy_keys: bool,
    /// When the actor may bypass: `always` (default), `pull_request` or `exempt`.
    #[serde(default, skip_serializing_if = "BypassMode::is_always")]
    pub mode: BypassMode,
    /// An actor GitHub lists that gh-policy cannot name (a type it does not know, or
    /// without the id its type needs), kept as written: it may bypass, so it is never read
    /// as nobody. Only ever read from GitHub; a policy cannot write it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub unknown: Option<UnknownActor>,
}

/// A bypass actor as GitHub wrote it, for one gh-policy cannot name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnknownActor {
    /// GitHub's `actor_type`.
    pub actor_type: String,
    /// GitHub's `actor_id`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<u64>,
}

impl BypassActor {
    /// Returns how many actor keys are set (a valid actor has exactly one).
    pub fn actor_keys(&self) -> usize {
        [
            self.role.is_some(),
            self.role_id.is_some(),
            self.team.is_some(),
            self.team_id.is_some(),
            self.app.is_some(),
            self.app_id.is_some(),
            self.user.is_some(),
            self.user_id.is_some(),
            self.org_admins,
            self.deploy_keys,
            self.unknown.is_some(),
        ]
        .into_iter()
        .filter(|set| *set)
        .count()
    }
}

/// The built-in repository roles a bypass may name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RepositoryRole {
    /// Repository administrators.
    Admin,
    /// Maintainers.
    Maintain,
    /// Writers.
    Write,
}

impl RepositoryRole {
    /// Returns GitHub's fixed id of the role (admin 5, write 4, maintain 2).
    pub fn id(self) -> u64 {
        match self {
            Self::Admin => 5,
            Self::Write => 4,
            Self::Maintain => 2,
        }
    }

    /// Returns the role with this id, if it is a built-in one.
    pub fn from_id(id: u64) -> Option<Self> {
        match id {
            5 => Some(Self::Admin),
            4 => Some(Self::Write),
            2 => Some(Self::Maintain),
            _ => None,
        }
    }
}

/// When an actor may bypass.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum BypassMode {
    /// Always.
    #[default]
    Always,
    /// Only to merge pull requests.
    PullRequest,
    /// The rules do not run for the actor at all.
    Exempt,
    /// A mode GitHub sent that gh-policy does not know, as written: never in sync with a
    /// known one. A policy cannot write it (the schema lists the known modes only).
    #[serde(untagged)]
    #[schemars(skip)]
    Unknown(String),
}

impl BypassMode {
    /// Returns true for the default, `always`.
    pub fn is_always(&self) -> bool {
        *self == Self::Always
    }

    /// Returns the mode GitHub names so, an unknown one kept as written.
    pub fn parse(name: &str) -> Self {
        match name {
            "always" => Self::Always,
            "pull_request" => Self::PullRequest,
            "exempt" => Self::Exempt,
            other => Self::Unknown(other.to_owned()),
        }
    }

    /// Returns the name GitHub uses.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Always => "always",
            Self::PullRequest => "pull_request",
            Self::Exempt => "exempt",
            Self::Unknown(name) => name,
        }
    }
}
