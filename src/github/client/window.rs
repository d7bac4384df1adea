//! How many requests are in flight at once. Fixed when asked for (`--concurrency N`);
//! otherwise a window that adapts within GitHub's secondary limits
//! (emulator/github-api/QUIRKS.md 18): it starts at [`START`], grows by one place per answer
//! while no answer is a secondary-limit refusal (doubling each round trip), then by one
//! place per round trip after a refusal, which halves it; never past [`ADAPTIVE_MAX`]. The
//! points per endpoint are paced separately (`points`), so the window only has to find how
//! many GitHub takes at once.

use std::sync::Mutex;

use tokio::sync::{AcquireError, Semaphore, SemaphorePermit};

/// Where an adaptive window starts.
pub const START: usize = 8;

/// The most places an adaptive window grows to: half of GitHub's 100 in flight per token,
/// which other jobs on the same token share.
pub const ADAPTIVE_MAX: usize = 50;

/// The window's state.
#[derive(Debug)]
struct State {
    size: usize,
    /// Places to take away as they come back (after a halving).
    debt: usize,
    /// Still doubling (no refusal yet).
    doubling: bool,
    /// Answers since the window last grew, after the doubling.
    answers: usize,
}

/// The bound on requests in flight.
#[derive(Debug)]
pub struct Window {
    places: Semaphore,
    state: Mutex<State>,
    max: usize,
    adaptive: bool,
}

/// A place in the window, given back (or taken away) when dropped.
pub struct Place<'a> {
    permit: Option<SemaphorePermit<'a>>,
    window: &'a Window,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        if let (Some(permit), Ok(mut state)) = (self.permit.take(), self.window.state.lock())
            && state.debt > 0
        {
            state.debt -= 1;
            permit.forget();
        }
    }
}

impl Window {
    /// A window of `size` places that never changes.
    pub fn fixed(size: usize) -> Self {
        Self::new(size, size, false)
    }

    /// A window that starts at `START` and adapts up to `max` places.
    pub fn adaptive(max: usize) -> Self {
        Self::new(START.min(max), max, true)
    }

    fn new(size: usize, max: usize, adaptive: bool) -> Self {
        let size = size.max(1);
        Self {
            places: Semaphore::new(size),
            state: Mutex::new(State {
                size,
                debt: 0,
                doubling: true,
                answers: 0,
            }),
            max: max.max(size),
            adaptive,
        }
    }

    /// Waits for a place.
    pub async fn enter(&self) -> Result<Place<'_>, AcquireError> {
        let permit = self.places.acquire().await?;
        Ok(Place {
            permit: Some(permit),
            window: self,
        })
    }

    /// Returns how many places the window has now.
    pub fn size(&self) -> usize {
        self.state.lock().map_or(1, |s| s.size)
    }

    /// Learns from an answer: a secondary-limit refusal halves the window, any other
    /// answer lets it grow.
    pub fn answered(&self, refused: bool) {
        if !self.adaptive {
            return;
        }
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if refused {
            let halved = (state.size / 2).max(1);
            state.debt += state.size - halved;
            state.size = halved;
            state.doubling = false;
            state.answers = 0;
            return;
        }
        if state.size >= self.max {
            return;
        }
        if !state.doubling {
            state.answers += 1;
            if state.answers < state.size {
                return;
            }
            state.answers = 0;
        }
        state.size += 1;
        if state.debt > 0 {
            state.debt -= 1;
        } else {
            self.places.add_permits(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn grows_while_answers_come_halves_at_a_refusal_and_never_passes_its_bound() {
        let window = Window::adaptive(20);
        assert_eq!(window.size(), START);
        for _ in 0..5 {
            window.answered(false);
        }
        assert_eq!(window.size(), 13);
        for _ in 0..100 {
            window.answered(false);
        }
        assert_eq!(window.size(), 20);
        // A refusal halves it: places in use are taken away as they come back.
        let held: Vec<Place<'_>> = futures::future::join_all((0..20).map(|_| window.enter()))
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .expect("20 places");
        window.answered(true);
        assert_eq!(window.size(), 10);
        drop(held);
        assert_eq!(window.places.available_permits(), 10);
        // Then it grows by one per round trip (10 answers), not per answer.
        for _ in 0..10 {
            window.answered(false);
        }
        assert_eq!(window.size(), 11);
        assert_eq!(window.places.available_permits(), 11);
        let fixed = Window::fixed(8);
        fixed.answered(false);
        fixed.answered(true);
        assert_eq!((fixed.size(), fixed.places.available_permits()), (8, 8));
    }
}
