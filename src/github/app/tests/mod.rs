// Compiled only under cfg(test) (see `mod tests;` in app/mod.rs).
//! The app credentials: the key, the JWT, renewal timing, parsing (`unit`); the token
//! requests and renewal against a scripted transport (`exchange`); end to end against the
//! emulator (`emulator`, with the client's pacing under a small budget).

mod emulator;
mod exchange;
mod unit;

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use http::{HeaderMap, HeaderValue, StatusCode};

use super::renewal::Clock;
use crate::github::client::transport::TransportErrorKind;
use crate::github::client::{HttpRequest, HttpResponse, Transport, TransportError};

/// The emulator's app and its test key.
const APP_ID: u64 = 15368;
const KEY: &str = gh_policy_emulator::test_keys::PRIVATE_KEY_PEM;

/// A clock that moves only when told.
struct ManualClock {
    start: Instant,
    offset: Mutex<Duration>,
}

impl ManualClock {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            offset: Mutex::new(Duration::ZERO),
        }
    }

    fn advance(&self, by: Duration) {
        *self.offset.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.offset.lock().unwrap()
    }
}

/// One scripted answer.
enum Reply {
    Answer(u16, String, Vec<(&'static str, String)>),
    Fail(TransportErrorKind),
}

fn reply(status: u16, body: &str) -> Reply {
    Reply::Answer(status, body.to_owned(), Vec::new())
}

/// Returns the answer to a token request: a token living `secs` from now.
fn minted(token: &str, secs: i64) -> Reply {
    let expires = time::OffsetDateTime::now_utc() + time::Duration::seconds(secs);
    let expires = expires
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    Reply::Answer(
        201,
        format!(r#"{{"token":"{token}","expires_at":"{expires}","permissions":{{}}}}"#),
        Vec::new(),
    )
}

/// A transport that answers from a script, in order, and records what it was sent.
#[derive(Default)]
struct Script {
    replies: Mutex<VecDeque<Reply>>,
    sent: Mutex<Vec<HttpRequest>>,
}

impl Script {
    fn new(replies: Vec<Reply>) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            replies: Mutex::new(replies.into()),
            sent: Mutex::default(),
        })
    }

    /// Returns `METHOD path` of each request sent.
    fn calls(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|r| {
                let path = r.url.split_once("://").map_or("", |(_, rest)| rest);
                let path = &path[path.find('/').unwrap_or(path.len())..];
                format!("{} {path}", r.method)
            })
            .collect()
    }
}

#[async_trait]
impl Transport for Script {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.lock().unwrap().push(request);
        let next = self.replies.lock().unwrap().pop_front();
        match next {
            Some(Reply::Answer(status, body, headers)) => {
                let mut map = HeaderMap::new();
                for (name, value) in headers {
                    map.insert(name, HeaderValue::from_str(&value).unwrap());
                }
                Ok(HttpResponse {
                    status: StatusCode::from_u16(status).unwrap(),
                    headers: map,
                    body: body.into_bytes(),
                })
            }
            Some(Reply::Fail(kind)) => Err(TransportError {
                kind,
                host: "api.example.com".to_owned(),
                source: Box::new(std::io::Error::other("scripted")),
            }),
            None => panic!("no scripted answer left"),
        }
    }
}
