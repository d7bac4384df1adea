//! Where progress goes: the lines a person watching the command should see (waits for a
//! rate limit, retries, `-v` request logs) and the spinner. Output of a command (the plan,
//! a report) never goes here; it goes to the writer the command was given.
//!
//! Code that has something to say takes a [`Log`] instead of writing to stderr itself, so
//! tests can capture what was said and the spinner cannot garble it.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

/// A sink for progress lines. Never given a token or a secret value.
pub trait Log: Send + Sync {
    /// Records one line (without a trailing newline).
    fn line(&self, text: &str);
}

/// Writes each line to stderr, credentials redacted.
#[derive(Debug, Default, Clone, Copy)]
pub struct StderrLog;

impl Log for StderrLog {
    fn line(&self, text: &str) {
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}",
            crate::output::redact::redact(text)
        );
    }
}

/// Keeps the lines in memory, for tests.
#[derive(Debug, Default)]
pub struct MemoryLog {
    lines: Mutex<Vec<String>>,
}

impl MemoryLog {
    /// Returns the lines so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Log for MemoryLog {
    fn line(&self, text: &str) {
        if let Ok(mut lines) = self.lines.lock() {
            lines.push(text.to_owned());
        }
    }
}

/// Awaits `work` with a spinner saying `step` on stderr, only on a terminal and not with
/// `-v` (whose log lines it would garble). It leaves no trace when done.
pub async fn with_spinner<T>(step: String, verbose: bool, work: impl Future<Output = T>) -> T {
    if verbose || !std::io::stderr().is_terminal() {
        return work.await;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(step);
    bar.enable_steady_tick(Duration::from_millis(100));
    let result = work.await;
    bar.finish_and_clear();
    result
}
