//! Errors from talking to GitHub: which call failed, what kind of failure it was, what
//! caused it (GitHub's own message, a transport error, a body that is not the documented
//! shape) and what to do about it.
//!
//! The kind is decided where the failure is seen — from the status code, or from the type of
//! the transport error — and never recovered later from message text. The hint is derived
//! from the kind and, for a 403, from the permission the call needs ([`Permission`]) or the
//! permissions GitHub says it accepts (`X-Accepted-GitHub-Permissions`).

use std::fmt;

mod call;
mod permission;

pub use call::Call;
pub use permission::{Permission, permission_names};

use super::client::transport::{HttpResponse, TransportError};
use crate::output::redact::redact;
use crate::output::untrusted;

/// What went wrong with an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// No token, or GitHub rejected it (401).
    Auth,
    /// The token lacks a permission (403).
    Permission,
    /// The repository or another object does not exist or is not visible (404).
    NotFound,
    /// GitHub refused the request as written (400, 409, 422).
    Rejected,
    /// The repository was renamed or transferred: GitHub answers 301 (or another redirect)
    /// with where it is now.
    Moved,
    /// A rate limit that will not reset soon enough to wait for it.
    RateLimited,
    /// GitHub failed (5xx), after the retries for a read.
    Server,
    /// An answer that is not what GitHub documents (a body of another shape, an odd status).
    Malformed,
    /// No complete answer within the request timeout.
    Timeout,
    /// The overall timeout ran out.
    Deadline,
    /// The server's TLS certificate was not accepted.
    Tls,
    /// The host name could not be resolved.
    Resolve,
    /// The connection was refused, reset or closed before a complete answer.
    Connection,
    /// The proxy of the environment did not open a tunnel to GitHub.
    Proxy,
}

/// Why a call failed, as the next link of the error chain.
#[derive(Debug, thiserror::Error)]
pub enum Cause {
    /// GitHub answered with an error status; its message as written.
    #[error("{}", status_line(*status, message, errors))]
    Status {
        /// The HTTP status.
        status: u16,
        /// GitHub's `message`, or the start of the body.
        message: String,
        /// The `errors` of a validation failure, if any.
        errors: Vec<String>,
    },
    /// The request did not get a complete answer.
    #[error(transparent)]
    Transport(TransportError),
    /// The answer is not the JSON GitHub documents.
    #[error("the answer is not the JSON GitHub documents: {0}")]
    Malformed(#[source] serde_json::Error),
    /// Anything else, said in words.
    #[error("{0}")]
    Detail(String),
    /// The last of several attempts failed with this.
    #[error("{last} (after {attempts} attempts)")]
    Retried {
        /// How many attempts were made.
        attempts: u32,
        /// Why the last one failed.
        last: Box<Cause>,
    },
}

fn status_line(status: u16, message: &str, errors: &[String]) -> String {
    if errors.is_empty() {
        format!("{status}: {message}")
    } else {
        format!("{status}: {message} ({})", errors.join("; "))
    }
}

/// A failed API call.
#[derive(Debug, thiserror::Error)]
#[error("GitHub API call failed: {call}")]
pub struct ApiError {
    /// The category, which decides retries and hints.
    pub kind: ApiErrorKind,
    /// The call, e.g. `GET /repos/acme/api/branches/main/protection` (no query string).
    pub call: Call,
    /// Why it failed.
    #[source]
    pub cause: Option<Box<Cause>>,
    /// The permission the call needs, when the caller knows it.
    pub needs: Option<Permission>,
    /// What GitHub said it accepts (`X-Accepted-GitHub-Permissions`), as sent.
    pub accepted: Option<String>,
    /// A hint that replaces the one derived from the kind.
    pub hint: Option<String>,
}

impl ApiError {
    /// Returns an error of the given kind for the given call.
    pub fn new(kind: ApiErrorKind, call: impl Into<Call>) -> Self {
        Self {
            kind,
            call: call.into(),
            cause: None,
            needs: None,
            accepted: None,
            hint: None,
        }
    }

    /// Sets the cause.
    #[must_use]
    pub fn because(mut self, cause: Cause) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    /// Sets the cause to a sentence.
    #[must_use]
    pub fn with_detail(self, detail: impl Into<String>) -> Self {
        self.because(Cause::Detail(detail.into()))
    }

    /// Sets a hint that replaces the derived one.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Gives the hint unless the error already has one: a hint set nearer the cause (the
    /// App's credentials failing under a repository read, say) is the more specific.
    #[must_use]
    pub fn or_hint(self, hint: impl Into<String>) -> Self {
        if self.hint.is_some() {
            self
        } else {
            self.with_hint(hint)
        }
    }

    /// Records the permission this call needs (used for the hint of a 403).
    #[must_use]
    pub fn needing(mut self, permission: Permission) -> Self {
        self.needs = Some(permission);
        self
    }

    /// Says in the cause that this was the last of several attempts.
    #[must_use]
    pub fn after_attempts(mut self, attempts: u32) -> Self {
        if attempts > 1
            && let Some(last) = self.cause.take()
        {
            self.cause = Some(Box::new(Cause::Retried { attempts, last }));
        }
        self
    }

    /// Returns the HTTP status GitHub answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self.cause.as_deref() {
            Some(Cause::Status { status, .. }) => Some(*status),
            _ => None,
        }
    }

    /// Returns true for failures worth retrying on a read: timeouts and connections that
    /// were refused, reset or closed. A name that does not resolve is not retried.
    pub fn is_transient(&self) -> bool {
        matches!(self.kind, ApiErrorKind::Timeout | ApiErrorKind::Connection)
    }

    /// Returns true when a write may have reached GitHub although no answer came back.
    pub fn may_have_landed(&self) -> bool {
        matches!(self.kind, ApiErrorKind::Timeout | ApiErrorKind::Connection)
    }

    /// Returns a short label of the kind, for `-v` logs.
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            ApiErrorKind::Auth => "authentication",
            ApiErrorKind::Permission => "permission",
            ApiErrorKind::NotFound => "not found",
            ApiErrorKind::Rejected => "rejected",
            ApiErrorKind::Moved => "moved",
            ApiErrorKind::RateLimited => "rate limited",
            ApiErrorKind::Server => "server error",
            ApiErrorKind::Malformed => "malformed response",
            ApiErrorKind::Timeout => "timeout",
            ApiErrorKind::Deadline => "overall timeout",
            ApiErrorKind::Tls => "TLS",
            ApiErrorKind::Resolve => "host not found",
            ApiErrorKind::Connection => "connection",
            ApiErrorKind::Proxy => "proxy",
        }
    }

    /// Returns what the user can do about it.
    pub fn hint(&self) -> String {
        if let Some(hint) = &self.hint {
            return hint.clone();
        }
        let write = self.call.is_write();
        match self.kind {
            ApiErrorKind::Auth => "the token was rejected: it is wrong, expired or revoked; set a valid GITHUB_TOKEN (or GH_TOKEN)".to_owned(),
            ApiErrorKind::Permission => match (&self.accepted, self.needs) {
                (Some(accepted), _) if !permission_names(accepted).is_empty() => format!(
                    "the token lacks a permission; GitHub accepts: {} (fine-grained token; `{}`), or the `repo` scope (classic token)",
                    permission_names(accepted),
                    untrusted::escape(accepted)
                ),
                (_, Some(needs)) => needs.hint(),
                _ => "the token lacks a permission on this repository; see the README's token section".to_owned(),
            },
            ApiErrorKind::NotFound => "check the repository name and that the token can see it (a private repository the token cannot read is a 404 too)".to_owned(),
            ApiErrorKind::Rejected => "GitHub refused the change as written; see its message above".to_owned(),
            ApiErrorKind::Moved => "the repository was renamed or transferred, and GitHub points at its new place; use its new name (--repo OWNER/NAME or the policy's `repository`)".to_owned(),
            ApiErrorKind::RateLimited => "try again after the reset, or use a token with a higher limit".to_owned(),
            ApiErrorKind::Server if write => "GitHub failed (the write was not retried, and may or may not have taken effect); run `gh-policy plan` to see, then apply again".to_owned(),
            ApiErrorKind::Server => "GitHub failed; try again later (https://www.githubstatus.com)".to_owned(),
            ApiErrorKind::Malformed => "an unexpected answer; run with -v to see the calls".to_owned(),
            ApiErrorKind::Timeout | ApiErrorKind::Connection if write => "the write may or may not have reached GitHub (it was not retried); run `gh-policy plan` to see, then apply again".to_owned(),
            ApiErrorKind::Timeout => "GitHub did not answer in time; try again, or raise --request-timeout".to_owned(),
            ApiErrorKind::Deadline => "GitHub is slow or failing; try again later, or raise --timeout".to_owned(),
            ApiErrorKind::Tls => "the server's TLS certificate was not accepted; check the host and your CA certificates".to_owned(),
            ApiErrorKind::Resolve => "check the host name in --api-url / GITHUB_API_URL and your network".to_owned(),
            ApiErrorKind::Connection => "the connection failed; try again, and check --api-url and your network".to_owned(),
            ApiErrorKind::Proxy => "the proxy (HTTPS_PROXY or ALL_PROXY) did not open a tunnel to GitHub: check its address and credentials (http://USER:PASSWORD@HOST:PORT), or leave GitHub's host out with NO_PROXY".to_owned(),
        }
    }
}

impl ApiError {
    /// Builds the error for an answer with an unexpected status: the kind from the status,
    /// GitHub's message and validation errors as the cause, and the permissions a 403 says
    /// it accepts.
    pub fn from_status(response: &HttpResponse, call: impl Into<Call>) -> Self {
        #[derive(serde::Deserialize, Default)]
        struct Body {
            #[serde(default)]
            message: Option<String>,
            #[serde(default)]
            errors: Vec<serde_json::Value>,
        }
        let status = response.status.as_u16();
        let body: Body = serde_json::from_slice(&response.body).unwrap_or_default();
        // An answer may echo the request's credentials: blanked before anything is cut
        // short, so that no part of one is left to quote.
        let message = match body.message {
            Some(message) => redact(&message).into_owned(),
            None => redact(&String::from_utf8_lossy(&response.body))
                .chars()
                .take(200)
                .collect(),
        };
        // An empty message says nothing: the status's own name does.
        let message = if message.trim().is_empty() {
            response
                .status
                .canonical_reason()
                .unwrap_or("no message")
                .to_owned()
        } else {
            message
        };
        let errors = body
            .errors
            .iter()
            .map(|error| match error {
                serde_json::Value::String(text) => text.clone(),
                other => other
                    .get("message")
                    .and_then(serde_json::Value::as_str)
                    .map_or_else(|| other.to_string(), str::to_owned),
            })
            .map(|text| redact(&text).into_owned())
            .collect();
        let kind = match status {
            401 => ApiErrorKind::Auth,
            403 => ApiErrorKind::Permission,
            404 => ApiErrorKind::NotFound,
            400 | 409 | 422 => ApiErrorKind::Rejected,
            301 | 302 | 307 | 308 => ApiErrorKind::Moved,
            500..=599 => ApiErrorKind::Server,
            _ => ApiErrorKind::Malformed,
        };
        let mut error = Self::new(kind, call).because(Cause::Status {
            status,
            message: untrusted::escape(&message).into_owned(),
            errors,
        });
        if kind == ApiErrorKind::Permission {
            error.accepted = response
                .header("x-accepted-github-permissions")
                .map(str::to_owned);
        }
        if kind == ApiErrorKind::Moved
            && let Some(to) = response
                .header("location")
                .map(str::to_owned)
                .or_else(|| moved_url(&response.body))
        {
            error = error.with_hint(format!(
                "the repository was renamed or transferred: GitHub points at {}; use its new name (--repo OWNER/NAME or the policy's `repository`)",
                untrusted::quote(&to)
            ));
        }
        error
    }
}

/// Returns the `url` of a redirect's `basic-error` body.
fn moved_url(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Moved {
        url: String,
    }
    serde_json::from_slice::<Moved>(body).ok().map(|m| m.url)
}

impl From<ApiError> for crate::Error {
    fn from(err: ApiError) -> Self {
        let hint = err.hint();
        let message = err.to_string();
        let error = crate::Error::with_kind(crate::error::ErrorKind::Api, message);
        let error = match err.cause {
            Some(cause) => error.caused_by(cause as Box<dyn std::error::Error + Send + Sync>),
            None => error,
        };
        error.with_hint(hint)
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_403_names_what_github_accepts_or_what_the_call_needs() {
        let mut err = ApiError::new(ApiErrorKind::Permission, Call::get("/x"))
            .needing(Permission::AdministrationRead);
        assert!(
            err.hint().contains("\"Administration: read\""),
            "{}",
            err.hint()
        );
        err.accepted = Some("administration=write".to_owned());
        assert!(err.hint().contains("GitHub accepts: Administration: write"));
    }

    #[test]
    fn the_chain_carries_githubs_message() {
        let err = ApiError::new(ApiErrorKind::Rejected, Call::new(http::Method::PUT, "/x"))
            .because(Cause::Status {
                status: 422,
                message: "Validation Failed".to_owned(),
                errors: vec!["bad".to_owned()],
            });
        let error = crate::Error::from(err);
        assert_eq!(
            error.to_string(),
            "GitHub API call failed: PUT /x: 422: Validation Failed (bad)"
        );
    }
}
