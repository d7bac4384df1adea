//! The seed format: the emulated world's starting state, as JSON fixture files or built in code.
//!
//! See the crate documentation for the format. [`crate::Emulator::state`] returns the current
//! state in the same format, so a test can assert what `apply` did.

mod access;
mod activity;
mod environment;
mod issues;
mod org;
mod switches;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use access::{InstallationSeed, OrgAdminActorId, Realism, ReturnOrder, Role, TokenSeed};
pub use activity::{
    ActivitySeed, CodeownersErrorSeed, CodeownersSeed, CollaboratorSeed, CommitSeed,
    PullRequestSeed,
};
pub use environment::{
    BranchPolicySeed, DeploymentBranchPolicySeed, EnvironmentSeed, ReviewerSeed,
};
pub(crate) use issues::DEFAULT_LABEL_COLOR;
pub use issues::{CommentSeed, IssueSeed, LabelSeed};
pub use org::{OrgSeed, RepositorySeed};
pub use switches::SettingsSeed;

/// The emulated world's starting state: one repository at the top level (`repo`, `branches`,
/// `environments`, `rulesets`), an organisation with many repositories (`org`,
/// `repositories`), or both (the top-level repository then comes first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// The top-level repository; absent (an empty `name`) in the organisation-only form.
    #[serde(default, skip_serializing_if = "RepoSeed::is_unset")]
    pub repo: RepoSeed,
    /// Users known to the emulator (`GET /users/{login}`, reviewers, restrictions).
    #[serde(default)]
    pub users: Vec<UserSeed>,
    /// Teams of the owning organisation.
    #[serde(default)]
    pub teams: Vec<TeamSeed>,
    /// GitHub Apps.
    #[serde(default)]
    pub apps: Vec<AppSeed>,
    /// Branches by name.
    #[serde(default)]
    pub branches: BTreeMap<String, BranchSeed>,
    /// Deployment environments by name.
    #[serde(default)]
    pub environments: BTreeMap<String, EnvironmentSeed>,
    /// Rulesets of the top-level repository, each written as the body of
    /// `POST /repos/{owner}/{repo}/rulesets`, optionally with an `"id"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rulesets: Vec<Value>,
    /// Issues and pull requests of the top-level repository (numbered from 1 in order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueSeed>,
    /// Labels of the top-level repository.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<LabelSeed>,
    /// The organisation: its id, teams, custom property definitions and rulesets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<OrgSeed>,
    /// More repositories (owned by the organisation unless they name another owner).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<RepositorySeed>,
    /// More tokens, each with a role (the builder's token is always an admin).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<TokenSeed>,
    /// GitHub App installations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub installations: Vec<InstallationSeed>,
    /// How rulesets are stored and returned (defaults, order, actor ids).
    #[serde(default, skip_serializing_if = "Realism::is_default")]
    pub realism: Realism,
}

impl Seed {
    /// Returns an organisation-only seed with no repositories yet.
    pub fn organization(login: &str, id: u64) -> Self {
        Self {
            repo: RepoSeed::default(),
            users: Vec::new(),
            teams: Vec::new(),
            apps: Vec::new(),
            branches: BTreeMap::new(),
            environments: BTreeMap::new(),
            rulesets: Vec::new(),
            issues: Vec::new(),
            labels: Vec::new(),
            org: Some(OrgSeed::new(login, id)),
            repositories: Vec::new(),
            tokens: Vec::new(),
            installations: Vec::new(),
            realism: Realism::default(),
        }
    }

    /// Adds a repository.
    #[must_use]
    pub fn with_repository(mut self, repository: RepositorySeed) -> Self {
        self.repositories.push(repository);
        self
    }

    /// Adds a user.
    #[must_use]
    pub fn with_user(mut self, login: &str, id: u64) -> Self {
        self.users.push(UserSeed {
            login: login.to_owned(),
            id,
            write_access: true,
        });
        self
    }

    /// Adds a team of the organisation.
    #[must_use]
    pub fn with_team(mut self, slug: &str, id: u64) -> Self {
        self.teams.push(TeamSeed {
            slug: slug.to_owned(),
            id,
        });
        self
    }

    /// Adds a GitHub App whose key pair is the crate's test key pair ([`crate::test_keys`]).
    #[must_use]
    pub fn with_app(mut self, slug: &str, id: u64) -> Self {
        self.apps.push(AppSeed {
            slug: slug.to_owned(),
            id,
            public_key: None,
        });
        self
    }

    /// Adds a custom property the organisation defines: a `custom-property` object as
    /// `GET /orgs/{org}/properties/schema` returns it (`property_name` and `value_type`
    /// required). Does nothing without an organisation.
    #[must_use]
    pub fn with_custom_property(mut self, definition: Value) -> Self {
        if let Some(org) = self.org.as_mut() {
            org.custom_property_definitions.push(definition);
        }
        self
    }

    /// Adds a token with a role.
    #[must_use]
    pub fn with_token(mut self, token: TokenSeed) -> Self {
        self.tokens.push(token);
        self
    }

    /// Adds an app installation.
    #[must_use]
    pub fn with_installation(mut self, installation: InstallationSeed) -> Self {
        self.installations.push(installation);
        self
    }

    /// Sets the realism switches.
    #[must_use]
    pub fn with_realism(mut self, realism: Realism) -> Self {
        self.realism = realism;
        self
    }
}

/// The repository itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoSeed {
    /// Owner login (organisation or user).
    pub owner: String,
    /// Repository name.
    pub name: String,
    /// `"Organization"` (default) or `"User"`.
    #[serde(default = "default_owner_type")]
    pub owner_type: String,
    /// Whether the repository is private.
    #[serde(default)]
    pub private: bool,
    /// Default branch (defaults to `main`).
    #[serde(default = "default_branch")]
    pub default_branch: String,
    /// Whether the repository is archived.
    #[serde(default, skip_serializing_if = "is_false")]
    pub archived: bool,
    /// Whether the repository is a fork.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fork: bool,
    /// Numeric id (default: assigned in seed order from 700000001).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Custom property values by property name (a string, an array of strings, or null).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_properties: BTreeMap<String, Value>,
    /// The check runs the head of the default branch has (any ref answers them): what CI
    /// reported, each by the app that ran it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_runs: Vec<CheckRunSeed>,
    /// Collaborators, CODEOWNERS, pull requests and what reported on each commit.
    #[serde(default, skip_serializing_if = "ActivitySeed::is_empty")]
    pub activity: ActivitySeed,
    /// Merge settings, security features and Actions permissions (GitHub's defaults when
    /// absent).
    #[serde(default, skip_serializing_if = "SettingsSeed::is_default")]
    pub settings: SettingsSeed,
}

/// A check run a commit has: its name and the app (by slug, an app of the seed) that
/// reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRunSeed {
    /// The check's name, as a required check names it.
    pub name: String,
    /// The slug of the app that reported it.
    pub app: String,
}

impl Default for RepoSeed {
    fn default() -> Self {
        Self {
            owner: String::new(),
            name: String::new(),
            owner_type: default_owner_type(),
            private: false,
            default_branch: default_branch(),
            archived: false,
            fork: false,
            id: None,
            custom_properties: BTreeMap::new(),
            check_runs: Vec::new(),
            activity: ActivitySeed::default(),
            settings: SettingsSeed::default(),
        }
    }
}

impl RepoSeed {
    /// Returns whether this is the absent top-level repository of an organisation-only seed.
    pub fn is_unset(&self) -> bool {
        self.name.is_empty()
    }
}

fn default_owner_type() -> String {
    "Organization".into()
}
pub(crate) fn default_branch() -> String {
    "main".into()
}
pub(crate) fn yes() -> bool {
    true
}
#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
fn is_true(b: &bool) -> bool {
    *b
}
#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// A user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    /// Login.
    pub login: String,
    /// Numeric id.
    pub id: u64,
    /// Whether the user has write access to the repository (default `true`); users without it
    /// are silently dropped from push restrictions, as GitHub does.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub write_access: bool,
}

/// A team of the owning organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSeed {
    /// Slug.
    pub slug: String,
    /// Numeric id.
    pub id: u64,
}

/// A GitHub App.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSeed {
    /// Slug.
    pub slug: String,
    /// Numeric id (the JWT's `iss`).
    pub id: u64,
    /// The app's RSA public key (PEM, PKCS#1 or SPKI) that app JWTs are verified with;
    /// absent: [`crate::test_keys::PUBLIC_KEY_PEM`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

/// A branch.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchSeed {
    /// Classic protection, written as the body of `PUT .../branches/{branch}/protection`
    /// (booleans, logins, slugs; `checks: [{context, app_id}]` pins a check to an app).
    /// Absent or `null`: unprotected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protection: Option<Value>,
    /// Signed commits required (needs `protection`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_signatures: bool,
}
