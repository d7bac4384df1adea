//! The scripted transport the client's tests run against, and their shared setup.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use tokio::time::Instant;

use super::super::transport::TransportErrorKind;
use super::super::*;
use crate::output::progress::MemoryLog;

/// One scripted answer.
pub(super) enum Reply {
    Status(u16, &'static str, Vec<(&'static str, String)>),
    Fail(TransportErrorKind),
    Slow(Duration),
}

pub(super) fn ok(body: &'static str) -> Reply {
    Reply::Status(200, body, Vec::new())
}

/// A transport that answers from a script and records what it was sent.
#[derive(Default)]
pub(super) struct Script {
    replies: Mutex<VecDeque<Reply>>,
    pub(super) sent: Mutex<Vec<(Method, String, HeaderMap, Instant)>>,
}

impl Script {
    pub(super) fn new(replies: Vec<Reply>) -> Arc<Self> {
        Arc::new(Self {
            replies: Mutex::new(replies.into()),
            sent: Mutex::default(),
        })
    }

    pub(super) fn count(&self) -> usize {
        self.sent.lock().unwrap().len()
    }

    pub(super) fn times(&self) -> Vec<Instant> {
        self.sent.lock().unwrap().iter().map(|s| s.3).collect()
    }
}

#[async_trait]
impl Transport for Script {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.lock().unwrap().push((
            request.method,
            request.url,
            request.headers,
            Instant::now(),
        ));
        let reply = self
            .replies
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| ok("{}"));
        match reply {
            Reply::Status(status, body, headers) => {
                let mut map = HeaderMap::new();
                for (name, value) in headers {
                    map.insert(name, HeaderValue::from_str(&value).unwrap());
                }
                Ok(HttpResponse {
                    status: StatusCode::from_u16(status).unwrap(),
                    headers: map,
                    body: body.as_bytes().to_vec(),
                })
            }
            Reply::Fail(kind) => Err(TransportError {
                kind,
                host: "api.example.com".to_owned(),
                source: Box::new(std::io::Error::other("scripted")),
            }),
            Reply::Slow(delay) => {
                tokio::time::sleep(delay).await;
                Ok(HttpResponse {
                    status: StatusCode::OK,
                    headers: HeaderMap::new(),
                    body: b"{}".to_vec(),
                })
            }
        }
    }
}

pub(super) fn config(log: &Arc<MemoryLog>) -> ClientConfig {
    let mut config = ClientConfig::new(
        ApiRoot::parse("https://api.example.com").unwrap(),
        Arc::new(Token::new("t0ken")),
    );
    config.log = Arc::clone(log) as Arc<dyn crate::output::progress::Log>;
    config
}

pub(super) fn path() -> ApiPath {
    ApiPath::new("repos").value("acme").value("api")
}

pub(super) const SECONDARY: &str = r#"{"message":"You have exceeded a secondary rate limit","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}"#;
