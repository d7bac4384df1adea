//! gh-policy keeps a GitHub repository's branch protection, rulesets, deployment
//! environments and settings as code.
//!
//! ```text
//! policy.yaml ─▶ policy::load ─▶ desired: RepoSettings ─┐
//! GitHub API / --state ─▶ github::read ─▶ live: RepoSettings ─┼▶ plan::diff ─▶ Plan ─▶ render
//!                                                         │                  └▶ plan::apply ─▶ re-read ─▶ verify
//! ```
//!
//! - `model`: the one model both sides share, the live side as read, the naming rules.
//! - `policy`: reading and checking policy files, and their JSON Schema.
//! - `github`: the only code that knows endpoints and wire shapes.
//! - `plan`: the `Plan`, the pure diff that makes it, exceptions, and `apply`, which
//!   executes it writing only what it lists.
//! - `protection`: the protection GitHub enforces on a branch, the rules that can never be
//!   met, and which changes weaken protection (refused unless asked).
//! - `render`: a `Plan` as text, JSON, Markdown, SARIF or JUnit XML.
//! - `output`: progress for a person watching, and what keeps everything printed safe
//!   (credentials redacted, untrusted text escaped).
//! - `org`: one policy for many repositories of an organisation.
//! - `migrate`: classic protection as rulesets, with the proof that nothing changes.
//! - `ci`: GitHub Actions output and the cross-check with workflow files.
//! - `commands`: one module per subcommand; `cli` holds the clap types.

pub mod ci;
pub mod cli;
pub mod commands;
pub mod error;
pub mod github;
pub mod migrate;
pub mod model;
pub mod org;
pub mod output;
pub mod plan;
pub mod policy;
pub mod protection;
pub mod render;
#[cfg(test)]
mod testing;

use std::io::{self, Write};

pub use error::{Error, ExitStatus};

use cli::{Cli, Command};
use commands::console::Console;

/// Runs one command line and returns how it ended. Errors are reported on stderr here.
pub fn run(cli: &Cli) -> ExitStatus {
    let stdout = io::stdout();
    let stderr = io::stderr();
    // `-v` logs API calls: only the commands that make them take it.
    let verbose = match &cli.command {
        Command::Plan(args) => args.remote.verbose,
        Command::Apply(args) => args.remote.verbose,
        Command::Export(args) => args.remote.verbose,
        Command::Explain(args) => args.remote.verbose,
        Command::Migrate(args) => args.remote.verbose,
        Command::Issue(args) => args.remote.verbose,
        Command::Comment(args) => args.remote.verbose,
        Command::Validate(_) | Command::Schema(_) | Command::Completions(_) | Command::Man => false,
    };
    let ctx = commands::Context {
        cwd: std::env::current_dir().unwrap_or_default(),
    };
    // Both streams are redacted: no credential the process holds is ever printed.
    let mut out = output::redact::Redacting::new(stdout.lock());
    // Not locked for the whole command: the spinner and the request log write to stderr
    // from other threads, and would wait forever for a lock held here.
    let mut err = output::redact::Redacting::new(stderr);
    let color = Console::wants_color(cli.no_color);
    let mut console = Console::new(&mut out, &mut err, color, verbose);
    let result = match &cli.command {
        Command::Validate(args) => commands::validate::run(args, &mut console),
        Command::Schema(args) => commands::schema::run(args, &mut console),
        Command::Plan(args) => commands::plan::run(args, &ctx, &mut console),
        Command::Apply(args) => commands::apply::run(args, &ctx, &mut console),
        Command::Export(args) => commands::export::run(args, &ctx, &mut console),
        Command::Explain(args) => commands::explain::run(args, &ctx, &mut console),
        Command::Migrate(args) => commands::migrate::run(args, &ctx, &mut console),
        Command::Issue(args) => commands::issue::run(args, &ctx, &mut console),
        Command::Comment(args) => commands::comment::run(args, &ctx, &mut console),
        Command::Completions(args) => commands::completions::completions(args.shell, &mut console),
        Command::Man => commands::completions::man_page(&mut console),
    };
    let _ = out.flush();
    match result {
        Ok(status) => status,
        Err(error) => {
            if error.is_output_closed() {
                return ExitStatus::Success;
            }
            let _ = error.report(&mut err);
            ExitStatus::Failure
        }
    }
}
