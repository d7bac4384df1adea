//! The rate-budget check of an organisation run: before any repository is read, the
//! estimate of the run's requests is compared with what `GET /rate_limit` (free) says is
//! left; a run that cannot finish stops up front with the reset time, unless `--force`.

use crate::error::Error;
use crate::github::api::reads;
use crate::github::wire::rate_limit::RateLimit;
use crate::github::{ApiErrorKind, RestReader};
use crate::org::budget::requests_for_run;
use crate::org::run::Target;

/// Reads the budget left (`GET /rate_limit`, free); `None` with `--force`, or where there
/// is no rate limit (GitHub Enterprise Server without one answers 404).
pub async fn rate_limit_left(github: &RestReader, force: bool) -> Result<Option<RateLimit>, Error> {
    if force {
        return Ok(None);
    }
    match github.read(reads::rate_limit()).await {
        Ok(limit) => Ok(Some(limit)),
        Err(err) if err.kind == ApiErrorKind::NotFound => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// Checks that the run fits in the budget left.
pub fn check(limit: Option<RateLimit>, targets: &[Target]) -> Result<(), Error> {
    let Some(limit) = limit else {
        return Ok(());
    };
    let estimate = requests_for_run(targets.len(), 0, targets.iter().map(|t| &t.settings));
    if estimate <= limit.remaining {
        return Ok(());
    }
    Err(Error::new(format!(
        "this run may need {estimate} requests for {} repositories, and {} of {} are left until {}",
        targets.len(),
        limit.remaining,
        limit.limit,
        reset_time(limit.reset)
    ))
    .detail("no repository was read, nothing was written")
    .with_hint("run again after the reset, plan a share with --shard I/N, or pass --force to go on (cached answers do not count)"))
}

/// The reset as a UTC time, e.g. `2026-12-02T10:15:00Z`.
fn reset_time(unix_seconds: u64) -> String {
    i64::try_from(unix_seconds)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("{unix_seconds} (Unix time)"))
}
