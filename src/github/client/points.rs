//! Pacing under GitHub's secondary limit on points: at most so many points per endpoint
//! (a method and a path template) in any window of a minute, where a GET costs 1 point and
//! a write 5.
//!
//! A request reserves its points before it is sent; they count from then until a window
//! has passed after its answer arrived. GitHub counts a request when it arrives, which is
//! between our sending it and our reading the answer, so whatever 60 s window GitHub looks
//! at, the points it sees there were all still counted here at its end: as long as this
//! count stays within the budget, so does GitHub's. A request that finds the budget spent
//! waits until enough points age out; a plan that stays within the budget is never slowed.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use http::Method;
use tokio::sync::Notify;
use tokio::time::Instant;

/// The endpoint template of GraphQL queries, for pacing.
pub const GRAPHQL: &str = "/graphql";

/// Returns the points a request costs, as GitHub counts them: 1 for a GET (or HEAD,
/// OPTIONS), 5 for a write.
pub fn cost(method: &Method, template: &str) -> u64 {
    // A GraphQL query (gh-policy sends no mutation) costs what a GET does.
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) || template == GRAPHQL {
        1
    } else {
        5
    }
}

/// The points budget of one client, per endpoint.
pub(super) struct Points {
    budget: u64,
    window: Duration,
    endpoints: Mutex<BTreeMap<String, Endpoint>>,
    /// Woken whenever an answer arrives (its points start to age).
    answered: Notify,
}

/// One endpoint's points: reserved by requests not yet answered, and spent by answered
/// ones (when the answer came, and how many), oldest first.
#[derive(Default)]
struct Endpoint {
    in_flight: u64,
    spent: VecDeque<(Instant, u64)>,
    spent_sum: u64,
    /// Whether a request has waited here already (the first wait is logged).
    waited: bool,
}

impl Endpoint {
    fn expire(&mut self, now: Instant, window: Duration) {
        while let Some(&(at, points)) = self.spent.front() {
            if at + window > now {
                break;
            }
            self.spent.pop_front();
            self.spent_sum -= points;
        }
    }

    fn used(&self) -> u64 {
        self.in_flight + self.spent_sum
    }

    /// Returns when enough spent points will have aged out for `cost` more to fit, or
    /// `None` when even all of them would not do (requests in flight hold the rest).
    fn free_at(&self, cost: u64, budget: u64, window: Duration) -> Option<Instant> {
        // A request that costs more than the whole budget goes alone.
        let needed = if cost > budget {
            self.used()
        } else {
            self.used() + cost - budget
        };
        if needed > self.spent_sum {
            return None;
        }
        let mut freed = 0;
        for &(at, points) in &self.spent {
            freed += points;
            if freed >= needed {
                return Some(at + window);
            }
        }
        None
    }
}

/// A wait for points that would outlast the time the client has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooLong {
    /// How long the wait would be at least.
    pub wait: Duration,
    /// The points already counted on the endpoint.
    pub used: u64,
}

/// A first wait on an endpoint, for the `-v` log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FirstWait {
    /// How long, or `None` until requests in flight are answered.
    pub wait: Option<Duration>,
    /// The points already counted on the endpoint.
    pub used: u64,
}

impl Points {
    /// Returns a budget of `budget` points per endpoint within any `window`.
    pub(super) fn new(budget: u64, window: Duration) -> Self {
        Self {
            budget,
            window,
            endpoints: Mutex::new(BTreeMap::new()),
            answered: Notify::new(),
        }
    }

    /// Returns the budget and the window, for messages.
    pub(super) fn budget(&self) -> (u64, Duration) {
        (self.budget, self.window)
    }

    /// Waits until `cost` points fit on `endpoint` and reserves them; they are spent when
    /// the reservation is dropped (when the answer arrived, or the attempt failed).
    /// `remaining` is the time the client has left: a wait longer than that fails at once.
    /// `on_first_wait` is called the first time a request waits on this endpoint.
    pub(super) async fn reserve(
        &self,
        endpoint: &str,
        cost: u64,
        remaining: impl Fn() -> Option<Duration>,
        mut on_first_wait: impl FnMut(FirstWait),
    ) -> Result<Reservation<'_>, TooLong> {
        loop {
            // Registered before looking, so an answer that arrives in between still wakes us.
            let answered = self.answered.notified();
            tokio::pin!(answered);
            answered.as_mut().enable();
            let now = Instant::now();
            let (until, used, first) = {
                let mut endpoints = lock(&self.endpoints);
                let state = endpoints.entry(endpoint.to_owned()).or_default();
                state.expire(now, self.window);
                let used = state.used();
                if used == 0 || used + cost <= self.budget {
                    state.in_flight += cost;
                    return Ok(Reservation {
                        points: self,
                        endpoint: endpoint.to_owned(),
                        cost,
                    });
                }
                let first = !std::mem::replace(&mut state.waited, true);
                (state.free_at(cost, self.budget, self.window), used, first)
            };
            let left = remaining();
            // Points held by requests in flight age out a window after their answer at best.
            let wait = until.map(|t| t.saturating_duration_since(now));
            let at_least = wait.unwrap_or(self.window);
            if left.is_some_and(|left| left <= at_least) {
                return Err(TooLong {
                    wait: at_least,
                    used,
                });
            }
            if first {
                on_first_wait(FirstWait { wait, used });
            }
            match (until, left) {
                (Some(until), _) => tokio::time::sleep_until(until).await,
                (None, Some(left)) => {
                    if tokio::time::timeout(left, answered).await.is_err() {
                        return Err(TooLong {
                            wait: at_least,
                            used,
                        });
                    }
                }
                (None, None) => answered.await,
            }
        }
    }

    fn spend(&self, endpoint: &str, cost: u64) {
        {
            let mut endpoints = lock(&self.endpoints);
            if let Some(state) = endpoints.get_mut(endpoint) {
                state.in_flight = state.in_flight.saturating_sub(cost);
                state.spent.push_back((Instant::now(), cost));
                state.spent_sum += cost;
            }
        }
        self.answered.notify_waiters();
    }
}

/// Points reserved by one request; dropping it (when the answer arrived, or the attempt
/// failed) starts their ageing.
pub(super) struct Reservation<'a> {
    points: &'a Points,
    endpoint: String,
    cost: u64,
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.points.spend(&self.endpoint, self.cost);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(60);

    fn never() -> Option<Duration> {
        None
    }

    #[tokio::test(start_paused = true)]
    async fn within_the_budget_nothing_waits() {
        let points = Points::new(10, WINDOW);
        let start = Instant::now();
        for _ in 0..10 {
            drop(points.reserve("GET /x", 1, never, |_| {}).await.unwrap());
        }
        assert_eq!(Instant::now(), start);
    }

    #[tokio::test(start_paused = true)]
    async fn past_the_budget_a_request_waits_a_window_after_the_oldest_answer() {
        let points = Points::new(10, WINDOW);
        let start = Instant::now();
        for _ in 0..2 {
            let reserved = points.reserve("PUT /x", 5, never, |_| {}).await.unwrap();
            tokio::time::sleep(Duration::from_secs(1)).await;
            drop(reserved);
        }
        let mut waits = Vec::new();
        drop(
            points
                .reserve("PUT /x", 5, never, |w| waits.push(w))
                .await
                .unwrap(),
        );
        // The first answer came at 1 s: its points free at 61 s.
        assert_eq!(Instant::now() - start, Duration::from_secs(61));
        assert_eq!(
            waits,
            vec![FirstWait {
                wait: Some(Duration::from_secs(59)),
                used: 10
            }]
        );
        // Another endpoint is not affected.
        let before = Instant::now();
        drop(points.reserve("GET /x", 1, never, |_| {}).await.unwrap());
        assert_eq!(Instant::now(), before);
    }

    #[tokio::test(start_paused = true)]
    async fn points_in_flight_are_waited_for_until_their_answer_ages_out() {
        let points = std::sync::Arc::new(Points::new(2, WINDOW));
        let start = Instant::now();
        let a = points.reserve("GET /x", 1, never, |_| {}).await.unwrap();
        let b = points.reserve("GET /x", 1, never, |_| {}).await.unwrap();
        let waiter = {
            let points = std::sync::Arc::clone(&points);
            tokio::spawn(async move {
                drop(points.reserve("GET /x", 1, never, |_| {}).await.unwrap());
                Instant::now()
            })
        };
        tokio::time::sleep(Duration::from_secs(3)).await;
        drop(a);
        drop(b);
        let went = waiter.await.unwrap();
        assert_eq!(went - start, Duration::from_secs(63));
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_costing_more_than_the_budget_goes_alone() {
        let points = Points::new(3, WINDOW);
        let start = Instant::now();
        drop(points.reserve("PUT /x", 5, never, |_| {}).await.unwrap());
        assert_eq!(Instant::now(), start);
        drop(points.reserve("PUT /x", 5, never, |_| {}).await.unwrap());
        assert_eq!(Instant::now() - start, WINDOW);
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_past_the_time_left_fails_at_once() {
        let points = Points::new(1, WINDOW);
        drop(points.reserve("GET /x", 1, never, |_| {}).await.unwrap());
        let start = Instant::now();
        let err = points
            .reserve("GET /x", 1, || Some(Duration::from_secs(10)), |_| {})
            .await
            .err()
            .unwrap();
        assert_eq!(err.wait, WINDOW);
        assert_eq!(err.used, 1);
        assert_eq!(Instant::now(), start);
    }

    #[test]
    fn writes_cost_five_reads_one() {
        assert_eq!(cost(&Method::GET, "/repos/{owner}/{repo}"), 1);
        assert_eq!(cost(&Method::PUT, "/repos/{owner}/{repo}"), 5);
        assert_eq!(cost(&Method::DELETE, "/repos/{owner}/{repo}"), 5);
        assert_eq!(cost(&Method::POST, GRAPHQL), 1);
    }
}
