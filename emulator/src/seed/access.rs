//! Tokens, app installations and the realism switches in the seed format.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a token may do; see the crate documentation's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads everything except classic branch protection; ruleset bypass actors are left out;
    /// every write is refused with 403.
    Read,
    /// Reads everything, bypass actors included; every write is refused with 403.
    Write,
    /// Reads and writes everything.
    #[default]
    Admin,
}

/// A personal access token with a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSeed {
    /// The token as sent in `Authorization`.
    pub token: String,
    /// Its role on the repositories it reaches (default admin).
    #[serde(default)]
    pub role: Role,
    /// The repositories it reaches (`name` or `owner/name`); absent: all of them. Others
    /// answer 404, as a private repository the caller cannot see does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repositories: Option<Vec<String>>,
}

impl TokenSeed {
    /// Returns a token with a role on every repository.
    pub fn new(token: &str, role: Role) -> Self {
        Self {
            token: token.to_owned(),
            role,
            repositories: None,
        }
    }
    /// Restricts the token to some repositories (`name` or `owner/name`).
    #[must_use]
    pub fn repositories(mut self, names: &[&str]) -> Self {
        self.repositories = Some(names.iter().map(|n| (*n).to_owned()).collect());
        self
    }
}

/// A GitHub App installation on the organisation or a user account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallationSeed {
    /// Installation id.
    pub id: u64,
    /// The app's slug (one of the seed's `apps`).
    pub app: String,
    /// The account it is installed on (default: the organisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The repositories it reaches by name; absent: all of the account's
    /// (`repository_selection: "all"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repositories: Option<Vec<String>>,
    /// `app-permissions` (default `{"administration": "write", "metadata": "read",
    /// "environments": "write", "secrets": "write", "organization_administration": "write",
    /// "organization_custom_properties": "read", "members": "read", "issues": "write",
    /// "pull_requests": "write"}`). Issues, labels and comments need `issues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Value>,
}

impl InstallationSeed {
    /// Returns an installation of `app` on the organisation, for all its repositories.
    pub fn new(id: u64, app: &str) -> Self {
        Self {
            id,
            app: app.to_owned(),
            account: None,
            repositories: None,
            permissions: None,
        }
    }
}

/// In which order rulesets' arrays are returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReturnOrder {
    /// As they were sent.
    AsSent,
    /// Reversed.
    #[default]
    Reversed,
    /// Sorted (rules by `type`, actors by type and id, checks by context, patterns as strings).
    Sorted,
}

/// What an `OrganizationAdmin` bypass actor's `actor_id` reads back as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OrgAdminActorId {
    /// `null` (what GitHub returns for rulesets written since about 2025).
    #[default]
    Null,
    /// `0`.
    Zero,
    /// `1` (the value GitHub's docs used to ask for).
    One,
    /// Whatever was sent.
    AsSent,
}

/// How rulesets are stored and returned; the defaults are the realistic ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Realism {
    /// Order of `rules`, `bypass_actors`, required status checks and condition patterns in
    /// answers (default `reversed`).
    pub order: ReturnOrder,
    /// Whether parameters GitHub fills in are stored and returned (default true).
    pub fill_defaults: bool,
    /// `actor_id` of `OrganizationAdmin` bypass actors (default `null`).
    pub organization_admin_actor_id: OrgAdminActorId,
    /// Status check context → the app id GitHub fills in as `integration_id` when a
    /// `required_status_checks` rule names the check without one (the app that last reported
    /// it). Contexts not listed stay without `integration_id`.
    pub check_integrations: BTreeMap<String, u64>,
}

impl Default for Realism {
    fn default() -> Self {
        Self {
            order: ReturnOrder::Reversed,
            fill_defaults: true,
            organization_admin_actor_id: OrgAdminActorId::Null,
            check_integrations: BTreeMap::new(),
        }
    }
}

impl Realism {
    /// Returns the switches that return exactly what was sent: no defaults filled, arrays in
    /// the order sent, actor ids as sent.
    pub fn verbatim() -> Self {
        Self {
            order: ReturnOrder::AsSent,
            fill_defaults: false,
            organization_admin_actor_id: OrgAdminActorId::AsSent,
            check_integrations: BTreeMap::new(),
        }
    }
    /// Returns whether these are the defaults.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
