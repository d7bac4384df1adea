//! The policy JSON Schema: derived from the model by schemars, then tightened with the name
//! rules that `validate.rs` enforces and the derive cannot express (patterns on map keys,
//! the reserved `GITHUB_` prefix, `version: 1`). Editors (yaml-language-server) then flag
//! most mistakes as they are typed; `validate` remains the authority.

use serde_json::{Value, json};

use crate::model::RepoSettings;

/// A secret or variable name: letters, digits and `_`, not starting with a digit.
const NAME: &str = "^[A-Za-z_][A-Za-z0-9_]*$";
/// The prefix GitHub reserves for its own secrets and variables, in any case.
const RESERVED: &str = "^[Gg][Ii][Tt][Hh][Uu][Bb]_";

/// Returns the schema as pretty JSON with a final newline.
pub(super) fn render() -> String {
    let schema = schemars::schema_for!(RepoSettings);
    let mut value = schema.to_value();
    tighten(&mut value);
    match serde_json::to_string_pretty(&value) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // A `Value` with string keys always serialises.
        Err(_) => String::from("{}\n"),
    }
}

/// Adds the constraints of `validate.rs` that a JSON Schema can state.
fn tighten(schema: &mut Value) {
    let name = || json!({ "pattern": NAME, "not": { "pattern": RESERVED } });
    let edits: [(&str, Value); 10] = [
        ("/properties/version", json!({ "const": 1 })),
        (
            "/properties/repository",
            json!({ "pattern": "^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$" }),
        ),
        (
            "/properties/branches",
            json!({ "propertyNames": {
                "minLength": 1,
                "pattern": "^[^\\s~^:?*\\[\\\\]+$",
                "not": { "anyOf": [
                    { "pattern": "\\.\\." },
                    { "pattern": "^[-/]" },
                    { "pattern": "(/|\\.|\\.lock)$" },
                    { "pattern": "@\\{" }
                ] }
            } }),
        ),
        (
            "/properties/environments",
            json!({ "propertyNames": { "minLength": 1, "maxLength": 255 } }),
        ),
        ("/$defs/Secret/oneOf/0", name()),
        ("/$defs/Secret/oneOf/1/properties/name", name()),
        (
            "/$defs/Secret/oneOf/1/properties/from_env",
            json!({ "pattern": NAME }),
        ),
        (
            "/$defs/Environment/properties/variables",
            json!({ "propertyNames": name() }),
        ),
        (
            "/$defs/Reviewer/oneOf/0/properties/user",
            json!({ "minLength": 1, "maxLength": 39, "pattern": "^[A-Za-z0-9][A-Za-z0-9-]*$" }),
        ),
        (
            "/$defs/Reviewer/oneOf/1/properties/team",
            json!({ "minLength": 1, "pattern": "^[A-Za-z0-9_-]+$" }),
        ),
    ];
    for (pointer, extra) in edits {
        merge(schema, pointer, extra);
    }
}

/// Adds the keys of `extra` to the object at `pointer`; a missing pointer is left alone (the
/// schema test notices, because the tightened rule then stops rejecting its example).
fn merge(schema: &mut Value, pointer: &str, extra: Value) {
    if let (Some(Value::Object(target)), Value::Object(extra)) =
        (schema.pointer_mut(pointer), extra)
    {
        target.extend(extra);
    }
}
