//! The sender's waits: the pace between writes, a rate limit GitHub reported, the pause
//! before a retry, the points budget of an endpoint, and the overall deadline they all
//! answer to.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::Method;
use tokio::time::Instant;

use super::super::points::{self, FirstWait, Reservation};
use super::super::rate_limit::{self, Limit, RateLimited};
use super::Sender;
use crate::github::error::{ApiError, ApiErrorKind, Cause};

impl Sender {
    /// Waits until `method template` has room for this request's points and reserves them
    /// (nothing when pacing is off). A wait that would outlast the overall timeout fails at
    /// once. The first wait on each endpoint is logged under `-v`.
    pub(super) async fn reserve_points(
        &self,
        method: &Method,
        template: &str,
        call: &str,
    ) -> Result<Option<Reservation<'_>>, ApiError> {
        let Some(budget) = &self.points else {
            return Ok(None);
        };
        let endpoint = format!("{method} {template}");
        let (limit, window) = budget.budget();
        let log_wait = |first: FirstWait| {
            if self.config.verbose {
                let how_long = first.wait.map_or_else(
                    || "until requests in flight are answered".to_owned(),
                    |wait| format!("{} ms", wait.as_millis()),
                );
                self.config.log.line(&format!(
                    "pacing {endpoint}: {} of {limit} points spent in the last {} s (GitHub's secondary limit); waiting {how_long}",
                    first.used,
                    window.as_secs()
                ));
            }
        };
        budget
            .reserve(
                &endpoint,
                points::cost(method, template),
                || self.remaining(),
                log_wait,
            )
            .await
            .map(Some)
            .map_err(|too_long| {
                ApiError::new(ApiErrorKind::Deadline, call)
                    .with_detail(format!(
                        "{endpoint} has spent {} of its {limit} points per {} s; the wait of at least {} s for them to free would outlast the overall --timeout of {} s",
                        too_long.used,
                        window.as_secs(),
                        too_long.wait.as_secs().max(1),
                        self.overall_secs()
                    ))
                    .with_hint("raise --timeout, or try again later")
            })
    }

    /// Waits until the write pace has passed since the previous write, then records this one.
    pub(super) async fn pace(&self) {
        let mut last = self.last_write.lock().await;
        if let Some(at) = *last {
            let ready = at + self.config.write_pace;
            if ready > Instant::now() {
                tokio::time::sleep_until(ready).await;
            }
        }
        *last = Some(Instant::now());
    }

    /// Waits for a rate limit to reset, or returns the error to stop with when the wait
    /// would be longer than allowed or outlast the overall timeout.
    pub(super) async fn wait_for_rate_limit(
        &self,
        limited: &RateLimited,
        call: &str,
    ) -> Result<(), ApiError> {
        let kind = match limited.limit {
            Limit::Primary => "primary",
            Limit::Secondary => "secondary",
        };
        let when = limited.reset.map_or_else(String::new, |reset| {
            format!(" (resets at {})", rate_limit::format_epoch(reset))
        });
        let secs = limited.wait.as_secs().max(1);
        if limited.wait > self.config.max_rate_limit_wait {
            return Err(ApiError::new(ApiErrorKind::RateLimited, call)
                .with_detail(format!(
                    "GitHub's {kind} rate limit is exhausted{when}: {}",
                    crate::untrusted::escape(&limited.message)
                ))
                .with_hint(format!(
                    "try again in {secs} s, or use a token with a higher limit; gh-policy waits at most {} s (--max-rate-limit-wait)",
                    self.config.max_rate_limit_wait.as_secs()
                )));
        }
        if self.remaining().is_some_and(|left| left <= limited.wait) {
            return Err(ApiError::new(ApiErrorKind::RateLimited, call)
                .with_detail(format!(
                    "GitHub asks to wait {secs} s for its {kind} rate limit, past the overall --timeout of {} s",
                    self.overall_secs()
                ))
                .with_hint("try again later, or raise --timeout"));
        }
        self.config.log.line(&format!(
            "rate limited on {call}; waiting {secs} s as GitHub asks"
        ));
        tokio::time::sleep(limited.wait).await;
        Ok(())
    }

    /// Sleeps before retry number `attempt` of a read, or returns the overall-timeout error
    /// when the pause would outlast it.
    pub(super) async fn pause_before_retry(
        &self,
        attempt: u32,
        call: &str,
        reason: &str,
    ) -> Result<(), ApiError> {
        let base = self
            .config
            .retry_base_delay
            .saturating_mul(1 << (attempt - 1).min(6));
        // Jitter keeps several clients from retrying in step.
        let delay = base.mul_f64(0.5 + jitter() * 0.5);
        if self.remaining().is_some_and(|left| left <= delay) {
            let mut err = self.out_of_time(call);
            err.cause = Some(Box::new(Cause::Detail(format!(
                "the overall --timeout of {} s ran out; the last attempt failed with: {reason}",
                self.overall_secs()
            ))));
            return Err(err);
        }
        self.config.log.line(&format!(
            "{call} failed ({reason}); retrying in {} ms (attempt {} of {})",
            delay.as_millis(),
            attempt + 1,
            self.config.read_retries + 1
        ));
        tokio::time::sleep(delay).await;
        Ok(())
    }

    pub(super) fn remaining(&self) -> Option<Duration> {
        let deadline = self.deadline.lock().map_or(None, |guard| *guard);
        deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()))
    }

    pub(super) fn overall_secs(&self) -> u64 {
        self.config.overall_timeout.map_or(0, |t| t.as_secs())
    }

    pub(super) fn out_of_time(&self, call: &str) -> ApiError {
        ApiError::new(ApiErrorKind::Deadline, call).with_detail(format!(
            "the overall --timeout of {} s ran out",
            self.overall_secs()
        ))
    }
}

/// A number in [0, 1) that differs between calls; good enough for retry jitter.
fn jitter() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    f64::from(nanos % 1000) / 1000.0
}
