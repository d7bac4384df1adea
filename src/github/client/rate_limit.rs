//! GitHub's rate limits, read from an answer: whether it is one, and how long to wait.
//!
//! Primary limit: `403`/`429` with `x-ratelimit-remaining: 0`; wait until `x-ratelimit-reset`.
//! Secondary limit: `403`/`429` whose documentation link or message says so, and any other
//! `429` (Too Many Requests, whoever sent it); honour `retry-after` (seconds or an HTTP
//! date), else wait for the reset when nothing remains, else a minute (GitHub's guidance,
//! emulator/github-api/QUIRKS.md D).
//!
//! A wait longer than the client allows stops the whole run ([`Halt`]): GitHub warns that
//! an integration that keeps sending through a secondary limit may be banned.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::transport::HttpResponse;

/// Which limit an answer reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The hourly request quota.
    Primary,
    /// The limits on bursts: concurrency, points per minute.
    Secondary,
}

/// A rate-limit answer: which limit, how long GitHub asks to wait, and when it resets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimited {
    /// Which limit.
    pub limit: Limit,
    /// How long to wait before trying again.
    pub wait: Duration,
    /// The reset time (Unix seconds), when GitHub said.
    pub reset: Option<u64>,
    /// GitHub's message.
    pub message: String,
}

#[derive(Deserialize, Default)]
struct Body {
    #[serde(default)]
    message: String,
    #[serde(default)]
    documentation_url: String,
}

/// Returns the rate limit an answer reports, if it reports one.
pub fn classify(response: &HttpResponse) -> Option<RateLimited> {
    if !matches!(response.status.as_u16(), 403 | 429) {
        return None;
    }
    let body: Body = serde_json::from_slice(&response.body).unwrap_or_default();
    let number = |name: &str| {
        response
            .header(name)
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let retry_after = number("retry-after").or_else(|| {
        let date = parse_http_date(response.header("retry-after")?)?;
        let now = time::OffsetDateTime::now_utc();
        u64::try_from((date - now).whole_seconds()).ok()
    });
    let remaining = number("x-ratelimit-remaining");
    let reset = number("x-ratelimit-reset");
    let secondary = body.documentation_url.ends_with("secondary-rate-limits")
        || body.documentation_url.ends_with("#abuse-rate-limits")
        || body
            .message
            .to_ascii_lowercase()
            .contains("secondary rate limit")
        || (response.status.as_u16() == 429 && remaining != Some(0));
    let (limit, wait) = if secondary {
        let wait = retry_after
            .map(Duration::from_secs)
            .or_else(|| (remaining == Some(0)).then(|| until(reset)).flatten())
            .unwrap_or(Duration::from_secs(60));
        (Limit::Secondary, wait)
    } else if remaining == Some(0) {
        (
            Limit::Primary,
            until(reset).unwrap_or(Duration::from_secs(60)),
        )
    } else {
        return None;
    };
    Some(RateLimited {
        limit,
        wait,
        reset,
        message: body.message,
    })
}

/// Why a client stopped sending: a rate limit that asked for a longer wait than it allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Halt {
    /// The call GitHub refused.
    pub call: crate::github::Call,
    /// Which limit.
    pub limit: Limit,
    /// How long GitHub asked to wait.
    pub wait: Duration,
    /// When to try again (Unix seconds).
    pub retry_at: u64,
}

impl Halt {
    /// Returns the halt a rate-limit answer to `call` causes.
    pub fn new(call: &crate::github::Call, limited: &RateLimited) -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self {
            call: call.clone(),
            limit: limited.limit,
            wait: limited.wait,
            retry_at: now + limited.wait.as_secs().max(1),
        }
    }

    /// Says why the run stopped and when to try again, in one sentence.
    pub fn sentence(&self) -> String {
        let kind = match self.limit {
            Limit::Primary => "primary",
            Limit::Secondary => "secondary",
        };
        format!(
            "the run stopped at GitHub's {kind} rate limit, which refused {} and asked to wait {} s; nothing more was sent; try again after {}",
            self.call,
            self.wait.as_secs().max(1),
            format_epoch(self.retry_at)
        )
    }
}

/// Returns how long until a Unix time, plus a second for clock skew.
fn until(reset_epoch: Option<u64>) -> Option<Duration> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(reset_epoch?.saturating_sub(now) + 1))
}

/// Parses an HTTP date (`Wed, 02 Dec 2026 00:47:38 GMT`).
pub fn parse_http_date(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc2822).ok()
}

/// Returns GitHub's time from an answer's `Date` header, if it has a readable one.
pub fn server_time(response: &HttpResponse) -> Option<time::OffsetDateTime> {
    parse_http_date(response.header("date")?)
}

/// Returns a Unix time as `HH:MM:SS UTC`.
pub fn format_epoch(epoch: u64) -> String {
    let secs_of_day = epoch % 86_400;
    format!(
        "{:02}:{:02}:{:02} UTC",
        secs_of_day / 3600,
        (secs_of_day % 3600) / 60,
        secs_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue, StatusCode};

    use super::*;

    fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> HttpResponse {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        HttpResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_secondary_limit_honours_retry_after() {
        let limited = classify(&answer(
            403,
            &[("retry-after", "7")],
            r#"{"message":"You have exceeded a secondary rate limit","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}"#,
        ))
        .unwrap();
        assert_eq!(limited.limit, Limit::Secondary);
        assert_eq!(limited.wait, Duration::from_secs(7));
    }

    #[test]
    fn a_primary_limit_waits_for_the_reset() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let reset = (now + 30).to_string();
        let limited = classify(&answer(
            403,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", &reset),
            ],
            r#"{"message":"API rate limit exceeded"}"#,
        ))
        .unwrap();
        assert_eq!(limited.limit, Limit::Primary);
        assert!(limited.wait >= Duration::from_secs(29) && limited.wait <= Duration::from_secs(32));
    }

    #[test]
    fn any_429_is_a_secondary_limit_that_honours_retry_after() {
        let limited = classify(&answer(
            429,
            &[("retry-after", "3600")],
            r#"{"message":"Too Many Requests"}"#,
        ))
        .unwrap();
        assert_eq!(limited.limit, Limit::Secondary);
        assert_eq!(limited.wait, Duration::from_secs(3600));
        let later = (time::OffsetDateTime::now_utc() + time::Duration::seconds(120))
            .format(&time::format_description::well_known::Rfc2822)
            .unwrap()
            .replace("+0000", "GMT");
        let limited = classify(&answer(429, &[("retry-after", &later)], "")).unwrap();
        assert!(
            (Duration::from_secs(118)..=Duration::from_secs(121)).contains(&limited.wait),
            "{:?}",
            limited.wait
        );
    }

    #[test]
    fn a_plain_403_is_not_a_rate_limit() {
        assert!(
            classify(&answer(
                403,
                &[("x-ratelimit-remaining", "4000")],
                r#"{"message":"Resource not accessible"}"#
            ))
            .is_none()
        );
        assert!(classify(&answer(500, &[], "")).is_none());
    }
}
