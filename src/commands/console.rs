//! Where a command's words go and how they look: the one handle every command writes
//! through. Standard output carries the command's result (a plan, a report, an export);
//! standard error carries warnings, questions and progress, so a redirected stdout keeps
//! only the result. Whether there is colour and whether API calls are logged (`-v`) are
//! decided once, when the handle is made.

use std::io::{self, IsTerminal, Write};

use crate::output::progress;

/// The streams of a command, with how to write to them.
pub struct Console<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    color: bool,
    verbose: bool,
}

impl<'a> Console<'a> {
    /// Writes the result to `out` and everything else to `err`; colour only when `color`,
    /// the request log only when `verbose`.
    pub fn new(out: &'a mut dyn Write, err: &'a mut dyn Write, color: bool, verbose: bool) -> Self {
        Self {
            out,
            err,
            color,
            verbose,
        }
    }

    /// Whether this process's standard output gets colour: a terminal, and neither
    /// `--no-color`, `NO_COLOR` nor `TERM=dumb` turns it off.
    pub fn wants_color(no_color: bool) -> bool {
        !no_color
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::env::var_os("TERM").is_none_or(|term| term != "dumb")
            && io::stdout().is_terminal()
    }

    /// The command's result.
    pub fn out(&mut self) -> &mut dyn Write {
        &mut *self.out
    }

    /// Warnings, questions and progress.
    pub fn err(&mut self) -> &mut dyn Write {
        &mut *self.err
    }

    /// Whether the result is coloured.
    pub fn color(&self) -> bool {
        self.color
    }

    /// `-v`: whether API calls are logged.
    pub fn verbose(&self) -> bool {
        self.verbose
    }

    /// Whether there is a person to ask: stdin and stderr (where questions go) are terminals.
    pub fn can_ask(&self) -> bool {
        io::stdin().is_terminal() && io::stderr().is_terminal()
    }

    /// Writes one warning line.
    pub fn warn(&mut self, warning: impl std::fmt::Display) -> io::Result<()> {
        writeln!(self.err, "warning: {warning}")
    }

    /// With `-v`: writes one note line; without, nothing.
    pub fn note(&mut self, note: impl std::fmt::Display) -> io::Result<()> {
        if self.verbose {
            writeln!(self.err, "note: {note}")?;
        }
        Ok(())
    }

    /// Awaits `work` with a spinner saying `step` (see [`progress::with_spinner`]).
    pub async fn spinner<T>(&self, step: String, work: impl Future<Output = T>) -> T {
        progress::with_spinner(step, self.verbose, work).await
    }
}
