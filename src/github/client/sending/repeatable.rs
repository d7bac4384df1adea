//! The one retry engine, of the requests that are safe to send again — every GET, a
//! GraphQL query (a POST that only reads), and a write that only mints (an App's
//! installation token): the cache asked first (GETs only), a dropped connection, a timeout,
//! a 5xx or an answer cut short tried again with growing pauses, a rate limit waited out,
//! an expired token renewed once.

use http::{HeaderMap, HeaderValue, Method, StatusCode, header};

use super::{Sender, To};
use crate::github::client::rate_limit;
use crate::github::client::transport::HttpResponse;
use crate::github::error::{ApiError, ApiErrorKind, Call};

/// One request safe to repeat.
pub(super) struct Repeatable<'a> {
    pub(super) method: Method,
    /// Where it goes: a path with its query (a page of an operation), or GraphQL.
    pub(super) to: To<'a>,
    /// The operation's template, for pacing.
    pub(super) template: &'a str,
    /// The JSON body, for a write or a query; only a GET is ever cached.
    pub(super) body: Option<Vec<u8>>,
    /// `METHOD path`, for messages.
    pub(super) call: &'a Call,
}

impl Repeatable<'_> {
    /// The cache's key of the request: only a GET of a path is ever cached (GitHub gives
    /// GraphQL answers no `ETag`).
    fn cache_key(&self, root: &crate::github::client::ApiRoot) -> Option<String> {
        match self.to {
            To::Api(target) if self.method == Method::GET => Some(root.url(target)),
            _ => None,
        }
    }
}

impl Sender {
    /// Sends the request until it has an answer worth returning (whatever its status), or
    /// an error.
    pub(super) async fn fetch(&self, request: &Repeatable<'_>) -> Result<HttpResponse, ApiError> {
        let call = request.call;
        let cache_key = request.cache_key(&self.config.root);
        let cache = self.config.cache.as_ref().filter(|_| cache_key.is_some());
        let cache_key = cache_key.unwrap_or_default();
        let mut attempt = 0;
        let mut renewed = false;
        loop {
            attempt += 1;
            let cached = cache.and_then(|c| c.lookup(&cache_key));
            let mut headers = HeaderMap::new();
            if let Some(value) = cached
                .as_ref()
                .and_then(|entry| HeaderValue::from_str(&entry.etag).ok())
            {
                headers.insert(header::IF_NONE_MATCH, value);
            }
            if request.body.is_some() {
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
            }
            let (response, authorization) = match self
                .send_once(
                    request.method.clone(),
                    request.to,
                    request.template,
                    request.body.clone(),
                    headers,
                    call,
                )
                .await
            {
                Ok(sent) => sent,
                Err(err) if err.is_transient() && attempt <= self.config.read_retries => {
                    self.pause_before_retry(attempt, call, &err.to_string_chain())
                        .await?;
                    continue;
                }
                Err(err) if err.is_transient() => return Err(err.after_attempts(attempt)),
                Err(err) => return Err(err),
            };
            if response.status == StatusCode::NOT_MODIFIED
                && let Some(entry) = cached
            {
                // A 304 need not repeat `Link`; the cached page's own link keeps pagination.
                let mut headers = response.headers;
                if let Some(link) = entry
                    .link
                    .as_deref()
                    .and_then(|l| HeaderValue::from_str(l).ok())
                {
                    headers.insert(header::LINK, link);
                }
                return Ok(HttpResponse {
                    status: StatusCode::OK,
                    headers,
                    body: entry.body,
                });
            }
            if let Some(limited) = rate_limit::classify(&response) {
                self.wait_for_rate_limit(&limited, call).await?;
                continue;
            }
            if response.status == StatusCode::UNAUTHORIZED {
                if !renewed && self.config.credentials.renew_rejected(&authorization) {
                    renewed = true;
                    continue;
                }
                return Err(self.refused(&response, call));
            }
            if response.status.is_server_error() && attempt <= self.config.read_retries {
                let reason = ApiError::from_status(&response, call).to_string_chain();
                self.pause_before_retry(attempt, call, &reason).await?;
                continue;
            }
            // A 200 whose body is not JSON was cut short on the way (GitHub answers JSON):
            // ask again like after a dropped connection, and never cache it.
            if response.status == StatusCode::OK
                && serde_json::from_slice::<serde::de::IgnoredAny>(&response.body).is_err()
            {
                if attempt <= self.config.read_retries {
                    self.pause_before_retry(attempt, call, "the answer is not complete JSON")
                        .await?;
                    continue;
                }
                return Err(
                    ApiError::new(ApiErrorKind::Malformed, call).with_detail(format!(
                        "the answer is not complete JSON (after {attempt} attempts)"
                    )),
                );
            }
            if response.status == StatusCode::OK
                && let (Some(cache), Some(etag)) = (cache, response.header("etag"))
            {
                cache.store(&cache_key, etag, response.header("link"), &response.body);
            }
            return Ok(response);
        }
    }
}
