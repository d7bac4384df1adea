//! SIGINT (Ctrl-C) and SIGTERM while `apply` writes: the write in flight is finished, nothing
//! more is written, and the report says what was and was not applied (exit 1), as after a
//! failed write. Listening starts only once writing starts: before that (reading, the
//! confirmation prompt) a signal ends the command at once, as usual, having written nothing.
//! A second signal is a person who will not wait for the write in flight (it may hang until
//! `--timeout`): the process ends at once (exit 130), saying that write may or may not have
//! been made.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::output::progress::Log as _;

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
            let mut signals = Signals::install();
            let signal = signals.next().await;
            asked.store(true, Ordering::SeqCst);
            crate::output::progress::StderrLog.line(&format!(
                "{signal}: finishing the write in flight, then stopping; nothing more will be written (a second signal stops at once)"
            ));
            let signal = signals.next().await;
            crate::output::progress::StderrLog.line(&format!(
                "{signal} again: stopping now; the write in flight may or may not have been made, and what follows it was not attempted (run plan to see what GitHub has)"
            ));
            std::process::exit(SECOND_SIGNAL_EXIT);
        });
        interrupt
    }

    /// Returns true once a stop was asked for.
    pub fn asked(&self) -> bool {
        self.asked.load(Ordering::SeqCst)
    }
}

/// The exit code of a process a second signal ends: a shell's for an interrupted command.
const SECOND_SIGNAL_EXIT: i32 = 130;

/// The signals that ask `apply` to stop, listened to for the rest of the process.
struct Signals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    /// Installs the handlers of SIGINT and SIGTERM (SIGINT alone where there is no SIGTERM).
    fn install() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                streams: signal(SignalKind::interrupt())
                    .ok()
                    .zip(signal(SignalKind::terminate()).ok()),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// Waits for the next signal and returns its name; never returns where no handler could
    /// be installed (the default action, ending the process, then stands).
    #[cfg(unix)]
    async fn next(&mut self) -> &'static str {
        let Some((interrupt, terminate)) = &mut self.streams else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = interrupt.recv() => "interrupted (SIGINT)",
            _ = terminate.recv() => "terminated (SIGTERM)",
        }
    }

    #[cfg(not(unix))]
    async fn next(&mut self) -> &'static str {
        match tokio::signal::ctrl_c().await {
            Ok(()) => "interrupted (Ctrl-C)",
            Err(_) => std::future::pending().await,
        }
    }
}
