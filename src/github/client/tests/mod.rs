//! The client's decisions — retries, rate limits, timeouts, pacing, pagination, the cache —
//! against a scripted transport, on Tokio's paused clock: time-dependent behaviour is
//! checked on virtual time, with no wall-clock assertions.

mod graphql;
mod limits;
mod script;

use std::sync::Arc;
use std::time::Duration;

use http::{Method, StatusCode};
use tokio::time::Instant;

use self::script::{Reply, SECONDARY, Script, config, ok, path};
use super::transport::TransportErrorKind;
use super::*;
use crate::github::ApiErrorKind;
use crate::output::progress::MemoryLog;

#[tokio::test(start_paused = true)]
async fn a_burst_of_502s_is_retried_with_growing_pauses() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![
        Reply::Status(502, "{}", vec![]),
        Reply::Status(502, "{}", vec![]),
        Reply::Status(502, "{}", vec![]),
        ok(r#"{"ok":true}"#),
    ]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    let response = client.get(&path()).await.unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(script.count(), 4);
    let times = script.times();
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // 500 ms base, doubling, with jitter in [0.5, 1).
    assert!(
        gaps[0] >= Duration::from_millis(250) && gaps[0] < Duration::from_millis(500),
        "{gaps:?}"
    );
    assert!(
        gaps[1] >= Duration::from_millis(500) && gaps[1] < Duration::from_secs(1),
        "{gaps:?}"
    );
    assert!(
        gaps[2] >= Duration::from_secs(1) && gaps[2] < Duration::from_secs(2),
        "{gaps:?}"
    );
    assert_eq!(log.lines().len(), 3, "{:?}", log.lines());
    assert!(log.lines()[0].contains("retrying in"), "{:?}", log.lines());
}

#[tokio::test(start_paused = true)]
async fn status_502s_beyond_the_retries_are_returned_for_the_caller_to_report() {
    let log = Arc::new(MemoryLog::default());
    let replies = (0..10)
        .map(|_| Reply::Status(502, r#"{"message":"Bad gateway"}"#, vec![]))
        .collect();
    let script = Script::new(replies);
    let mut config = config(&log);
    config.read_retries = 2;
    let client = ReadClient::with_transport(config, script.clone());
    let response = client.get(&path()).await.unwrap();
    assert_eq!(response.status.as_u16(), 502);
    assert_eq!(script.count(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_secondary_rate_limit_waits_as_long_as_github_asks() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![
        Reply::Status(403, SECONDARY, vec![("retry-after", "7".to_owned())]),
        ok("{}"),
    ]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    client.get(&path()).await.unwrap();
    let times = script.times();
    assert_eq!(times[1] - times[0], Duration::from_secs(7));
    assert_eq!(
        log.lines(),
        ["rate limited on GET /repos/acme/api; waiting 7 s as GitHub asks"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_far_primary_reset_stops_at_once_with_the_reset_time() {
    let log = Arc::new(MemoryLog::default());
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    let script = Script::new(vec![Reply::Status(
        403,
        r#"{"message":"API rate limit exceeded"}"#,
        vec![
            ("x-ratelimit-remaining", "0".to_owned()),
            ("x-ratelimit-reset", reset.to_string()),
        ],
    )]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    let started = Instant::now();
    let err = client.get(&path()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::RateLimited);
    assert_eq!(started.elapsed(), Duration::ZERO);
    let text = crate::Error::from(err).to_string();
    assert!(
        text.contains("primary rate limit is exhausted (resets at"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_answer_cut_short_is_read_again_and_never_cached() {
    let log = Arc::new(MemoryLog::default());
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&log);
    config.cache = Some(EtagCache::new(dir.path().to_path_buf(), "t"));
    let script = Script::new(vec![
        Reply::Status(200, r#"{"name": "ma"#, vec![("etag", "W/\"1\"".to_owned())]),
        Reply::Status(
            200,
            r#"{"name":"main"}"#,
            vec![("etag", "W/\"2\"".to_owned())],
        ),
    ]);
    let client = ReadClient::with_transport(config, script.clone());
    let response = client.get(&path()).await.unwrap();
    assert_eq!(response.body, br#"{"name":"main"}"#);
    assert_eq!(script.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn dropped_connections_are_retried_then_reported_with_the_attempts() {
    let log = Arc::new(MemoryLog::default());
    let replies = (0..4)
        .map(|_| Reply::Fail(TransportErrorKind::Closed))
        .collect();
    let script = Script::new(replies);
    let client = ReadClient::with_transport(config(&log), script.clone());
    let err = client.get(&path()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Connection);
    assert_eq!(script.count(), 4);
    assert!(
        crate::Error::from(err)
            .to_string()
            .ends_with("(after 4 attempts)")
    );
}

#[tokio::test(start_paused = true)]
async fn a_name_that_does_not_resolve_is_not_retried() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![Reply::Fail(TransportErrorKind::Resolve)]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    let err = client.get(&path()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Resolve);
    assert_eq!(script.count(), 1);
    assert!(
        crate::Error::from(err)
            .to_string()
            .contains("api.example.com")
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_read_times_out_and_is_retried_but_a_slow_write_is_not() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![Reply::Slow(Duration::from_secs(60)), ok("{}")]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    client.get(&path()).await.unwrap();
    assert_eq!(script.count(), 2);

    let script = Script::new(vec![Reply::Slow(Duration::from_secs(60)), ok("{}")]);
    let client = WriteClient::with_transport(config(&log), script.clone());
    let err = client
        .send(Method::PUT, &path(), &serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Timeout);
    assert_eq!(script.count(), 1);
    assert!(
        err.hint().contains("may or may not have reached GitHub"),
        "{}",
        err.hint()
    );
}

#[tokio::test(start_paused = true)]
async fn writes_are_never_retried_after_a_5xx_but_are_after_a_rate_limit() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![Reply::Status(502, "{}", vec![])]);
    let client = WriteClient::with_transport(config(&log), script.clone());
    let response = client.send_empty(Method::DELETE, &path()).await.unwrap();
    assert_eq!(response.status.as_u16(), 502);
    assert_eq!(script.count(), 1);

    let script = Script::new(vec![
        Reply::Status(403, SECONDARY, vec![("retry-after", "2".to_owned())]),
        Reply::Status(204, "", vec![]),
    ]);
    let client = WriteClient::with_transport(config(&log), script.clone());
    let response = client.send_empty(Method::DELETE, &path()).await.unwrap();
    assert_eq!(response.status.as_u16(), 204);
    assert_eq!(script.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn writes_are_paced_a_second_apart() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(Vec::new());
    let client = WriteClient::with_transport(config(&log), script.clone());
    for _ in 0..3 {
        client.send_empty(Method::DELETE, &path()).await.unwrap();
    }
    let times = script.times();
    assert_eq!(times[1] - times[0], Duration::from_secs(1));
    assert_eq!(times[2] - times[1], Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn the_overall_timeout_bounds_waits_for_rate_limits() {
    let log = Arc::new(MemoryLog::default());
    let mut config = config(&log);
    config.overall_timeout = Some(Duration::from_secs(5));
    let script = Script::new(vec![Reply::Status(
        403,
        SECONDARY,
        vec![("retry-after", "30".to_owned())],
    )]);
    let client = ReadClient::with_transport(config, script.clone());
    let err = client.get(&path()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::RateLimited);
    assert!(
        crate::Error::from(err)
            .to_string()
            .contains("past the overall --timeout of 5 s")
    );
}

#[tokio::test(start_paused = true)]
async fn pages_are_followed_on_this_api_only() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![
        Reply::Status(
            200,
            "[1,2]",
            vec![(
                "link",
                r#"<https://api.example.com/repos/acme/api?page=2>; rel="next""#.to_owned(),
            )],
        ),
        Reply::Status(200, "[3]", vec![]),
    ]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    let items: Vec<u32> = client.get_all(&path(), None).await.unwrap();
    assert_eq!(items, [1, 2, 3]);

    let script = Script::new(vec![Reply::Status(
        200,
        "[1]",
        vec![(
            "link",
            r#"<https://evil.example.com/steal?page=2>; rel="next""#.to_owned(),
        )],
    )]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    let err = client.get_all::<u32>(&path(), None).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Malformed);
    assert_eq!(script.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_unchanged_answer_comes_from_the_cache_with_its_link() {
    let log = Arc::new(MemoryLog::default());
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&log);
    config.cache = Some(EtagCache::new(dir.path().to_path_buf(), "t"));
    let link = r#"<https://api.example.com/x?page=2>; rel="next""#;
    let script = Script::new(vec![
        Reply::Status(
            200,
            "[1]",
            vec![("etag", "W/\"a\"".to_owned()), ("link", link.to_owned())],
        ),
        Reply::Status(304, "", vec![]),
    ]);
    let client = ReadClient::with_transport(config, script.clone());
    client.get(&path()).await.unwrap();
    let again = client.get(&path()).await.unwrap();
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, b"[1]");
    assert_eq!(again.header("link"), Some(link));
    let sent = script.sent.lock().unwrap();
    assert_eq!(sent[1].2.get("if-none-match").unwrap(), "W/\"a\"");
}

#[tokio::test(start_paused = true)]
async fn every_request_carries_the_token_version_and_media_type() {
    let log = Arc::new(MemoryLog::default());
    let mut config = config(&log);
    config.verbose = true;
    let script = Script::new(Vec::new());
    let client = ReadClient::with_transport(config, script.clone());
    client.get(&path().query("per_page", 100)).await.unwrap();
    let sent = script.sent.lock().unwrap();
    let (method, url, headers, _) = &sent[0];
    assert_eq!(method, Method::GET);
    assert_eq!(url, "https://api.example.com/repos/acme/api?per_page=100");
    assert_eq!(headers["authorization"], "Bearer t0ken");
    assert!(headers["authorization"].is_sensitive());
    assert_eq!(headers["x-github-api-version"], API_VERSION);
    assert_eq!(headers["accept"], "application/vnd.github+json");
    // The verbose log names the call without its query and never the token.
    let lines = log.lines();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("GET /repos/acme/api → 200"),
        "{lines:?}"
    );
    assert!(!lines[0].contains("t0ken"));
}
