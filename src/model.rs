//! The one model of a repository's settings, `RepoSettings`, used on both sides of the diff.
//!
//! The policy file deserialises into it, the GitHub reader builds it from the live
//! repository, `export` serialises it and `--state` reads it back. It speaks in policy
//! terms only: logins, team slugs, app slugs, branch names. No numeric ids, no wire shapes
//! (those live in `github/`). Every omitted setting means GitHub's default for a new
//! resource, so `Default` here *is* GitHub's default; serialisation skips defaults so that
//! `export` writes short, readable files.
//!
//! The JSON Schema (`gh-policy schema`) is derived from these types and their doc comments.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Branch protection and deployment environments of one GitHub repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "gh-policy policy file")]
pub struct RepoSettings {
    /// Format version of this file. Only `1` exists.
    pub version: u32,

    /// The repository as `OWNER/NAME`. Optional: `--repo`, `GITHUB_REPOSITORY` or the
    /// `origin` remote are used when it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,

    /// Branch protection, keyed by exact branch name (no wildcards). A listed branch is
    /// managed whole: an omitted setting means GitHub's default (off, empty).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub branches: BTreeMap<String, Branch>,

    /// Deployment environments, keyed by name. A listed environment is managed whole.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environments: BTreeMap<String, Environment>,

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
            prune: Prune::default(),
        }
    }
}

/// Classic branch protection of one branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// `false` declares that the branch must have no classic protection at all; it cannot be
    /// combined with any other setting. Default `true`.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub protected: bool,

    /// Require a pull request before merging. Absent or `null`: pull requests are not required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<PullRequestRules>,

    /// Require status checks to pass before merging. Absent or `null`: no required checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_checks: Option<StatusChecks>,

    /// Apply the rules to administrators too. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub enforce_admins: bool,

    /// Refuse merge commits. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_linear_history: bool,

    /// Allow force pushes by anyone with push access. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_force_pushes: bool,

    /// Allow the branch to be deleted. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_deletions: bool,

    /// Block creation of matching branches (only meaningful with `push_restrictions`).
    /// GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub block_creations: bool,

    /// Require every review conversation to be resolved before merging. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_conversation_resolution: bool,

    /// Require signed commits. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_signatures: bool,

    /// Make the branch read-only. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub lock_branch: bool,

    /// Let users pull changes from upstream into a locked fork branch. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_fork_syncing: bool,

    /// Only these users, teams and apps may push (organisation repositories only).
    /// Absent: anyone with write access may push.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_restrictions: Option<Actors>,
}

impl Default for Branch {
    fn default() -> Self {
        Self {
            protected: true,
            pull_request: None,
            status_checks: None,
            enforce_admins: false,
            required_linear_history: false,
            allow_force_pushes: false,
            allow_deletions: false,
            block_creations: false,
            required_conversation_resolution: false,
            required_signatures: false,
            lock_branch: false,
            allow_fork_syncing: false,
            push_restrictions: None,
        }
    }
}

impl Branch {
    /// Returns the on/off settings by their policy keys, in declaration order.
    pub fn flags(&self) -> [(&'static str, bool); 9] {
        [
            ("enforce_admins", self.enforce_admins),
            ("required_linear_history", self.required_linear_history),
            ("allow_force_pushes", self.allow_force_pushes),
            ("allow_deletions", self.allow_deletions),
            ("block_creations", self.block_creations),
            (
                "required_conversation_resolution",
                self.required_conversation_resolution,
            ),
            ("required_signatures", self.required_signatures),
            ("lock_branch", self.lock_branch),
            ("allow_fork_syncing", self.allow_fork_syncing),
        ]
    }

    /// Returns the declaration of a branch that has no classic protection.
    pub fn unprotected() -> Self {
        Self {
            protected: false,
            ..Self::default()
        }
    }
}

/// Pull request review requirements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PullRequestRules {
    /// Approving reviews required before merging, 0 to 6. GitHub default: `0`.
    #[serde(default, skip_serializing_if = "is_zero_u8")]
    #[schemars(range(min = 0, max = 6))]
    pub required_approvals: u8,

    /// Dismiss approvals when new commits are pushed. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub dismiss_stale_reviews: bool,

    /// Require a review from a code owner. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_code_owner_reviews: bool,

    /// Require approval of the most recent push by someone other than its author.
    /// GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_last_push_approval: bool,

    /// Who may dismiss reviews (organisation repositories only). Empty: repository admins
    /// and users with write access, GitHub's default.
    #[serde(default, skip_serializing_if = "Actors::is_empty")]
    pub dismissal_restrictions: Actors,

    /// Who may merge without meeting the pull request requirements. GitHub default: nobody.
    #[serde(default, skip_serializing_if = "Actors::is_empty")]
    pub bypass: Actors,
}

/// Users (by login), teams (by slug) and GitHub Apps (by slug). Each list is a set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actors {
    /// User logins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
    /// Team slugs in the repository's organisation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
    /// GitHub App slugs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<String>,
}

impl Actors {
    /// Returns true when no user, team or app is listed.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.teams.is_empty() && self.apps.is_empty()
    }
}

/// Required status checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChecks {
    /// Require the branch to be up to date with the base branch before merging.
    /// GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,

    /// The checks that must pass. A set: order and duplicates do not matter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<RequiredCheck>,
}

/// One required status check: a bare context name (satisfied by any app), or a context
/// pinned to one GitHub App by `app` (slug) or `app_id`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequiredCheck {
    /// The check's name as reported by CI (for Actions: the job's name).
    pub context: String,
    /// Pinned to the GitHub App with this slug.
    pub app: Option<String>,
    /// Pinned to the GitHub App with this id.
    pub app_id: Option<i64>,
}

impl RequiredCheck {
    /// Returns a check satisfied by the given context from any app.
    pub fn any_app(context: impl Into<String>) -> Self {
        Self {
            context: context.into(),
            app: None,
            app_id: None,
        }
    }

    /// Returns true when the check names a specific app.
    pub fn is_pinned(&self) -> bool {
        self.app.is_some() || self.app_id.is_some()
    }
}

/// A deployment environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// Minutes to wait before a job referencing the environment may proceed, 0 to 43200.
    /// GitHub default: `0`.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    #[schemars(range(min = 0, max = 43200))]
    pub wait_timer: u32,

    /// Stop the user who triggered a deployment from approving it. GitHub default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub prevent_self_review: bool,

    /// Users and teams, at most 6 in total, one of whom must approve each deployment.
    /// Empty: no manual approval. A set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 6))]
    pub reviewers: Vec<Reviewer>,

    /// Let repository administrators bypass the protection rules. GitHub default: `true`.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub can_admins_bypass: bool,

    /// Which branches and tags may deploy: `all` (GitHub's default), `protected` (branches
    /// with protection rules), or a list of name patterns (`main`, `release/*`, `{tag: "v*"}`).
    #[serde(default, skip_serializing_if = "DeploymentBranches::is_all")]
    pub deployment_branches: DeploymentBranches,

    /// Secrets that must exist. Values are never read back; `from_env` names the variable
    /// `apply` takes the value from when a secret is missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Secret>,

    /// Environment variables and their exact values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, String>,
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

/// A required deployment reviewer.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Reviewer {
    /// A user, by login.
    User(String),
    /// A team of the repository's organisation, by slug.
    Team(String),
}

impl Reviewer {
    /// Returns the login or slug.
    pub fn name(&self) -> &str {
        match self {
            Self::User(name) | Self::Team(name) => name,
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeploymentPattern {
    /// Whether the pattern matches branches or tags.
    pub ref_type: RefType,
    /// The name pattern.
    pub pattern: String,
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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Secret {
    /// The secret's name.
    pub name: String,
    /// The environment variable `apply` reads the value from when the secret is missing.
    pub from_env: Option<String>,
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
}

impl Prune {
    /// Returns true when nothing is pruned.
    pub fn is_off(&self) -> bool {
        *self == Self::default()
    }
}

// ---------------------------------------------------------------------------------------
// serde helpers for defaults

fn default_true() -> bool {
    true
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
fn is_true(value: &bool) -> bool {
    *value
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
fn is_false(value: &bool) -> bool {
    !*value
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
fn is_zero_u8(value: &u8) -> bool {
    *value == 0
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
fn is_zero_u32(value: &u32) -> bool {
    *value == 0
}

// ---------------------------------------------------------------------------------------
// Hand-written serde for the shapes that accept "a string or a map": a visitor gives a
// precise error ("expected `all`, `protected` or a list of patterns") where an untagged
// enum could only say "did not match any variant", and it keeps the YAML location.

impl Serialize for RequiredCheck {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if !self.is_pinned() {
            return serializer.serialize_str(&self.context);
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("context", &self.context)?;
        if let Some(app) = &self.app {
            map.serialize_entry("app", app)?;
        }
        if let Some(app_id) = &self.app_id {
            map.serialize_entry("app_id", app_id)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for RequiredCheck {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CheckVisitor;
        impl<'de> Visitor<'de> for CheckVisitor {
            type Value = RequiredCheck;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a check name, or a map with `context` and `app` or `app_id`")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(RequiredCheck::any_app(value))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut check = RequiredCheck::any_app(String::new());
                let mut context = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "context" => context = Some(map.next_value::<String>()?),
                        "app" => check.app = Some(map.next_value()?),
                        "app_id" => check.app_id = Some(map.next_value()?),
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["context", "app", "app_id"],
                            ));
                        }
                    }
                }
                check.context = context.ok_or_else(|| de::Error::missing_field("context"))?;
                if check.app.is_some() && check.app_id.is_some() {
                    return Err(de::Error::custom(
                        "a check is pinned by `app` or by `app_id`, not both",
                    ));
                }
                Ok(check)
            }
        }
        deserializer.deserialize_any(CheckVisitor)
    }
}

impl JsonSchema for RequiredCheck {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RequiredCheck".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A required status check: a bare name is satisfied by that context from any app; `app` (slug) or `app_id` pins it to one GitHub App.",
            "oneOf": [
                { "type": "string", "minLength": 1, "description": "The check's name, from any app." },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["context"],
                    "properties": {
                        "context": { "type": "string", "minLength": 1, "description": "The check's name." },
                        "app": { "type": "string", "description": "Slug of the GitHub App that must report it." },
                        "app_id": { "type": "integer", "description": "Id of the GitHub App that must report it." }
                    },
                    "not": { "required": ["app", "app_id"] }
                }
            ]
        })
    }
}

impl Serialize for DeploymentBranches {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::All => serializer.serialize_str("all"),
            Self::Protected => serializer.serialize_str("protected"),
            Self::Custom(patterns) => patterns.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for DeploymentBranches {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ModeVisitor;
        impl<'de> Visitor<'de> for ModeVisitor {
            type Value = DeploymentBranches;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`all`, `protected` or a list of branch patterns")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                match value {
                    "all" => Ok(DeploymentBranches::All),
                    "protected" => Ok(DeploymentBranches::Protected),
                    other => Err(de::Error::invalid_value(
                        de::Unexpected::Str(other),
                        &"`all`, `protected` or a list of branch patterns (write `[main]` for one branch)",
                    )),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut patterns = Vec::new();
                while let Some(pattern) = seq.next_element()? {
                    patterns.push(pattern);
                }
                Ok(DeploymentBranches::Custom(patterns))
            }
        }
        deserializer.deserialize_any(ModeVisitor)
    }
}

impl JsonSchema for DeploymentBranches {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DeploymentBranches".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let pattern = generator.subschema_for::<DeploymentPattern>();
        schemars::json_schema!({
            "description": "`all` (any branch or tag), `protected` (branches with protection rules) or a list of name patterns.",
            "oneOf": [
                { "enum": ["all", "protected"] },
                { "type": "array", "items": pattern }
            ]
        })
    }
}

impl Serialize for DeploymentPattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.ref_type {
            RefType::Branch => serializer.serialize_str(&self.pattern),
            RefType::Tag => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("tag", &self.pattern)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for DeploymentPattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PatternVisitor;
        impl<'de> Visitor<'de> for PatternVisitor {
            type Value = DeploymentPattern;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a branch name pattern, or `{tag: PATTERN}` / `{branch: PATTERN}`")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(DeploymentPattern {
                    ref_type: RefType::Branch,
                    pattern: value.to_owned(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(
                        "expected `tag: PATTERN` or `branch: PATTERN`",
                    ));
                };
                let ref_type = match key.as_str() {
                    "tag" => RefType::Tag,
                    "branch" => RefType::Branch,
                    other => return Err(de::Error::unknown_field(other, &["tag", "branch"])),
                };
                let pattern = map.next_value::<String>()?;
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "a pattern has exactly one key, `tag` or `branch`; found also `{extra}`"
                    )));
                }
                Ok(DeploymentPattern { ref_type, pattern })
            }
        }
        deserializer.deserialize_any(PatternVisitor)
    }
}

impl JsonSchema for DeploymentPattern {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DeploymentPattern".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A branch name pattern (Ruby File.fnmatch; `*` does not match `/`), or `{tag: PATTERN}` for tags.",
            "oneOf": [
                { "type": "string", "minLength": 1 },
                {
                    "type": "object", "additionalProperties": false,
                    "minProperties": 1, "maxProperties": 1,
                    "properties": {
                        "tag": { "type": "string", "minLength": 1, "description": "A tag name pattern." },
                        "branch": { "type": "string", "minLength": 1, "description": "A branch name pattern." }
                    }
                }
            ]
        })
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match &self.from_env {
            None => serializer.serialize_str(&self.name),
            Some(var) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("name", &self.name)?;
                map.serialize_entry("from_env", var)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SecretVisitor;
        impl<'de> Visitor<'de> for SecretVisitor {
            type Value = Secret;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a secret name, or a map with `name` and `from_env`")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(Secret {
                    name: value.to_owned(),
                    from_env: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut name, mut from_env) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "name" => name = Some(map.next_value::<String>()?),
                        "from_env" => from_env = Some(map.next_value::<String>()?),
                        other => {
                            return Err(de::Error::unknown_field(other, &["name", "from_env"]));
                        }
                    }
                }
                let name = name.ok_or_else(|| de::Error::missing_field("name"))?;
                Ok(Secret { name, from_env })
            }
        }
        deserializer.deserialize_any(SecretVisitor)
    }
}

impl JsonSchema for Secret {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Secret".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A secret that must exist: its name, or `{name, from_env}` naming the environment variable `apply` reads the value from when the secret is missing.",
            "oneOf": [
                { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" },
                {
                    "type": "object", "additionalProperties": false, "required": ["name"],
                    "properties": {
                        "name": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "description": "The secret's name." },
                        "from_env": { "type": "string", "minLength": 1, "description": "Environment variable holding the value, read by `apply` only." }
                    }
                }
            ]
        })
    }
}
