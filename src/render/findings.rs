//! The "Cannot be met" section of the text and Markdown plans (DESIGN §13): each finding
//! with its id, severity, target, sources and what to do, an accepted one with its
//! exception, then what was not judged.

use std::io::{self, Write};

use super::markdown_text::{code, prose};
use super::printable;
use crate::protection::findings::{Finding, Findings, Severity};

/// The section's title.
pub const TITLE: &str = "Cannot be met";

/// Returns the line that counts the findings, when there are some.
pub fn count_line(found: &Findings) -> Option<String> {
    if found.is_empty() {
        return None;
    }
    let errors = found.failing();
    let accepted = found
        .findings
        .iter()
        .filter(|f| f.excepted.is_some())
        .count();
    let warnings = found.len() - errors - accepted;
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(format!(
            "{errors} error{} no pull request can meet (the plan fails like drift)",
            plural(errors)
        ));
    }
    if warnings > 0 {
        parts.push(format!("{warnings} warning{}", plural(warnings)));
    }
    if accepted > 0 {
        parts.push(format!("{accepted} accepted by exceptions"));
    }
    Some(format!("Findings: {}.", parts.join(", ")))
}

/// Writes the section as text.
pub fn text(found: &Findings, out: &mut dyn Write) -> io::Result<()> {
    if found.is_empty() && found.notes.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    if !found.is_empty() {
        writeln!(out, "{TITLE}:")?;
    }
    for finding in &found.findings {
        writeln!(
            out,
            "  {} {}: {} ({}){}",
            mark(finding),
            printable(&finding.target),
            finding.id,
            finding.severity.as_str(),
            accepted(finding)
        )?;
        writeln!(out, "      {}", printable(&finding.message))?;
        writeln!(
            out,
            "      sources: {}",
            printable(&finding.sources.join(", "))
        )?;
        writeln!(out, "      to do: {}", printable(&finding.fix))?;
    }
    for note in &found.notes {
        writeln!(out, "  ? not judged: {}", printable(note))?;
    }
    if let Some(line) = count_line(found) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Writes the section as Markdown.
pub fn markdown(found: &Findings, out: &mut dyn Write) -> io::Result<()> {
    if found.is_empty() && found.notes.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "#### {TITLE}")?;
    writeln!(out)?;
    for finding in &found.findings {
        writeln!(
            out,
            "- {} {} `{}` ({}){}: {} Sources: {}. To do: {}.",
            mark(finding),
            code(&finding.target),
            finding.id,
            finding.severity.as_str(),
            prose(&accepted(finding)),
            prose(&finding.message),
            prose(&finding.sources.join(", ")),
            prose(&finding.fix)
        )?;
    }
    for note in &found.notes {
        writeln!(out, "- Not judged: {}", prose(note))?;
    }
    if let Some(line) = count_line(found) {
        writeln!(out)?;
        writeln!(out, "**{line}**")?;
    }
    Ok(())
}

fn mark(finding: &Finding) -> &'static str {
    match (finding.severity, &finding.excepted) {
        (_, Some(_)) => "✓",
        (Severity::Error, None) => "✗",
        (Severity::Warning, None) => "!",
    }
}

fn accepted(finding: &Finding) -> String {
    finding.excepted.as_ref().map_or(String::new(), |note| {
        format!(" — accepted until {}: {}", note.expires, note.reason)
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
