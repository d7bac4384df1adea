//! Injected faults: what they do, which requests they hit, and the answers they give.

use std::sync::Mutex;
use std::time::Duration;

use crate::limits::{LIMIT, now_secs};
use crate::state::{Reply, docs, error};
use crate::sync::lock;

/// What an injected fault does.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// Answer this status with a `basic-error` body (e.g. 500, 502); the request is not processed.
    Status(u16),
    /// 403 with GitHub's primary rate-limit message, `x-ratelimit-remaining: 0` and
    /// `x-ratelimit-reset` = now + `reset_in`.
    PrimaryRateLimit {
        /// Time until the reset header's moment.
        reset_in: Duration,
    },
    /// 403 with GitHub's secondary rate-limit message (`documentation_url` ending in
    /// `secondary-rate-limits`) and `Retry-After` when given.
    SecondaryRateLimit {
        /// Seconds for the `Retry-After` header.
        retry_after: Option<u64>,
    },
    /// Process the request normally but send only the first half of the body (200 stays 200).
    TruncatedBody,
    /// Drop the connection without an answer; the request is not processed.
    CloseConnection,
    /// Wait, then process the request normally.
    Delay(Duration),
    /// `429 Too Many Requests` with `Retry-After` and a body that does not say which limit
    /// (as a proxy in front of GitHub, or GitHub itself, may send).
    TooManyRequests {
        /// Seconds for the `Retry-After` header.
        retry_after: u64,
    },
    /// Answer `status` with the request's `Authorization` header echoed in the body, as a
    /// misconfigured proxy or server does; the request is not processed.
    EchoAuthorization {
        /// The status, e.g. 400 or 502.
        status: u16,
        /// Where in the body the header is echoed.
        shape: Echo,
    },
    /// Process the request normally, then answer this status instead of its own, body
    /// kept (a proxy that turns `201 Created` into `200 OK`).
    RewriteStatus(u16),
    /// Process the request normally; a list answer repeats its first item at its end (as
    /// a listing does when items move between pages while it is read).
    RepeatFirstItem,
    /// 403 "Resource not accessible by personal access token" with
    /// `x-accepted-github-permissions: <accepted_permissions>`.
    Forbidden {
        /// e.g. `"administration=read"`.
        accepted_permissions: String,
    },
    /// Process the request normally, then set the value at `pointer` (a JSON pointer into
    /// the answer's body), or with `None` remove it: the answer of a later GitHub, with a
    /// value the API data does not list yet, or one that lacks a field it documents. Such
    /// an answer is not checked against the response schema.
    Rewrite {
        /// e.g. `/enforcement`, or `/0/enforcement` in a list.
        pointer: String,
        /// The value to put there; `None` removes the key.
        value: Option<serde_json::Value>,
    },
}

/// Sets (or with `None` removes) the value at a JSON pointer of `body`; nothing happens
/// when its parent is not there.
pub(crate) fn rewrite(
    body: &mut serde_json::Value,
    pointer: &str,
    value: Option<serde_json::Value>,
) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match (body.pointer_mut(parent), value) {
        (Some(serde_json::Value::Object(map)), Some(value)) => {
            map.insert(last, value);
        }
        (Some(serde_json::Value::Object(map)), None) => {
            map.remove(&last);
        }
        (Some(serde_json::Value::Array(items)), Some(value)) => {
            if let Some(item) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *item = value;
            }
        }
        _ => {}
    }
}

/// Where an echoing server puts the `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    /// In the `message` of a JSON error.
    Message,
    /// In an item of the `errors` array of a JSON error.
    Errors,
    /// In an HTML page (`text/html`).
    Html,
}

/// A fault that fires for matching requests, a number of times.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Only this method (case-insensitive); `None` matches every method.
    pub method: Option<String>,
    /// Only paths containing this (as sent, percent-encoded); empty matches every path.
    pub path_contains: String,
    /// Only requests to this repository (`owner/name`, case-insensitive, under `/repos/`).
    pub repository: Option<String>,
    /// Only requests to this operation: its path template as GitHub's description writes it,
    /// e.g. `/repos/{owner}/{repo}/environments/{environment_name}`.
    pub operation: Option<String>,
    /// How many times it fires.
    pub times: usize,
    /// What it does.
    pub kind: FaultKind,
}

impl Fault {
    /// Returns a fault that fires once on any request.
    pub fn new(kind: FaultKind) -> Self {
        Self {
            method: None,
            path_contains: String::new(),
            repository: None,
            operation: None,
            times: 1,
            kind,
        }
    }
    /// Restricts the fault to one method.
    #[must_use]
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }
    /// Restricts the fault to paths containing `part`.
    #[must_use]
    pub fn path(mut self, part: &str) -> Self {
        part.clone_into(&mut self.path_contains);
        self
    }
    /// Restricts the fault to requests under `/repos/{owner}/{name}/` for `repository`
    /// (`owner/name`, case-insensitive, `%2F`-free as sent).
    #[must_use]
    pub fn repository(mut self, repository: &str) -> Self {
        self.repository = Some(repository.to_owned());
        self
    }
    /// Restricts the fault to one operation: a method and the path template GitHub's
    /// description gives it, e.g. `("PUT", "/repos/{owner}/{repo}/environments/{environment_name}")`
    /// (and not the secrets under that environment, which a path part would also match).
    #[must_use]
    pub fn operation(mut self, method: &str, template: &str) -> Self {
        self.method = Some(method.to_owned());
        self.operation = Some(template.to_owned());
        self
    }
    /// Makes the fault fire on every matching request, for good.
    #[must_use]
    pub fn always(mut self) -> Self {
        self.times = usize::MAX;
        self
    }
    /// Sets how many times the fault fires.
    #[must_use]
    pub fn times(mut self, n: usize) -> Self {
        self.times = n;
        self
    }
}

/// Returns whether `path` (after any prefix) is under `/repos/{repository}`.
fn under_repo(path: &str, repository: &str) -> bool {
    let mut segs = path.split('/').skip_while(|s| *s != "repos").skip(1);
    let (Some(owner), Some(name)) = (segs.next(), segs.next()) else {
        return false;
    };
    let decoded = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    format!("{}/{}", decoded(owner), decoded(name)).eq_ignore_ascii_case(repository)
}

/// Takes the first fault that matches the request, counting it down. `template` is the
/// operation the path routes to, if any.
pub(crate) fn take_fault(
    faults: &Mutex<Vec<Fault>>,
    method: &str,
    path: &str,
    template: Option<&str>,
) -> Option<FaultKind> {
    let mut faults = lock(faults);
    let i = faults.iter().position(|f| {
        f.times > 0
            && f.method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && path.contains(&f.path_contains)
            && f.repository.as_deref().is_none_or(|r| under_repo(path, r))
            && f.operation.as_deref().is_none_or(|o| template == Some(o))
    })?;
    faults[i].times = faults[i]
        .times
        .saturating_sub(usize::from(faults[i].times != usize::MAX));
    let kind = faults[i].kind.clone();
    if faults[i].times == 0 {
        faults.remove(i);
    }
    Some(kind)
}

/// Returns the answer of a fault that answers instead of the handler.
pub(crate) fn fault_reply(kind: &FaultKind) -> Reply {
    match kind {
        FaultKind::Status(code) => {
            let message = match code {
                401 => "Bad credentials",
                500 => "Server Error",
                502 => "Bad Gateway",
                503 => "Service Unavailable",
                504 => "Gateway Timeout",
                404 => "Not Found",
                403 => "Forbidden",
                _ => "Error",
            };
            error(*code, message, docs::REST)
        }
        FaultKind::PrimaryRateLimit { reset_in } => {
            primary_limit_reply(LIMIT, now_secs() + reset_in.as_secs())
        }
        FaultKind::SecondaryRateLimit { retry_after } => secondary_limit_reply(*retry_after),
        FaultKind::Forbidden {
            accepted_permissions,
        } => {
            let mut r = error(
                403,
                "Resource not accessible by personal access token",
                docs::REST,
            );
            r.headers.push((
                "x-accepted-github-permissions".into(),
                accepted_permissions.clone(),
            ));
            r
        }
        FaultKind::TooManyRequests { retry_after } => {
            let mut r = Reply::json(429, serde_json::json!({"message": "Too Many Requests"}));
            r.headers
                .push(("retry-after".into(), retry_after.to_string()));
            r
        }
        // Handled by the caller.
        FaultKind::TruncatedBody
        | FaultKind::CloseConnection
        | FaultKind::Delay(_)
        | FaultKind::EchoAuthorization { .. }
        | FaultKind::RewriteStatus(_)
        | FaultKind::RepeatFirstItem
        | FaultKind::Rewrite { .. } => error(500, "Server Error", docs::REST),
    }
}

/// Returns the answer of a server that echoes the request's `Authorization` header.
pub(crate) fn echo_reply(status: u16, shape: Echo, authorization: &str) -> Reply {
    let echoed = format!("Authorization: {authorization}");
    match shape {
        Echo::Message => Reply::json(
            status,
            serde_json::json!({"message": format!("Bad request: {echoed}"), "status": status.to_string()}),
        ),
        Echo::Errors => Reply::json(
            status,
            serde_json::json!({"message": "Validation Failed", "errors": [{"code": "custom", "message": echoed}]}),
        ),
        Echo::Html => {
            let mut r = Reply::empty(status);
            r.text = Some(
                format!(
                    "<html><body><h1>{status} Bad Gateway</h1><pre>GET / HTTP/1.1\n{echoed}\n</pre></body></html>"
                )
                .into(),
            );
            r
        }
    }
}

/// Returns GitHub's 403 for an exhausted primary rate limit (`x-ratelimit-remaining: 0`).
pub(crate) fn primary_limit_reply(limit: u64, reset: u64) -> Reply {
    let mut r = error(
        403,
        "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.",
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit",
    );
    r.headers
        .push(("x-ratelimit-limit".into(), limit.to_string()));
    r.headers.push(("x-ratelimit-remaining".into(), "0".into()));
    r.headers
        .push(("x-ratelimit-resource".into(), "core".into()));
    r.headers
        .push(("x-ratelimit-used".into(), limit.to_string()));
    r.headers
        .push(("x-ratelimit-reset".into(), reset.to_string()));
    r
}

/// Returns GitHub's 403 for a secondary rate limit: the message, a `documentation_url` ending
/// in `#about-secondary-rate-limits`, and `retry-after` when given.
pub(crate) fn secondary_limit_reply(retry_after: Option<u64>) -> Reply {
    let mut r = error(
        403,
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    );
    if let Some(s) = retry_after {
        r.headers.push(("retry-after".into(), s.to_string()));
    }
    r
}
