//! A GraphQL query goes through the one retry engine: retried like a GET, waiting out rate
//! limits, renewing nothing it need not, and never cached.

use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;

use super::script::{Reply, SECONDARY, Script, config, ok};
use super::*;
use crate::github::ApiErrorKind;
use crate::output::progress::MemoryLog;

fn query() -> serde_json::Value {
    serde_json::json!({ "query": "{ rateLimit { cost } }" })
}

#[tokio::test(start_paused = true)]
async fn a_query_is_retried_after_a_5xx_a_dropped_connection_and_an_answer_cut_short() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![
        Reply::Status(502, "{}", vec![]),
        Reply::Fail(TransportErrorKind::Closed),
        Reply::Status(200, r#"{"data": {"rate"#, vec![]),
        ok(r#"{"data":{"rateLimit":{"cost":1}}}"#),
    ]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    let response = client.graphql(&query()).await.unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body, br#"{"data":{"rateLimit":{"cost":1}}}"#);
    assert_eq!(script.count(), 4);
    // The engine's own retry lines, naming the GraphQL endpoint.
    assert_eq!(log.lines().len(), 3, "{:?}", log.lines());
    assert!(
        log.lines()
            .iter()
            .all(|l| l.contains("POST /graphql") && l.contains("retrying in")),
        "{:?}",
        log.lines()
    );
}

#[tokio::test(start_paused = true)]
async fn a_query_waits_out_a_secondary_limit_as_long_as_github_asks() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![
        Reply::Status(403, SECONDARY, vec![("retry-after", "7".to_owned())]),
        ok(r#"{"data":{}}"#),
    ]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    client.graphql(&query()).await.unwrap();
    let times = script.times();
    assert_eq!(times[1] - times[0], Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn a_query_cut_short_beyond_the_retries_is_an_error_naming_the_attempts() {
    let log = Arc::new(MemoryLog::default());
    let replies = (0..10)
        .map(|_| Reply::Status(200, r#"{"data": "#, vec![]))
        .collect();
    let script = Script::new(replies);
    let mut config = config(&log);
    config.read_retries = 2;
    let client = ReadClient::with_transport(config, script.clone());
    let err = client.graphql(&query()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Malformed);
    assert_eq!(script.count(), 3);
    assert!(
        crate::Error::from(err)
            .to_string()
            .contains("after 3 attempts"),
    );
}
