//! Schema errors → diagnostics: one short message per problem, naming the key path, located
//! through the source map, every piece of file text escaped.
//!
//! The wording comes from the failing keyword and from what the schema says around it:
//! `x-message` (on a subschema, usually the `then` of a conditional: a sentence for any error
//! inside it; `x-at` names the key to point at), `x-expected` (on the subschema that holds
//! the keyword: what the value must be, "an integer from 0 to 6"), a mapping's `properties`
//! (the keys to suggest), and for `pattern` the explaining function of the naming rule
//! (`crate::model::names`). For `oneOf`/`anyOf`, the one branch whose type fits the value is
//! explained instead; when none or several fit, `x-expected` says what the value must be.

use std::fmt::Write as _;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::{Location, LocationSegment};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use super::schema::Compiled;
use super::source_map::{Pos, Segment, SourceMap};
use crate::output::untrusted::{escape, quote};

mod expected;
mod words;

use expected::known_keys;
use words::{Subject, count, describe, name_message, starts_quoted, unknown_key, wants};

/// One explained problem: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Explained {
    /// Where, when the map knows.
    pub at: Option<Pos>,
    /// The message.
    pub message: String,
}

/// Explains every schema error of `value`, in file order, without repeats.
pub(super) fn explain_all(
    compiled: &Compiled,
    value: &Value,
    map: &SourceMap,
    text: &str,
    skip: &[&[Segment]],
) -> Vec<Explained> {
    let context = Context {
        schema: &compiled.schema,
        map,
        text,
    };
    let errors: Vec<ValidationError<'_>> = compiled.validator.iter_errors(value).collect();
    // A value of the wrong type breaks its range or constant too: say only the type.
    let mistyped: Vec<&Location> = errors
        .iter()
        .filter(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }))
        .map(ValidationError::instance_path)
        .collect();
    let mut found = Vec::new();
    for error in &errors {
        let shadowed = !matches!(error.kind(), ValidationErrorKind::Type { .. })
            && mistyped.contains(&error.instance_path());
        let skipped = skip.contains(&segments(error.instance_path()).as_slice());
        if !shadowed && !skipped {
            context.explain(error, &mut found);
        }
    }
    found.sort_by_key(|e| e.at.unwrap_or((usize::MAX, usize::MAX)));
    found.dedup();
    found
}

struct Context<'a> {
    schema: &'a Value,
    map: &'a SourceMap,
    text: &'a str,
}

impl Context<'_> {
    fn explain(&self, error: &ValidationError<'_>, out: &mut Vec<Explained>) {
        let path = segments(error.instance_path());
        let kind = error.kind();
        if !matches!(
            kind,
            ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. }
        ) && let Some((message, at_key)) = self.x_message(error.schema_path())
        {
            out.push(self.conditional(&path, error, kind, message, at_key));
            return;
        }
        let holder = self.holder(error.schema_path());
        let shown = Subject(&path);
        let (at, message) = match kind {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = known_keys(holder);
                for key in unexpected {
                    let mut at = path.clone();
                    at.push(Segment::Key(key.clone()));
                    out.push(Explained {
                        at: self.map.locate_path(&at),
                        message: unknown_key(key, &path, &known),
                    });
                }
                return;
            }
            ValidationErrorKind::PropertyNames { error: inner } => {
                return out.push(self.bad_key(&path, inner));
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let message = if path.is_empty() {
                    let hint = if name == "version" {
                        " (write `version: 1` at the top)"
                    } else {
                        ""
                    };
                    format!("missing key {}{hint}", quote(name))
                } else {
                    format!("missing key {} in {shown}", quote(name))
                };
                (self.map.locate_value_path(&path), message)
            }
            ValidationErrorKind::Type { kind } => {
                let expected = self.expected(holder, Some(kind));
                return out.push(self.type_error(&path, error.instance(), &expected, kind));
            }
            ValidationErrorKind::Pattern { pattern } => {
                let text = error.instance().as_str().unwrap_or_default();
                (
                    self.map.locate_value_path(&path),
                    name_message(pattern, text, &path, false),
                )
            }
            ValidationErrorKind::OneOfNotValid { context }
            | ValidationErrorKind::AnyOf { context } => {
                if let Some(branch) = fitting_branch(context, error.instance_path()) {
                    for inner in branch {
                        self.explain(inner, out);
                    }
                    return;
                }
                (
                    self.map.locate_value_path(&path),
                    self.must_be(&path, holder, error.instance()),
                )
            }
            ValidationErrorKind::MaxItems { limit }
            | ValidationErrorKind::MaxProperties { limit } => (
                self.map.locate_path(&path),
                format!(
                    "{shown} has {} entries; at most {limit} are allowed",
                    count(error.instance())
                ),
            ),
            ValidationErrorKind::Constant { .. }
            | ValidationErrorKind::Enum { .. }
            | ValidationErrorKind::Minimum { .. }
            | ValidationErrorKind::Maximum { .. }
            | ValidationErrorKind::ExclusiveMinimum { .. }
            | ValidationErrorKind::ExclusiveMaximum { .. }
            | ValidationErrorKind::MinLength { .. }
            | ValidationErrorKind::MaxLength { .. }
            | ValidationErrorKind::MinItems { .. }
            | ValidationErrorKind::MinProperties { .. }
            | ValidationErrorKind::OneOfMultipleValid { .. } => (
                self.map.locate_value_path(&path),
                self.must_be(&path, holder, error.instance()),
            ),
            _ => (
                self.map.locate_value_path(&path),
                format!("{shown}: {}", escape(&error.to_string())),
            ),
        };
        out.push(Explained { at, message });
    }

    /// Words a mapping key that breaks the rule for its names.
    fn bad_key(&self, path: &[Segment], inner: &ValidationError<'_>) -> Explained {
        let key = inner.instance().as_str().unwrap_or_default();
        let mut at = path.to_vec();
        at.push(Segment::Key(key.to_owned()));
        let message = match inner.kind() {
            ValidationErrorKind::Pattern { pattern } => name_message(pattern, key, path, true),
            _ => format!("invalid key {} in {}", quote(key), Subject(path)),
        };
        Explained {
            at: self.map.locate_path(&at),
            message,
        }
    }

    /// Words an error inside a subschema that carries `x-message`.
    fn conditional(
        &self,
        path: &[Segment],
        error: &ValidationError<'_>,
        kind: &ValidationErrorKind,
        message: &str,
        at_key: Option<&str>,
    ) -> Explained {
        let mut path = path.to_vec();
        if let ValidationErrorKind::PropertyNames { error: inner } = kind
            && let Some(key) = inner.instance().as_str()
        {
            path.push(Segment::Key(key.to_owned()));
        }
        let found = match kind {
            ValidationErrorKind::MaxItems { .. } | ValidationErrorKind::MaxProperties { .. } => {
                format!("; found {}", count(error.instance()))
            }
            _ => String::new(),
        };
        // Point at the key the message is about, looking from the error's place outwards.
        if let Some(key) = at_key {
            for depth in (0..=path.len()).rev() {
                let mut at = path[..depth].to_vec();
                at.push(Segment::Key(key.to_owned()));
                if self.map.contains_path(&at) {
                    return Explained {
                        at: self.map.locate_path(&at),
                        message: format!("{}: {message}{found}", Subject(&path[..depth])),
                    };
                }
            }
        }
        Explained {
            at: self.map.locate_path(&path),
            message: format!("{}: {message}{found}", Subject(&path)),
        }
    }

    /// Words a value of the wrong type.
    fn type_error(
        &self,
        path: &[Segment],
        found: &Value,
        expected: &str,
        kind: &TypeKind,
    ) -> Explained {
        let shown = Subject(path);
        if found.is_null() {
            let write = match (
                path.last(),
                wants(kind, JsonType::Object),
                wants(kind, JsonType::Array),
            ) {
                (Some(Segment::Key(key)), true, _) => format!("; write `{}: {{}}`", escape(key)),
                (Some(Segment::Key(key)), _, true) => format!("; write `{}: []`", escape(key)),
                _ => format!("; it must be {expected}"),
            };
            return Explained {
                at: self.map.locate_path(path),
                message: format!("the value of {shown} is empty{write}"),
            };
        }
        let at = self.map.locate_value_path(path);
        let mut message = format!("{shown} must be {expected}; found {}", describe(found));
        match found {
            Value::String(text) => {
                let quoted = at.is_some_and(|at| starts_quoted(self.text, at));
                let reads_as = match super::yaml::plain_value(text) {
                    Some(Value::Bool(_)) => wants(kind, JsonType::Boolean),
                    Some(Value::Number(_)) => {
                        wants(kind, JsonType::Integer) || wants(kind, JsonType::Number)
                    }
                    _ => false,
                };
                if quoted && reads_as {
                    message.push_str(" (a quoted value is a string)");
                } else if !quoted
                    && wants(kind, JsonType::Boolean)
                    && matches!(
                        text.to_lowercase().as_str(),
                        "yes" | "no" | "on" | "off" | "y" | "n"
                    )
                {
                    message.push_str(" (YAML 1.2 reads it as a string; write `true` or `false`)");
                }
            }
            Value::Number(_) | Value::Bool(_) if wants(kind, JsonType::String) => {
                let _ = write!(message, " (write \"{found}\" for the text)");
            }
            _ => {}
        }
        Explained { at, message }
    }
}

/// Returns the branch of a `oneOf`/`anyOf` whose type fits the value, when exactly one does.
fn fitting_branch<'e>(
    context: &'e [Vec<ValidationError<'static>>],
    at: &Location,
) -> Option<&'e [ValidationError<'static>]> {
    let fits = |errors: &&Vec<ValidationError<'static>>| {
        !errors.iter().any(|e| {
            e.instance_path() == at
                && matches!(
                    e.kind(),
                    ValidationErrorKind::Type { .. }
                        | ValidationErrorKind::Enum { .. }
                        | ValidationErrorKind::Constant { .. }
                        | ValidationErrorKind::FalseSchema
                )
        })
    };
    let mut fitting = context.iter().filter(fits);
    match (fitting.next(), fitting.next()) {
        (Some(only), None) if !only.is_empty() => Some(only.as_slice()),
        _ => None,
    }
}

/// Returns the instance path as segments.
pub(super) fn segments(location: &Location) -> Vec<Segment> {
    location
        .segments()
        .map(|segment| match segment {
            LocationSegment::Property(key) => Segment::Key(key.into_owned()),
            LocationSegment::Index(index) => Segment::Index(index),
        })
        .collect()
}
