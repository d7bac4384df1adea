//! `validate`'s findings (DESIGN §13): the offline ones, located at their policy line.

use std::io::{self, Write};

use crate::model::RepoSettings;
use crate::policy::SourceMap;
use crate::protection::findings::{self, Finding, Findings, Severity};

/// Writes the findings the policy alone shows on `err`, each at the policy line it is about,
/// with the exceptions that accept them applied; returns how many fail (errors no active
/// exception accepts).
pub fn report_offline(
    settings: &RepoSettings,
    map: &SourceMap,
    display: &str,
    now: time::OffsetDateTime,
    err: &mut dyn Write,
) -> io::Result<usize> {
    let mut found = Findings {
        findings: findings::offline::findings(settings),
        ..Findings::default()
    };
    found.sort();
    // Validate says nothing of stale exceptions for findings: only plan sees them all.
    let _ = findings::accept::accept(&mut found, settings, now);
    for finding in &found.findings {
        let place = locate(finding, map).map_or_else(
            || display.to_owned(),
            |(line, column)| format!("{display}:{line}:{column}"),
        );
        let level = match (finding.severity, &finding.excepted) {
            (Severity::Error, None) => "error",
            _ => "warning",
        };
        let accepted = finding.excepted.as_ref().map_or(String::new(), |note| {
            format!(
                " (accepted until {}: {})",
                note.expires,
                crate::output::untrusted::escape(&note.reason)
            )
        });
        writeln!(
            err,
            "{level}: {place}: [{}] {}: {}; {}{accepted}",
            finding.id, finding.target, finding.message, finding.fix
        )?;
    }
    Ok(found.failing())
}

/// Returns the line of the policy a finding is about: its target, else the requirement of
/// the same branch.
fn locate(finding: &Finding, map: &SourceMap) -> Option<(usize, usize)> {
    let setting = match finding.id {
        findings::FindingId::SoleReviewerSelfReview => {
            format!("{}.prevent_self_review", finding.target)
        }
        _ => finding.target.clone(),
    };
    if map.contains(&setting) {
        return map.locate(&setting);
    }
    let branch = finding.target.strip_prefix("branches.")?;
    let requirement = format!("requirements.{branch}");
    map.contains(&requirement)
        .then(|| map.locate(&requirement))
        .flatten()
}
