//! The organisation and its repositories in the seed format.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    ActivitySeed, BranchSeed, CheckRunSeed, EnvironmentSeed, IssueSeed, LabelSeed, RepoSeed,
    SettingsSeed, TeamSeed, UserSeed, default_branch, is_false,
};

/// The organisation that owns the seeded repositories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgSeed {
    /// Login, e.g. `acme`.
    pub login: String,
    /// Numeric id (default: derived from the login).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Teams (merged with the seed's top-level `teams`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<TeamSeed>,
    /// Members (merged with the seed's top-level `users`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<UserSeed>,
    /// Custom property definitions, each a `custom-property` object as
    /// `GET /orgs/{org}/properties/schema` returns it (`property_name` and `value_type`
    /// required; `url` and `source_type` are filled in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_property_definitions: Vec<Value>,
    /// Organisation rulesets, each written as the body of `POST /orgs/{org}/rulesets`,
    /// optionally with an `"id"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rulesets: Vec<Value>,
}

impl OrgSeed {
    /// Returns an organisation with nothing in it.
    pub fn new(login: &str, id: u64) -> Self {
        Self {
            login: login.to_owned(),
            id: Some(id),
            teams: Vec::new(),
            members: Vec::new(),
            custom_property_definitions: Vec::new(),
            rulesets: Vec::new(),
        }
    }
}

/// A repository of the multi-repository form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositorySeed {
    /// Name.
    pub name: String,
    /// Owner login (default: the organisation's login).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `"Organization"` or `"User"` (default: `Organization` when the owner is the
    /// organisation, else `User`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_type: Option<String>,
    /// Whether the repository is private.
    #[serde(default, skip_serializing_if = "is_false")]
    pub private: bool,
    /// Default branch (defaults to `main`; created when `branches` does not list it).
    #[serde(default = "default_branch")]
    pub default_branch: String,
    /// Whether the repository is archived.
    #[serde(default, skip_serializing_if = "is_false")]
    pub archived: bool,
    /// Whether the repository is a fork.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fork: bool,
    /// Numeric id (default: assigned in seed order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Custom property values by property name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_properties: BTreeMap<String, Value>,
    /// Branches by name, as in the single-repository form.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub branches: BTreeMap<String, BranchSeed>,
    /// Environments by name, as in the single-repository form.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environments: BTreeMap<String, EnvironmentSeed>,
    /// Repository rulesets (`POST` bodies, optionally with an `"id"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rulesets: Vec<Value>,
    /// The check runs of the default branch's head, as in the single-repository form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_runs: Vec<CheckRunSeed>,
    /// Collaborators, CODEOWNERS, pull requests and commits, as in the single-repository form.
    #[serde(default, skip_serializing_if = "ActivitySeed::is_empty")]
    pub activity: ActivitySeed,
    /// Issues and pull requests (numbered from 1 in order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueSeed>,
    /// Labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<LabelSeed>,
    /// Merge settings, security features and Actions permissions.
    #[serde(default, skip_serializing_if = "SettingsSeed::is_default")]
    pub settings: SettingsSeed,
}

impl RepositorySeed {
    /// Returns a public repository of the organisation with only its default branch `main`.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            owner: None,
            owner_type: None,
            private: false,
            default_branch: default_branch(),
            archived: false,
            fork: false,
            id: None,
            custom_properties: BTreeMap::new(),
            branches: BTreeMap::new(),
            environments: BTreeMap::new(),
            rulesets: Vec::new(),
            check_runs: Vec::new(),
            activity: ActivitySeed::default(),
            issues: Vec::new(),
            labels: Vec::new(),
            settings: SettingsSeed::default(),
        }
    }
    /// Sets the owner (a user, or another organisation) and its type.
    #[must_use]
    pub fn owner(mut self, login: &str, owner_type: &str) -> Self {
        self.owner = Some(login.to_owned());
        self.owner_type = Some(owner_type.to_owned());
        self
    }
    /// Makes it private.
    #[must_use]
    pub fn private(mut self, private: bool) -> Self {
        self.private = private;
        self
    }
    /// Makes it archived.
    #[must_use]
    pub fn archived(mut self, archived: bool) -> Self {
        self.archived = archived;
        self
    }
    /// Makes it a fork.
    #[must_use]
    pub fn fork(mut self, fork: bool) -> Self {
        self.fork = fork;
        self
    }
    /// Sets its id.
    #[must_use]
    pub fn id(mut self, id: u64) -> Self {
        self.id = Some(id);
        self
    }
    /// Sets the default branch.
    #[must_use]
    pub fn default_branch(mut self, name: &str) -> Self {
        name.clone_into(&mut self.default_branch);
        self
    }
    /// Sets a custom property value (a string, an array of strings, or null).
    #[must_use]
    pub fn property(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.custom_properties.insert(name.to_owned(), value.into());
        self
    }
    /// Adds a branch.
    #[must_use]
    pub fn branch(mut self, name: &str, branch: BranchSeed) -> Self {
        self.branches.insert(name.to_owned(), branch);
        self
    }
    /// Adds a branch protected by `protection` (a `PUT .../protection` body).
    #[must_use]
    pub fn protected_branch(self, name: &str, protection: Value) -> Self {
        self.branch(
            name,
            BranchSeed {
                protection: Some(protection),
                required_signatures: false,
            },
        )
    }
    /// Adds an environment.
    #[must_use]
    pub fn environment(mut self, name: &str, environment: EnvironmentSeed) -> Self {
        self.environments.insert(name.to_owned(), environment);
        self
    }
    /// Adds a ruleset (a `POST .../rulesets` body, optionally with an `"id"`).
    #[must_use]
    pub fn ruleset(mut self, ruleset: Value) -> Self {
        self.rulesets.push(ruleset);
        self
    }
    /// Adds a check run of the default branch's head, reported by the app `app` (a slug).
    #[must_use]
    pub fn check_run(mut self, name: &str, app: &str) -> Self {
        self.check_runs.push(CheckRunSeed {
            name: name.to_owned(),
            app: app.to_owned(),
        });
        self
    }

    /// Sets the collaborators, CODEOWNERS file, pull requests and commits.
    #[must_use]
    pub fn activity(mut self, activity: ActivitySeed) -> Self {
        self.activity = activity;
        self
    }

    /// Adds an issue or pull request (the next number).
    #[must_use]
    pub fn issue(mut self, issue: IssueSeed) -> Self {
        self.issues.push(issue);
        self
    }

    /// Returns the repository part as a [`RepoSeed`], the owner resolved against `org`.
    pub(crate) fn repo_seed(&self, org: Option<&str>) -> RepoSeed {
        let owner = self
            .owner
            .clone()
            .or_else(|| org.map(str::to_owned))
            .unwrap_or_default();
        let is_org = org.is_some_and(|o| o.eq_ignore_ascii_case(&owner));
        RepoSeed {
            owner,
            name: self.name.clone(),
            owner_type: self
                .owner_type
                .clone()
                .unwrap_or_else(|| if is_org { "Organization" } else { "User" }.to_owned()),
            private: self.private,
            default_branch: self.default_branch.clone(),
            archived: self.archived,
            fork: self.fork,
            id: self.id,
            custom_properties: self.custom_properties.clone(),
            check_runs: self.check_runs.clone(),
            activity: self.activity.clone(),
            settings: self.settings.clone(),
        }
    }
}
