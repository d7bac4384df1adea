//! Rate limits that ask for longer than the client waits: the client stops sending
//! altogether; and limits it does wait out pause every request, a 429 included.

use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;
use tokio::time::Instant;

use super::super::*;
use super::script::{Reply, SECONDARY, Script, config, ok, path};
use crate::github::ApiErrorKind;
use crate::output::progress::MemoryLog;

#[tokio::test(start_paused = true)]
async fn a_wait_longer_than_allowed_halts_the_client_and_nothing_more_is_sent() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![Reply::Status(
        403,
        SECONDARY,
        vec![("retry-after", "3600".to_owned())],
    )]);
    let client = WriteClient::with_transport(config(&log), script.clone());
    let err = client.reader().get(&path()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::RateLimited);
    let halt = client.reader().halted().expect("the client halted");
    assert_eq!(halt.wait, Duration::from_secs(3600));
    assert!(
        halt.sentence().contains("try again after"),
        "{}",
        halt.sentence()
    );
    // Neither a read nor a write goes out any more.
    let again = client.reader().get(&path()).await.unwrap_err();
    assert!(
        crate::Error::from(again)
            .to_string()
            .contains("not sent: the run stopped"),
    );
    client
        .send_empty(http::Method::DELETE, &path())
        .await
        .unwrap_err();
    assert_eq!(script.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_is_waited_out_and_pauses_the_other_requests() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![
        Reply::Status(
            429,
            r#"{"message":"Too Many Requests"}"#,
            vec![("retry-after", "5".to_owned())],
        ),
        ok("{}"),
        ok("{}"),
    ]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    let started = Instant::now();
    let first = client.get(&path()).await.unwrap();
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert_eq!(script.count(), 2);
    assert!(client.halted().is_none());
    assert_eq!(
        log.lines(),
        ["rate limited on GET /repos/acme/api; waiting 5 s as GitHub asks"]
    );
}

#[tokio::test(start_paused = true)]
async fn requests_wait_while_another_waits_out_a_secondary_limit() {
    let log = Arc::new(MemoryLog::default());
    let script = Script::new(vec![
        Reply::Status(403, SECONDARY, vec![("retry-after", "10".to_owned())]),
        ok("{}"),
        ok("{}"),
    ]);
    let client = ReadClient::with_transport(config(&log), script.clone());
    let target = path();
    let limited = client.get(&target);
    let other = async {
        // Sent once the first request has met the limit.
        tokio::time::sleep(Duration::from_secs(1)).await;
        client.get(&path()).await
    };
    let (first, second) = futures::join!(limited, other);
    first.unwrap();
    second.unwrap();
    let times = script.times();
    assert_eq!(times.len(), 3);
    // Neither request went out before GitHub's 10 s were up.
    assert!(times[1] - times[0] >= Duration::from_secs(10));
    assert!(times[2] - times[0] >= Duration::from_secs(10));
}
