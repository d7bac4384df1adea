//! Who may bypass a ruleset: users, teams, apps, repository roles, organisation admins and
//! deploy keys, each by name, with a mode. The policy writes an actor as one of ten keys
//! (`BypassActor`); every layer reads it through `BypassActor::actor` as an `Actor`, and
//! `Actor` is converted to and from GitHub's `{actor_type, actor_id}` here only: the
//! writer's ids, the reader's names and the form a person compares are the same actor
//! however it was written.

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

/// GitHub's bypass actor types (`actor_type`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActorKind {
    /// A repository role.
    RepositoryRole,
    /// A team.
    Team,
    /// A GitHub App.
    Integration,
    /// A user.
    User,
    /// The organisation's administrators.
    OrganizationAdmin,
    /// Deploy keys.
    DeployKey,
    /// A type GitHub sent that gh-policy does not know, as written: the actor may bypass,
    /// so it is kept, never read as nobody, and never written.
    #[serde(untagged)]
    Unknown(String),
}

impl ActorKind {
    /// Returns GitHub's name of the type.
    pub fn as_str(&self) -> &str {
        match self {
            Self::RepositoryRole => "RepositoryRole",
            Self::Team => "Team",
            Self::Integration => "Integration",
            Self::User => "User",
            Self::OrganizationAdmin => "OrganizationAdmin",
            Self::DeployKey => "DeployKey",
            Self::Unknown(name) => name,
        }
    }
}

/// The kinds of account an actor can name, by login or slug, or by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Account {
    /// A user, by login.
    User,
    /// A team of the organisation, by slug.
    Team,
    /// A GitHub App, by slug.
    App,
}

impl Account {
    /// Returns GitHub's actor type for the account.
    pub fn kind(self) -> ActorKind {
        match self {
            Self::User => ActorKind::User,
            Self::Team => ActorKind::Team,
            Self::App => ActorKind::Integration,
        }
    }

    /// Returns the policy's keys for the account: by name, by id.
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            Self::User => ("user", "user_id"),
            Self::Team => ("team", "team_id"),
            Self::App => ("app", "app_id"),
        }
    }
}

/// An account by name (as the policy writes it) or by id (where no name can be had).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum AccountRef {
    /// A login or slug.
    Name(String),
    /// GitHub's numeric id.
    Id(u64),
}

/// The names and ids of the accounts a run has looked up (`live::Identities`).
pub trait Directory {
    /// Returns the id of the account with this name, if known (names match without case).
    fn id_of(&self, account: Account, name: &str) -> Option<u64>;
    /// Returns the name (lower case) of the account with this id, if known.
    fn name_of(&self, account: Account, id: u64) -> Option<&str>;
}

/// One bypass actor, whichever key the policy wrote it with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Actor {
    /// A built-in repository role.
    Role(RepositoryRole),
    /// Any other repository role, by id.
    RoleId(u64),
    /// A user, team or app.
    Account(Account, AccountRef),
    /// The organisation's administrators.
    OrgAdmins,
    /// Deploy keys.
    DeployKeys,
    /// An actor GitHub lists that gh-policy cannot name, as GitHub wrote it.
    Unknown(UnknownActor),
}

impl BypassActor {
    /// Returns who the actor is; `None` unless exactly one actor key is set (the policy's
    /// validation reports that).
    pub fn actor(&self) -> Option<Actor> {
        let named = |account, name: &Option<String>, id: Option<u64>| {
            let by_name = name.clone().map(AccountRef::Name);
            [by_name, id.map(AccountRef::Id)]
                .into_iter()
                .flatten()
                .map(move |reference| Actor::Account(account, reference))
        };
        let mut found = self
            .role
            .map(Actor::Role)
            .into_iter()
            .chain(self.role_id.map(Actor::RoleId))
            .chain(named(Account::Team, &self.team, self.team_id))
            .chain(named(Account::App, &self.app, self.app_id))
            .chain(named(Account::User, &self.user, self.user_id))
            .chain(self.org_admins.then_some(Actor::OrgAdmins))
            .chain(self.deploy_keys.then_some(Actor::DeployKeys))
            .chain(self.unknown.clone().map(Actor::Unknown));
        let actor = found.next()?;
        found.next().is_none().then_some(actor)
    }

    /// Returns the actor written with its one key, and the mode.
    pub fn of(actor: Actor, mode: BypassMode) -> Self {
        let mut out = Self {
            mode,
            ..Self::default()
        };
        match actor {
            Actor::Role(role) => out.role = Some(role),
            Actor::RoleId(id) => out.role_id = Some(id),
            Actor::Account(account, reference) => {
                let (name, id) = match account {
                    Account::User => (&mut out.user, &mut out.user_id),
                    Account::Team => (&mut out.team, &mut out.team_id),
                    Account::App => (&mut out.app, &mut out.app_id),
                };
                match reference {
                    AccountRef::Name(written) => *name = Some(written),
                    AccountRef::Id(number) => *id = Some(number),
                }
            }
            Actor::OrgAdmins => out.org_admins = true,
            Actor::DeployKeys => out.deploy_keys = true,
            Actor::Unknown(unknown) => out.unknown = Some(unknown),
        }
        out
    }
}

impl Actor {
    /// Returns GitHub's type and id of the actor (`None` for organisation admins and deploy
    /// keys), or what could not be resolved: an account whose name was not looked up, or an
    /// actor only GitHub names (it cannot be written back).
    pub fn resolve(&self, directory: &impl Directory) -> Result<(ActorKind, Option<u64>), String> {
        Ok(match self {
            Self::Role(role) => (ActorKind::RepositoryRole, Some(role.id())),
            Self::RoleId(id) => (ActorKind::RepositoryRole, Some(*id)),
            Self::Account(account, AccountRef::Id(id)) => (account.kind(), Some(*id)),
            Self::Account(account, AccountRef::Name(name)) => {
                let id = directory
                    .id_of(*account, name)
                    .ok_or_else(|| format!("{} `{name}`", account.keys().0))?;
                (account.kind(), Some(id))
            }
            Self::OrgAdmins => (ActorKind::OrganizationAdmin, None),
            Self::DeployKeys => (ActorKind::DeployKey, None),
            Self::Unknown(unknown) => {
                return Err(format!("bypass actor of type `{}`", unknown.actor_type));
            }
        })
    }

    /// Returns the actor GitHub lists by type and id, named where the name is known. An
    /// actor of a type gh-policy does not know, or without the id its type needs, is kept
    /// as written: it may bypass, so it is never read as nobody.
    pub fn from_github(kind: &ActorKind, id: Option<u64>, directory: &impl Directory) -> Self {
        let account = |account: Account, id: u64| {
            let reference = directory
                .name_of(account, id)
                .map_or(AccountRef::Id(id), |name| AccountRef::Name(name.to_owned()));
            Self::Account(account, reference)
        };
        match (kind, id) {
            // Whatever `actor_id` GitHub sends with it (0, 1 or null), it is the same actor.
            (ActorKind::OrganizationAdmin, _) => Self::OrgAdmins,
            (ActorKind::DeployKey, _) => Self::DeployKeys,
            (ActorKind::RepositoryRole, Some(id)) => {
                RepositoryRole::from_id(id).map_or(Self::RoleId(id), Self::Role)
            }
            (ActorKind::Team, Some(id)) => account(Account::Team, id),
            (ActorKind::Integration, Some(id)) => account(Account::App, id),
            (ActorKind::User, Some(id)) => account(Account::User, id),
            (kind, actor_id) => Self::Unknown(UnknownActor {
                actor_type: kind.as_str().to_owned(),
                actor_id,
            }),
        }
    }

    /// Returns the actor as a person compares it, the same whichever way it was written:
    /// built-in roles by name, accounts by lower-case name where it is known, by id else.
    #[must_use]
    pub fn canonical(&self, directory: &impl Directory) -> Self {
        match self {
            Self::RoleId(id) => RepositoryRole::from_id(*id).map_or(Self::RoleId(*id), Self::Role),
            Self::Account(account, AccountRef::Name(name)) => {
                Self::Account(*account, AccountRef::Name(name.to_lowercase()))
            }
            Self::Account(account, AccountRef::Id(id)) => {
                Self::from_github(&account.kind(), Some(*id), directory)
            }
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
