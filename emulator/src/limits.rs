//! GitHub's secondary rate limits, enforced, and the statistics a benchmark reads.
//!
//! Two budgets per token (as GitHub keeps them per user or app): requests in flight at once
//! (default 100) and points per minute per endpoint (default 900), where an endpoint is a
//! method and a path template, `GET`/`HEAD`/`OPTIONS` cost 1 point and every other method 5.
//! Past either budget the request is refused with 403 and GitHub's secondary-rate-limit body.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::sync::lock;

/// The primary rate limit of a user token (requests per hour).
pub(crate) const LIMIT: u64 = 5000;

/// Returns the current Unix time in seconds.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The secondary limits; [`crate::EmulatorBuilder::secondary_limits`] sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondaryLimits {
    /// Requests one token may have in flight at once (GitHub: 100).
    pub max_in_flight: usize,
    /// Points one token may spend per endpoint in any 60 s (GitHub: 900).
    pub points_per_minute: u64,
    /// The window points are counted over (GitHub: 60 s; tests may shorten it).
    pub window: Duration,
}

impl Default for SecondaryLimits {
    fn default() -> Self {
        Self {
            max_in_flight: 100,
            points_per_minute: 900,
            window: Duration::from_secs(60),
        }
    }
}

/// Traffic statistics since the start (or [`crate::Emulator::clear_log`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// The most requests in flight at once, all tokens together.
    pub max_in_flight: usize,
    /// The most requests one token had in flight at once.
    pub max_in_flight_per_token: usize,
    /// The busiest endpoint (`"GET /repos/{owner}/{repo}"`) and the most points it took in any
    /// one window, all tokens together; `None` before any request.
    pub busiest_endpoint: Option<(String, u64)>,
    /// Requests refused for a secondary limit (in flight or points).
    pub secondary_refusals: u64,
    /// Requests per endpoint (`"METHOD template"`; unknown paths as `"METHOD (unmatched)"`).
    pub requests: BTreeMap<String, u64>,
}

/// Points of one endpoint within the window: `(when, points)` entries and their sum.
#[derive(Debug, Default)]
struct Window {
    entries: VecDeque<(Instant, u64)>,
    sum: u64,
    peak: u64,
}

impl Window {
    fn expire(&mut self, now: Instant, width: Duration) {
        while let Some((t, p)) = self.entries.front().copied() {
            if now.duration_since(t) < width {
                break;
            }
            self.entries.pop_front();
            self.sum -= p;
        }
    }
    fn add(&mut self, now: Instant, points: u64) {
        self.entries.push_back((now, points));
        self.sum += points;
        self.peak = self.peak.max(self.sum);
    }
}

#[derive(Debug, Default)]
struct Inner {
    in_flight: BTreeMap<String, usize>,
    total_in_flight: usize,
    per_token: BTreeMap<(String, String), Window>,
    per_endpoint: BTreeMap<String, Window>,
    stats: Stats,
}

/// The limiter shared by every connection.
#[derive(Debug)]
pub(crate) struct Limiter {
    pub limits: SecondaryLimits,
    inner: Mutex<Inner>,
}

/// Why a request was refused, with the seconds for `retry-after`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refusal {
    pub retry_after: u64,
}

/// Returns the points a method costs.
pub(crate) fn points(method: &str) -> u64 {
    if matches!(method, "GET" | "HEAD" | "OPTIONS") {
        1
    } else {
        5
    }
}

impl Limiter {
    pub(crate) fn new(limits: SecondaryLimits) -> Self {
        Self {
            limits,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Counts a request in flight for `key` until the guard drops; returns how many that
    /// token now has in flight.
    pub(crate) fn enter<'a>(&'a self, key: &str) -> (InFlight<'a>, usize) {
        let mut i = lock(&self.inner);
        let n = {
            let n = i.in_flight.entry(key.to_owned()).or_insert(0);
            *n += 1;
            *n
        };
        i.total_in_flight += 1;
        i.stats.max_in_flight = i.stats.max_in_flight.max(i.total_in_flight);
        i.stats.max_in_flight_per_token = i.stats.max_in_flight_per_token.max(n);
        (
            InFlight {
                limiter: self,
                key: key.to_owned(),
            },
            n,
        )
    }

    /// Records one request to `endpoint` and decides whether a token may make it.
    pub(crate) fn admit(
        &self,
        key: &str,
        endpoint: &str,
        cost: u64,
        in_flight: usize,
        limited: bool,
    ) -> Result<(), Refusal> {
        let mut i = lock(&self.inner);
        *i.stats.requests.entry(endpoint.to_owned()).or_insert(0) += 1;
        if !limited {
            return Ok(());
        }
        let now = Instant::now();
        let width = self.limits.window;
        if in_flight > self.limits.max_in_flight {
            i.stats.secondary_refusals += 1;
            return Err(Refusal { retry_after: 1 });
        }
        let w = i
            .per_token
            .entry((key.to_owned(), endpoint.to_owned()))
            .or_default();
        w.expire(now, width);
        if w.sum + cost > self.limits.points_per_minute {
            let oldest = w.entries.front().map_or(now, |e| e.0);
            let wait = width.saturating_sub(now.duration_since(oldest));
            i.stats.secondary_refusals += 1;
            return Err(Refusal {
                retry_after: wait.as_secs().max(1),
            });
        }
        w.add(now, cost);
        let e = i.per_endpoint.entry(endpoint.to_owned()).or_default();
        e.expire(now, width);
        e.add(now, cost);
        let peak = e.peak;
        let busiest = i.stats.busiest_endpoint.as_ref().map_or(0, |b| b.1);
        if peak > busiest {
            i.stats.busiest_endpoint = Some((endpoint.to_owned(), peak));
        }
        Ok(())
    }

    /// Returns the statistics.
    pub(crate) fn stats(&self) -> Stats {
        lock(&self.inner).stats.clone()
    }

    /// Clears the statistics and the point windows (requests in flight stay counted).
    pub(crate) fn clear(&self) {
        let mut i = lock(&self.inner);
        i.stats = Stats::default();
        i.per_token.clear();
        i.per_endpoint.clear();
    }
}

/// A request in flight; leaving it (dropping) counts it out.
#[derive(Debug)]
pub(crate) struct InFlight<'a> {
    limiter: &'a Limiter,
    key: String,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut i = lock(&self.limiter.inner);
        if let Some(n) = i.in_flight.get_mut(&self.key) {
            *n = n.saturating_sub(1);
        }
        i.total_in_flight = i.total_in_flight.saturating_sub(1);
    }
}
