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
//!
//! #### ~ `environments.staging.variables.HEALTH_URL` (variable)
//!
//! | setting | live | policy |
//! | --- | --- | --- |
//! | `value` | `"https://staging.example.com/health"` | `"https://staging.example.com/{+api/+}health"` |
//!
//! #### + `environments.staging.secrets.SSH_PRIVATE_KEY` (secret)
//!
//! > **Note:** value from environment variable `STAGING_SSH_KEY`
//! ```
//!
//! The same content as the text plan: one section a change, with the action's symbol
//! (`+` create, `~` update, `-` delete), one table row a setting. Values are compact JSON in
//! code spans; absent reads `(none)`. Where both sides are lists (sets), the live column
//! lists the items to remove (`-`) and the policy column the items to add (`+`). Two long
//! strings with much in common are each shown with their own changed words marked, the
//! live value's as `[-removed-]`, the policy's as `{+added+}` (see `inline`). A change's
//! note (where a secret's value comes from) is a quote after its table. Backticks get a
//! longer fence and pipes are escaped, so no value can break a table. A change or setting
//! that weakens protection is marked `⚠ weakens` and the plan ends with a line counting those
//! changes; a setting an exception accepts says so under its name (`accepted until DATE:
//! REASON`, or `exception expired DATE: REASON`).

use std::io::{self, Write};

use serde_json::Value;

use super::inline::{self, PartKind};
use super::markdown_text::{code, prose};
use super::{
    DiffShape, WEAKENS, action_symbol, diff_shape, exception_words, kind_label, summary_counts,
    weakening_line,
};
use crate::plan::{Change, FieldDiff, Plan};

/// Writes the Markdown plan.
pub(super) fn render(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    let repository = code(&plan.repository);
    writeln!(out, "### gh-policy plan for {repository}")?;
    writeln!(out)?;
    if plan.in_sync() {
        writeln!(out, "No drift: {repository} matches the policy.")?;
        return super::findings::markdown(&plan.findings, out);
    }
    writeln!(out, "**Plan:** {}.", summary_counts(plan))?;
    for change in &plan.changes {
        write_change(change, out)?;
    }
    if let Some(line) = weakening_line(plan) {
        writeln!(out)?;
        writeln!(out, "**⚠ {line}**")?;
    }
    super::findings::markdown(&plan.findings, out)
}

/// Writes one change's section.
fn write_change(change: &Change, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "#### {} {} ({}){}",
        action_symbol(change.action),
        code(&change.address.to_string()),
        kind_label(change.kind()),
        if change.weakens() {
            format!(" {WEAKENS}")
        } else {
            String::new()
        },
    )?;
    if !change.diffs.is_empty() {
        writeln!(out)?;
        writeln!(out, "| setting | live | policy |")?;
        writeln!(out, "| --- | --- | --- |")?;
        for diff in &change.diffs {
            write_row(
                diff,
                crate::protection::weakening::diff_weakens(change, diff),
                out,
            )?;
        }
    }
    if let Some(words) = exception_words(change.accepted_whole(), None) {
        writeln!(out)?;
        writeln!(out, "> {}", prose(&words))?;
    }
    if let Some(note) = &change.note {
        writeln!(out)?;
        writeln!(out, "> **Note:** {}", prose(note))?;
    }
    if let Some(refusal) = change.refusal() {
        writeln!(out)?;
        writeln!(out, "> **Cannot apply:** {}", prose(refusal.words()))?;
    }
    Ok(())
}

/// Writes one table row: the setting, marked when it weakens protection and followed by
/// what an exception says of it, then the two sides.
fn write_row(diff: &FieldDiff, weakens: bool, out: &mut dyn Write) -> io::Result<()> {
    let (live, policy) = match diff_shape(diff) {
        DiffShape::Set { added, removed } => (items("-", &removed), items("+", &added)),
        DiffShape::Words(parts) => (
            side(&parts, PartKind::Removed),
            side(&parts, PartKind::Added),
        ),
        DiffShape::Replace => (value(&diff.live), value(&diff.policy)),
    };
    let mut setting = code(&diff.path.to_string());
    if weakens {
        setting.push(' ');
        setting.push_str(WEAKENS);
    }
    if let Some(words) = exception_words(diff.excepted.as_ref(), diff.exception_expired.as_ref()) {
        setting.push_str("<br>");
        setting.push_str(&prose(&words));
    }
    writeln!(
        out,
        "| {} | {} | {} |",
        cell(&setting),
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

/// Returns one side of a word diff as a quoted string in a code span: the unchanged runs
/// and the runs of `kind`, marked.
fn side(parts: &[inline::Part], kind: PartKind) -> String {
    let text: String = parts
        .iter()
        .filter(|part| part.kind == PartKind::Same || part.kind == kind)
        .map(inline::marked)
        .collect();
    code(&format!("\"{text}\""))
}

/// Returns list items for a table cell, each marked with `sign`, one a line.
fn items(sign: &str, items: &[&Value]) -> String {
    items
        .iter()
        .map(|item| format!("{sign} {}", code(&item.to_string())))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Returns Markdown for a table cell: pipes escaped, which GitHub honours even inside code
/// spans.
fn cell(markdown: &str) -> String {
    markdown.replace('|', "\\|")
}
