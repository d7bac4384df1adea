//! Errors from talking to GitHub, each naming the API call and, where one exists, the fix.

use std::fmt;

use super::client::ApiResponse;

/// What went wrong with an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// The client could not be set up (bad URL, refused plain http).
    Config,
    /// No token, or GitHub rejected it (401).
    Auth,
    /// The token lacks a permission (403).
    Permission,
    /// The repository or another object does not exist or is not visible (404).
    NotFound,
    /// GitHub refused the request body (400, 422).
    Rejected,
    /// A rate limit that will not reset soon enough to wait for it.
    RateLimited,
    /// GitHub failed (5xx) after the retries.
    Server,
    /// A body that is not the JSON GitHub documents.
    MalformedResponse,
    /// No complete answer within the request timeout.
    Timeout,
    /// The overall timeout ran out; never retried.
    Deadline,
    /// The TLS handshake failed.
    Tls,
    /// DNS, connection refused or reset.
    Transport,
}

/// A failed API call: what, where, why and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The category, which decides retries and hints.
    pub kind: ApiErrorKind,
    /// The call, e.g. `GET /repos/acme/api/branches/main/protection`.
    pub call: String,
    /// Why it failed: GitHub's message as GitHub wrote it, or the transport error.
    pub detail: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl ApiError {
    /// Returns an error of the given kind for the given call.
    pub fn new(kind: ApiErrorKind, call: impl Into<String>) -> Self {
        Self {
            kind,
            call: call.into(),
            detail: None,
            hint: None,
        }
    }

    /// Sets the detail.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Sets the hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds the error that led up to this one (e.g. the failure before the time ran out).
    #[must_use]
    pub fn with_last_error(mut self, last: &ApiError) -> Self {
        let last = last.detail.as_deref().unwrap_or(last.kind_label());
        let detail = self.detail.take().unwrap_or_default();
        self.detail = Some(format!("{detail}; the last attempt failed with: {last}"));
        self
    }

    /// Builds the error for an unexpected status, with GitHub's message and a hint that
    /// fits the status. `permission` names what a 403 needs, when the caller knows.
    pub fn from_response(response: &ApiResponse, call: &str) -> Self {
        let status = response.status.as_u16();
        let message = response.message().unwrap_or_else(|| {
            String::from_utf8_lossy(&response.body)
                .chars()
                .take(200)
                .collect()
        });
        let errors = validation_errors(response);
        let detail = if errors.is_empty() {
            format!("{status}: {message}")
        } else {
            format!("{status}: {message} ({})", errors.join("; "))
        };
        let (kind, hint) = match status {
            401 => (
                ApiErrorKind::Auth,
                "the token was rejected: it is wrong, expired or revoked; set a valid GITHUB_TOKEN (or GH_TOKEN)"
                    .to_owned(),
            ),
            403 => {
                let accepted = response
                    .headers
                    .get("x-accepted-github-permissions")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let hint = match accepted {
                    Some(accepted) => format!(
                        "the token lacks a permission; GitHub accepts: {} (fine-grained token; `{accepted}`), or the `repo` scope (classic token)",
                        permission_names(&accepted)
                    ),
                    None => "the token lacks a permission on this repository; see the README's token section".to_owned(),
                };
                (ApiErrorKind::Permission, hint)
            }
            404 => (
                ApiErrorKind::NotFound,
                "check the repository name and that the token can see it (a private repository the token cannot read is a 404 too)"
                    .to_owned(),
            ),
            400 | 409 | 422 => (
                ApiErrorKind::Rejected,
                "GitHub refused the change as written; see its message above".to_owned(),
            ),
            500..=599 if call.starts_with("GET ") => (
                ApiErrorKind::Server,
                "GitHub failed; try again later (https://www.githubstatus.com)".to_owned(),
            ),
            500..=599 => (
                ApiErrorKind::Server,
                "GitHub failed (the write was not retried, and may or may not have taken effect); run `gh-policy plan` to see, then apply again"
                    .to_owned(),
            ),
            _ => (
                ApiErrorKind::MalformedResponse,
                "an unexpected answer; run with -v to see the calls".to_owned(),
            ),
        };
        Self::new(kind, call).with_detail(detail).with_hint(hint)
    }

    /// Returns true for failures worth retrying on a read: timeouts and dropped connections.
    pub fn is_transient(&self) -> bool {
        matches!(self.kind, ApiErrorKind::Timeout | ApiErrorKind::Transport)
            && !self
                .detail
                .as_deref()
                .is_some_and(|d| d.contains("dns") || d.contains("lookup"))
    }

    /// Returns a short label of the kind, for `-v` logs.
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            ApiErrorKind::Config => "configuration",
            ApiErrorKind::Auth => "authentication",
            ApiErrorKind::Permission => "permission",
            ApiErrorKind::NotFound => "not found",
            ApiErrorKind::Rejected => "rejected",
            ApiErrorKind::RateLimited => "rate limited",
            ApiErrorKind::Server => "server error",
            ApiErrorKind::MalformedResponse => "malformed response",
            ApiErrorKind::Timeout => "timeout",
            ApiErrorKind::Deadline => "overall timeout",
            ApiErrorKind::Tls => "TLS",
            ApiErrorKind::Transport => "connection",
        }
    }
}

/// Turns `x-accepted-github-permissions` (`administration=read; contents=read,metadata=read`)
/// into the names GitHub's token settings show (`Administration: read`).
fn permission_names(header: &str) -> String {
    let name = |item: &str| {
        let (name, level) = item.trim().split_once('=')?;
        let name = name.trim().replace('_', " ");
        let mut chars = name.chars();
        let first = chars.next()?;
        Some(format!(
            "{}{}: {}",
            first.to_uppercase(),
            chars.as_str(),
            level.trim()
        ))
    };
    header
        .split(';')
        .map(|set| {
            set.split(',')
                .filter_map(name)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|set| !set.is_empty())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Returns the `errors` of a 422 body, whether GitHub sent objects or strings.
fn validation_errors(response: &ApiResponse) -> Vec<String> {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&response.body) else {
        return Vec::new();
    };
    let Some(errors) = body.get("errors").and_then(|e| e.as_array()) else {
        return Vec::new();
    };
    errors
        .iter()
        .map(|error| match error {
            serde_json::Value::String(text) => text.replace('\n', " "),
            other => other
                .get("message")
                .and_then(|m| m.as_str())
                .map_or_else(|| other.to_string(), str::to_owned),
        })
        .collect()
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.call)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl From<ApiError> for crate::Error {
    fn from(err: ApiError) -> Self {
        let mut error = crate::Error::new(format!("GitHub API call failed: {}", err.call));
        if let Some(detail) = err.detail {
            error = error.caused_by(format!("caused by: {detail}"));
        }
        if let Some(hint) = err.hint {
            error = error.with_hint(hint);
        }
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_permissions_read_as_github_shows_them() {
        assert_eq!(
            permission_names("administration=read"),
            "Administration: read"
        );
        assert_eq!(
            permission_names("pull_requests=write, contents=read; metadata=read"),
            "Pull requests: write, Contents: read or Metadata: read"
        );
        assert_eq!(permission_names("garbage"), "");
    }
}
