//! Check names from a job's `name:` template: substituting matrix values into
//! `${{ matrix.KEY }}` expressions, appending them as GitHub does for names without
//! expressions, and the wildcards that stand for what is known only at run time.
//!
//! Pure functions of the template and one matrix combination; the caller charges the work.

use super::matrix::{self, Combination};
use super::name_pattern::NamePattern;
use super::yaml::Yaml;

/// Returns the name GitHub shows for a matrix job whose name has no expression: the
/// combination's values appended in key order, `test (ubuntu-latest, 18)`, skipping empty
/// values.
pub(super) fn with_values(template: &str, combination: &Combination<'_>) -> NamePattern {
    let mut name = NamePattern::exact(template);
    let mut first = true;
    for &(_, value) in combination {
        if matches!(value, Yaml::Null) || value.scalar().as_deref() == Some("") {
            continue;
        }
        name.push_str(if first { " (" } else { ", " });
        first = false;
        name.append(&render_value(value));
    }
    if !first {
        name.push_str(")");
    }
    name
}

/// Returns the name a job shows when what its matrix makes is unknown: its expressions
/// as wildcards, or a wildcard for the values GitHub appends.
pub(super) fn unknown_matrix_name(template: &str) -> NamePattern {
    if template.contains("${{") {
        return substitute(template, None, &mut 0);
    }
    let mut pattern = NamePattern::exact(template);
    pattern.push_any();
    pattern
}

/// Returns what can be said of a job's names without expanding anything: for a job whose
/// budget ran out.
pub(super) fn fallback_name(id: &str, job: &Yaml) -> NamePattern {
    let name = job.get("name").and_then(Yaml::scalar);
    let template = name.as_deref().unwrap_or(id);
    let has_matrix = job.get("strategy").and_then(|s| s.get("matrix")).is_some();
    let mut pattern = if has_matrix {
        unknown_matrix_name(template)
    } else {
        substitute(template, None, &mut 0)
    };
    if job.get("uses").is_some() {
        pattern.push_str(" / ");
        pattern.push_any();
    }
    pattern
}

/// Returns how a matrix value shows in a name; mappings, lists and expressions are unknown.
fn render_value(value: &Yaml) -> NamePattern {
    match value.scalar() {
        Some(text) if !text.contains("${{") => NamePattern::exact(text),
        _ => NamePattern::any(),
    }
}

/// Substitutes `${{ matrix.KEY }}` expressions; every other expression becomes a wildcard.
/// Adds the matrix entries looked at to `steps`.
pub(super) fn substitute(
    template: &str,
    combination: Option<&Combination<'_>>,
    steps: &mut usize,
) -> NamePattern {
    let mut pattern = NamePattern::default();
    let mut rest = template;
    while let Some(start) = rest.find("${{") {
        pattern.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else {
            pattern.push_str(&rest[start..]);
            return pattern;
        };
        let expression = after[..end].trim();
        let value = matrix_key(expression)
            .and_then(|key| combination.and_then(|c| matrix::find(c, key, steps)));
        match value {
            Some(value) => pattern.append(&render_value(value)),
            None => pattern.push_any(),
        }
        rest = &after[end + 2..];
    }
    pattern.push_str(rest);
    pattern
}

/// Returns `KEY` for the expressions `matrix.KEY`, `matrix['KEY']` and `matrix["KEY"]`.
fn matrix_key(expression: &str) -> Option<&str> {
    let rest = expression.strip_prefix("matrix")?;
    let key = if let Some(key) = rest.strip_prefix('.') {
        key
    } else {
        rest.strip_prefix("['")
            .and_then(|r| r.strip_suffix("']"))
            .or_else(|| rest.strip_prefix("[\"").and_then(|r| r.strip_suffix("\"]")))?
    };
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then_some(key)
}
