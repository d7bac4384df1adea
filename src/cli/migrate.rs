//! The arguments of `migrate`: classic protection to rulesets, in a new policy file.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{PolicyArgs, RemoteArgs};

/// `migrate --help`'s exit codes.
pub(super) const MIGRATE_EXIT_CODES: &str = "\
Exit codes:
  0  every branch asked for was moved and proven (or there was none to move)
  2  some branches were left as they were (named, with the reasons); the others were moved
  1  error: nothing was written";

/// Arguments of `migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The branches whose classic protection becomes rulesets [default: every protected
    /// branch the policy manages]
    #[arg(value_name = "BRANCH")]
    pub branches: Vec<String>,

    /// The policy file.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Write the new policy to FILE (the policy file itself too), only once it is complete,
    /// and the proof to stdout [default: the policy to stdout, the proof to stderr]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// A trial: write the rulesets in evaluate mode and keep the classic protection; run
    /// migrate again without it to finish
    #[arg(long)]
    pub evaluate: bool,

    /// Prove against what GitHub enforces today (classic protection as read, every ruleset,
    /// the organisation's too) instead of the policy file alone
    #[arg(long, conflicts_with = "state")]
    pub live: bool,

    /// Prove against this state file (policy format, as `export` writes) instead of the
    /// policy file alone
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// The organisation of an organisation policy (`organization:`); each layer that
    /// declares classic protection gets its rulesets
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,

    /// The repository and API, with --live.
    #[command(flatten)]
    pub remote: RemoteArgs,

    /// The account's format; with json, the new policy goes to -o FILE or, without it, into
    /// the document's `policy`
    #[arg(long, value_enum, default_value_t = MigrateFormat::Text)]
    pub format: MigrateFormat,
}

/// Formats of `migrate`'s account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrateFormat {
    /// Text, for people: the proof as tables
    Text,
    /// One JSON document, for scripts
    Json,
}
