//! The `gh-policy` binary: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = gh_policy::cli::Cli::parse();
    gh_policy::run(&cli).into()
}
