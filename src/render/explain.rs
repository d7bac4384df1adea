//! `explain`'s report as text and JSON.

use std::io::{self, Write};

use crate::output::untrusted::escape;
use crate::protection::effective::explain::{ExplainedSetting, Explanation};

/// Writes the report as text: per branch, each setting with `←` and its sources.
pub fn text(explanation: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "Effective protection of {}:",
        escape(&explanation.repository)
    )?;
    for branch in &explanation.branches {
        let exists = if branch.exists {
            ""
        } else {
            " (does not exist yet)"
        };
        writeln!(out, "\n{}{exists}", escape(&branch.branch))?;
        if branch.settings.is_empty() {
            writeln!(out, "  nothing protects it")?;
        }
        settings(&branch.settings, "  ", out)?;
        for what in &branch.not_readable {
            writeln!(out, "  ? not readable with this token: {}", escape(what))?;
        }
        if !branch.evaluate_only.is_empty() {
            writeln!(out, "  evaluate mode only (reported, not enforced):")?;
            settings(&branch.evaluate_only, "    ", out)?;
        }
        if let Some(answer) = &branch.pull_request {
            writeln!(
                out,
                "  Can a pull request merge into {}? {}. It must have:",
                escape(&branch.branch),
                if answer.can_merge { "yes" } else { "no" }
            )?;
            for line in &answer.must_have {
                writeln!(out, "    - {}", escape(line))?;
            }
        }
        for finding in &branch.findings {
            let mark = match (finding.severity, &finding.excepted) {
                (crate::protection::findings::Severity::Error, None) => "✗",
                _ => "!",
            };
            writeln!(
                out,
                "  {mark} {} ({}): {}",
                finding.id,
                finding.severity.as_str(),
                escape(&finding.message)
            )?;
            writeln!(out, "      to do: {}", escape(&finding.fix))?;
        }
    }
    for note in &explanation.finding_notes {
        writeln!(out, "\n? not judged: {}", escape(note))?;
    }
    out.flush()
}

fn settings(list: &[ExplainedSetting], indent: &str, out: &mut dyn Write) -> io::Result<()> {
    for setting in list {
        writeln!(
            out,
            "{indent}{}: {}  ← {}",
            setting.setting,
            setting.value,
            setting.sources.join(", ")
        )?;
    }
    Ok(())
}

/// Writes the report as pretty JSON with a final newline.
pub fn json(explanation: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, explanation).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}
