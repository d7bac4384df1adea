//! The one error type the commands return, and how it is shown.
//!
//! Modules raise their own typed errors (`policy::PolicyError`, `github::ApiError`, …);
//! they become an `Error` at the command boundary: a lowercase message saying what failed
//! and on which object, the causes, and a hint saying what to do. `main` never sees a
//! `Result`, so no backtrace is ever printed, whatever `RUST_BACKTRACE` says.

use std::fmt;
use std::io::{self, Write};

/// A failure to report to the user: what failed, why, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What failed, on which object. Lowercase, no trailing period.
    pub message: String,
    /// Lines explaining why, most specific last (GitHub's message, a file location, …).
    pub causes: Vec<String>,
    /// What the user can do about it.
    pub hint: Option<String>,
}

impl Error {
    /// Returns an error with a message and nothing else.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            causes: Vec::new(),
            hint: None,
        }
    }

    /// Adds a cause line.
    #[must_use]
    pub fn caused_by(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    /// Sets the hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Writes the error as `error: …`, `  caused by: …`, `  hint: …` lines.
    pub fn report(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "error: {}", self.message)?;
        for cause in &self.causes {
            writeln!(out, "  {cause}")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(out, "  hint: {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for cause in &self.causes {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The message of the error for a closed stdout (`gh-policy plan | head`), which is not
/// worth reporting.
pub const OUTPUT_CLOSED: &str = "output closed";

impl Error {
    /// Returns true when the reader of our output went away.
    pub fn is_output_closed(&self) -> bool {
        self.message == OUTPUT_CLOSED
    }
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            return Self::new(OUTPUT_CLOSED);
        }
        Self::new("failed to write output").caused_by(err.to_string())
    }
}

/// How a command ended; `main` turns it into the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: valid, in sync, applied.
    Success,
    /// 1: an error (invalid policy, API failure, partial apply).
    Failure,
    /// 2: drift (plan), or drift that `apply` cannot fix remains.
    Drift,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => Self::from(0),
            ExitStatus::Failure => Self::from(1),
            ExitStatus::Drift => Self::from(2),
        }
    }
}
