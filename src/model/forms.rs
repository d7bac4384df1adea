//! The policy shapes that accept "a string or a map" (a check, a deployment pattern, a
//! secret, the deployment branch mode) and a reviewer: how they are read and written, and
//! their JSON Schema.
//!
//! Each is read through an untagged form (`#[serde(from, into)]`): the loader validates the
//! document against the schema below before it deserialises, so the schema, not serde, words
//! the errors (its `x-expected` says what the value must be). Writing goes through the same
//! form, so `export` writes the short form wherever it says the same thing.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use super::{DeploymentBranches, DeploymentPattern, RefType, RequiredCheck, Reviewer, Secret};
use crate::model::names::{
    ENV_VAR_PATTERN, EnvVarName, LOGIN_PATTERN, NON_BLANK_PATTERN, Pattern, SECRET_NAME_PATTERN,
    SLUG_PATTERN, SecretName, Slug,
};

/// A required check as written: a bare name, or a map.
#[derive(Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum CheckForm {
    Bare(String),
    Pinned {
        context: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        app: Option<Slug>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        app_id: Option<i64>,
    },
}

impl From<CheckForm> for RequiredCheck {
    fn from(form: CheckForm) -> Self {
        match form {
            CheckForm::Bare(context) => Self::any_app(context),
            CheckForm::Pinned {
                context,
                app,
                app_id,
            } => Self {
                context,
                app,
                app_id,
            },
        }
    }
}

impl From<RequiredCheck> for CheckForm {
    fn from(check: RequiredCheck) -> Self {
        if check.is_pinned() {
            Self::Pinned {
                context: check.context,
                app: check.app,
                app_id: check.app_id,
            }
        } else {
            Self::Bare(check.context)
        }
    }
}

impl JsonSchema for RequiredCheck {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RequiredCheck".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A required status check: a bare name is satisfied by that context from any app; `app` (slug) or `app_id` pins it to one GitHub App.",
            "x-expected": "a check name, or a mapping with `context` and `app` or `app_id`",
            "oneOf": [
                { "type": "string", "pattern": NON_BLANK_PATTERN, "description": "The check's name, from any app." },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["context"],
                    "properties": {
                        "context": { "type": "string", "pattern": NON_BLANK_PATTERN, "description": "The check's name." },
                        "app": { "type": "string", "pattern": SLUG_PATTERN, "description": "Slug of the GitHub App that must report it." },
                        "app_id": {
                            "type": "integer", "minimum": 1, "maximum": i64::MAX,
                            "x-expected": "a GitHub App id (a positive integer)",
                            "description": "Id of the GitHub App that must report it."
                        }
                    },
                    "allOf": [{
                        "not": { "required": ["app", "app_id"] },
                        "x-message": "a check is pinned by `app` or by `app_id`, not both"
                    }]
                }
            ]
        })
    }
}

/// The deployment branch mode as written: a name, or a list of patterns.
#[derive(Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum ModeForm {
    Named(ModeName),
    Custom(Vec<DeploymentPattern>),
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum ModeName {
    All,
    Protected,
}

impl From<ModeForm> for DeploymentBranches {
    fn from(form: ModeForm) -> Self {
        match form {
            ModeForm::Named(ModeName::All) => Self::All,
            ModeForm::Named(ModeName::Protected) => Self::Protected,
            ModeForm::Custom(patterns) => Self::Custom(patterns),
        }
    }
}

impl From<DeploymentBranches> for ModeForm {
    fn from(mode: DeploymentBranches) -> Self {
        match mode {
            DeploymentBranches::All => Self::Named(ModeName::All),
            DeploymentBranches::Protected => Self::Named(ModeName::Protected),
            DeploymentBranches::Custom(patterns) => Self::Custom(patterns),
        }
    }
}

impl JsonSchema for DeploymentBranches {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DeploymentBranches".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let pattern = generator.subschema_for::<DeploymentPattern>();
        json_schema!({
            "description": "`all` (any branch or tag), `protected` (branches with protection rules) or a list of name patterns.",
            "x-expected": "`all`, `protected` or a list of branch patterns (write `[main]` for one branch)",
            "oneOf": [
                { "enum": ["all", "protected"] },
                { "type": "array", "items": pattern }
            ]
        })
    }
}

/// A deployment pattern as written: a bare branch pattern, or a one-key map.
#[derive(Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum PatternForm {
    Bare(Pattern),
    Tag { tag: Pattern },
    Branch { branch: Pattern },
}

impl From<PatternForm> for DeploymentPattern {
    fn from(form: PatternForm) -> Self {
        let (ref_type, pattern) = match form {
            PatternForm::Bare(pattern) | PatternForm::Branch { branch: pattern } => {
                (RefType::Branch, pattern)
            }
            PatternForm::Tag { tag } => (RefType::Tag, tag),
        };
        Self { ref_type, pattern }
    }
}

impl From<DeploymentPattern> for PatternForm {
    fn from(pattern: DeploymentPattern) -> Self {
        match pattern.ref_type {
            RefType::Branch => Self::Bare(pattern.pattern),
            RefType::Tag => Self::Tag {
                tag: pattern.pattern,
            },
        }
    }
}

impl JsonSchema for DeploymentPattern {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DeploymentPattern".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // Each form holds a `Pattern`: its schema is the type's, the rule the model keeps.
        let mut pattern = |description: Option<&str>| {
            let mut schema = Pattern::json_schema(generator);
            if let Some(description) = description {
                schema.insert("description".into(), description.into());
            }
            schema
        };
        let (bare, tag, branch) = (
            pattern(None),
            pattern(Some("A tag name pattern.")),
            pattern(Some("A branch name pattern.")),
        );
        json_schema!({
            "description": "A branch name pattern (Ruby File.fnmatch; `*` does not match `/`), or `{tag: PATTERN}` for tags.",
            "x-expected": "a branch name pattern, or `{tag: PATTERN}` / `{branch: PATTERN}`",
            "oneOf": [
                bare,
                {
                    "type": "object", "additionalProperties": false,
                    "minProperties": 1, "maxProperties": 1,
                    "properties": { "tag": tag, "branch": branch }
                }
            ]
        })
    }
}

/// A secret as written: a bare name, or a map with its value's source.
#[derive(Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum SecretForm {
    Bare(SecretName),
    Sourced {
        name: SecretName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_env: Option<EnvVarName>,
    },
}

impl From<SecretForm> for Secret {
    fn from(form: SecretForm) -> Self {
        match form {
            SecretForm::Bare(name) => Self {
                name,
                from_env: None,
            },
            SecretForm::Sourced { name, from_env } => Self { name, from_env },
        }
    }
}

impl From<Secret> for SecretForm {
    fn from(secret: Secret) -> Self {
        match secret.from_env {
            None => Self::Bare(secret.name),
            from_env @ Some(_) => Self::Sourced {
                name: secret.name,
                from_env,
            },
        }
    }
}

impl JsonSchema for Secret {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Secret".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A secret that must exist: its name, or `{name, from_env}` naming the environment variable `apply` reads the value from when the secret is missing.",
            "x-expected": "a secret name, or a mapping with `name` and `from_env`",
            "oneOf": [
                { "type": "string", "pattern": SECRET_NAME_PATTERN },
                {
                    "type": "object", "additionalProperties": false, "required": ["name"],
                    "properties": {
                        "name": { "type": "string", "pattern": SECRET_NAME_PATTERN, "description": "The secret's name." },
                        "from_env": { "type": "string", "pattern": ENV_VAR_PATTERN, "description": "Environment variable holding the value, read by `apply` only." }
                    }
                }
            ]
        })
    }
}

impl JsonSchema for Reviewer {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Reviewer".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A required deployment reviewer: `user: LOGIN` or `team: SLUG` (a team of the repository's organisation).",
            "x-expected": "`user: LOGIN` or `team: SLUG`",
            "type": "object", "additionalProperties": false,
            "minProperties": 1, "maxProperties": 1,
            "properties": {
                "user": { "type": "string", "pattern": LOGIN_PATTERN, "description": "A user, by login." },
                "team": { "type": "string", "pattern": SLUG_PATTERN, "description": "A team, by slug." }
            }
        })
    }
}
