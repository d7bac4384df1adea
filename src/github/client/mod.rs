//! HTTP to the GitHub REST API: the token, headers, retries, rate limits, timeouts,
//! pacing, pagination and the conditional-request cache.
//!
//! Requests go through a [`Transport`] (the real one is hyper with rustls), so this module
//! sees every status and header and its tests run against a scripted transport under
//! Tokio's paused clock. Retries are decided here: a read is tried again after a 5xx, a
//! timeout, a dropped connection or an answer cut short; a write never is, unless GitHub
//! refused it unprocessed (a rate limit).
//!
//! Two handles expose the client: [`ReadClient`] can only GET (what `plan` and `export`
//! hold, so the reading path has no way to write), and [`WriteClient`] adds writes.

pub mod cache;
mod credentials;
mod pagination;
pub mod points;
pub mod proxy;
pub mod rate_limit;
mod root;
pub mod run;
mod sending;
pub mod transport;
pub mod window;

#[cfg(test)]
mod pacing_tests;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use cache::EtagCache;
pub use credentials::{Credentials, Token};
pub use root::ApiRoot;
pub use transport::{HttpRequest, HttpResponse, HttpTransport, Transport, TransportError};

use super::error::{ApiError, ApiErrorKind, Call};
use super::path::ApiPath;
use crate::output::progress::Log;

/// The API version every request asks for.
pub const API_VERSION: &str = "2022-11-28";

/// The headers every request to GitHub carries: the credentials (marked sensitive, so no
/// debug output shows them), the media type, the API version and who is calling.
pub fn github_headers(authorization: &str, call: &Call) -> Result<http::HeaderMap, ApiError> {
    use http::header::{self, HeaderValue};
    let mut value = HeaderValue::from_str(authorization).map_err(|_| {
        ApiError::new(ApiErrorKind::Auth, call)
            .with_detail("the credentials have characters that cannot go in an HTTP header")
    })?;
    value.set_sensitive(true);
    let mut headers = http::HeaderMap::new();
    headers.insert(header::AUTHORIZATION, value);
    headers.insert(
        header::ACCEPT,
        HeaderValue::from_static("application/vnd.github+json"),
    );
    headers.insert(
        "x-github-api-version",
        HeaderValue::from_static(API_VERSION),
    );
    headers.insert(
        header::USER_AGENT,
        HeaderValue::from_static(concat!("gh-policy/", env!("CARGO_PKG_VERSION"))),
    );
    Ok(headers)
}

/// The most requests one client has in flight, whatever `concurrency` asks: GitHub's
/// secondary limit on concurrent requests.
pub const MAX_IN_FLIGHT: usize = 100;

/// How the client behaves; built by the commands from flags and the environment.
#[derive(Clone)]
pub struct ClientConfig {
    /// Where requests go.
    pub root: ApiRoot,
    /// Who they are made as.
    pub credentials: Arc<dyn Credentials>,
    /// How many requests may be in flight at once (1 to [`MAX_IN_FLIGHT`]); `None`: as
    /// many as GitHub takes, found by an adaptive window (`window`).
    pub concurrency: Option<usize>,
    /// The most points spent on one endpoint (method and path template) within
    /// `points_window`, where a GET costs 1 and a write 5 (GitHub: 900 a minute); 0 turns
    /// this pacing off.
    pub points_per_minute: u32,
    /// The window `points_per_minute` is counted over (GitHub: 60 s; tests shorten it).
    pub points_window: Duration,
    /// How long one attempt may take, response body included.
    pub request_timeout: Duration,
    /// How long all requests of the client may take together, waits and retries included,
    /// counted from when the client is built; `None` for no limit.
    pub overall_timeout: Option<Duration>,
    /// How many times a failed read is tried again (5xx, timeout, connection reset).
    pub read_retries: u32,
    /// The first pause before a retry; it doubles each time, with jitter.
    pub retry_base_delay: Duration,
    /// The longest the client waits for a rate limit to reset before giving up.
    pub max_rate_limit_wait: Duration,
    /// The least time between two writes (GitHub asks for a second).
    pub write_pace: Duration,
    /// Log each request (method, path, status, time).
    pub verbose: bool,
    /// Where progress lines go (retries, waits, `-v`).
    pub log: Arc<dyn Log>,
    /// Where conditional-request `ETags` and bodies are kept, if anywhere.
    pub cache: Option<EtagCache>,
    /// What the clients of one run share (the deadline, a rate-limit pause, the halt).
    pub run: Arc<run::Run>,
    /// Added to `-v` lines, saying whose calls they are (`, as the app`).
    pub log_suffix: &'static str,
}

impl ClientConfig {
    /// Returns a configuration with the defaults for everything but where and who.
    pub fn new(root: ApiRoot, credentials: Arc<dyn Credentials>) -> Self {
        Self {
            root,
            credentials,
            concurrency: Some(8),
            points_per_minute: 900,
            points_window: Duration::from_secs(60),
            request_timeout: Duration::from_secs(30),
            overall_timeout: Some(Duration::from_secs(600)),
            read_retries: 3,
            retry_base_delay: Duration::from_millis(500),
            max_rate_limit_wait: Duration::from_secs(90),
            write_pace: Duration::from_secs(1),
            verbose: false,
            log: Arc::new(crate::output::progress::StderrLog),
            cache: None,
            run: Arc::default(),
            log_suffix: "",
        }
    }
}

/// A client that can read: both handles.
pub trait Reads: Send + Sync {
    /// Returns the reading handle.
    fn reads(&self) -> &ReadClient;
}

impl Reads for ReadClient {
    fn reads(&self) -> &ReadClient {
        self
    }
}

impl Reads for WriteClient {
    fn reads(&self) -> &ReadClient {
        &self.reads
    }
}

/// A GitHub client that can only read. `plan`, `explain` and `export` hold this.
#[derive(Clone)]
pub struct ReadClient {
    inner: Arc<sending::Sender>,
}

/// A GitHub client that can also write. Only `apply` builds one.
#[derive(Clone)]
pub struct WriteClient {
    inner: Arc<sending::Sender>,
    reads: ReadClient,
}

impl ReadClient {
    /// Builds a client over the real transport.
    pub fn new(config: ClientConfig) -> Self {
        let transport = Arc::new(HttpTransport::for_root(&config.root));
        Self::with_transport(config, transport)
    }

    /// Builds a client over the given transport.
    pub fn with_transport(config: ClientConfig, transport: Arc<dyn Transport>) -> Self {
        Self {
            inner: Arc::new(sending::Sender::new(config, transport)),
        }
    }

    /// Sends a GET (retried when that is safe) and returns the answer whatever its status.
    pub async fn get(&self, path: &ApiPath) -> Result<HttpResponse, ApiError> {
        self.inner.get(path).await
    }

    /// GETs a list, following `Link: rel="next"` to the end, and returns the items.
    /// `field` names the array in wrapped lists (`{total_count, environments: [...]}`);
    /// `None` means the body is a bare array. A status other than 200 is an error.
    pub async fn get_all<T: DeserializeOwned>(
        &self,
        path: &ApiPath,
        field: Option<&str>,
    ) -> Result<Vec<T>, ApiError> {
        self.inner.get_all(path, field).await
    }

    /// POSTs one GraphQL query (it only reads, so it is retried like a GET) and returns the
    /// answer whatever its status.
    pub async fn graphql(&self, body: &serde_json::Value) -> Result<HttpResponse, ApiError> {
        let bytes = serde_json::to_vec(body).map_err(|err| {
            ApiError::new(
                ApiErrorKind::Malformed,
                crate::github::error::Call::new(http::Method::POST, "/graphql"),
            )
            .with_detail(format!("the query could not be written: {err}"))
        })?;
        self.inner.post_query(bytes).await
    }

    /// Returns the API root, for messages.
    pub fn root(&self) -> &ApiRoot {
        self.inner.root()
    }

    /// Returns why the client stopped sending (a rate limit that asked for a longer wait
    /// than allowed), if it did.
    pub fn halted(&self) -> Option<rate_limit::Halt> {
        self.inner.halted()
    }

    /// Returns true when the cache holds an answer for the path (its first page), which a
    /// conditional request can have confirmed for free.
    pub fn is_cached(&self, path: &ApiPath) -> bool {
        self.inner.is_cached(path)
    }

    /// Says `line` in the `-v` log (nothing without `-v`), beside the request lines.
    pub fn note(&self, line: &str) {
        self.inner.note(line);
    }
}

impl WriteClient {
    /// Builds a client over the real transport.
    pub fn new(config: ClientConfig) -> Self {
        let transport = Arc::new(HttpTransport::for_root(&config.root));
        Self::with_transport(config, transport)
    }

    /// Builds a client over the given transport.
    pub fn with_transport(config: ClientConfig, transport: Arc<dyn Transport>) -> Self {
        let inner = Arc::new(sending::Sender::new(config, transport));
        Self {
            reads: ReadClient {
                inner: Arc::clone(&inner),
            },
            inner,
        }
    }

    /// Returns the read-only view of this client.
    pub fn reader(&self) -> &ReadClient {
        &self.reads
    }

    /// Starts the overall timeout afresh (after waiting for a person's confirmation).
    pub fn restart_deadline(&self) {
        self.inner.restart_deadline();
    }

    /// Sends one write with a JSON body, paced after the previous one. It is never retried
    /// unless GitHub refused it unprocessed (a rate limit). Returns the answer whatever its
    /// status.
    pub async fn send<B: Serialize + Sync>(
        &self,
        method: Method,
        path: &ApiPath,
        body: &B,
    ) -> Result<HttpResponse, ApiError> {
        let bytes = serde_json::to_vec(body).map_err(|err| {
            ApiError::new(super::ApiErrorKind::Malformed, path.call(method.clone()))
                .with_detail(format!("the request body could not be written: {err}"))
        })?;
        self.inner.write(method, path, Some(bytes)).await
    }

    /// Sends a write that is safe to send again (minting a token): retried like a read,
    /// never paced or cached. Returns the answer whatever its status.
    pub async fn send_repeatable(
        &self,
        method: Method,
        path: &ApiPath,
        body: &serde_json::Value,
    ) -> Result<HttpResponse, ApiError> {
        self.inner
            .repeatable(method, path, body.to_string().into_bytes())
            .await
    }

    /// Sends one write without a body (a DELETE, a POST that switches a setting on).
    pub async fn send_empty(
        &self,
        method: Method,
        path: &ApiPath,
    ) -> Result<HttpResponse, ApiError> {
        self.inner.write(method, path, None).await
    }
}
