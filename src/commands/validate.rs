//! `gh-policy validate`: parse and check a policy file offline.

use std::io::Write;
use std::path::Path;

use crate::ci::{actions, workflows};
use crate::cli::ValidateArgs;
use crate::error::{Error, ExitStatus};
use crate::model::RepoSettings;
use crate::policy;
use crate::untrusted::escape;

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
            // Expired exceptions are warnings, never errors: policy files live long.
            let now = crate::exceptions::now().map_err(Error::new)?;
            for warning in crate::exceptions::check::check(&settings, now).1 {
                writeln!(err, "warning: {display}: {warning}")?;
            }
            let warnings = check_workflows(args, &settings, err)?;
            if warnings > 0 && args.strict {
                writeln!(
                    err,
                    "error: {} (--strict)",
                    count(warnings, "workflow warning", "workflow warnings")
                )?;
                return Ok(ExitStatus::Failure);
            }
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

/// Cross-checks the policy with the workflows, when asked or when `.github/workflows`
/// exists; prints each warning and returns how many there were.
fn check_workflows(
    args: &ValidateArgs,
    settings: &RepoSettings,
    err: &mut dyn Write,
) -> Result<usize, Error> {
    if args.no_workflows {
        return Ok(0);
    }
    let dir = if let Some(dir) = &args.workflows {
        dir.clone()
    } else {
        let default = Path::new(".github/workflows");
        if !default.is_dir() {
            return Ok(0);
        }
        default.to_path_buf()
    };
    let index = workflows::scan(&dir)?;
    let warnings = workflows::check(settings, &index);
    let annotate = actions::in_actions();
    for warning in &warnings {
        // The message is escaped already; the path is as found, and a file name may hold
        // any character but `/`.
        let file = warning.file.as_ref().map(|f| f.to_string_lossy());
        let place = match (&file, warning.line) {
            (Some(file), Some(line)) => format!("{}:{line}: ", escape(file)),
            (Some(file), None) => format!("{}: ", escape(file)),
            _ => String::new(),
        };
        writeln!(err, "warning: {place}{}", warning.message)?;
        if annotate {
            let file = file
                .map(|f| format!(" file={}", escape_property(&escape(&f))))
                .unwrap_or_default();
            let line = warning
                .line
                .map(|l| format!(",line={l}"))
                .unwrap_or_default();
            writeln!(
                err,
                "::warning{file}{line}::{}",
                escape_data(&escape(&warning.message))
            )?;
        }
    }
    Ok(warnings.len())
}

/// Escapes the message of a workflow command (GitHub's "Workflow commands for GitHub
/// Actions": `%`, CR and LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a workflow command: as data, and `:` and `,` too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
