//! The sender's waits: the pace between writes, a rate limit GitHub reported, the pause
//! before a retry, the points budget of an endpoint, and the overall deadline they all
//! answer to.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::Method;
use tokio::time::Instant;

use super::super::points::{self, FirstWait, Reservation};
use super::super::rate_limit::{self, Halt, Limit, RateLimited};
use super::Sender;
use crate::github::error::{ApiError, ApiErrorKind, Call, Cause};

impl Sender {
    /// Waits until `method template` has room for this request's points and reserves them
    /// (nothing when pacing is off). A wait that would outlast the overall timeout fails at
    /// once. The first wait on each endpoint is logged under `-v`.
    pub(super) async fn reserve_points(
        &self,
        method: &Method,
        template: &str,
        call: &Call,
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

    /// Waits until the write pace has passed since the previous write, then records this one;
    /// a pause that would outlast the overall timeout fails at once instead.
    pub(super) async fn pace(&self, call: &Call) -> Result<(), ApiError> {
        let mut last = self.last_write.lock().await;
        if let Some(at) = *last {
            let ready = at.checked_add(self.config.write_pace);
            let past_deadline = |ready: Instant| {
                self.remaining()
                    .is_some_and(|left| Instant::now() + left < ready)
            };
            match ready {
                Some(ready) if !past_deadline(ready) => {
                    if ready > Instant::now() {
                        tokio::time::sleep_until(ready).await;
                    }
                }
                _ => {
                    return Err(ApiError::new(ApiErrorKind::Deadline, call)
                        .with_detail(format!(
                            "the pause of {} ms between writes (--write-delay-ms) would outlast the overall --timeout of {} s; nothing more was written",
                            self.config.write_pace.as_millis(),
                            self.overall_secs()
                        ))
                        .with_hint("shorten --write-delay-ms, or raise --timeout"));
                }
            }
        }
        *last = Some(Instant::now());
        Ok(())
    }

    /// Waits for a rate limit to reset, every other request of the client pausing with it;
    /// or, when the wait would be longer than allowed or outlast the overall timeout, halts
    /// the client (nothing more is sent) and returns the error to stop with.
    pub(super) async fn wait_for_rate_limit(
        &self,
        limited: &RateLimited,
        call: &Call,
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
            let halt = self.halt_at(call, limited);
            return Err(ApiError::new(ApiErrorKind::RateLimited, call)
                .with_detail(format!(
                    "GitHub's {kind} rate limit is exhausted{when}: {}; gh-policy sends nothing more",
                    crate::output::untrusted::escape(&limited.message)
                ))
                .with_hint(format!(
                    "try again in {secs} s (after {}), or use a token with a higher limit; gh-policy waits at most {} s (--max-rate-limit-wait)",
                    rate_limit::format_epoch(halt.retry_at),
                    self.config.max_rate_limit_wait.as_secs()
                )));
        }
        if self.remaining().is_some_and(|left| left <= limited.wait) {
            let halt = self.halt_at(call, limited);
            return Err(ApiError::new(ApiErrorKind::RateLimited, call)
                .with_detail(format!(
                    "GitHub asks to wait {secs} s for its {kind} rate limit, past the overall --timeout of {} s; gh-policy sends nothing more",
                    self.overall_secs()
                ))
                .with_hint(format!(
                    "try again in {secs} s (after {}), or raise --timeout",
                    rate_limit::format_epoch(halt.retry_at)
                )));
        }
        self.config.log.line(&format!(
            "rate limited on {call}; waiting {secs} s as GitHub asks"
        ));
        let until = Instant::now() + limited.wait;
        self.config.run.pause_until(until);
        tokio::time::sleep_until(until).await;
        Ok(())
    }

    /// Records that the client stops at this rate limit (the first one to stop it is kept)
    /// and returns the halt in force.
    fn halt_at(&self, call: &Call, limited: &RateLimited) -> Halt {
        self.config.run.halt(Halt::new(call, limited))
    }

    /// Returns why the run stopped sending, if it did.
    pub(in crate::github::client) fn halted(&self) -> Option<Halt> {
        self.config.run.halted()
    }

    /// Refuses a request, unsent, once the client has halted at a rate limit.
    pub(super) fn refuse_when_halted(&self, call: &Call) -> Result<(), ApiError> {
        match self.halted() {
            None => Ok(()),
            Some(halt) => Err(ApiError::new(ApiErrorKind::RateLimited, call)
                .with_detail(format!("not sent: {}", halt.sentence()))
                .with_hint(format!(
                    "try again after {}",
                    rate_limit::format_epoch(halt.retry_at)
                ))),
        }
    }

    /// Waits while the client is paused for a rate limit another request met, unless the
    /// pause would outlast the overall timeout.
    pub(super) async fn wait_out_pause(&self, call: &Call) -> Result<(), ApiError> {
        let Some(until) = self.config.run.paused_until() else {
            return Ok(());
        };
        if self
            .remaining()
            .is_some_and(|left| Instant::now() + left <= until)
        {
            return Err(self.out_of_time(call));
        }
        tokio::time::sleep_until(until).await;
        Ok(())
    }

    /// Sleeps before retry number `attempt` of a read, or returns the overall-timeout error
    /// when the pause would outlast it.
    pub(super) async fn pause_before_retry(
        &self,
        attempt: u32,
        call: &Call,
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
        self.config.run.remaining()
    }

    pub(super) fn overall_secs(&self) -> u64 {
        self.config.overall_timeout.map_or(0, |t| t.as_secs())
    }

    pub(super) fn out_of_time(&self, call: &Call) -> ApiError {
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
