//! The rate-budget check of an organisation run: before any repository is read, the
//! estimate of the run's requests (`org::budget`) is compared with what `GET /rate_limit`
//! (free) says is left; a run that cannot finish stops up front with the reset time, how
//! many repositories fit and which shards would, unless `--force`.

use crate::error::Error;
use crate::github::api::reads;
use crate::github::wire::rate_limit::RateLimit;
use crate::github::{ApiErrorKind, RestReader};
use crate::org::budget::Estimate;

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

/// Checks that the rest of the run fits in the budget left, what it read once (the
/// repository list, properties, the organisation's rulesets) already spent: when it does
/// not, says how many repositories fit and which shards would, before any repository is
/// read.
pub fn check(
    limit: Option<RateLimit>,
    estimate: &Estimate,
    shard: Option<(u32, u32)>,
) -> Result<(), Error> {
    let Some(limit) = limit else {
        return Ok(());
    };
    let needed = estimate.repositories();
    if needed <= limit.remaining {
        return Ok(());
    }
    let fit = estimate.fitting(limit.remaining);
    let mut error = Error::new(format!(
        "this run may need {needed} more requests for {} ({} answered for free, from the cache or GraphQL), and {} of {} are left until {}: {} fit",
        count(estimate.per_repository.len(), "repository", "repositories"),
        estimate.cached,
        limit.remaining,
        limit.limit,
        reset_time(limit.reset),
        count(fit, "repository", "repositories"),
    ))
    .detail("no repository was read through REST, nothing was written");
    // A shard job reads what this run read once again.
    let shards = estimate.shards_fitting(limit.remaining);
    error = match (shards, shard) {
        (Some((shards, most)), None) => error.with_hint(format!(
            "plan a share that fits: --shard 1/{shards} … --shard {shards}/{shards} each need at most {most} requests (run them one after another, or after the reset)"
        )),
        (Some((shards, _)), Some((_, of))) => error.with_hint(format!(
            "this share is too large: split the organisation into more shards (about {} in all)",
            u64::from(shards) * u64::from(of)
        )),
        (None, _) if fit == 0 => {
            error.with_hint("not even one repository fits: run again after the reset")
        }
        (None, _) => error.with_hint(
            "no share of the organisation fits: plan a few repositories with --repo NAME, or run again after the reset",
        ),
    };
    Err(error.with_hint("or pass --force to go on (answers the cache holds cost nothing)"))
}

/// The estimate as `-v` shows it: what the run spends, and what the cache saves.
pub fn describe(estimate: &Estimate) -> String {
    format!(
        "rate budget: this run needs an estimated {} requests for {} ({} once, {} answered for free, from the cache or GraphQL)",
        estimate.requests(),
        count(estimate.per_repository.len(), "repository", "repositories"),
        estimate.once,
        estimate.cached
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
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
