//! `gh-policy completions SHELL` and `gh-policy man`: generated from the same clap definition
//! as `--help`, so they never drift from it.

use clap::CommandFactory;

use crate::cli::{Cli, EXIT_CODES};
use crate::commands::console::Console;
use crate::error::{Error, ExitStatus};

/// Writes the completion script for `shell`.
pub fn completions(
    shell: clap_complete::Shell,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    let out = console.out();
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "gh-policy", out);
    Ok(ExitStatus::Success)
}

/// Writes the man page in roff: clap's sections, with an EXIT STATUS section (the table
/// `--help` ends with) before the version.
pub fn man_page(console: &mut Console<'_>) -> Result<ExitStatus, Error> {
    let out = console.out();
    let man = clap_mangen::Man::new(Cli::command());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    for (code, meaning) in EXIT_CODES {
        writeln!(out, ".TP\n{code}\n{}", roff_text(meaning))?;
    }
    man.render_version_section(out)?;
    Ok(ExitStatus::Success)
}

/// Escapes text for roff: backslashes, hyphens (which roff may break or render as a minus
/// sign otherwise) and a leading `.` or `'`, which would start a request.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
