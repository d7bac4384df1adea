//! Marking a plan's drift that active exceptions accept.
//!
//! A difference an active exception covers, whose live value it allows, carries
//! `excepted`; a change whose every difference is excepted (or that the exception names
//! whole) is `Disposition::Excepted`: it is counted apart and `apply` leaves it alone. A difference
//! an expired exception would have covered carries `exception_expired` and counts again.

use time::OffsetDateTime;

use super::{Named, expires_at, resolve};
use crate::model::{Exception, RepoSettings};
use crate::plan::{Disposition, ExceptionNote, Plan};

/// How close to its expiry an exception is worth a warning.
const SOON: time::Duration = time::Duration::days(7);

/// Marks the plan and returns warnings: exceptions about to expire, and active ones that
/// match no drift (stale).
pub fn mark(plan: &mut Plan, policy: &RepoSettings, now: OffsetDateTime) -> Vec<String> {
    let resolved: Vec<(&Exception, Named, Option<OffsetDateTime>)> = policy
        .exceptions
        .iter()
        .filter_map(|e| {
            resolve(&e.path, policy).map(|named| (e, named, expires_at(&e.expires).ok()))
        })
        .collect();
    let active = |until: Option<OffsetDateTime>| until.is_some_and(|until| now < until);
    let mut used = vec![false; resolved.len()];
    for change in &mut plan.changes {
        for diff in &mut change.diffs {
            for (i, (exception, named, until)) in resolved.iter().enumerate() {
                if !named.covers(&change.address, &diff.path) || !exception.allows(&diff.live) {
                    continue;
                }
                let note = ExceptionNote {
                    reason: exception.reason.clone(),
                    expires: exception.expires.clone(),
                };
                if active(*until) {
                    diff.excepted = Some(note);
                    diff.exception_expired = None;
                    used[i] = true;
                    break;
                }
                diff.exception_expired.get_or_insert(note);
            }
        }
        let whole = resolved.iter().enumerate().find(|(_, (_, named, until))| {
            named.address == change.address && named.setting.is_none() && active(*until)
        });
        let excepted = if change.diffs.is_empty() {
            whole.is_some_and(|(_, (exception, _, _))| exception.allows(&serde_json::Value::Null))
        } else {
            change.diffs.iter().all(|d| d.excepted.is_some())
        };
        if !excepted {
            continue;
        }
        let whole = whole.map(|(i, (exception, _, _))| {
            used[i] = true;
            ExceptionNote {
                reason: exception.reason.clone(),
                expires: exception.expires.clone(),
            }
        });
        change.disposition = Disposition::Excepted {
            whole,
            refused: change.refusal().cloned(),
        };
    }
    let mut warnings = Vec::new();
    for ((exception, _, until), used) in resolved.iter().zip(used) {
        let Some(until) = until.filter(|u| now < *u) else {
            continue;
        };
        let path = crate::output::untrusted::quote(&exception.path);
        if until - now <= SOON {
            warnings.push(format!(
                "the exception for {path} expires on {} (in {} days): {}",
                exception.expires,
                (until - now).whole_days(),
                crate::output::untrusted::escape(&exception.reason)
            ));
        }
        if !used {
            warnings.push(format!(
                "the exception for {path} matches no drift (stale): remove it, or check its path and `allow`"
            ));
        }
    }
    warnings
}
