//! The naming rules as types. A value of one of these types went through its rule: the only
//! ways to make one are [`parse`](BranchName::parse) and deserialising, and both run the
//! rule's check (one exception, named for it: a [`Pattern`] GitHub sent is kept as GitHub
//! holds it, [`Pattern::from_github`]). Each type's JSON Schema is its rule's pattern, so wherever a policy type
//! holds one (a value, a list item, a mapping key), the schema the loader applies first
//! says the rule there too: no place a value is written can skip it.
//!
//! One exception, for what only GitHub says: a login or slug GitHub answered with is held as
//! GitHub gave it ([`Login::from_github`]), because GitHub keeps accounts named before
//! today's rules.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    BRANCH_PATTERN, ENV_VAR_PATTERN, ENVIRONMENT_PATTERN, LOGIN_PATTERN, NON_BLANK_PATTERN,
    REPOSITORY_NAME_PATTERN, SECRET_NAME_PATTERN, SLUG_PATTERN, check_branch, check_env_var,
    check_environment, check_login, check_non_blank, check_repository_name, check_secret_name,
    check_slug,
};
use crate::output::untrusted::quote;

/// Declares a string type that only its rule can make.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $noun:literal, $pattern:expr, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Checks `text` by the rule, saying why it breaks it.
            pub fn parse(text: impl Into<String>) -> Result<Self, String> {
                let text = text.into();
                match $check(&text) {
                    Ok(()) => Ok(Self(text)),
                    Err(reason) => Err(format!(
                        "{} is not a valid {}: {reason}",
                        quote(&text),
                        $noun
                    )),
                }
            }

            /// Returns the name as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        /// Lets a map keyed by this type be looked up by `&str`.
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl From<$name> for String {
            fn from(name: $name) -> Self {
                name.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(text: String) -> Result<Self, String> {
                Self::parse(text)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = String;
            fn try_from(text: &str) -> Result<Self, String> {
                Self::parse(text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(text).map_err(serde::de::Error::custom)
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "pattern": $pattern })
            }
        }
    };
}

name_type!(
    /// An exact branch name, by git's ref-name rules, without wildcards.
    BranchName,
    "branch name",
    BRANCH_PATTERN,
    check_branch
);
name_type!(
    /// A deployment environment's name.
    EnvironmentName,
    "environment name",
    ENVIRONMENT_PATTERN,
    check_environment
);
name_type!(
    /// An Actions secret's name.
    SecretName,
    "secret name",
    SECRET_NAME_PATTERN,
    check_secret_name
);
name_type!(
    /// An Actions variable's name (GitHub's rule for secret names).
    VariableName,
    "variable name",
    SECRET_NAME_PATTERN,
    check_secret_name
);
name_type!(
    /// The name of an environment variable of the process (`from_env`).
    EnvVarName,
    "environment variable name",
    ENV_VAR_PATTERN,
    check_env_var
);
name_type!(
    /// A user's or organisation's login.
    Login,
    "login",
    LOGIN_PATTERN,
    check_login
);
name_type!(
    /// A team's or GitHub App's slug.
    Slug,
    "slug",
    SLUG_PATTERN,
    check_slug
);

/// Accounts GitHub names by the rule of the day they were made: an older user's login may
/// end in `-` or hold `--`, which today's rule refuses. What GitHub answers is its own, and a
/// repository that lists such an account must still be read, planned and shown; so the
/// conversions of GitHub's answers (`github::convert`, and the app slugs `export` and
/// `migrate` learnt from GitHub for a check pinned by id) hold the name as GitHub gave it.
/// What a person writes — the policy, in every layer — is read by `parse` or deserialising,
/// and keeps the rule. No live model is stored and read back through serde: a plan file
/// holds JSON values, the cache GitHub's answers (converted again), and a state file is
/// policy format, read by the policy's loader.
macro_rules! answered_by_github {
    ($($name:ident),*) => {$(
        impl $name {
            /// Holds a name GitHub answered with, as GitHub gave it, without today's rule.
            pub fn from_github(text: impl Into<String>) -> Self {
                Self(text.into())
            }
        }
    )*};
}

impl Text {
    /// A name gh-policy writes itself (`migrate`'s rulesets): `prefix`, a non-blank literal,
    /// then `tail` with every character but ASCII letters, digits, `.`, `_` and `-` made
    /// `-`, which the text rule always accepts.
    pub fn written(prefix: &'static str, tail: &str) -> Self {
        let cleaned: String = tail
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        Self(format!("{prefix}{cleaned}"))
    }
}

// GitHub takes any text as a ruleset's ref pattern or a deployment policy's name
// (`refs/heads/` reads back as an empty pattern): a read never fails on a pattern the rule
// refuses; it is shown, and the plan replaces it with the policy's.
answered_by_github!(Login, Slug, Pattern, Text);

name_type!(
    /// A repository's name without its owner.
    RepositoryName,
    "repository name",
    REPOSITORY_NAME_PATTERN,
    check_repository_name
);
name_type!(
    /// Text that is shown (a group's name, a check's name, a plan target): not blank, and
    /// without a character that changes how output reads.
    Text,
    "text",
    NON_BLANK_PATTERN,
    check_non_blank
);

name_type!(
    /// A ref or deployment name pattern as written (`main`, `release/**/*`, `v*`,
    /// `~DEFAULT_BRANCH`): not blank, and without a character that changes how output
    /// reads. Its schema is the text rule's, so a file's pattern is worded as text is.
    /// What a pattern means for a ruleset's target (a `refs/tags/` pattern in a branch
    /// ruleset), and the glob's own form (`malformed`, a `~` name that is not GitHub's),
    /// are checked with the ruleset (`policy::rulesets`): GitHub accepts those.
    Pattern,
    "pattern",
    NON_BLANK_PATTERN,
    check_non_blank
);

/// A repository, `OWNER/NAME`, checked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RepoName {
    /// The user or organisation.
    pub owner: String,
    /// The repository.
    pub name: String,
}

impl RepoName {
    /// Parses `OWNER/NAME`, saying what is wrong otherwise.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let Some((owner, name)) = text.split_once('/') else {
            return Err(format!("{} is not OWNER/NAME", quote(text)));
        };
        if let Err(reason) = check_login(owner) {
            return Err(format!("invalid owner {}: {reason}", quote(owner)));
        }
        check_repository_name(name)
            .map_err(|reason| format!("invalid repository name {}: {reason}", quote(name)))?;
        Ok(Self {
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }

    /// Returns `OWNER/NAME` from a git remote's path, which may end in `.git`.
    pub fn from_remote_path(path: &str) -> Option<Self> {
        let path = path.trim_matches('/');
        Self::parse(path.strip_suffix(".git").unwrap_or(path)).ok()
    }
}

impl fmt::Display for RepoName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}
