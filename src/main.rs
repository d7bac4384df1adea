//! The `gh-policy` binary: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use gh_policy::ExitStatus;

fn main() -> ExitCode {
    match gh_policy::cli::Cli::try_parse() {
        Ok(cli) => gh_policy::run(&cli).into(),
        Err(err) => {
            // `--help` and `--version` are successes; a usage error is an error (1), never
            // clap's default 2, which would read as "drift" to a CI job.
            let _ = err.print();
            if err.use_stderr() {
                ExitStatus::Failure
            } else {
                ExitStatus::Success
            }
            .into()
        }
    }
}
