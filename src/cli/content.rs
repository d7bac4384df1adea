//! The arguments of `issue` and `comment`, the commands that write issues and comments, and
//! the write pace they share with `apply`.

use std::path::PathBuf;

use clap::{Arg, Args};

use super::RemoteArgs;
use super::values::milliseconds;

/// `issue --help`'s exit codes.
pub(super) const ISSUE_EXIT_CODES: &str = "\
Exit codes:
  0  every issue is as the plan says
  1  error (with an organisation: any repository whose issue could not be written; the others are written)";

/// `comment --help`'s exit codes.
pub(super) const COMMENT_EXIT_CODES: &str = "\
Exit codes:
  0  the comment (and the label) are as the plan says
  1  error";

/// `--repo` of `issue`, where it names the repository of an organisation's summary issue.
pub(super) fn summary_repo(arg: Arg) -> Arg {
    arg.help("With --summary: the repository that holds the issue [default: GITHUB_REPOSITORY, then the `origin` remote]")
}

/// `--repo` of `comment`: the pull request's repository.
pub(super) fn pull_repo(arg: Arg) -> Arg {
    arg.help(
        "The repository of the pull request [default: GITHUB_REPOSITORY, then the `origin` remote]",
    )
}

/// How far apart writes go.
#[derive(Debug, Args)]
pub struct WritePaceArgs {
    /// Milliseconds between two writes, for the whole run (GitHub asks for at least one second)
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 1000,
        env = "GH_POLICY_WRITE_DELAY_MS",
        hide_env_values = true,
        value_parser = milliseconds
    )]
    pub write_delay_ms: u64,
}

/// Arguments of `issue`.
#[derive(Debug, Args)]
pub struct IssueArgs {
    /// The JSON plan (`plan --format json`, of one repository or an organisation); repeat it
    /// for the shards of one organisation run
    #[arg(long, value_name = "FILE", required = true)]
    pub plan: Vec<PathBuf>,

    /// With an organisation's plan: one issue for the whole organisation, in the repository
    /// --repo names, instead of one in each drifting repository
    #[arg(long)]
    pub summary: bool,

    /// The repository and API.
    #[command(flatten)]
    pub remote: RemoteArgs,

    /// How far apart writes go.
    #[command(flatten)]
    pub pace: WritePaceArgs,
}

/// Arguments of `comment`.
#[derive(Debug, Args)]
pub struct CommentArgs {
    /// The pull request's number
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub pr: u64,

    /// The JSON plan (`plan --format json`, of one repository or an organisation)
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// The repository and API.
    #[command(flatten)]
    pub remote: RemoteArgs,

    /// How far apart writes go.
    #[command(flatten)]
    pub pace: WritePaceArgs,
}
