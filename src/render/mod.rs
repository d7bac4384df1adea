//! Renderers: a `Plan` in, text for people, JSON for scripts, Markdown for pull requests,
//! SARIF and JUnit for CI tools.
//!
//! Renderers see only the plan (and, for the CI tools' reports, what the caller says about
//! the policy: where each change is declared, which resources it manages); they know
//! nothing of GitHub or YAML. Each format is one file (`text`, `json`, `markdown`, `sarif`,
//! `junit`); the helpers they share (how a value is written compactly,
//! how two lists differ as sets, what a resource kind is called) live here so that the three
//! formats say the same thing in the same words.

pub mod explain;
pub mod findings;
mod inline;
mod json;
pub mod junit;
mod markdown;
mod markdown_text;
pub mod migrate;
pub mod org;
pub mod sarif;
mod text;

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::Value;

use crate::plan::{Action, FieldDiff, Plan, ResourceKind};

/// The output formats of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A terraform-like diff.
    Text,
    /// The JSON plan of DESIGN.md §3.
    Json,
    /// Markdown.
    Markdown,
}

/// Writes the plan in the given format; `color` applies to text only.
pub fn render(plan: &Plan, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::render(plan, color, out)?,
        Format::Json => json::render(plan, out)?,
        Format::Markdown => markdown::render(plan, out)?,
    }
    out.flush()
}

/// Returns a resource kind as people say it, e.g. `branch protection`.
fn kind_label(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::BranchProtection => "branch protection",
        ResourceKind::Environment => "environment",
        ResourceKind::DeploymentBranchPolicy => "deployment branch policy",
        ResourceKind::Secret => "secret",
        ResourceKind::Variable => "variable",
        ResourceKind::Ruleset => "ruleset",
        ResourceKind::Requirement => "requirement",
        ResourceKind::RepositorySettings => "repository settings",
        ResourceKind::Security => "security features",
        ResourceKind::Actions => "actions permissions",
    }
}

/// Returns the one-character symbol of an action, as in `terraform plan`.
fn action_symbol(action: Action) -> &'static str {
    match action {
        Action::Create => "+",
        Action::Update => "~",
        Action::Delete => "-",
    }
}

/// Returns a value as compact JSON on one line; `null` (absent) reads `(none)`.
///
/// Strings are quoted and escaped as JSON, and what JSON leaves (bidirectional overrides,
/// line separators) goes through `untrusted`, so a value can never break a line, reorder
/// what is shown or carry a terminal escape sequence into the output.
fn compact(value: &Value) -> String {
    if value.is_null() {
        return "(none)".to_owned();
    }
    printable(&value.to_string()).into_owned()
}

/// How one setting differs, as the renderers show it.
enum DiffShape<'a> {
    /// Both sides are lists, compared as sets: the items only the policy has (`added`) and
    /// the items only the live side has (`removed`), each in first-seen order, without
    /// duplicates.
    Set {
        /// Items `apply` adds.
        added: Vec<&'a Value>,
        /// Items `apply` removes.
        removed: Vec<&'a Value>,
    },
    /// Two long strings with much in common: the changed words, in place (`inline`).
    Words(Vec<inline::Part>),
    /// Anything else: the live value is replaced by the policy value.
    Replace,
}

/// Returns how a setting differs: item by item when both sides are lists that differ as
/// sets, word by word when both are long strings with much in common, whole values
/// otherwise (including lists that differ only in order or duplicates, which the diff
/// should never report, but which must then still show something).
fn diff_shape(diff: &FieldDiff) -> DiffShape<'_> {
    if let (Value::String(live), Value::String(policy)) = (&diff.live, &diff.policy) {
        return inline::word_diff(live, policy).map_or(DiffShape::Replace, DiffShape::Words);
    }
    let (Value::Array(live), Value::Array(policy)) = (&diff.live, &diff.policy) else {
        return DiffShape::Replace;
    };
    let added = only_in(policy, live);
    let removed = only_in(live, policy);
    if added.is_empty() && removed.is_empty() {
        DiffShape::Replace
    } else {
        DiffShape::Set { added, removed }
    }
}

/// Returns the items of `these` that `others` lacks, in order, each once.
fn only_in<'a>(these: &'a [Value], others: &[Value]) -> Vec<&'a Value> {
    let mut found: Vec<&Value> = Vec::new();
    for item in these {
        if !others.contains(item) && !found.contains(&item) {
            found.push(item);
        }
    }
    found
}

/// Returns the summary line's counts, e.g. `2 to create, 1 to update, 0 to delete (1 cannot
/// be applied)`, without a final period.
fn summary_counts(plan: &Plan) -> String {
    let summary = plan.summary();
    let counts = format!(
        "{} to create, {} to update, {} to delete",
        summary.create, summary.update, summary.delete
    );
    match plan.inapplicable().count() {
        0 => counts,
        inapplicable => format!("{counts} ({inapplicable} cannot be applied)"),
    }
}

/// The mark of a change or a setting that weakens protection (DESIGN §11).
const WEAKENS: &str = "⚠ weakens";

/// Returns the closing line of a plan with changes that weaken protection, e.g. `2 changes
/// weaken protection; apply --yes refuses them without --allow-weakening`.
fn weakening_line(plan: &Plan) -> Option<String> {
    match plan.weakening() {
        0 => None,
        1 => Some(
            "1 change weakens protection; apply --yes refuses it without --allow-weakening"
                .to_owned(),
        ),
        n => Some(format!(
            "{n} changes weaken protection; apply --yes refuses them without --allow-weakening"
        )),
    }
}

/// Returns what an exception says of a setting or a change: `accepted until DATE: REASON`
/// while it is active, `exception expired DATE: REASON` once it has expired.
fn exception_words(
    accepted: Option<&crate::plan::ExceptionNote>,
    expired: Option<&crate::plan::ExceptionNote>,
) -> Option<String> {
    match (accepted, expired) {
        (Some(note), _) => Some(format!(
            "accepted until {}: {}",
            printable(&note.expires),
            printable(&note.reason)
        )),
        (None, Some(note)) => Some(format!(
            "exception expired {}: {}",
            printable(&note.expires),
            printable(&note.reason)
        )),
        (None, None) => None,
    }
}

/// Returns what a change finds on GitHub, as the reports for CI tools (SARIF, JUnit) word it.
fn finding(change: &crate::plan::Change) -> &'static str {
    match (change.kind(), change.action) {
        (ResourceKind::Requirement, _) => "is not met",
        (_, Action::Create) => "is missing on GitHub",
        (_, Action::Update) => "differs on GitHub",
        (_, Action::Delete) => "is on GitHub but not in the policy",
    }
}

/// Returns one line a differing setting, `path: live X, policy Y`, marked `(⚠ weakens)`
/// when applying it lowers protection, for the reports that have no room for a table.
fn setting_lines(change: &crate::plan::Change) -> Vec<String> {
    change
        .diffs
        .iter()
        .map(|diff| {
            let mark = if crate::protection::weakening::diff_weakens(change, diff) {
                format!(" ({WEAKENS})")
            } else {
                String::new()
            };
            format!(
                "{}: live {}, policy {}{mark}",
                printable(&diff.path.to_string()),
                compact(&diff.live),
                compact(&diff.policy)
            )
        })
        .collect()
}

/// The sentence the reports for CI tools add to a change that weakens protection.
const WEAKENS_SENTENCE: &str =
    "⚠ Applying it weakens protection: `apply --yes` refuses it without `--allow-weakening`.";

/// Returns outside text (a name, a reason) safe to print: see `untrusted`.
fn printable(text: &str) -> Cow<'_, str> {
    crate::output::untrusted::escape(text)
}

#[cfg(test)]
mod tests;
