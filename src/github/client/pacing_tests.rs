// Compiled only under cfg(test) (see `mod pacing_tests;` in client/mod.rs).
//! The client's pacing under GitHub's secondary limits (points per endpoint, requests in
//! flight) and its renewal of credentials refused with a 401, against a transport that
//! answers at once, on Tokio's paused clock.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use http::{HeaderMap, Method, StatusCode};
use tokio::time::Instant;

use super::*;
use crate::github::ApiErrorKind;
use crate::output::progress::MemoryLog;

/// Answers every request after `latency`; records when each was sent, with which
/// `Authorization`, and how many were in flight at most.
#[derive(Default)]
struct Answers {
    latency: Duration,
    /// `Authorization` values that get a 401.
    refused: Mutex<Vec<String>>,
    sent: Mutex<Vec<(Instant, String)>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

#[async_trait]
impl Transport for Answers {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let authorization = request
            .headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        self.sent
            .lock()
            .unwrap()
            .push((Instant::now(), authorization.clone()));
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.latency).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let status = if self.refused.lock().unwrap().contains(&authorization) {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::OK
        };
        Ok(HttpResponse {
            status,
            headers: HeaderMap::new(),
            body: b"{}".to_vec(),
        })
    }
}

fn config(log: &Arc<MemoryLog>, credentials: Arc<dyn Credentials>) -> ClientConfig {
    let mut config = ClientConfig::new(
        ApiRoot::parse("https://api.example.com").unwrap(),
        credentials,
    );
    config.log = Arc::clone(log) as Arc<dyn crate::output::progress::Log>;
    config
}

fn protection(repo: usize) -> ApiPath {
    ApiPath::new("repos")
        .value("acme")
        .value(&format!("repo-{repo}"))
        .lit("branches")
        .value("main")
        .lit("protection")
}

async fn read_all(client: &ReadClient, paths: Vec<ApiPath>) {
    let reads = paths.iter().map(|path| client.get(path));
    for result in futures::future::join_all(reads).await {
        assert_eq!(result.unwrap().status, StatusCode::OK);
    }
}

#[tokio::test(start_paused = true)]
async fn a_small_plan_is_not_slowed() {
    let log = Arc::new(MemoryLog::default());
    let transport = Arc::new(Answers::default());
    let mut config = config(&log, Arc::new(Token::new("t")));
    config.verbose = true;
    let client = ReadClient::with_transport(config, transport.clone());
    let start = Instant::now();
    read_all(&client, (0..200).map(protection).collect()).await;
    assert_eq!(Instant::now(), start);
    assert_eq!(transport.sent.lock().unwrap().len(), 200);
    assert!(
        log.lines().iter().all(|l| !l.starts_with("pacing")),
        "{:?}",
        log.lines()
    );
}

#[tokio::test(start_paused = true)]
async fn past_the_budget_an_endpoint_waits_and_others_do_not() {
    let log = Arc::new(MemoryLog::default());
    let transport = Arc::new(Answers {
        latency: Duration::from_millis(100),
        ..Answers::default()
    });
    let mut config = config(&log, Arc::new(Token::new("t")));
    config.concurrency = Some(10);
    config.points_per_minute = 10;
    config.points_window = Duration::from_secs(5);
    config.verbose = true;
    let client = ReadClient::with_transport(config, transport.clone());
    let start = Instant::now();
    let busy = read_all(&client, (0..25).map(protection).collect());
    let other = async {
        // Sent while the protection reads wait: not held up by them.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let sent = Instant::now();
        client
            .get(&ApiPath::new("orgs").value("acme"))
            .await
            .unwrap();
        Instant::now() - sent
    };
    let ((), other_took) = tokio::join!(busy, other);
    assert_eq!(other_took, Duration::from_millis(100));
    let times: Vec<Duration> = transport
        .sent
        .lock()
        .unwrap()
        .iter()
        .map(|(at, _)| *at - start)
        .collect();
    // 10 at once; the next 10 when their points age out, 5 s after their answers; and so on.
    let at = |secs: f64| Duration::from_secs_f64(secs);
    let protection_times: Vec<Duration> = times.into_iter().filter(|t| *t != at(0.2)).collect();
    assert_eq!(protection_times.len(), 25);
    assert!(protection_times[..10].iter().all(|t| *t == at(0.0)));
    assert!(protection_times[10..20].iter().all(|t| *t == at(5.1)));
    assert!(protection_times[20..].iter().all(|t| *t == at(10.2)));
    let pacing: Vec<String> = log
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("pacing"))
        .collect();
    assert_eq!(
        pacing,
        vec![
            "pacing GET /repos/{}/{}/branches/{}/protection: 10 of 10 points spent in the last 5 s (GitHub's secondary limit); waiting until requests in flight are answered"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_wait_for_points_past_the_deadline_fails_at_once() {
    let log = Arc::new(MemoryLog::default());
    let transport = Arc::new(Answers::default());
    let mut config = config(&log, Arc::new(Token::new("t")));
    config.points_per_minute = 2;
    config.overall_timeout = Some(Duration::from_secs(30));
    let client = ReadClient::with_transport(config, transport.clone());
    client.get(&protection(1)).await.unwrap();
    client.get(&protection(2)).await.unwrap();
    let start = Instant::now();
    let err = client.get(&protection(3)).await.unwrap_err();
    assert_eq!(Instant::now(), start);
    assert_eq!(err.kind, ApiErrorKind::Deadline);
    let detail = err.cause.as_ref().unwrap().to_string();
    assert!(
        detail.contains(
            "GET /repos/{}/{}/branches/{}/protection has spent 2 of its 2 points per 60 s"
        ),
        "{detail}"
    );
    assert!(detail.contains("--timeout of 30 s"), "{detail}");
    assert_eq!(transport.sent.lock().unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_write_costs_five_points() {
    let log = Arc::new(MemoryLog::default());
    let transport = Arc::new(Answers::default());
    let mut config = config(&log, Arc::new(Token::new("t")));
    config.points_per_minute = 10;
    config.write_pace = Duration::ZERO;
    let client = WriteClient::with_transport(config, transport.clone());
    let start = Instant::now();
    for _ in 0..3 {
        client
            .send_empty(Method::DELETE, &protection(1))
            .await
            .unwrap();
    }
    let times: Vec<Duration> = transport
        .sent
        .lock()
        .unwrap()
        .iter()
        .map(|(at, _)| *at - start)
        .collect();
    assert_eq!(
        times,
        [Duration::ZERO, Duration::ZERO, Duration::from_secs(60)]
    );
    // Reads of the same path are another endpoint.
    let before = Instant::now();
    client.reader().get(&protection(1)).await.unwrap();
    assert_eq!(Instant::now(), before);
}

#[tokio::test(start_paused = true)]
async fn no_more_than_a_hundred_requests_are_in_flight() {
    let log = Arc::new(MemoryLog::default());
    let transport = Arc::new(Answers {
        latency: Duration::from_millis(10),
        ..Answers::default()
    });
    let mut config = config(&log, Arc::new(Token::new("t")));
    config.concurrency = Some(1000);
    let client = ReadClient::with_transport(config, transport.clone());
    read_all(&client, (0..300).map(protection).collect()).await;
    assert_eq!(
        transport.most_in_flight.load(Ordering::SeqCst),
        MAX_IN_FLIGHT
    );
}

/// Credentials that hand out `Bearer 1`, `Bearer 2`, …: renewing moves to the next one,
/// unless the refused one is already stale.
#[derive(Default)]
struct Numbered {
    current: AtomicUsize,
    rejected: Mutex<Vec<String>>,
}

#[async_trait]
impl Credentials for Numbered {
    async fn authorization(&self) -> Result<String, ApiError> {
        Ok(format!("Bearer {}", self.current.load(Ordering::SeqCst)))
    }

    fn renew(&self) -> bool {
        unreachable!("the sender says which token was refused")
    }

    fn renew_rejected(&self, rejected: &str) -> bool {
        self.rejected.lock().unwrap().push(rejected.to_owned());
        let current = format!("Bearer {}", self.current.load(Ordering::SeqCst));
        if current == rejected {
            self.current.fetch_add(1, Ordering::SeqCst);
        }
        true
    }

    fn cache_identity(&self) -> String {
        "numbered".to_owned()
    }
}

#[tokio::test(start_paused = true)]
async fn a_401_renews_the_refused_token_once_for_many_requests_then_gives_up() {
    let log = Arc::new(MemoryLog::default());
    let transport = Arc::new(Answers {
        latency: Duration::from_millis(10),
        refused: Mutex::new(vec!["Bearer 0".to_owned()]),
        ..Answers::default()
    });
    let credentials = Arc::new(Numbered::default());
    let client = ReadClient::with_transport(
        config(&log, credentials.clone() as Arc<dyn Credentials>),
        transport.clone(),
    );
    read_all(&client, (0..5).map(protection).collect()).await;
    assert_eq!(credentials.current.load(Ordering::SeqCst), 1);
    assert_eq!(*credentials.rejected.lock().unwrap(), vec!["Bearer 0"; 5]);

    // A renewed token refused too: the second 401 is the caller's error, with the
    // credentials' own hint when they have one.
    transport
        .refused
        .lock()
        .unwrap()
        .push("Bearer 1".to_owned());
    transport
        .refused
        .lock()
        .unwrap()
        .push("Bearer 2".to_owned());
    let err = client.get(&protection(0)).await.unwrap_err();
    assert_eq!(err.kind, crate::github::ApiErrorKind::Auth);
    assert_eq!(err.status(), Some(401));
    assert_eq!(credentials.current.load(Ordering::SeqCst), 2);
}
