//! What the clients of one run share: the overall deadline, the pause every request waits
//! out while GitHub asks one of them to wait for a rate limit, and the halt once a rate
//! limit asks for longer than allowed. The App's own client (its token calls) shares them
//! with the client whose credentials it mints, so a run has one clock and stops as one.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use super::rate_limit::Halt;

/// The shared state of a run; a fresh one per [`super::ClientConfig::new`].
#[derive(Debug, Default)]
pub struct Run {
    /// When the overall timeout runs out.
    deadline: Mutex<Deadline>,
    /// Until when every request waits.
    paused_until: Mutex<Option<Instant>>,
    /// Set once a rate limit asked for a longer wait than allowed: nothing more is sent.
    halt: Mutex<Option<Halt>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The overall deadline of a run.
#[derive(Debug, Clone, Copy, Default)]
enum Deadline {
    /// No client of the run has started yet.
    #[default]
    NotStarted,
    /// No overall timeout.
    None,
    /// It runs out then.
    At(Instant),
}

impl Run {
    /// Starts the overall timeout, unless a client of the run already did.
    pub(super) fn start(&self, timeout: Option<Duration>) {
        let mut deadline = lock(&self.deadline);
        if matches!(*deadline, Deadline::NotStarted) {
            *deadline = deadline_after(timeout);
        }
    }

    /// Starts the overall timeout afresh (after a person's confirmation).
    pub(super) fn restart(&self, timeout: Option<Duration>) {
        *lock(&self.deadline) = deadline_after(timeout);
    }

    /// Returns the time left before the overall timeout, if there is one.
    pub(super) fn remaining(&self) -> Option<Duration> {
        match *lock(&self.deadline) {
            Deadline::At(at) => Some(at.saturating_duration_since(Instant::now())),
            Deadline::NotStarted | Deadline::None => None,
        }
    }

    /// Makes every request wait until `until` (or longer, if already asked).
    pub(super) fn pause_until(&self, until: Instant) {
        let mut paused = lock(&self.paused_until);
        *paused = Some(paused.map_or(until, |at| at.max(until)));
    }

    /// Returns until when requests wait, if they do.
    pub(super) fn paused_until(&self) -> Option<Instant> {
        lock(&self.paused_until).filter(|at| *at > Instant::now())
    }

    /// Records the halt (the first one is kept) and returns the one in force.
    pub(super) fn halt(&self, halt: Halt) -> Halt {
        lock(&self.halt).get_or_insert(halt).clone()
    }

    /// Returns why the run stopped sending, if it did.
    pub(super) fn halted(&self) -> Option<Halt> {
        lock(&self.halt).clone()
    }
}

fn deadline_after(timeout: Option<Duration>) -> Deadline {
    match timeout.and_then(|t| Instant::now().checked_add(t)) {
        Some(at) => Deadline::At(at),
        None => Deadline::None,
    }
}
