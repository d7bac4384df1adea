//! The text plan, for people at a terminal, in the spirit of `terraform plan`.
//!
//! ```text
//! Drift between acme/katz-backend and the policy:
//!
//! ~ branches.main (branch protection)
//!     pull_request.required_approvals: 1 → 2
//!     status_checks.required: + "dev - lint and test"
//!
//! + branches.release (branch protection)
//!     pull_request.required_approvals: (none) → 2
//!     ! cannot apply: branch does not exist
//!
//! ~ environments.staging.variables.HEALTH_URL (variable)
//!     value: "https://staging.example.com/{+api/+}health"
//!
//! + environments.staging.secrets.SSH_PRIVATE_KEY (secret)
//!     note: value from environment variable `STAGING_SSH_KEY`
//!
//! Plan: 1 to create, 1 to update, 0 to delete (1 cannot be applied).
//! ```
//!
//! A change or a setting that weakens protection ends with `⚠ weakens`, and the plan with a
//! line counting those changes (DESIGN §11). A setting an exception accepts is followed by
//! `accepted until DATE: REASON`, one whose exception has expired by `exception expired
//! DATE: REASON`.
//!
//! One block a change: its symbol (`+` create, `~` update, `-` delete), address and kind,
//! then one line a setting, `live → policy` as compact JSON (`(none)` for absent). Where
//! both sides are lists, which GitHub treats as sets, the items to add (`+`) and remove
//! (`-`) are listed instead. Two long strings with much in common are shown once, with the
//! changed words marked `[-removed-]` and `{+added+}` (see `inline`); any other value too
//! long for one line goes on two, `- live` and `+ policy`. A change's note (where a secret's
//! value comes from) follows its settings. Colour comes only from the `Styles` table, is
//! entirely absent when off, and never replaces a mark: stripped of colour, the coloured
//! plan is the plain one.

use std::io::{self, Write};

use console::Style;

use super::inline::{self, PartKind};
use super::{
    DiffShape, WEAKENS, action_symbol, compact, diff_shape, exception_words, kind_label, printable,
    summary_counts, weakening_line,
};
use crate::plan::{Action, Change, FieldDiff, Plan};

/// Lines longer than this (in characters) show the two values on lines of their own.
const MAX_LINE: usize = 100;

/// The indentation of a change's settings.
const INDENT: &str = "    ";

/// Every colour the text plan uses, by what the text is.
struct Styles {
    /// The header and the summary line.
    heading: Style,
    /// A change's address.
    address: Style,
    /// The symbol of a creation, and items or values being added.
    create: Style,
    /// The symbol of an update.
    update: Style,
    /// The symbol of a deletion, and items or values being removed.
    delete: Style,
    /// The `! cannot apply:` marker.
    warning: Style,
    /// Why a change cannot be applied, and notes.
    reason: Style,
}

impl Styles {
    /// Returns the styles, all of them plain when `color` is false, whatever the terminal.
    fn new(color: bool) -> Self {
        let style = || Style::new().force_styling(color);
        Self {
            heading: style().bold(),
            address: style().bold(),
            create: style().green(),
            update: style().yellow(),
            delete: style().red(),
            warning: style().red().bold(),
            reason: style().dim(),
        }
    }

    /// Returns the style of an action's symbol.
    fn action(&self, action: Action) -> &Style {
        match action {
            Action::Create => &self.create,
            Action::Update => &self.update,
            Action::Delete => &self.delete,
        }
    }
}

/// Writes the text plan.
pub(super) fn render(plan: &Plan, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let styles = Styles::new(color);
    let repository = printable(&plan.repository);
    if plan.in_sync() {
        let line = format!("No drift: {repository} matches the policy.");
        writeln!(out, "{}", styles.heading.apply_to(line))?;
        return super::findings::text(&plan.findings, out);
    }
    let header = format!("Drift between {repository} and the policy:");
    writeln!(out, "{}", styles.heading.apply_to(header))?;
    for change in &plan.changes {
        writeln!(out)?;
        write_change(change, &styles, out)?;
    }
    writeln!(out)?;
    let summary = format!("Plan: {}.", summary_counts(plan));
    writeln!(out, "{}", styles.heading.apply_to(summary))?;
    if let Some(line) = weakening_line(plan) {
        writeln!(out, "{}", styles.warning.apply_to(format!("⚠ {line}")))?;
    }
    super::findings::text(&plan.findings, out)
}

/// Writes one change's block.
fn write_change(change: &Change, styles: &Styles, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} {} ({}){}",
        styles
            .action(change.action)
            .apply_to(action_symbol(change.action)),
        styles
            .address
            .apply_to(printable(&change.address.to_string())),
        kind_label(change.kind()),
        weakens_mark(change.weakens(), styles),
    )?;
    for diff in &change.diffs {
        let mark = weakens_mark(
            crate::protection::weakening::diff_weakens(change, diff),
            styles,
        );
        write_diff(diff, &mark, styles, out)?;
        if let Some(words) =
            exception_words(diff.excepted.as_ref(), diff.exception_expired.as_ref())
        {
            writeln!(out, "{INDENT}  {}", styles.reason.apply_to(words))?;
        }
    }
    if let Some(words) = exception_words(change.accepted_whole(), None) {
        writeln!(out, "{INDENT}{}", styles.reason.apply_to(words))?;
    }
    if let Some(note) = &change.note {
        let note = format!("note: {}", printable(note));
        writeln!(out, "{INDENT}{}", styles.reason.apply_to(note))?;
    }
    if let Some(refusal) = change.refusal() {
        writeln!(
            out,
            "{INDENT}{} {}",
            styles.warning.apply_to("! cannot apply:"),
            styles.reason.apply_to(printable(refusal.words())),
        )?;
    }
    Ok(())
}

/// Returns the mark that ends the line of a change or a setting that weakens protection.
fn weakens_mark(weakens: bool, styles: &Styles) -> String {
    if weakens {
        format!("  {}", styles.warning.apply_to(WEAKENS))
    } else {
        String::new()
    }
}

/// Writes the lines of one setting, each ending with `mark`.
fn write_diff(
    diff: &FieldDiff,
    mark: &str,
    styles: &Styles,
    out: &mut dyn Write,
) -> io::Result<()> {
    let path = diff.path.to_string();
    let path = printable(&path);
    match diff_shape(diff) {
        DiffShape::Set { added, removed } => {
            for item in added {
                let item = format!("+ {item}");
                writeln!(
                    out,
                    "{INDENT}{path}: {}{mark}",
                    styles.create.apply_to(item)
                )?;
            }
            for item in removed {
                let item = format!("- {item}");
                writeln!(
                    out,
                    "{INDENT}{path}: {}{mark}",
                    styles.delete.apply_to(item)
                )?;
            }
            Ok(())
        }
        DiffShape::Words(parts) => {
            let mut line = String::new();
            for part in &parts {
                let text = inline::marked(part);
                match part.kind {
                    PartKind::Same => line.push_str(&text),
                    PartKind::Removed => line.push_str(&styles.delete.apply_to(text).to_string()),
                    PartKind::Added => line.push_str(&styles.create.apply_to(text).to_string()),
                }
            }
            writeln!(out, "{INDENT}{path}: \"{line}\"{mark}")
        }
        DiffShape::Replace => {
            let live = compact(&diff.live);
            let policy = compact(&diff.policy);
            let width = INDENT.len() + path.chars().count() + live.chars().count() + 5;
            if width + policy.chars().count() <= MAX_LINE {
                writeln!(out, "{INDENT}{path}: {live} → {policy}{mark}")
            } else {
                writeln!(out, "{INDENT}{path}:{mark}")?;
                let live = format!("- {live}");
                let policy = format!("+ {policy}");
                writeln!(out, "{INDENT}  {}", styles.delete.apply_to(live))?;
                writeln!(out, "{INDENT}  {}", styles.create.apply_to(policy))
            }
        }
    }
}
