//! The policy shapes that accept "a string or a map" (a check, a deployment pattern, a
//! secret, the deployment branch mode): hand-written serde, so that the error says what is
//! expected ("`all`, `protected` or a list of patterns") where an untagged enum could only
//! say "did not match any variant", and keeps the YAML location; and their JSON Schema.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{DeploymentBranches, DeploymentPattern, RefType, RequiredCheck, Secret};

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
