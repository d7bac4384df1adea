//! A GraphQL query: a POST that only reads, so it is retried like a GET (a 5xx, a timeout,
//! a dropped connection, an answer cut short), waits out rate limits like any request,
//! and is never cached (GitHub gives GraphQL answers no `ETag`).

use http::header::{self, HeaderValue};
use http::{HeaderMap, Method, StatusCode};

use super::super::points::GRAPHQL;
use super::super::rate_limit;
use super::super::transport::HttpResponse;
use super::{Sender, To};
use crate::github::error::{ApiError, ApiErrorKind};

impl Sender {
    /// Sends one query (`{query, variables}` as JSON) and returns the answer whatever its
    /// status.
    pub(in super::super) async fn post_query(
        &self,
        body: Vec<u8>,
    ) -> Result<HttpResponse, ApiError> {
        let call = crate::github::error::Call::new(Method::POST, GRAPHQL);
        let mut attempt = 0;
        let mut renewed = false;
        loop {
            attempt += 1;
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            let sent = self
                .send_once(
                    Method::POST,
                    To::Graphql,
                    GRAPHQL,
                    Some(body.clone()),
                    headers,
                    &call,
                )
                .await;
            let (response, authorization) = match sent {
                Ok(sent) => sent,
                Err(err) if err.is_transient() && attempt <= self.config.read_retries => {
                    self.pause_before_retry(attempt, &call, &err.to_string_chain())
                        .await?;
                    continue;
                }
                Err(err) if err.is_transient() => return Err(err.after_attempts(attempt)),
                Err(err) => return Err(err),
            };
            if let Some(limited) = rate_limit::classify(&response) {
                self.wait_for_rate_limit(&limited, &call).await?;
                continue;
            }
            if response.status == StatusCode::UNAUTHORIZED
                && !renewed
                && self.config.credentials.renew_rejected(&authorization)
            {
                renewed = true;
                continue;
            }
            let cut_short = response.status == StatusCode::OK
                && serde_json::from_slice::<serde::de::IgnoredAny>(&response.body).is_err();
            if (response.status.is_server_error() || cut_short)
                && attempt <= self.config.read_retries
            {
                let reason = if cut_short {
                    "the answer is not complete JSON".to_owned()
                } else {
                    ApiError::from_status(&response, &call).to_string_chain()
                };
                self.pause_before_retry(attempt, &call, &reason).await?;
                continue;
            }
            if cut_short {
                return Err(
                    ApiError::new(ApiErrorKind::Malformed, call).with_detail(format!(
                        "the answer is not complete JSON (after {attempt} attempts)"
                    )),
                );
            }
            return Ok(response);
        }
    }
}
