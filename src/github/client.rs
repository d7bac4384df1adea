//! HTTP to the GitHub REST API: base URL, token, headers, retries, rate limits, pagination.
//!
//! Everything goes through octocrab's raw request methods, so that this module sees every
//! status and header. octocrab's own retry layer is not compiled in (it resends writes on any
//! 5xx without a pause); retries are decided here, and only for reads or for requests GitHub
//! refused without processing (rate limits).
//!
//! Two handles expose the client: `ReadApi` can only GET (what `plan` and `export` hold, so
//! the reading path has no way to write), and `WriteApi` adds PUT, POST, PATCH and DELETE.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderValue, Method, StatusCode};
use http_body_util::BodyExt;
use octocrab::Octocrab;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::Semaphore;

use super::cache::EtagCache;
use super::error::{ApiError, ApiErrorKind};

/// The API version every request asks for.
const API_VERSION: &str = "2022-11-28";

/// How the client behaves; built by the commands from flags and the environment.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The API root, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`.
    pub api_url: String,
    /// The token. Never printed, never logged.
    pub token: String,
    /// How many requests may be in flight at once.
    pub concurrency: usize,
    /// How long one attempt may take, response body included.
    pub request_timeout: Duration,
    /// How long all requests of the client may take together, waits and retries included,
    /// counted from when the client is built; `None` for no limit.
    pub overall_timeout: Option<Duration>,
    /// How many times a failed read is tried again (5xx, timeout, connection reset).
    pub read_retries: u32,
    /// The first pause before a retry; it doubles each time, with jitter.
    pub retry_base_delay: Duration,
    /// The longest the client waits for a primary rate limit to reset before giving up.
    pub max_rate_limit_wait: Duration,
    /// Log each request (method, path, status, time) to stderr.
    pub verbose: bool,
    /// Where conditional-request `ETags` and bodies are kept, if anywhere.
    pub cache: Option<EtagCache>,
}

impl ClientConfig {
    /// Returns a configuration with the defaults for everything but the URL and token.
    pub fn new(api_url: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            api_url: api_url.into(),
            token: token.into(),
            concurrency: 8,
            request_timeout: Duration::from_secs(30),
            overall_timeout: Some(Duration::from_secs(600)),
            read_retries: 3,
            retry_base_delay: Duration::from_millis(500),
            max_rate_limit_wait: Duration::from_secs(90),
            verbose: false,
            cache: None,
        }
    }
}

/// A response: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl ApiResponse {
    /// Parses the body as JSON of the given type; `call` names the request in the error.
    pub fn json<T: DeserializeOwned>(&self, call: &str) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body).map_err(|err| {
            ApiError::new(ApiErrorKind::MalformedResponse, call).with_detail(format!(
                "the response is not the JSON GitHub documents: {err}"
            ))
        })
    }

    /// Returns GitHub's `message` from an error body, if there is one.
    pub fn message(&self) -> Option<String> {
        let value: Value = serde_json::from_slice(&self.body).ok()?;
        value.get("message")?.as_str().map(str::to_owned)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The shared client behind `ReadApi` and `WriteApi`.
struct Client {
    octocrab: Octocrab,
    /// `scheme://authority` of the API, to recognise our own `Link` URLs.
    origin: String,
    config: ClientConfig,
    in_flight: Semaphore,
    /// When the overall timeout runs out (restarted after `apply`'s confirmation prompt,
    /// which may take a person any time).
    deadline: std::sync::Mutex<Option<Instant>>,
}

/// A GitHub client that can only read. `plan` and `export` hold this.
#[derive(Clone)]
pub struct ReadApi {
    client: Arc<Client>,
}

/// A GitHub client that can also write. Only `apply` builds one.
#[derive(Clone)]
pub struct WriteApi {
    client: Arc<Client>,
}

impl ReadApi {
    /// Builds a client from the configuration; checks the URL first.
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        Ok(Self {
            client: Arc::new(Client::new(config)?),
        })
    }

    /// Sends a GET (retried when that is safe) and returns the response whatever its status.
    pub async fn get(&self, path: &str) -> Result<ApiResponse, ApiError> {
        self.client.get(path).await
    }

    /// GETs a list, following `Link: rel="next"` to the end, and returns the items.
    /// `field` names the array in wrapped lists (`{total_count, environments: [...]}`);
    /// `None` means the body is a bare array.
    pub async fn get_all(&self, path: &str, field: Option<&str>) -> Result<Vec<Value>, ApiError> {
        self.client.get_all(path, field).await
    }
}

impl WriteApi {
    /// Builds a client from the configuration; checks the URL first.
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        Ok(Self {
            client: Arc::new(Client::new(config)?),
        })
    }

    /// Returns the read-only view of this client.
    pub fn reader(&self) -> ReadApi {
        ReadApi {
            client: Arc::clone(&self.client),
        }
    }

    /// Starts the overall timeout afresh (after waiting for a person's confirmation).
    pub fn restart_deadline(&self) {
        self.client.restart_deadline();
    }

    /// Sends one write. It is never retried unless GitHub refused it unprocessed (rate limit).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<ApiResponse, ApiError> {
        self.client.write(method, path, body).await
    }
}

impl Client {
    fn new(config: ClientConfig) -> Result<Self, ApiError> {
        let call = "configuring the GitHub client";
        let url = config.api_url.trim_end_matches('/').to_owned();
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            ApiError::new(ApiErrorKind::Config, call)
                .with_detail(format!("`{url}` is not a URL"))
                .with_hint("give --api-url like https://api.github.com or https://HOST/api/v3")
        })?;
        let authority = rest.split('/').next().unwrap_or(rest);
        match scheme {
            "https" => {}
            "http" if is_loopback(authority) => {}
            "http" => {
                return Err(ApiError::new(ApiErrorKind::Config, call)
                    .with_detail(format!("refusing plain http to `{authority}`: the token would travel in clear text"))
                    .with_hint("use https, or plain http only to a loopback address (127.0.0.1, localhost, [::1])"));
            }
            other => {
                return Err(ApiError::new(ApiErrorKind::Config, call)
                    .with_detail(format!("unsupported URL scheme `{other}`"))
                    .with_hint("give --api-url like https://api.github.com"));
            }
        }
        let origin = format!("{scheme}://{authority}");
        let build_error = |detail: String| {
            ApiError::new(ApiErrorKind::Config, call)
                .with_detail(detail)
                .with_hint("check --api-url / GITHUB_API_URL")
        };
        let octocrab = Octocrab::builder()
            .base_uri(url.as_str())
            .map_err(|err| build_error(format!("invalid API URL `{url}`: {}", root_cause(&err))))?
            .personal_token(config.token.clone())
            .add_header(
                http::header::ACCEPT,
                "application/vnd.github+json".to_owned(),
            )
            // Backstops only: `send_once` times each attempt out itself, body included, and
            // says which limit ran out.
            .set_connect_timeout(Some(config.request_timeout + Duration::from_secs(1)))
            .set_read_timeout(Some(config.request_timeout + Duration::from_secs(1)))
            .build()
            .map_err(|err| {
                build_error(format!(
                    "cannot build the HTTP client: {}",
                    root_cause(&err)
                ))
            })?;
        let in_flight = Semaphore::new(config.concurrency.max(1));
        let deadline = config
            .overall_timeout
            .and_then(|timeout| Instant::now().checked_add(timeout));
        Ok(Self {
            octocrab,
            origin,
            config,
            in_flight,
            deadline: std::sync::Mutex::new(deadline),
        })
    }

    /// Turns an absolute URL of our own API into the relative path octocrab expects (it only
    /// attaches the token to relative URLs); refuses any other host.
    fn relative<'a>(&self, url: &'a str) -> Result<&'a str, ApiError> {
        if url.starts_with('/') {
            return Ok(url);
        }
        match url.strip_prefix(&self.origin) {
            Some(path) if path.starts_with('/') => Ok(path),
            _ => Err(
                ApiError::new(ApiErrorKind::MalformedResponse, "following pagination").with_detail(
                    format!("GitHub sent a next-page link to another host: {url}"),
                ),
            ),
        }
    }

    async fn get(&self, path: &str) -> Result<ApiResponse, ApiError> {
        let call = format!("GET {}", display_path(path));
        let mut attempt = 0;
        loop {
            attempt += 1;
            let cached = self
                .config
                .cache
                .as_ref()
                .and_then(|cache| cache.lookup(&self.cache_key(path)));
            let mut headers = HeaderMap::new();
            if let Some(entry) = &cached
                && let Ok(value) = HeaderValue::from_str(&entry.etag)
            {
                headers.insert(http::header::IF_NONE_MATCH, value);
            }
            let outcome = self
                .send_once(Method::GET, path, None, headers, &call)
                .await;
            let response = match outcome {
                Ok(response) => response,
                Err(err) if err.is_transient() && attempt <= self.config.read_retries => {
                    let reason = err.detail.clone().unwrap_or_else(|| err.to_string());
                    self.pause_before_retry(attempt, &call, &reason)
                        .await
                        .map_err(|out_of_time| out_of_time.with_last_error(&err))?;
                    continue;
                }
                Err(err) => return Err(Self::after_retries(err, attempt)),
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
                    headers.insert(http::header::LINK, link);
                }
                return Ok(ApiResponse {
                    status: StatusCode::OK,
                    headers,
                    body: entry.body,
                });
            }
            if let Some(wait) = self.rate_limit_wait(&response, &call)? {
                self.wait_for_rate_limit(wait, &call).await?;
                continue;
            }
            if response.status.is_server_error() && attempt <= self.config.read_retries {
                let reason = format!(
                    "{} {}",
                    response.status.as_u16(),
                    response.message().unwrap_or_default()
                );
                if let Err(out_of_time) =
                    self.pause_before_retry(attempt, &call, reason.trim()).await
                {
                    return Err(
                        out_of_time.with_last_error(&ApiError::from_response(&response, &call))
                    );
                }
                continue;
            }
            // A 200 whose body is not JSON was cut short on the way (GitHub answers JSON):
            // ask again like after a dropped connection, and never cache it.
            let complete = response.status != StatusCode::OK
                || serde_json::from_slice::<serde::de::IgnoredAny>(&response.body).is_ok();
            if !complete {
                if attempt <= self.config.read_retries {
                    self.pause_before_retry(attempt, &call, "the answer is not complete JSON")
                        .await?;
                    continue;
                }
                return Ok(response);
            }
            if response.status == StatusCode::OK
                && let (Some(cache), Some(etag)) = (&self.config.cache, response.header("etag"))
            {
                cache.store(
                    &self.cache_key(path),
                    etag,
                    response.header("link"),
                    &response.body,
                );
            }
            return Ok(response);
        }
    }

    async fn get_all(&self, path: &str, field: Option<&str>) -> Result<Vec<Value>, ApiError> {
        let mut items = Vec::new();
        let mut next = Some(path.to_owned());
        let mut pages = 0;
        while let Some(page) = next.take() {
            pages += 1;
            if pages > 1000 {
                return Err(
                    ApiError::new(ApiErrorKind::MalformedResponse, format!("GET {path}"))
                        .with_detail("more than 1000 pages: the Link headers loop"),
                );
            }
            let call = format!("GET {}", display_path(&page));
            let response = self.get(&page).await?;
            if response.status != StatusCode::OK {
                return Err(ApiError::from_response(&response, &call));
            }
            let body: Value = response.json(&call)?;
            let list = match field {
                None => body,
                Some(field) => body.get(field).cloned().unwrap_or(Value::Null),
            };
            let Value::Array(list) = list else {
                return Err(
                    ApiError::new(ApiErrorKind::MalformedResponse, call).with_detail(format!(
                        "expected a list{}",
                        field.map(|f| format!(" in `{f}`")).unwrap_or_default()
                    )),
                );
            };
            items.extend(list);
            if let Some(url) = response.header("link").and_then(next_link) {
                next = Some(self.relative(&url)?.to_owned());
            }
        }
        Ok(items)
    }

    async fn write(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<ApiResponse, ApiError> {
        let call = format!("{method} {}", display_path(path));
        loop {
            let response = self
                .send_once(method.clone(), path, body, HeaderMap::new(), &call)
                .await
                .map_err(|err| match err.kind {
                    // The request may have reached GitHub and been acted on: say so, and
                    // never send it again on our own.
                    ApiErrorKind::Timeout | ApiErrorKind::Transport => err.with_hint(
                        "the write may or may not have reached GitHub (it was not retried); run `gh-policy plan` to see, then apply again",
                    ),
                    _ => err,
                })?;
            // A rate-limited request was refused before GitHub acted on it, so sending it
            // again is not a blind retry. Nothing else is retried for writes.
            if let Some(wait) = self.rate_limit_wait(&response, &call)? {
                self.wait_for_rate_limit(wait, &call).await?;
                continue;
            }
            return Ok(response);
        }
    }

    /// Sends one request and reads its whole body within the request timeout.
    async fn send_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: HeaderMap,
        call: &str,
    ) -> Result<ApiResponse, ApiError> {
        let path = self.relative(path)?;
        let _permit = self.in_flight.acquire().await.map_err(|_| {
            ApiError::new(ApiErrorKind::Transport, call).with_detail("the client was shut down")
        })?;
        // One attempt gets the request timeout, or what is left of the overall one.
        let (limit, overall_binds) = match self.remaining() {
            Some(left) if left.is_zero() => return Err(self.out_of_time(call)),
            Some(left) if left < self.config.request_timeout => (left, true),
            _ => (self.config.request_timeout, false),
        };
        let started = Instant::now();
        let exchange = async {
            let mut builder = http::Request::builder().method(method.clone()).uri(path);
            for (name, value) in &headers {
                builder = builder.header(name, value);
            }
            builder = builder.header("X-GitHub-Api-Version", API_VERSION);
            let request = self.octocrab.build_request(builder, body)?;
            let response = self.octocrab.execute(request).await?;
            let (parts, body) = response.into_parts();
            let bytes = body.collect().await?.to_bytes();
            Ok::<_, octocrab::Error>((parts, bytes))
        };
        let result = tokio::time::timeout(limit, exchange).await;
        let elapsed = started.elapsed();
        let outcome = match result {
            Err(_) if overall_binds => Err(self.out_of_time(call)),
            Err(_) => Err(ApiError::new(ApiErrorKind::Timeout, call)
                .with_detail(format!(
                    "no complete answer within {} s (--request-timeout)",
                    self.config.request_timeout.as_secs_f32()
                ))
                .with_hint("GitHub did not answer in time; try again, or raise --request-timeout")),
            Ok(Err(err)) => {
                let error = transport_error(&err, call);
                // octocrab's own timeout (a backstop just above ours) can fire first on a
                // loaded machine; it is the same event, so say it the same way.
                if error.kind == ApiErrorKind::Timeout {
                    Err(error.with_detail(format!(
                        "no complete answer within {} s (--request-timeout)",
                        self.config.request_timeout.as_secs_f32()
                    )))
                } else {
                    Err(error)
                }
            }
            Ok(Ok((parts, bytes))) => Ok(ApiResponse {
                status: parts.status,
                headers: parts.headers,
                body: bytes.to_vec(),
            }),
        };
        if self.config.verbose {
            let status = match &outcome {
                Ok(response) => response.status.as_u16().to_string(),
                Err(err) => format!("failed ({})", err.kind_label()),
            };
            let mut line = String::new();
            let _ = write!(
                line,
                "{method} {} → {status} ({} ms)",
                display_path(path),
                elapsed.as_millis()
            );
            log_line(&line);
        }
        outcome
    }

    /// Classifies a rate-limit answer and returns how long to wait, or the error to stop with.
    fn rate_limit_wait(
        &self,
        response: &ApiResponse,
        call: &str,
    ) -> Result<Option<Duration>, ApiError> {
        if !matches!(response.status.as_u16(), 403 | 429) {
            return Ok(None);
        }
        let message = response.message().unwrap_or_default();
        let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        let docs = body
            .get("documentation_url")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let secondary = docs.ends_with("secondary-rate-limits")
            || docs.ends_with("#abuse-rate-limits")
            || message.to_lowercase().contains("secondary rate limit");
        let retry_after = response
            .header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok());
        let remaining = response
            .header("x-ratelimit-remaining")
            .and_then(|v| v.trim().parse::<u64>().ok());
        let reset = response
            .header("x-ratelimit-reset")
            .and_then(|v| v.trim().parse::<u64>().ok());
        let wait = if secondary {
            // GitHub: honour Retry-After; else wait for the reset if none remain; else a minute.
            retry_after
                .map(Duration::from_secs)
                .or_else(|| (remaining == Some(0)).then(|| until(reset)).flatten())
                .unwrap_or(Duration::from_secs(60))
        } else if remaining == Some(0) {
            until(reset).unwrap_or(Duration::from_secs(60))
        } else {
            return Ok(None);
        };
        if wait > self.config.max_rate_limit_wait {
            let kind = if secondary { "secondary" } else { "primary" };
            let when = reset.map_or_else(String::new, |reset| {
                format!(" (resets at {})", format_epoch(reset))
            });
            return Err(ApiError::new(ApiErrorKind::RateLimited, call)
                .with_detail(format!("GitHub's {kind} rate limit is exhausted{when}: {message}"))
                .with_hint(format!(
                    "try again in {} s, or use a token with a higher limit; gh-policy waits at most {} s",
                    wait.as_secs(),
                    self.config.max_rate_limit_wait.as_secs()
                )));
        }
        Ok(Some(wait))
    }

    async fn wait_for_rate_limit(&self, wait: Duration, call: &str) -> Result<(), ApiError> {
        if self.remaining().is_some_and(|left| left <= wait) {
            return Err(ApiError::new(ApiErrorKind::RateLimited, call)
                .with_detail(format!(
                    "GitHub asks to wait {} s for its rate limit, past the overall --timeout of {} s",
                    wait.as_secs().max(1),
                    self.overall_secs()
                ))
                .with_hint("try again later, or raise --timeout"));
        }
        log_line(&format!(
            "rate limited on {call}; waiting {} s as GitHub asks",
            wait.as_secs().max(1)
        ));
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// Sleeps before retry number `attempt` of a read, or returns the overall-timeout error
    /// when the pause would outlast it.
    async fn pause_before_retry(
        &self,
        attempt: u32,
        call: &str,
        reason: &str,
    ) -> Result<(), ApiError> {
        let base = self
            .config
            .retry_base_delay
            .saturating_mul(1 << (attempt - 1).min(6));
        // Jitter keeps several clients from retrying in step.
        let delay = base.mul_f64(0.5 + jitter() * 0.5);
        if self.remaining().is_some_and(|left| left <= delay) {
            return Err(self.out_of_time(call));
        }
        log_line(&format!(
            "{call} failed ({reason}); retrying in {} ms (attempt {} of {})",
            delay.as_millis(),
            attempt + 1,
            self.config.read_retries + 1
        ));
        tokio::time::sleep(delay).await;
        Ok(())
    }

    /// Says in the error of a read that gave up how many attempts it made.
    fn after_retries(err: ApiError, attempt: u32) -> ApiError {
        if attempt > 1 && err.is_transient() {
            let detail = err.detail.clone().unwrap_or_default();
            err.with_detail(format!("{detail} (after {attempt} attempts)"))
        } else {
            err
        }
    }

    /// Returns how long is left of the overall timeout, if there is one.
    fn remaining(&self) -> Option<Duration> {
        let deadline = self.deadline.lock().map_or(None, |guard| *guard);
        deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()))
    }

    fn restart_deadline(&self) {
        if let Ok(mut guard) = self.deadline.lock() {
            *guard = self
                .config
                .overall_timeout
                .and_then(|timeout| Instant::now().checked_add(timeout));
        }
    }

    fn overall_secs(&self) -> u64 {
        self.config.overall_timeout.map_or(0, |t| t.as_secs())
    }

    fn out_of_time(&self, call: &str) -> ApiError {
        ApiError::new(ApiErrorKind::Deadline, call)
            .with_detail(format!(
                "the overall --timeout of {} s ran out",
                self.overall_secs()
            ))
            .with_hint("GitHub is slow or failing; try again later, or raise --timeout")
    }

    fn cache_key(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }
}

/// Writes one diagnostic line to stderr. Used only for progress the user should see
/// (waits, retries, `-v` request logs); never with a token in it.
fn log_line(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Returns the path without the query string, for messages.
fn display_path(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

/// Parses a `Link` header and returns the `rel="next"` URL.
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|param| param.trim().replace(' ', "") == "rel=\"next\"");
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| url.to_owned())
    })
}

fn is_loopback(authority: &str) -> bool {
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn until(reset_epoch: Option<u64>) -> Option<Duration> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(reset_epoch?.saturating_sub(now) + 1))
}

fn format_epoch(epoch: u64) -> String {
    let secs_of_day = epoch % 86_400;
    format!(
        "{:02}:{:02}:{:02} UTC",
        secs_of_day / 3600,
        (secs_of_day % 3600) / 60,
        secs_of_day % 60
    )
}

/// A number in [0, 1) that differs between calls; good enough for retry jitter.
fn jitter() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    f64::from(nanos % 1000) / 1000.0
}

/// Returns the innermost error message, where the real cause is (octocrab's own `Display`
/// says little, and some variants would print a backtrace).
fn root_cause(err: &dyn std::error::Error) -> String {
    let mut current: &dyn std::error::Error = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

fn transport_error(err: &octocrab::Error, call: &str) -> ApiError {
    let mut chain = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = current {
        chain.push(e.to_string());
        current = e.source();
    }
    let all = chain.join(": ").to_lowercase();
    let cause = root_cause(err);
    let (kind, hint) = if all.contains("dns")
        || all.contains("failed to lookup")
        || all.contains("name or service not known")
    {
        (
            ApiErrorKind::Transport,
            "check the host name in --api-url / GITHUB_API_URL and your network",
        )
    } else if all.contains("certificate") || all.contains("tls") || all.contains("handshake") {
        (
            ApiErrorKind::Tls,
            "the server's TLS certificate was not accepted; check the host and your CA certificates",
        )
    } else if all.contains("timed out") || all.contains("timeout") {
        (
            ApiErrorKind::Timeout,
            "GitHub did not answer in time; try again, or raise --request-timeout",
        )
    } else {
        (
            ApiErrorKind::Transport,
            "the connection failed; try again, and check --api-url and your network",
        )
    };
    ApiError::new(kind, call).with_detail(cause).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_finds_the_next_page_among_others() {
        let header = r#"<https://api.github.com/x?page=2&per_page=100>; rel="next", <https://api.github.com/x?page=5>; rel="last""#;
        assert_eq!(
            next_link(header).as_deref(),
            Some("https://api.github.com/x?page=2&per_page=100")
        );
        assert_eq!(next_link(r#"<https://a/x?page=1>; rel="prev""#), None);
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        assert!(is_loopback("127.0.0.1:8080"));
        assert!(is_loopback("localhost"));
        assert!(is_loopback("[::1]:99"));
        assert!(!is_loopback("10.0.0.1:80"));
        assert!(!is_loopback("example.com"));
    }

    #[tokio::test]
    async fn plain_http_to_a_remote_host_is_refused() {
        let err = ReadApi::new(ClientConfig::new("http://example.com/api/v3", "t"))
            .err()
            .unwrap();
        assert!(err.to_string().contains("clear text"), "{err}");
        assert!(ReadApi::new(ClientConfig::new("http://127.0.0.1:9/api/v3", "t")).is_ok());
    }
}
