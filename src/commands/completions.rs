//! `gh-policy completions SHELL` and `gh-policy man`: generated from the same clap definition
//! as `--help`, so they never drift from it.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, ExitStatus};

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "gh-policy", out);
    Ok(ExitStatus::Success)
}

/// Writes the man page in roff.
pub fn man_page(out: &mut dyn Write) -> Result<ExitStatus, Error> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(ExitStatus::Success)
}
