#![doc = include_str!("../README.md")]
#![recursion_limit = "512"]

mod auth;
mod builder;
mod faults;
pub mod graphql;
mod limits;
mod render;
mod rs256;
mod schema;
mod seed;
mod server;
mod state;
mod sync;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use auth::test_keys;
pub use builder::EmulatorBuilder;
pub use faults::{Echo, Fault, FaultKind};
pub use limits::{SecondaryLimits, Stats};
pub use schema::{github_api_dir, validate_request, validate_response};
pub use seed::{
    ActivitySeed, AppSeed, BranchPolicySeed, BranchSeed, CheckRunSeed, CodeownersErrorSeed,
    CodeownersSeed, CollaboratorSeed, CommentSeed, CommitSeed, DeploymentBranchPolicySeed,
    EnvironmentSeed, InstallationSeed, IssueSeed, LabelSeed, OrgAdminActorId, OrgSeed,
    PullRequestSeed, Realism, RepoSeed, RepositorySeed, ReturnOrder, ReviewerSeed, Role, Seed,
    SettingsSeed, TeamSeed, TokenSeed, UserSeed,
};
pub use state::ref_patterns;

use server::Shared;
use sync::lock;

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
    /// Whether the request carried a valid credential (any token, a minted installation token
    /// or an app JWT).
    pub authorized: bool,
    /// Who the valid credential is, never the credential itself: `token:admin`,
    /// `token:write`, `token:read`, `installation:<id>` or `app:<id>`; `None` when the request
    /// carried none or an invalid one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
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
    fn from_parts(
        addr: SocketAddr,
        shared: Arc<Shared>,
        shutdown: tokio::sync::oneshot::Sender<()>,
        thread: JoinHandle<()>,
    ) -> Self {
        Self {
            addr,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// Returns a builder with the defaults: no path prefix, no page-size cap, token
    /// `test-token` (an admin), GitHub's secondary limits, installation tokens valid 1 h.
    pub fn builder(seed: Seed) -> EmulatorBuilder {
        EmulatorBuilder::new(seed)
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

    /// Returns the admin token.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// Returns every request so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).clone()
    }

    /// Returns the requests so far that were not GETs (the writes); GraphQL queries only
    /// read (the emulator serves no mutation), so they are not among them.
    pub fn writes(&self) -> Vec<LoggedRequest> {
        let graphql = graphql::path(&self.shared.prefix);
        lock(&self.shared.log)
            .iter()
            .filter(|r| r.method != "GET" && r.path != graphql)
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

    /// Clears the request log, both violation lists and the traffic statistics.
    pub fn clear_log(&self) {
        lock(&self.shared.log).clear();
        lock(&self.shared.request_violations).clear();
        lock(&self.shared.response_violations).clear();
        self.shared.limiter.clear();
    }

    /// Delays every answer by `latency` (zero to stop).
    pub fn set_latency(&self, latency: Duration) {
        *lock(&self.shared.latency) = latency;
    }

    /// Adds a fault; faults are tried in the order they were added.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Makes every request to one repository (`owner/name`) answer `status` with a
    /// `basic-error` body, until [`Emulator::clear_faults`].
    pub fn fail_repository(&self, repository: &str, status: u16) {
        self.inject(
            Fault::new(FaultKind::Status(status))
                .repository(repository)
                .always(),
        );
    }

    /// Renames a repository (`owner/name` to `new_name`): its old name answers
    /// `301 Moved Permanently` from then on, as GitHub's does.
    pub fn rename_repository(&self, from: &str, new_name: &str) -> Result<(), String> {
        lock(&self.shared.state).rename(from, new_name)
    }

    /// Removes every fault that has not fired yet.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Returns the current state in the seed format.
    pub fn state(&self) -> Seed {
        lock(&self.shared.state).to_seed()
    }

    /// Replaces the whole state with a new seed (the log, faults and minted installation
    /// tokens are kept).
    pub fn reset(&self, seed: &Seed) -> Result<(), String> {
        let st = state::World::from_seed(seed)?;
        *lock(&self.shared.state) = st;
        Ok(())
    }

    /// Returns the plaintext of an environment secret of the first repository, opening the
    /// stored sealed box with the environment's secret key; `None` when the environment or
    /// secret does not exist.
    pub fn secret_plaintext(&self, env: &str, name: &str) -> Option<Vec<u8>> {
        let st = lock(&self.shared.state);
        let repo = st.first_repo()?;
        repo_secret(repo, env, name)
    }

    /// Returns the plaintext of an environment secret of `owner/name`.
    pub fn repo_secret_plaintext(
        &self,
        repository: &str,
        env: &str,
        name: &str,
    ) -> Option<Vec<u8>> {
        let st = lock(&self.shared.state);
        let (owner, repo) = repository.split_once('/')?;
        repo_secret(st.repo(owner, repo)?, env, name)
    }

    /// Returns an environment's public key of the first repository as
    /// `(key_id, base64 key)`.
    pub fn public_key(&self, env: &str) -> Option<(String, String)> {
        let st = lock(&self.shared.state);
        let e = st.first_repo()?.env(env).ok()?;
        let key = base64::engine::general_purpose::STANDARD.encode(e.key.public_key().as_bytes());
        Some((e.key_id.clone(), key))
    }

    /// Returns an environment's public key of `owner/name` as `(key_id, base64 key)`.
    pub fn repo_public_key(&self, repository: &str, env: &str) -> Option<(String, String)> {
        let st = lock(&self.shared.state);
        let (owner, repo) = repository.split_once('/')?;
        let e = st.repo(owner, repo)?.env(env).ok()?;
        let key = base64::engine::general_purpose::STANDARD.encode(e.key.public_key().as_bytes());
        Some((e.key_id.clone(), key))
    }

    /// Returns how many requests counted against the primary rate limit so far.
    pub fn rate_limit_used(&self) -> u64 {
        *lock(&self.shared.used)
    }

    /// Returns the GraphQL points spent so far (GraphQL's own budget).
    pub fn graphql_points_used(&self) -> u64 {
        *lock(&self.shared.graphql_used)
    }

    /// Returns the traffic statistics (in flight, busiest endpoint, secondary-limit refusals,
    /// requests per endpoint) since the start or the last [`Emulator::clear_log`].
    pub fn stats(&self) -> Stats {
        self.shared.limiter.stats()
    }

    /// Sets how long installation tokens minted from now on stay valid.
    pub fn set_installation_token_ttl(&self, ttl: Duration) {
        *lock(&self.shared.token_ttl) = ttl;
    }
}

fn repo_secret(repo: &state::Repo, env: &str, name: &str) -> Option<Vec<u8>> {
    let e = repo.env(env).ok()?;
    let s = e.secrets.get(&name.to_ascii_uppercase())?;
    e.key.unseal(&s.sealed).ok()
}

/// The server thread's loop: accepts connections until the emulator is dropped.
pub(crate) async fn accept_loop(
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
