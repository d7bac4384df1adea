//! The flags that say how to reach GitHub and which repositories of an organisation a run
//! covers, shared by the commands that read or write GitHub.

use std::path::PathBuf;

use clap::Args;

use super::values::{milliseconds, seconds, shard, wait_seconds};

/// How to reach the repository on GitHub.
#[derive(Debug, Args)]
pub struct RemoteArgs {
    /// The repository as OWNER/NAME [default: the policy's `repository`, then
    /// GITHUB_REPOSITORY, then the `origin` remote]
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,

    /// The REST API root; for GitHub Enterprise Server, https://HOST/api/v3 [default:
    /// GITHUB_API_URL, else https://GH_HOST/api/v3 when GH_HOST names a GHES host, else
    /// https://api.github.com]
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,

    // GitHub allows at most 100 concurrent requests per user (shared by every tool using
    // the token) and advises serial requests; its secondary limit also caps GETs at 900 a
    // minute per endpoint. Eight is a handful: a plan reads at most a few hundred URLs, so
    // eight in flight stay far from both limits and leave room for other jobs on the same
    // token, while a 50-branch, 20-environment plan takes a seventh of its serial time
    // (measured by `examples/bench/`; four gave a quarter, sixteen a thirteenth).
    // An organisation run may go higher, up to GitHub's own cap of 100 in flight. Without
    // the flag, the client finds how many GitHub takes: from 8, growing while no answer is
    // a secondary-limit refusal and halving at one, up to 50 (`client::window`).
    /// How many read requests may be in flight at once, for the whole run (writes are always one at a time) [default: adapts from 8 up to 50 within GitHub's secondary limits]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=100))]
    pub concurrency: Option<u16>,

    /// Seconds before one request is abandoned (reads are then retried)
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = seconds)]
    pub request_timeout: u64,

    /// Seconds all API calls of the command may take together, waits and retries included
    #[arg(long, value_name = "SECONDS", default_value_t = 600, value_parser = seconds)]
    pub timeout: u64,

    /// How many times a failed read (5xx, timeout, dropped connection) is tried again
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,

    /// The longest to wait for a rate limit to reset; beyond it, stop and say when it resets
    #[arg(long, value_name = "SECONDS", default_value_t = 90, value_parser = wait_seconds)]
    pub max_rate_limit_wait: u64,

    /// Milliseconds of the first pause before a retry (it doubles each time, with jitter)
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 500,
        hide = true,
        env = "GH_POLICY_RETRY_BASE_MS",
        value_parser = milliseconds
    )]
    pub retry_base_ms: u64,

    /// A GitHub App's numeric App ID (not its client ID): act as the App's installation on the
    /// organisation, with --private-key; preferred to a token [env: GH_POLICY_APP_ID]
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,

    /// The GitHub App's private key, a PEM file [or the PEM text in GH_POLICY_APP_PRIVATE_KEY]
    #[arg(long, value_name = "FILE")]
    pub private_key: Option<PathBuf>,

    /// Do not use or update the conditional-request cache
    #[arg(long)]
    pub no_cache: bool,

    /// Where to keep ETags for conditional requests [default: ~/.cache/gh-policy]
    #[arg(long, value_name = "DIR", env = "GH_POLICY_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Log each API call (method, path, status, time) to stderr; the token is never shown
    #[arg(short, long)]
    pub verbose: bool,
}

impl RemoteArgs {
    /// How many repositories an organisation run works on at once: `--concurrency`, or
    /// enough to fill the adaptive window.
    pub fn repositories_at_once(&self) -> usize {
        self.concurrency
            .map_or(crate::github::client::window::ADAPTIVE_MAX, usize::from)
    }
}

/// Which repositories of an organisation a run covers (organisation mode, DESIGN §10).
#[derive(Debug, Args)]
pub struct OrgArgs {
    /// Work on every selected repository of this organisation [default: the policy's
    /// `organization`, when it has one]
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,

    /// Only this share of the selected repositories, e.g. 2/4 (1-based, stable by name: a
    /// new repository does not move the others)
    #[arg(long, value_name = "I/N", value_parser = shard)]
    pub shard: Option<(u32, u32)>,

    /// Go on even when the rate limit left looks too small for the run
    #[arg(long)]
    pub force: bool,
}
