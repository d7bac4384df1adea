//! GitHub's rate limits, read from an answer: whether it is one, and how long to wait.
//!
//! Primary limit: `403`/`429` with `x-ratelimit-remaining: 0`; wait until `x-ratelimit-reset`.
//! Secondary limit: `403`/`429` whose documentation link or message says so; honour
//! `retry-after`, else wait for the reset when nothing remains, else a minute (GitHub's
//! guidance, emulator/github-api/QUIRKS.md §D).

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
    let retry_after = number("retry-after");
    let remaining = number("x-ratelimit-remaining");
    let reset = number("x-ratelimit-reset");
    let secondary = body.documentation_url.ends_with("secondary-rate-limits")
        || body.documentation_url.ends_with("#abuse-rate-limits")
        || body
            .message
            .to_ascii_lowercase()
            .contains("secondary rate limit");
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

/// Returns how long until a Unix time, plus a second for clock skew.
fn until(reset_epoch: Option<u64>) -> Option<Duration> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(reset_epoch?.saturating_sub(now) + 1))
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
