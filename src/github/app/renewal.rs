//! When an installation token is renewed: when less than the margin (5 minutes) of its life
//! remains, or at half its life when it was issued with less than twice the margin to live.
//! Timing is kept on a monotonic clock from when the token arrived, so neither the
//! machine's wall clock nor its jumps matter; tests inject their own clock.

use std::fmt;
use std::time::{Duration, Instant};

/// A monotonic clock.
pub trait Clock: Send + Sync {
    /// Returns the current instant.
    fn now(&self) -> Instant;
}

/// The machine's monotonic clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// Returns how long after its arrival a token living `life` is renewed, given `margin`.
pub fn renew_after(life: Duration, margin: Duration) -> Duration {
    if life < margin.saturating_mul(2) {
        life / 2
    } else {
        life.saturating_sub(margin)
    }
}

/// How long a token still valid is used after its renewal failed, before trying again.
pub const RETRY_RENEWAL: Duration = Duration::from_secs(30);

/// How long a token that arrived already expired by its own `expires_at` is used before it
/// is renewed (unless GitHub refuses it sooner): the answer is wrong about its life, and
/// renewing at once would mint a token before every request.
pub const EXPIRED_ON_ARRIVAL: Duration = Duration::from_secs(60);

/// The token in use.
pub struct Held {
    /// `Bearer …`, exactly as sent. A secret: never logged.
    pub authorization: String,
    /// When it is renewed.
    pub renew_at: Instant,
    /// When it expires.
    pub expires_at: Instant,
}

impl Held {
    /// Holds a token that arrived at `arrived` and lives `life` (none: it arrived expired,
    /// and is used for [`EXPIRED_ON_ARRIVAL`]).
    pub fn new(token: &str, arrived: Instant, life: Duration, margin: Duration) -> Self {
        if life.is_zero() {
            return Self {
                authorization: format!("Bearer {token}"),
                renew_at: arrived + EXPIRED_ON_ARRIVAL,
                expires_at: arrived + EXPIRED_ON_ARRIVAL,
            };
        }
        Self {
            authorization: format!("Bearer {token}"),
            renew_at: arrived + renew_after(life, margin),
            expires_at: arrived + life,
        }
    }

    /// After a failed renewal: returns the token while it is still valid, and tries again
    /// [`RETRY_RENEWAL`] later (a hiccup at GitHub does not fail every request), or `None`
    /// when it has expired.
    pub fn keep_after_failure(&mut self, now: Instant) -> Option<String> {
        if now >= self.expires_at {
            return None;
        }
        self.renew_at = (now + RETRY_RENEWAL).min(self.expires_at);
        Some(self.authorization.clone())
    }

    /// Returns true while the token need not be renewed.
    pub fn fresh(&self, now: Instant) -> bool {
        now < self.renew_at
    }
}

impl fmt::Debug for Held {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Held")
            .field("authorization", &"…")
            .field("renew_at", &self.renew_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}
