//! `gh-policy validate`: parse and check a policy file offline.

use std::io::Write;

use crate::cli::ValidateArgs;
use crate::error::{Error, ExitStatus};
use crate::policy;

/// Checks the policy file; prints every problem as `FILE:LINE:COLUMN: message` on `err`.
///
/// Never touches the network. A valid file gets one summary line on `out`; an invalid one
/// gets every diagnostic and a count on `err`, and ends in `ExitStatus::Failure`.
pub fn run(
    args: &ValidateArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let path = &args.policy.policy;
    let display = path.display().to_string();
    match policy::load(path) {
        Ok(settings) => {
            writeln!(
                out,
                "{display}: valid ({}, {})",
                count(settings.branches.len(), "branch", "branches"),
                count(settings.environments.len(), "environment", "environments"),
            )?;
            Ok(ExitStatus::Success)
        }
        Err(error) => {
            for diagnostic in &error.diagnostics {
                writeln!(err, "{diagnostic}")?;
            }
            let n = error.diagnostics.len();
            writeln!(
                err,
                "error: {display} has {}",
                count(n, "problem", "problems")
            )?;
            Ok(ExitStatus::Failure)
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
