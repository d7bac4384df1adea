//! A stateful GitHub REST API emulator on 127.0.0.1 for gh-policy's tests and benchmarks.
//!
//! The server runs on its own thread with its own Tokio runtime, so it works from plain
//! `#[test]` functions and from inside an async runtime alike. It answers the operations gh-policy
//! uses as GitHub does (API version 2022-11-28, per GitHub's official description vendored in
//! `emulator/github-api/`, see its `SOURCE.md`): request bodies are
//! validated against the official request schemas (a violation gets GitHub's 422 and is
//! recorded), every 2xx body it sends is validated against the response schema (a violation is
//! a bug in the emulator and is recorded too), and it keeps a log of every request.
//!
//! ```no_run
//! use gh_policy_emulator::{Emulator, Fault, FaultKind};
//! let emu = Emulator::from_fixture("tests/fixtures/live/flow-in-sync.json");
//! // run gh-policy with --api-url emu.url() and GITHUB_TOKEN=emu.token() ...
//! emu.inject(Fault::new(FaultKind::Status(502)).method("PUT").path("/protection"));
//! assert!(emu.request_violations().is_empty());
//! ```
//!
//! # Seed format
//!
//! A seed (a JSON fixture file, or a [`Seed`] value) is the repository's starting state.
//! Protection is written as the body of `PUT .../branches/{branch}/protection`, so a seed reads
//! the way a user writes the API; seeding goes through the same code as the PUT handlers (and
//! the same request schema), so an invalid seed is refused at start.
//!
//! ```json
//! {
//!   "repo": { "owner": "acme", "name": "katz-backend",
//!             "owner_type": "Organization", "private": false, "default_branch": "main" },
//!   "users": [ { "login": "octocat", "id": 583231 },
//!              { "login": "reader", "id": 7, "write_access": false } ],
//!   "teams": [ { "slug": "release-managers", "id": 4001 } ],
//!   "apps":  [ { "slug": "github-actions", "id": 15368 } ],
//!   "branches": {
//!     "main": {
//!       "protection": {
//!         "required_status_checks": { "strict": true, "checks": [
//!           { "context": "dev - lint and test" },
//!           { "context": "Security Checks", "app_id": 15368 } ] },
//!         "enforce_admins": true,
//!         "required_pull_request_reviews": { "required_approving_review_count": 2,
//!                                            "dismiss_stale_reviews": true },
//!         "restrictions": null,
//!         "required_conversation_resolution": true
//!       },
//!       "required_signatures": false
//!     },
//!     "dev": {}
//!   },
//!   "environments": {
//!     "production": {
//!       "wait_timer": 5, "prevent_self_review": true,
//!       "reviewers": [ { "user": "octocat" }, { "team": "release-managers" },
//!                      { "type": "User", "id": 583231 } ],
//!       "can_admins_bypass": false,
//!       "deployment_branch_policy": { "protected_branches": false, "custom_branch_policies": true },
//!       "branch_policies": [ { "name": "main", "type": "branch" } ],
//!       "secrets": [ "SSH_HOST" ],
//!       "variables": { "HEALTH_URL": "https://prod.example.com/api/health" }
//!     }
//!   }
//! }
//! ```
//!
//! - `repo.owner_type` defaults to `"Organization"`; `private` to false; `default_branch` to
//!   `main`. Teams, push restrictions and dismissal restrictions need an organisation.
//! - `users[].write_access` defaults to true; users without it are dropped silently from push
//!   restrictions, as GitHub does.
//! - A branch with no `protection` (or `null`) is unprotected. A check without `app_id` (or with
//!   `-1`, or given through `contexts`) is "any app" and reads back as `app_id: null`.
//! - Environment keys default to GitHub's defaults for a new environment: `wait_timer` 0,
//!   `prevent_self_review` false, no reviewers, `can_admins_bypass` true,
//!   `deployment_branch_policy` null (all branches). Reviewers are by name (`user`/`team`) or by
//!   id (`type`/`id`). `branch_policies` need `custom_branch_policies: true`; their `type`
//!   defaults to `"branch"`.
//! - Secret and variable names are stored upper-case, as GitHub does. Seeded secrets hold an
//!   empty value ([`Emulator::secret_plaintext`] gives `Some(vec![])`).
//!
//! [`Emulator::state`] returns the current state in this format (reviewers by name, checks with
//! `app_id` only when pinned, every protection key written out).
//!
//! # Behaviour notes
//!
//! - Authentication: `Authorization: Bearer <token>` or `token <token>`; none gives 401
//!   "Requires authentication", a wrong one 401 "Bad credentials".
//! - Every answer carries `x-ratelimit-*` headers (limit 5000, `remaining` decreasing by one per
//!   request, 304s excepted). Successful GETs carry a weak `ETag`; `If-None-Match` gives 304.
//! - Lists take `per_page`/`page` (variables: default 10, max 30; others default 30, max 100;
//!   both capped by [`EmulatorBuilder::max_per_page`]) and send
//!   `Link: <…>; rel="next", <…>; rel="last"` (plus `prev`/`first`) with absolute URLs built
//!   from the request's `Host` and the path prefix, omitted when everything fits on one page.
//! - The `{branch}` parameter may be `%2F`-encoded or span several path segments.

#![recursion_limit = "512"]

mod render;
mod schema;
mod seed;
mod server;
mod state;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use schema::{github_api_dir, validate_request, validate_response};
pub use seed::{
    AppSeed, BranchPolicySeed, BranchSeed, DeploymentBranchPolicySeed, EnvironmentSeed, RepoSeed,
    ReviewerSeed, Seed, TeamSeed, UserSeed,
};

use server::{Shared, lock};

/// One request as the emulator saw it. The token itself is never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// HTTP method, upper-case.
    pub method: String,
    /// Path as sent (still percent-encoded, path prefix included), without the query.
    pub path: String,
    /// Query string, if any.
    pub query: Option<String>,
    /// Request body, when it was valid JSON.
    pub body: Option<Value>,
    /// Status answered; 0 when the connection was dropped by [`FaultKind::CloseConnection`].
    pub status: u16,
    /// `Accept` header.
    pub accept: Option<String>,
    /// `X-GitHub-Api-Version` header.
    pub api_version: Option<String>,
    /// `User-Agent` header.
    pub user_agent: Option<String>,
    /// `If-None-Match` header.
    pub if_none_match: Option<String>,
    /// `Content-Type` header.
    pub content_type: Option<String>,
    /// Whether the request carried the valid token.
    pub authorized: bool,
}

/// A body that did not conform to the official schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// HTTP method.
    pub method: String,
    /// Path as sent.
    pub path: String,
    /// JSON Schema errors (`/instance/path: message`).
    pub errors: Vec<String>,
}

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
    /// 403 "Resource not accessible by personal access token" with
    /// `x-accepted-github-permissions: <accepted_permissions>`.
    Forbidden {
        /// e.g. `"administration=read"`.
        accepted_permissions: String,
    },
}

/// A fault that fires for matching requests, a number of times.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Only this method (case-insensitive); `None` matches every method.
    pub method: Option<String>,
    /// Only paths containing this (as sent, percent-encoded); empty matches every path.
    pub path_contains: String,
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
    /// Sets how many times the fault fires.
    #[must_use]
    pub fn times(mut self, n: usize) -> Self {
        self.times = n;
        self
    }
}

/// Options for [`Emulator`]; start with [`Emulator::builder`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    seed: Seed,
    prefix: String,
    max_per_page: u64,
    token: String,
}

impl EmulatorBuilder {
    /// Serves the API under a path prefix, e.g. `/api/v3` as GitHub Enterprise Server does.
    #[must_use]
    pub fn path_prefix(mut self, prefix: &str) -> Self {
        prefix.trim_end_matches('/').clone_into(&mut self.prefix);
        self
    }
    /// Caps every list's page size (to force pagination with few items).
    #[must_use]
    pub fn max_per_page(mut self, n: u64) -> Self {
        self.max_per_page = n.max(1);
        self
    }
    /// Sets the valid token (default `test-token`).
    #[must_use]
    pub fn token(mut self, token: &str) -> Self {
        token.clone_into(&mut self.token);
        self
    }
    /// Starts the server.
    ///
    /// # Panics
    ///
    /// When the seed is invalid, the official API description cannot be loaded, or no port can
    /// be bound on 127.0.0.1: a test cannot go on without its emulator.
    pub fn start(self) -> Emulator {
        match self.try_start() {
            Ok(e) => e,
            Err(m) => panic!("gh-policy emulator: {m}"),
        }
    }

    /// Starts the server, or says why it cannot.
    pub fn try_start(self) -> Result<Emulator, String> {
        schema::api().map_err(str::to_owned)?;
        let state = state::State::from_seed(&self.seed)?;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let reset = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            + 3600;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            log: Mutex::new(Vec::new()),
            request_violations: Mutex::new(Vec::new()),
            response_violations: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            latency: Mutex::new(Duration::ZERO),
            used: Mutex::new(0),
            reset,
            token: self.token.clone(),
            prefix: self.prefix.clone(),
            max_per_page: self.max_per_page,
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("gh-policy-emulator")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let served = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("gh-policy-emulator".into())
            .spawn(move || {
                runtime.block_on(accept_loop(listener, served, rx));
                runtime.shutdown_background();
            })
            .map_err(|e| e.to_string())?;
        Ok(Emulator {
            addr,
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }
}

async fn accept_loop(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(move |req| {
                        server::handle(Arc::clone(&shared), req)
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    // A connection error (including an injected drop) ends only this connection.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, svc)
                        .await;
                });
            }
        }
    }
}

/// A running emulator; stops when dropped.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Emulator {
    /// Returns a builder with the defaults: no path prefix, no page-size cap, token `test-token`.
    pub fn builder(seed: Seed) -> EmulatorBuilder {
        EmulatorBuilder {
            seed,
            prefix: String::new(),
            max_per_page: u64::MAX,
            token: "test-token".into(),
        }
    }

    /// Starts an emulator with the defaults on 127.0.0.1 and a free port.
    ///
    /// # Panics
    ///
    /// See [`EmulatorBuilder::start`].
    pub fn start(seed: Seed) -> Self {
        Self::builder(seed).start()
    }

    /// Reads a seed from a JSON fixture file.
    pub fn load_seed(path: impl AsRef<Path>) -> Result<Seed, String> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("invalid seed {}: {e}", path.display()))
    }

    /// Starts an emulator seeded from a JSON fixture file.
    ///
    /// # Panics
    ///
    /// When the file cannot be read or parsed, and as [`EmulatorBuilder::start`].
    pub fn from_fixture(path: impl AsRef<Path>) -> Self {
        match Self::load_seed(path) {
            Ok(seed) => Self::start(seed),
            Err(m) => panic!("gh-policy emulator: {m}"),
        }
    }

    /// Returns the API root URL, e.g. `http://127.0.0.1:40123` (plus the path prefix, if any).
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.shared.prefix)
    }

    /// Returns the socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns the valid token.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// Returns every request so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).clone()
    }

    /// Returns the requests so far that were not GETs (the writes).
    pub fn writes(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log)
            .iter()
            .filter(|r| r.method != "GET")
            .cloned()
            .collect()
    }

    /// Returns the request bodies that did not conform to the official request schemas.
    pub fn request_violations(&self) -> Vec<Violation> {
        lock(&self.shared.request_violations).clone()
    }

    /// Returns the emulator's own 2xx bodies that did not conform to the response schemas.
    pub fn response_violations(&self) -> Vec<Violation> {
        lock(&self.shared.response_violations).clone()
    }

    /// Clears the request log and both violation lists.
    pub fn clear_log(&self) {
        lock(&self.shared.log).clear();
        lock(&self.shared.request_violations).clear();
        lock(&self.shared.response_violations).clear();
    }

    /// Delays every answer by `latency` (zero to stop).
    pub fn set_latency(&self, latency: Duration) {
        *lock(&self.shared.latency) = latency;
    }

    /// Adds a fault; faults are tried in the order they were added.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Removes every fault that has not fired yet.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Returns the current state in the seed format.
    pub fn state(&self) -> Seed {
        lock(&self.shared.state).to_seed()
    }

    /// Replaces the whole state with a new seed (the log is kept).
    pub fn reset(&self, seed: &Seed) -> Result<(), String> {
        let st = state::State::from_seed(seed)?;
        *lock(&self.shared.state) = st;
        Ok(())
    }

    /// Returns the plaintext of an environment secret, opening the stored sealed box with the
    /// environment's secret key; `None` when the environment or secret does not exist.
    pub fn secret_plaintext(&self, env: &str, name: &str) -> Option<Vec<u8>> {
        let st = lock(&self.shared.state);
        let e = st.env(env).ok()?;
        let s = e.secrets.get(&name.to_ascii_uppercase())?;
        e.key.unseal(&s.sealed).ok()
    }

    /// Returns an environment's public key as `(key_id, base64 key)`.
    pub fn public_key(&self, env: &str) -> Option<(String, String)> {
        let st = lock(&self.shared.state);
        let e = st.env(env).ok()?;
        let key = base64::engine::general_purpose::STANDARD.encode(e.key.public_key().as_bytes());
        Some((e.key_id.clone(), key))
    }

    /// Returns how many requests counted against the rate limit so far.
    pub fn rate_limit_used(&self) -> u64 {
        *lock(&self.shared.used)
    }
}
