//! The Markdown plan, for a pull request comment or `$GITHUB_STEP_SUMMARY`.
//!
//! ```markdown
//! ### gh-policy plan for `acme/katz-backend`
//!
//! **Plan:** 1 to create, 1 to update, 0 to delete (1 cannot be applied).
//!
//! #### ~ `branches.main` (branch protection)
//!
//! | setting | live | policy |
//! | --- | --- | --- |
//! | `pull_request.required_approvals` | `1` | `2` |
//! | `status_checks.required` |  | + `"dev - lint and test"` |
//!
//! #### + `branches.release` (branch protection)
//!
//! > **Cannot apply:** branch does not exist
//! ```
//!
//! The same content as the text plan: one section a change, with the action's symbol
//! (`+` create, `~` update, `-` delete), one table row a setting. Values are compact JSON in
//! code spans; absent reads `(none)`. Where both sides are lists (sets), the live column
//! lists the items to remove (`-`) and the policy column the items to add (`+`). Backticks
//! get a longer fence and pipes are escaped, so no value can break a table.

use std::io::{self, Write};

use serde_json::Value;

use super::{
    DiffShape, action_symbol, diff_shape, kind_label, printable, reason_of, summary_counts,
};
use crate::plan::{Change, FieldDiff, Plan};

/// Writes the Markdown plan.
pub(super) fn render(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    let repository = code(&plan.repository);
    writeln!(out, "### gh-policy plan for {repository}")?;
    writeln!(out)?;
    if plan.in_sync() {
        return writeln!(out, "No drift: {repository} matches the policy.");
    }
    writeln!(out, "**Plan:** {}.", summary_counts(plan))?;
    for change in &plan.changes {
        write_change(change, out)?;
    }
    Ok(())
}

/// Writes one change's section.
fn write_change(change: &Change, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "#### {} {} ({})",
        action_symbol(change.action),
        code(&change.address),
        kind_label(change.kind),
    )?;
    if !change.diffs.is_empty() {
        writeln!(out)?;
        writeln!(out, "| setting | live | policy |")?;
        writeln!(out, "| --- | --- | --- |")?;
        for diff in &change.diffs {
            write_row(diff, out)?;
        }
    }
    if !change.applicable {
        writeln!(out)?;
        writeln!(
            out,
            "> **Cannot apply:** {}",
            escape_text(&printable(reason_of(change)))
        )?;
    }
    Ok(())
}

/// Writes one table row.
fn write_row(diff: &FieldDiff, out: &mut dyn Write) -> io::Result<()> {
    let (live, policy) = match diff_shape(diff) {
        DiffShape::Set { added, removed } => (items("-", &removed), items("+", &added)),
        DiffShape::Replace => (value(&diff.live), value(&diff.policy)),
    };
    writeln!(
        out,
        "| {} | {} | {} |",
        cell(&code(&diff.path)),
        cell(&live),
        cell(&policy)
    )
}

/// Returns a value for a table cell: compact JSON in a code span, or `(none)`.
fn value(value: &Value) -> String {
    if value.is_null() {
        "(none)".to_owned()
    } else {
        code(&value.to_string())
    }
}

/// Returns list items for a table cell, each marked with `sign`, one a line.
fn items(sign: &str, items: &[&Value]) -> String {
    items
        .iter()
        .map(|item| format!("{sign} {}", code(&item.to_string())))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Returns text as a code span whose fence is longer than any run of backticks inside it,
/// padded with spaces when it starts or ends with a backtick (`CommonMark` strips one space
/// from each side).
fn code(text: &str) -> String {
    let text = printable(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Returns Markdown for a table cell: pipes escaped, which GitHub honours even inside code
/// spans.
fn cell(markdown: &str) -> String {
    markdown.replace('|', "\\|")
}

/// Returns plain text with the characters Markdown would act on escaped.
fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!'
        ) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
