//! The command line, as clap types only. Behaviour lives in `commands/`; these types stop here.

#![expect(
    clippy::doc_markdown,
    reason = "doc comments here are clap's help text, shown to users verbatim"
)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod content;
mod migrate;
mod remote;
mod values;

pub use content::{CommentArgs, IssueArgs, WritePaceArgs};
pub use migrate::{MigrateArgs, MigrateFormat};
pub use remote::{OrgArgs, RemoteArgs};
pub use values::MAX_SECONDS;

/// The exit codes of every command, for `--help` and the man page (DESIGN.md §1).
pub const EXIT_CODES: [(u8, &str); 3] = [
    (
        0,
        "success: the policy is valid, the repository matches it, apply made it match",
    ),
    (
        1,
        "error: an invalid policy, a failed API call, a partial apply, a mistyped flag",
    ),
    (
        2,
        "drift: plan found differences, or apply left drift it cannot fix (listed)",
    ),
];

/// Returns the exit codes as `--help` shows them after the options.
fn exit_codes_help() -> String {
    EXIT_CODES
        .iter()
        .fold("Exit codes:".to_owned(), |text, (code, meaning)| {
            text + "\n  " + &code.to_string() + "  " + meaning
        })
}

/// Keep GitHub branch protection and deployment environments as code
#[derive(Debug, Parser)]
#[command(name = "gh-policy", version, about, long_about = None, after_help = exit_codes_help())]
pub struct Cli {
    /// Turn colour off (so does the NO_COLOR variable; colour is off when stdout is not a terminal)
    #[arg(long, global = true)]
    pub no_color: bool,

    /// The command to run
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a policy file offline, without any network call
    #[command(after_help = "\
Exit codes:
  0  valid
  1  invalid, or workflow warnings with --strict")]
    Validate(ValidateArgs),
    /// Show how the live repository (or an organisation's repositories) differs from the policy
    #[command(after_help = "\
Exit codes:
  0  in sync
  2  drift
  1  error (with an organisation: any repository that could not be planned)")]
    Plan(PlanArgs),
    /// Show the plan, then make the repository (or the organisation's repositories) match the policy
    #[command(after_help = "\
Exit codes:
  0  the repository matches the policy
  2  applied all it could; drift apply cannot fix remains (listed)
  1  error, a partial apply included (each change is reported as applied, failed or not attempted)")]
    Apply(ApplyArgs),
    /// Print the live settings as a policy file
    #[command(after_help = "\
Exit codes:
  0  exported
  1  error (with --output, FILE is left as it was)")]
    Export(ExportArgs),
    /// Print the effective protection of branches, each setting with its sources
    Explain(ExplainArgs),
    /// Write a new policy in which classic branch protection is rulesets, with the proof that
    /// GitHub will enforce the same (never touches GitHub)
    #[command(after_help = migrate::MIGRATE_EXIT_CODES)]
    Migrate(MigrateArgs),
    /// Keep one issue per drifting repository up to date from a JSON plan: opened, updated in
    /// place, closed when the repository is in sync
    #[command(after_help = content::ISSUE_EXIT_CODES, mut_arg("repo", content::summary_repo))]
    Issue(IssueArgs),
    /// Keep one pull request comment with the plan (from a JSON plan), updated in place; label
    /// the pull request when the plan weakens protection
    #[command(after_help = content::COMMENT_EXIT_CODES, mut_arg("repo", content::pull_repo))]
    Comment(CommentArgs),
    /// Print the policy file's JSON Schema (with --org, an organisation policy's)
    Schema(SchemaArgs),
    /// Print a shell completion script (e.g. `gh-policy completions bash > /etc/bash_completion.d/gh-policy`)
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `gh-policy man > gh-policy.1`
    Man,
}

/// Arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema of an organisation policy (`organization:`), `schema/org-policy.schema.json`
    #[arg(long)]
    pub org: bool,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Where the policy file is.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// The policy file
    #[arg(
        short,
        long = "policy",
        value_name = "FILE",
        default_value = "policy.yaml"
    )]
    pub policy: PathBuf,
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The policy file.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Cross-check the policy with these GitHub Actions workflows: required checks no job
    /// produces, environments the policy does not list [default: .github/workflows when it exists]
    #[arg(long, value_name = "DIR")]
    pub workflows: Option<PathBuf>,

    /// Skip the workflow cross-check
    #[arg(long, conflicts_with = "workflows")]
    pub no_workflows: bool,

    /// Treat workflow warnings as errors (exit 1)
    #[arg(long)]
    pub strict: bool,

    /// With an organisation policy: print the policy this repository gets (NAME or
    /// OWNER/NAME); groups that select by custom properties need `plan --org --repo`
    #[arg(long, value_name = "NAME")]
    pub repo: Option<String>,
}

/// Arguments of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The policy file.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// The repository and API.
    #[command(flatten)]
    pub remote: RemoteArgs,

    /// The organisation's repositories.
    #[command(flatten)]
    pub org: OrgArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,

    /// Read the live side from this file (policy format, as `export` writes) instead of GitHub
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Also save the plan to FILE (JSON) with a fingerprint of every read, for `apply --plan
    /// FILE`; written only when the plan has no error
    #[arg(long, value_name = "FILE", conflicts_with = "state")]
    pub out: Option<PathBuf>,

    /// Skip the findings (rules that can never be met, or protect nothing) and their reads
    #[arg(long)]
    pub no_findings: bool,
}

/// Arguments of `apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The policy file.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// The repository and API.
    #[command(flatten)]
    pub remote: RemoteArgs,

    /// The organisation's repositories.
    #[command(flatten)]
    pub org: OrgArgs,

    /// Apply without asking for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Apply exactly this saved plan (from `plan --out FILE`); refused, nothing written, when
    /// the policy file or anything the plan read from GitHub changed since
    #[arg(long, value_name = "FILE", conflicts_with_all = ["org", "shard"])]
    pub plan: Option<PathBuf>,

    /// Apply changes that weaken protection too (with --yes they are refused otherwise;
    /// on a terminal they are asked for separately)
    #[arg(long)]
    pub allow_weakening: bool,

    /// Refuse to write anything when a secret the policy would create has no value here
    /// (by default apply makes every other change and lists those secrets)
    #[arg(long)]
    pub require_secret_values: bool,

    /// How far apart writes go.
    #[command(flatten)]
    pub pace: WritePaceArgs,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The policy whose `repository` (and app names) to use, when the file exists
    #[arg(
        short,
        long = "policy",
        value_name = "FILE",
        default_value = "policy.yaml"
    )]
    pub policy: PathBuf,

    /// The repository and API.
    #[command(flatten)]
    pub remote: RemoteArgs,

    /// Export an organisation policy covering every repository of this organisation (archived
    /// repositories and forks left out), what they all share in `defaults`
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,

    /// Write to FILE instead of stdout, only once the export succeeded
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Yaml)]
    pub format: ExportFormat,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The branches [default: the policy's requirement branches, else the default branch]
    #[arg(value_name = "BRANCH")]
    pub branches: Vec<String>,

    /// The policy file (for the repository and the requirement branches), when it exists.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// The repository and API.
    #[command(flatten)]
    pub remote: RemoteArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,

    /// Skip the findings (rules that can never be met, or protect nothing) and their reads
    #[arg(long)]
    pub no_findings: bool,
}

/// Formats of `explain`'s report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Text, for people
    Text,
    /// JSON, for scripts
    Json,
}

/// Formats of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// A colour diff for people, like `terraform plan`
    Text,
    /// JSON, for scripts
    Json,
    /// Markdown, for pull request comments and $GITHUB_STEP_SUMMARY
    Markdown,
    /// SARIF 2.1.0, for code scanning: each change located at the policy line that declares it
    Sarif,
    /// JUnit XML, for test reports: one test case per managed resource, a failure per drifting one
    Junit,
}

/// Formats of an exported policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A policy.yaml file
    Yaml,
    /// The same document as JSON
    Json,
}
