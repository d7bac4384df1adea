//! The plans of an organisation's repositories: a summary table first (repository, status,
//! create, update, delete, findings), then the changes and findings of each repository that
//! drifts or has findings, then the repositories that failed. JSON: `{organization, repositories: [plan…], errors:
//! [{repository, error}]}`, printed whatever the exit code.

use std::io::{self, Write};

use serde_json::json;

use super::{Format, json, markdown, printable, text};
use crate::plan::{OrgPlan, Plan};

/// Writes the organisation's plans in the given format.
pub fn render(plan: &OrgPlan, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => {
            let document = json!({
                "organization": plan.organization,
                "repositories": plan.plans.iter().map(json::value).collect::<Vec<_>>(),
                "errors": plan.errors,
            });
            serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
        }
        Format::Text => {
            writeln!(out, "{}", headline(plan))?;
            writeln!(out)?;
            table(plan, false, out)?;
            for repository in plan.plans.iter().filter(|p| shown(p)) {
                writeln!(out)?;
                text::render(repository, color, out)?;
            }
            for error in &plan.errors {
                writeln!(out, "\nerror: {}", printable(&error.repository))?;
                for line in error.error.lines() {
                    writeln!(out, "  {line}")?;
                }
            }
        }
        Format::Markdown => {
            writeln!(
                out,
                "### gh-policy plan for organisation `{}`",
                printable(&plan.organization)
            )?;
            writeln!(out)?;
            writeln!(out, "{}", headline(plan))?;
            writeln!(out)?;
            table(plan, true, out)?;
            for repository in plan.plans.iter().filter(|p| shown(p)) {
                writeln!(out)?;
                markdown::render(repository, out)?;
            }
            for error in &plan.errors {
                writeln!(
                    out,
                    "\n#### ✗ `{}`\n\n```text\n{}\n```",
                    printable(&error.repository),
                    error.error
                )?;
            }
        }
    }
    out.flush()
}

/// A repository gets its own section when it drifts or has findings.
fn shown(plan: &Plan) -> bool {
    !plan.in_sync() || !plan.findings.is_empty()
}

fn headline(plan: &OrgPlan) -> String {
    let drifting = plan.plans.iter().filter(|p| !p.in_sync()).count();
    format!(
        "{}: {} repositories, {} in sync, {} drift, {} failed.",
        printable(&plan.organization),
        plan.plans.len() + plan.errors.len(),
        plan.plans.len() - drifting,
        drifting,
        plan.errors.len()
    )
}

/// The summary table; Markdown's pipes, or columns aligned with spaces.
fn table(plan: &OrgPlan, markdown: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut rows: Vec<[String; 6]> = plan
        .plans
        .iter()
        .map(|p| {
            let summary = p.summary();
            [
                printable(&p.repository).into_owned(),
                status(p).to_owned(),
                summary.create.to_string(),
                summary.update.to_string(),
                summary.delete.to_string(),
                findings(p),
            ]
        })
        .chain(plan.errors.iter().map(|e| {
            [
                printable(&e.repository).into_owned(),
                "error".to_owned(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ]
        }))
        .collect();
    rows.sort();
    let header = [
        "repository",
        "status",
        "create",
        "update",
        "delete",
        "findings",
    ]
    .map(str::to_owned);
    if markdown {
        writeln!(out, "| {} |", header.join(" | "))?;
        writeln!(out, "|---|---|---:|---:|---:|---:|")?;
        for row in &rows {
            writeln!(out, "| `{}` | {} |", row[0], row[1..].join(" | "))?;
        }
        return Ok(());
    }
    let width = rows
        .iter()
        .chain([&header])
        .map(|r| r[0].chars().count())
        .max()
        .unwrap_or(10);
    for row in [&header].into_iter().chain(&rows) {
        writeln!(
            out,
            "  {:<width$}  {:<8}  {:>6}  {:>6}  {:>6}  {:>8}",
            row[0], row[1], row[2], row[3], row[4], row[5]
        )?;
    }
    Ok(())
}

/// The findings of a repository: how many, with the errors among them (`2, 1 error`).
fn findings(plan: &Plan) -> String {
    if plan.findings.skipped {
        return "-".to_owned();
    }
    match plan.findings.failing() {
        0 => plan.findings.len().to_string(),
        errors => format!(
            "{}, {errors} error{}",
            plan.findings.len(),
            if errors == 1 { "" } else { "s" }
        ),
    }
}

fn status(plan: &Plan) -> &'static str {
    if plan.in_sync() { "in sync" } else { "drift" }
}
