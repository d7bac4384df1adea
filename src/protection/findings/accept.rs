//! `exceptions` that accept a finding until a date (`finding: ID`, `target: …`, DESIGN §13):
//! an accepted error finding no longer fails the gate; past `expires` it does again.

use time::OffsetDateTime;

use super::{FindingId, Findings};
use crate::model::ExceptionNote;
use crate::model::RepoSettings;
use crate::output::untrusted::{escape, quote};
use crate::plan::exceptions::expires_at;

/// Marks the findings active exceptions accept, and returns the warnings: an exception that
/// expired (its finding counts again) or accepts nothing (stale).
pub fn accept(findings: &mut Findings, policy: &RepoSettings, now: OffsetDateTime) -> Vec<String> {
    let mut warnings = Vec::new();
    if findings.skipped {
        return warnings;
    }
    for exception in &policy.exceptions {
        let (Some(id), Some(target)) = (
            exception.finding.as_deref().and_then(FindingId::parse),
            exception.target.as_deref(),
        ) else {
            continue;
        };
        let active = expires_at(&exception.expires).is_ok_and(|until| now < until);
        let mut matched = false;
        for finding in findings
            .findings
            .iter_mut()
            .filter(|f| f.id == id && f.target == target)
        {
            matched = true;
            if active {
                finding.excepted = Some(ExceptionNote {
                    reason: exception.reason.clone(),
                    expires: exception.expires.clone(),
                });
            }
        }
        let what = quote(&format!("{id} on {target}"));
        match (active, matched) {
            (false, true) => warnings.push(format!(
                "the exception for {what} expired on {}: the finding counts again",
                escape(&exception.expires)
            )),
            (true, false) => warnings.push(format!(
                "the exception for {what} matches no finding (stale): remove it, or check its `finding` and `target`"
            )),
            _ => {}
        }
    }
    warnings
}
