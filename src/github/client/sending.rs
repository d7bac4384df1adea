//! The client's engine: one attempt at a time through the transport, with the decisions
//! around it — when to retry, when to wait for a rate limit, when time is up, when to ask
//! the cache, and how far apart writes go.

mod graphql;
mod repeatable;
mod waits;

use repeatable::Repeatable;

use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::time::Instant;

use super::pagination::{MAX_PAGES, next_link};
use super::points::{GRAPHQL, Points};
use super::rate_limit;
use super::transport::{HttpRequest, HttpResponse, Transport, TransportErrorKind};
use super::window::{ADAPTIVE_MAX, Window};
use super::{ApiRoot, ClientConfig, MAX_IN_FLIGHT, github_headers};
use crate::github::error::{ApiError, ApiErrorKind, Call, Cause};
use crate::github::path::ApiPath;

/// Where a request goes.
#[derive(Clone, Copy)]
enum To<'a> {
    /// A path (with query) under the API root.
    Api(&'a str),
    /// The GraphQL endpoint beside it.
    Graphql,
}

/// Sends requests for one client; shared by its read and write handles.
pub(super) struct Sender {
    config: ClientConfig,
    transport: std::sync::Arc<dyn Transport>,
    in_flight: Window,
    /// The points budget per endpoint; `None` when pacing is off.
    points: Option<Points>,
    /// When the last write was sent, for pacing.
    last_write: tokio::sync::Mutex<Option<Instant>>,
}

impl Sender {
    pub(super) fn new(config: ClientConfig, transport: std::sync::Arc<dyn Transport>) -> Self {
        config.run.start(config.overall_timeout);
        Self {
            in_flight: match config.concurrency {
                Some(n) => Window::fixed(n.clamp(1, MAX_IN_FLIGHT)),
                None => Window::adaptive(ADAPTIVE_MAX),
            },
            points: (config.points_per_minute > 0)
                .then(|| Points::new(u64::from(config.points_per_minute), config.points_window)),
            config,
            transport,
            last_write: tokio::sync::Mutex::new(None),
        }
    }

    pub(super) fn root(&self) -> &ApiRoot {
        &self.config.root
    }

    pub(super) fn restart_deadline(&self) {
        self.config.run.restart(self.config.overall_timeout);
    }

    /// Says `line` in the `-v` log.
    pub(super) fn note(&self, line: &str) {
        if self.config.verbose {
            self.config.log.line(line);
        }
    }

    /// Returns true when the cache holds an answer for the path.
    pub(super) fn is_cached(&self, path: &ApiPath) -> bool {
        let key = self.config.root.url(&path.with_query());
        self.config
            .cache
            .as_ref()
            .is_some_and(|cache| cache.lookup(&key).is_some())
    }

    pub(super) async fn get(&self, path: &ApiPath) -> Result<HttpResponse, ApiError> {
        complete(path, &Method::GET)?;
        self.get_url(&path.with_query(), path).await
    }

    /// Sends a write that is safe to send again, retried like a read.
    pub(super) async fn repeatable(
        &self,
        method: Method,
        path: &ApiPath,
        body: Vec<u8>,
    ) -> Result<HttpResponse, ApiError> {
        complete(path, &method)?;
        let call = path.call(method.clone());
        let request = Repeatable {
            method,
            to: To::Api(&path.with_query()),
            template: path.template(),
            body: Some(body),
            call: &call,
        };
        self.fetch(&request).await
    }

    /// GETs a path with query (`target`, a page of `path`); messages name `path`.
    async fn get_url(&self, target: &str, path: &ApiPath) -> Result<HttpResponse, ApiError> {
        let call = path.call(http::Method::GET);
        let request = Repeatable {
            method: Method::GET,
            to: To::Api(target),
            template: path.template(),
            body: None,
            call: &call,
        };
        self.fetch(&request).await
    }

    pub(super) async fn get_all<T: DeserializeOwned>(
        &self,
        path: &ApiPath,
        field: Option<&str>,
    ) -> Result<Vec<T>, ApiError> {
        complete(path, &Method::GET)?;
        let mut items = Vec::new();
        let mut next = Some(path.with_query());
        let mut pages = 0;
        while let Some(target) = next.take() {
            pages += 1;
            let call = path.call(http::Method::GET);
            if pages > MAX_PAGES {
                return Err(
                    ApiError::new(ApiErrorKind::Malformed, call).with_detail(format!(
                        "more than {MAX_PAGES} pages: the Link headers loop"
                    )),
                );
            }
            let response = self.get_url(&target, path).await?;
            if response.status != StatusCode::OK {
                return Err(ApiError::from_status(&response, call));
            }
            let malformed = |err| {
                ApiError::new(ApiErrorKind::Malformed, call.clone()).because(Cause::Malformed(err))
            };
            let mut body: Value = serde_json::from_slice(&response.body).map_err(malformed)?;
            let list = match field {
                None => body,
                Some(field) => body.get_mut(field).map_or(Value::Null, Value::take),
            };
            let page: Vec<T> = serde_json::from_value(list).map_err(malformed)?;
            items.extend(page);
            if let Some(link) = response.header("link").and_then(next_link) {
                let Some(relative) = self.config.root.path_of(&link) else {
                    return Err(
                        ApiError::new(ApiErrorKind::Malformed, call).with_detail(format!(
                            "GitHub sent a next-page link to another host or path: {}",
                            crate::output::untrusted::escape(&link)
                        )),
                    );
                };
                next = Some(relative.to_owned());
            }
        }
        Ok(items)
    }

    pub(super) async fn write(
        &self,
        method: Method,
        path: &ApiPath,
        body: Option<Vec<u8>>,
    ) -> Result<HttpResponse, ApiError> {
        complete(path, &method)?;
        let call = path.call(method.clone());
        let target = path.with_query();
        let mut renewed = false;
        loop {
            self.pace(&call).await?;
            let mut headers = HeaderMap::new();
            if body.is_some() {
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
            }
            // A transport failure is returned as it is: the write may have reached GitHub,
            // and it is never sent again on our own (the error's hint says so).
            let (response, authorization) = self
                .send_once(
                    method.clone(),
                    To::Api(&target),
                    path.template(),
                    body.clone(),
                    headers,
                    &call,
                )
                .await?;
            // A rate-limited request was refused before GitHub acted on it, so sending it
            // again is not a blind retry; nor is one refused for an expired token.
            if let Some(limited) = rate_limit::classify(&response) {
                self.wait_for_rate_limit(&limited, &call).await?;
                continue;
            }
            if response.status == StatusCode::UNAUTHORIZED {
                if !renewed && self.config.credentials.renew_rejected(&authorization) {
                    renewed = true;
                    continue;
                }
                return Err(self.refused(&response, &call));
            }
            return Ok(response);
        }
    }

    /// Sends one request and reads its whole answer within the request timeout; returns it
    /// with the `Authorization` value it was sent with (to say which token a 401 refused).
    /// Its points are reserved first, then a place among the requests in flight, so a wait
    /// for one endpoint's points never holds a place others could use.
    async fn send_once(
        &self,
        method: Method,
        to: To<'_>,
        template: &str,
        body: Option<Vec<u8>>,
        mut headers: HeaderMap,
        call: &Call,
    ) -> Result<(HttpResponse, String), ApiError> {
        self.refuse_when_halted(call)?;
        self.wait_out_pause(call).await?;
        let _points = self.reserve_points(&method, template, call).await?;
        let _place = self.in_flight.enter().await.map_err(|_| {
            ApiError::new(ApiErrorKind::Connection, call).with_detail("the client was shut down")
        })?;
        // A request that waited its turn while another was refused sends nothing either.
        self.refuse_when_halted(call)?;
        if self.remaining().is_some_and(|left| left.is_zero()) {
            return Err(self.out_of_time(call));
        }
        // The App's token calls, if any, run on the same deadline.
        let authorization = self.config.credentials.authorization().await?;
        headers.extend(github_headers(&authorization, call)?);
        // One attempt gets the request timeout, or what is left of the overall one.
        let (limit, overall_binds) = match self.remaining() {
            Some(left) if left.is_zero() => return Err(self.out_of_time(call)),
            Some(left) if left < self.config.request_timeout => (left, true),
            _ => (self.config.request_timeout, false),
        };
        let (url, shown) = match to {
            To::Api(target) => (
                self.config.root.url(target),
                target.split('?').next().unwrap_or(target),
            ),
            To::Graphql => (self.config.root.graphql_url(), GRAPHQL),
        };
        let request = HttpRequest {
            method: method.clone(),
            url,
            headers,
            body,
        };
        let started = Instant::now();
        let outcome = match tokio::time::timeout(limit, self.transport.send(request)).await {
            Err(_) if overall_binds => Err(self.out_of_time(call)),
            Err(_) => Err(self.timed_out(call)),
            Ok(Err(err)) if err.kind == TransportErrorKind::Timeout => Err(self.timed_out(call)),
            Ok(Err(err)) => {
                let kind = match err.kind {
                    TransportErrorKind::Resolve => ApiErrorKind::Resolve,
                    TransportErrorKind::Tls => ApiErrorKind::Tls,
                    TransportErrorKind::Proxy => ApiErrorKind::Proxy,
                    TransportErrorKind::Request | TransportErrorKind::TooLarge => {
                        ApiErrorKind::Malformed
                    }
                    _ => ApiErrorKind::Connection,
                };
                Err(ApiError::new(kind, call).because(Cause::Transport(err)))
            }
            Ok(Ok(response)) => {
                let refused = rate_limit::classify(&response)
                    .is_some_and(|limited| limited.limit == rate_limit::Limit::Secondary);
                self.in_flight.answered(refused);
                Ok((response, authorization))
            }
        };
        if self.config.verbose {
            let status = match &outcome {
                Ok((response, _)) => response.status.as_u16().to_string(),
                Err(err) => format!("failed ({})", err.kind_label()),
            };
            self.config.log.line(&format!(
                "{method} {shown} → {status} ({} ms{})",
                started.elapsed().as_millis(),
                self.config.log_suffix
            ));
        }
        outcome
    }

    /// The error of a 401 that renewing could not help, with the credentials' own hint.
    fn refused(&self, response: &HttpResponse, call: &Call) -> ApiError {
        let error = ApiError::from_status(response, call);
        match self.config.credentials.refused_hint(response) {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }

    fn timed_out(&self, call: &Call) -> ApiError {
        ApiError::new(ApiErrorKind::Timeout, call).with_detail(format!(
            "no complete answer within {} s (--request-timeout)",
            self.config.request_timeout.as_secs_f32()
        ))
    }
}

impl ApiError {
    /// Returns the error and its causes on one line, for retry messages.
    fn to_string_chain(&self) -> String {
        match &self.cause {
            Some(cause) => cause.to_string(),
            None => self.kind_label().to_owned(),
        }
    }
}

/// Refuses a path with an empty name in it before anything is sent.
fn complete(path: &ApiPath, method: &Method) -> Result<(), ApiError> {
    if path.is_complete() {
        Ok(())
    } else {
        Err(
            ApiError::new(ApiErrorKind::Malformed, path.call(method.clone()))
                .with_detail("a name in the request path is empty; nothing was sent"),
        )
    }
}
