//! [`EmulatorBuilder`]: options, then a running [`Emulator`].

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::limits::LIMIT;
use crate::limits::{Limiter, SecondaryLimits};
use crate::seed::{Realism, Role, Seed, TokenSeed};
use crate::server::Shared;
use crate::{Emulator, schema, state};

/// Options for [`Emulator`]; start with [`Emulator::builder`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    seed: Seed,
    prefix: String,
    max_per_page: u64,
    token: String,
    tokens: Vec<TokenSeed>,
    limits: SecondaryLimits,
    primary_limit: u64,
    graphql_budget: u64,
    token_ttl: Duration,
}

impl EmulatorBuilder {
    pub(crate) fn new(seed: Seed) -> Self {
        Self {
            seed,
            prefix: String::new(),
            max_per_page: u64::MAX,
            token: "test-token".into(),
            tokens: Vec::new(),
            limits: SecondaryLimits::default(),
            primary_limit: LIMIT,
            graphql_budget: crate::graphql::BUDGET,
            token_ttl: Duration::from_secs(3600),
        }
    }

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
    /// Sets the admin token (default `test-token`).
    #[must_use]
    pub fn token(mut self, token: &str) -> Self {
        token.clone_into(&mut self.token);
        self
    }
    /// Adds a token with a role on every repository (kept across [`Emulator::reset`]).
    #[must_use]
    pub fn token_with_role(mut self, token: &str, role: Role) -> Self {
        self.tokens.push(TokenSeed::new(token, role));
        self
    }
    /// Adds a token with a role on some repositories only (`name` or `owner/name`); the
    /// others answer it 404.
    #[must_use]
    pub fn token_with_access(mut self, token: &str, role: Role, repositories: &[&str]) -> Self {
        self.tokens
            .push(TokenSeed::new(token, role).repositories(repositories));
        self
    }
    /// Replaces the seed's realism switches.
    #[must_use]
    pub fn realism(mut self, realism: Realism) -> Self {
        self.seed.realism = realism;
        self
    }
    /// Sets the secondary rate limits (default: 100 in flight, 900 points per minute per
    /// endpoint, per token).
    #[must_use]
    pub fn secondary_limits(mut self, limits: SecondaryLimits) -> Self {
        self.limits = limits;
        self
    }
    /// Sets the primary rate limit: requests (not 304s, not `/rate_limit`) before every
    /// answer is GitHub's primary-limit 403 (default 5000; it does not reset).
    #[must_use]
    pub fn primary_rate_limit(mut self, n: u64) -> Self {
        self.primary_limit = n;
        self
    }
    /// Sets the GraphQL points a token has this hour (default 5000, a personal token's); a
    /// query that would cost more than is left is answered `RATE_LIMITED`.
    #[must_use]
    pub fn graphql_budget(mut self, points: u64) -> Self {
        self.graphql_budget = points;
        self
    }
    /// Sets how long minted installation tokens stay valid (default 1 hour).
    #[must_use]
    pub fn installation_token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
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
        let state = state::World::from_seed(&self.seed)?;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let reset = crate::limits::now_secs() + 3600;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            log: Mutex::new(Vec::new()),
            request_violations: Mutex::new(Vec::new()),
            response_violations: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            latency: Mutex::new(Duration::ZERO),
            used: Mutex::new(0),
            graphql_used: Mutex::new(0),
            graphql_budget: self.graphql_budget,
            reset,
            token: self.token.clone(),
            extra_tokens: self.tokens.clone(),
            minted: Mutex::new(BTreeMap::new()),
            token_ttl: Mutex::new(self.token_ttl),
            limiter: Limiter::new(self.limits),
            primary_limit: self.primary_limit,
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
                runtime.block_on(crate::accept_loop(listener, served, rx));
                runtime.shutdown_background();
            })
            .map_err(|e| e.to_string())?;
        Ok(Emulator::from_parts(addr, shared, tx, thread))
    }
}
