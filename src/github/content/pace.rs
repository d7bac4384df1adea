//! GitHub's secondary limit on creating content (emulator/github-api/QUIRKS.md 65): about 80
//! content-creating requests a minute and 500 an hour, counted apart from the other limits.
//! An issue, a comment, a label and their edits all count.
//!
//! The minute is waited out (a write waits until the oldest of the last 80 is a minute old);
//! the hour is not — an hour's wait outlives any CI job — so the 501st write of the hour is
//! refused, and the command says what it did and did not write.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Content-creating requests GitHub allows a minute.
pub const PER_MINUTE: usize = 80;
/// Content-creating requests GitHub allows an hour.
pub const PER_HOUR: usize = 500;

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// The hour's budget is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourSpent {
    /// How long until one more request fits.
    pub wait: Duration,
}

/// When this run's content-creating requests were sent, to keep the next within the limits.
#[derive(Debug)]
pub struct ContentPace {
    per_minute: usize,
    per_hour: usize,
    sent: Mutex<VecDeque<Instant>>,
}

impl Default for ContentPace {
    fn default() -> Self {
        Self::with_limits(PER_MINUTE, PER_HOUR)
    }
}

impl ContentPace {
    /// A pace with other limits (tests).
    pub fn with_limits(per_minute: usize, per_hour: usize) -> Self {
        Self {
            per_minute: per_minute.max(1),
            per_hour: per_hour.max(1),
            sent: Mutex::new(VecDeque::new()),
        }
    }

    /// Waits until one more content-creating request fits in the minute, and counts it;
    /// refuses it, counting nothing, when the hour's budget is spent.
    pub async fn admit(&self) -> Result<(), HourSpent> {
        let mut sent = self.sent.lock().await;
        let now = Instant::now();
        while sent.front().is_some_and(|t| now.duration_since(*t) >= HOUR) {
            sent.pop_front();
        }
        if sent.len() >= self.per_hour {
            let oldest = sent.front().copied().unwrap_or(now);
            return Err(HourSpent {
                wait: HOUR.saturating_sub(now.duration_since(oldest)),
            });
        }
        if sent.len() >= self.per_minute {
            let nth = sent[sent.len() - self.per_minute];
            tokio::time::sleep_until(nth + MINUTE).await;
        }
        sent.push_back(Instant::now());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_minute_is_waited_out_and_the_hour_refused() {
        let pace = ContentPace::with_limits(3, 5);
        let start = Instant::now();
        for _ in 0..3 {
            pace.admit().await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "three fit in the minute");
        pace.admit().await.unwrap();
        assert_eq!(
            start.elapsed(),
            MINUTE,
            "the fourth waits for the first to age"
        );
        pace.admit().await.unwrap();
        assert_eq!(start.elapsed(), MINUTE);
        let spent = pace.admit().await.unwrap_err();
        assert_eq!(
            spent.wait,
            Duration::from_secs(59 * 60),
            "the first of the hour ages out an hour after it was sent"
        );
        // Refused requests are not counted: an hour on, the budget is back.
        tokio::time::advance(HOUR).await;
        pace.admit().await.unwrap();
    }

    #[test]
    fn github_limits_are_the_default() {
        let pace = ContentPace::default();
        assert_eq!((pace.per_minute, pace.per_hour), (80, 500));
    }
}
