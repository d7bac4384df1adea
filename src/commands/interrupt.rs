//! SIGINT (Ctrl-C) and SIGTERM while `apply` writes: the write in flight is finished, nothing
//! more is written, and the report says what was and was not applied (exit 1), as after a
//! failed write. Listening starts only once writing starts: before that (reading, the
//! confirmation prompt) a signal ends the command at once, as usual, having written nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::progress::Log as _;

/// Whether a stop was asked for; cloned into whatever must check.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    asked: Arc<AtomicBool>,
}

impl Interrupt {
    /// Starts listening for SIGINT and SIGTERM (SIGINT alone where there is no SIGTERM) on
    /// the current Tokio runtime, and says on stderr when one arrives.
    pub fn listen() -> Self {
        let interrupt = Self::default();
        let asked = Arc::clone(&interrupt.asked);
        tokio::spawn(async move {
            let signal = received().await;
            asked.store(true, Ordering::SeqCst);
            crate::progress::StderrLog.line(&format!(
                "{signal}: finishing the write in flight, then stopping; nothing more will be written"
            ));
        });
        interrupt
    }

    /// Returns true once a stop was asked for.
    pub fn asked(&self) -> bool {
        self.asked.load(Ordering::SeqCst)
    }
}

/// Waits for the first of SIGINT and SIGTERM and returns its name.
#[cfg(unix)]
async fn received() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        // No handler could be installed: the default action (ending the process) stands.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = interrupt.recv() => "interrupted (SIGINT)",
        _ = terminate.recv() => "terminated (SIGTERM)",
    }
}

#[cfg(not(unix))]
async fn received() -> &'static str {
    match tokio::signal::ctrl_c().await {
        Ok(()) => "interrupted (Ctrl-C)",
        Err(_) => std::future::pending().await,
    }
}
