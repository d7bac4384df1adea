//! What the schema says around a failing keyword: the subschema that holds it, the nearest
//! `x-message`, and what a value must be, in words (`x-expected`, a range, an enumeration,
//! a type, or the branches of a `oneOf`).

use jsonschema::error::TypeKind;
use jsonschema::paths::Location;
use serde_json::Value;

use super::super::source_map::Segment;
use super::Context;
use super::words::{Subject, describe, type_name, type_words};

impl Context<'_> {
    /// Returns the subschema holding the failing keyword.
    pub(super) fn holder(&self, schema_path: &Location) -> Option<&Value> {
        let pointer = schema_path.as_str();
        let parent = &pointer[..pointer.rfind('/').unwrap_or(0)];
        self.schema.pointer(parent)
    }

    /// Returns the `x-message` (and `x-at`) of the nearest subschema around the keyword.
    pub(super) fn x_message(&self, schema_path: &Location) -> Option<(&str, Option<&str>)> {
        let mut pointer = schema_path.as_str();
        while let Some(slash) = pointer.rfind('/') {
            pointer = &pointer[..slash];
            if let Some(node) = self.schema.pointer(pointer)
                && let Some(message) = node.get("x-message").and_then(Value::as_str)
            {
                return Some((message, node.get("x-at").and_then(Value::as_str)));
            }
        }
        None
    }

    /// Says what the value at `path` must be, and what it is.
    pub(super) fn must_be(
        &self,
        path: &[Segment],
        holder: Option<&Value>,
        found: &Value,
    ) -> String {
        let expected = self.expected(holder, None);
        format!(
            "{} must be {expected}; found {}",
            Subject(path),
            describe(found)
        )
    }

    /// Returns what a subschema accepts, in words.
    pub(super) fn expected(&self, holder: Option<&Value>, kind: Option<&TypeKind>) -> String {
        let Some(holder) = holder else {
            return kind.map_or_else(|| String::from("something else"), type_words);
        };
        if let Some(expected) = holder.get("x-expected").and_then(Value::as_str) {
            return expected.to_owned();
        }
        if let Some(kind) = kind {
            return type_words(kind);
        }
        self.words(holder, 0)
    }

    /// Describes a subschema: its `x-expected`, range, enumeration, type or branches.
    fn words(&self, schema: &Value, depth: usize) -> String {
        if let Some(expected) = schema.get("x-expected").and_then(Value::as_str) {
            return expected.to_owned();
        }
        if depth < 4
            && let Some(target) = schema.get("$ref").and_then(Value::as_str)
            && let Some(target) = target
                .strip_prefix('#')
                .and_then(|p| self.schema.pointer(p))
        {
            return self.words(target, depth + 1);
        }
        if let Some(value) = schema.get("const") {
            return format!("`{value}`");
        }
        if let Some(Value::Array(options)) = schema.get("enum") {
            let list: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
            return format!("one of {}", list.join(", "));
        }
        let bounds = (schema.get("minimum"), schema.get("maximum"));
        match bounds {
            (Some(min), Some(max)) => return format!("from {min} to {max}"),
            (Some(min), None) => return format!("at least {min}"),
            (None, Some(max)) => return format!("at most {max}"),
            (None, None) => {}
        }
        if let Some(limit) = schema.get("maxLength") {
            return format!("at most {limit} characters");
        }
        if let Some(Value::Array(branches)) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            let words: Vec<String> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .map(|b| self.words(b, depth + 1))
                .collect();
            return words.join(" or ");
        }
        match schema.get("type") {
            Some(Value::String(name)) => type_name(name).to_owned(),
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .filter(|name| *name != "null")
                .map(type_name)
                .collect::<Vec<_>>()
                .join(" or "),
            _ => String::from("something else"),
        }
    }
}

/// Returns the keys a mapping's subschema knows.
pub(super) fn known_keys(holder: Option<&Value>) -> Vec<&str> {
    holder
        .and_then(|h| h.get("properties"))
        .and_then(Value::as_object)
        .map(|properties| properties.keys().map(String::as_str).collect())
        .unwrap_or_default()
}
