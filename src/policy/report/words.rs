//! The words of schema-error messages: how a path, a value, a type, a key and a name are
//! shown. Every piece of file text goes through `crate::output::untrusted`.

use jsonschema::JsonType;
use jsonschema::error::TypeKind;
use serde_json::Value;

use super::super::source_map::{Dotted, Pos, Segment};
use super::super::suggest::closest;
use crate::output::untrusted::{escape, quote};

/// A path as messages name it: `` `branches.main` ``, or "the document" for the root.
pub(super) struct Subject<'a>(pub &'a [Segment]);

impl std::fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            f.write_str("the document")
        } else {
            write!(f, "`{}`", Dotted(self.0))
        }
    }
}

/// Says which key was not understood and, when one is close, which key was meant.
pub(super) fn unknown_key(key: &str, path: &[Segment], known: &[&str]) -> String {
    let place = if path.is_empty() {
        String::new()
    } else {
        format!(" in {}", Subject(path))
    };
    let head = format!("unknown key {}{place}", quote(key));
    if key == "<<" {
        return format!(
            "{head}: merge keys are not supported; write the settings out, or put an anchor on the whole value"
        );
    }
    if known.is_empty() {
        return format!("{head}: no keys are allowed here");
    }
    if let Some(best) = closest(key, known) {
        return format!("{head}: did you mean `{best}`?");
    }
    let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    format!("{head}: expected one of {}", list.join(", "))
}

/// Words a name that breaks a naming rule, with the rule's reason.
pub(super) fn name_message(pattern: &str, name: &str, path: &[Segment], is_key: bool) -> String {
    let shown = Subject(path);
    let Some(rule) = crate::model::names::rule_for(pattern) else {
        return format!(
            "{shown}: {} does not match `{}`",
            quote(name),
            escape(pattern)
        );
    };
    let reason = (rule.check)(name)
        .err()
        .unwrap_or_else(|| String::from("it does not match the expected form"));
    if rule.pattern == crate::model::names::NON_BLANK_PATTERN {
        let blank = !name.chars().any(crate::model::names::is_unprintable);
        return match (blank, is_key) {
            (true, _) => format!("{shown} must not be empty or blank"),
            (false, false) => format!("{shown}: {reason}"),
            (false, true) => format!("invalid name {} in {shown}: {reason}", quote(name)),
        };
    }
    let parent = |n: usize| match path.len().checked_sub(n).and_then(|i| path.get(i)) {
        Some(Segment::Key(key)) => key.as_str(),
        _ => "",
    };
    let noun = match (rule.noun, parent(1), parent(2)) {
        ("secret name", "variables", _) => "variable name",
        ("slug", "teams" | "team", _) | ("slug", _, "teams") => "team slug",
        ("slug", "apps" | "app", _) | ("slug", _, "apps") => "app slug",
        ("environment variable name", "from_env", _) => "`from_env`",
        (noun, ..) => noun,
    };
    if is_key {
        format!("invalid {noun} {} in {shown}: {reason}", quote(name))
    } else {
        format!("invalid {noun} {} at {shown}: {reason}", quote(name))
    }
}

/// Describes a value found in the file, escaped and shortened.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => String::from("nothing"),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let short: String = s.chars().take(60).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            format!("the string \"{}{more}\"", escape(&short))
        }
        Value::Array(items) => format!("a list of {}", items.len()),
        Value::Object(_) => String::from("a mapping"),
    }
}

pub(super) fn count(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.len(),
        Value::Object(map) => map.len(),
        _ => 0,
    }
}

pub(super) fn wants(kind: &TypeKind, wanted: JsonType) -> bool {
    match kind {
        TypeKind::Single(single) => *single == wanted,
        TypeKind::Multiple(set) => set.contains(wanted),
    }
}

pub(super) fn type_words(kind: &TypeKind) -> String {
    let names: Vec<&str> = match kind {
        TypeKind::Single(single) => vec![json_type_name(*single)],
        TypeKind::Multiple(set) => set
            .iter()
            .filter(|t| *t != JsonType::Null)
            .map(json_type_name)
            .collect(),
    };
    names.join(" or ")
}

pub(super) fn json_type_name(kind: JsonType) -> &'static str {
    match kind {
        JsonType::Array => "a list",
        JsonType::Boolean => "true or false",
        JsonType::Integer => "an integer",
        JsonType::Null => "nothing",
        JsonType::Number => "a number",
        JsonType::Object => "a mapping of `key: value` entries",
        JsonType::String => "a string",
    }
}

pub(super) fn type_name(name: &str) -> &'static str {
    match name {
        "array" => "a list",
        "boolean" => "true or false",
        "integer" => "an integer",
        "number" => "a number",
        "object" => "a mapping of `key: value` entries",
        "string" => "a string",
        _ => "something else",
    }
}

/// Returns true when the text at a line and column starts with a quote.
pub(super) fn starts_quoted(text: &str, (line, column): Pos) -> bool {
    let mut current = 1;
    let mut chars = text.chars().peekable();
    while current < line {
        match chars.next() {
            Some('\n') => current += 1,
            Some('\r') => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                current += 1;
            }
            Some(_) => {}
            None => return false,
        }
    }
    matches!(chars.nth(column.saturating_sub(1)), Some('"' | '\''))
}
