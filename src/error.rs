//! The one error type the commands return, and the one reporter that shows it.
//!
//! Modules raise their own typed errors where they arise (`github::ApiError`,
//! `policy::PolicyError`, …) and keep the underlying error as their `source()`. At the command
//! boundary they become an [`Error`]: a lowercase message saying what failed and on which
//! object, optional detail lines (every problem of a policy file), the chain of causes, and
//! hints saying what to do. [`Error::report`] walks the chain; nothing parses messages back.
//! `main` never sees a `Result`, so no backtrace is ever printed, whatever `RUST_BACKTRACE` says.

use std::fmt;
use std::io::{self, Write};

use crate::output::untrusted;

/// What kind of failure an [`Error`] is; decides nothing about exit codes (every error is 1)
/// but lets callers tell a closed pipe from a real failure without comparing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The user's input: a flag, a policy or state file, the environment.
    User,
    /// A call to GitHub failed.
    Api,
    /// Writing output failed.
    Output,
    /// The reader of stdout went away (`gh-policy plan | head`): not worth reporting.
    OutputClosed,
}

/// A failure to report to the user: what failed, why, and what to do.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    details: Vec<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    hints: Vec<String>,
}

impl Error {
    /// Returns a user error with a message and nothing else.
    pub fn new(message: impl Into<String>) -> Self {
        Self::with_kind(ErrorKind::User, message)
    }

    /// Returns an error of the given kind.
    pub fn with_kind(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            details: Vec::new(),
            source: None,
            hints: Vec::new(),
        }
    }

    /// Returns the kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Returns the message (the first line of the report, without `error: `).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Returns the hints.
    pub fn hints(&self) -> &[String] {
        &self.hints
    }

    /// Adds a detail line, shown indented under the message (one per problem of a file).
    #[must_use]
    pub fn detail(mut self, line: impl Into<String>) -> Self {
        self.details.push(line.into());
        self
    }

    /// Sets the error this one was caused by; its own `source()` chain is reported too.
    #[must_use]
    pub fn caused_by(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Adds a hint: what the user can do about it.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Returns true when the reader of our output went away.
    pub fn is_output_closed(&self) -> bool {
        self.kind == ErrorKind::OutputClosed
    }

    /// Writes the error as `error: …`, detail lines, `  caused by: …` for each link of the
    /// chain, and `  hint: …` lines.
    pub fn report(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "error: {}", self.message)?;
        for line in &self.details {
            writeln!(out, "  {line}")?;
        }
        write_causes(self.source.as_deref().map(as_std), out, "  ")?;
        for hint in &self.hints {
            writeln!(out, "  hint: {hint}")?;
        }
        Ok(())
    }
}

fn as_std<'a>(
    err: &'a (dyn std::error::Error + Send + Sync + 'static),
) -> &'a (dyn std::error::Error + 'static) {
    err
}

/// Writes `caused by: …` for an error and each of its sources, one line each, indented.
/// The text of a cause may come from GitHub or a file: it is escaped.
pub fn write_causes(
    mut cause: Option<&(dyn std::error::Error + 'static)>,
    out: &mut dyn Write,
    indent: &str,
) -> io::Result<()> {
    while let Some(err) = cause {
        writeln!(
            out,
            "{indent}caused by: {}",
            untrusted::escape(&err.to_string())
        )?;
        cause = err.source();
    }
    Ok(())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        let mut cause = self.source.as_deref().map(as_std);
        while let Some(err) = cause {
            write!(f, ": {err}")?;
            cause = err.source();
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(as_std)
    }
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            return Self::with_kind(ErrorKind::OutputClosed, "output closed");
        }
        Self::with_kind(ErrorKind::Output, "failed to write output").caused_by(err)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] io::Error);

    #[test]
    fn the_report_walks_the_whole_chain() {
        let err = Error::new("could not do it")
            .detail("p.yaml:1:1: first")
            .caused_by(Outer(io::Error::other("inner\nline")))
            .with_hint("try again");
        let mut out = Vec::new();
        err.report(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "error: could not do it\n  p.yaml:1:1: first\n  caused by: outer\n  caused by: inner\\nline\n  hint: try again\n"
        );
    }

    #[test]
    fn a_broken_pipe_is_recognised_by_kind() {
        let err = Error::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(err.is_output_closed());
        assert!(!Error::from(io::Error::other("disk full")).is_output_closed());
    }
}
