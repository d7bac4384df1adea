//! Benchmark of what the findings (DESIGN §13) add to `plan`: requests per branch and wall
//! time, against the GitHub emulator answering every request after 100 ms.
//!
//! ```text
//! cargo build --release && cargo run --release --example bench_findings
//! ```
//!
//! For 1, 5 and 20 branches, each with a requirement of 1 approval, a required check and
//! code-owner review, a CODEOWNERS file and a merged pull request whose head reported the
//! check (so every read the findings can make is made), it runs `plan --no-cache` with and
//! without `--no-findings` and prints the requests, the extra requests per branch, and the
//! wall times. It runs the real binary (`target/release/gh-policy`; `GH_POLICY_BIN`
//! overrides).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gh_policy_emulator::{Emulator, Seed};
use serde_json::json;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const LATENCY: Duration = Duration::from_millis(100);

fn main() -> Result<()> {
    let bin = std::env::var_os("GH_POLICY_BIN")
        .map_or_else(|| PathBuf::from("target/release/gh-policy"), PathBuf::from);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "branches  requests without  with findings  extra/branch  wall without  wall with"
    )?;
    for n in [1, 5, 20] {
        let (seed, policy) = world(n)?;
        let emu = Emulator::start(seed);
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("policy.yaml"), policy)?;
        let (without, wall_without) = plan(&bin, &emu, dir.path(), true)?;
        let (with, wall_with) = plan(&bin, &emu, dir.path(), false)?;
        let per_branch = as_f64(with - without) / as_f64(n);
        writeln!(
            out,
            "{n:>8}  {without:>16}  {with:>13}  {per_branch:>12.2}  {:>10.2} s  {:>7.2} s",
            wall_without.as_secs_f64(),
            wall_with.as_secs_f64()
        )?;
    }
    Ok(())
}

fn as_f64(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// `n` branches `b0…`, each protected with 1 approval, the check `lint` and code-owner
/// review, each with a merged pull request whose head reported `lint`.
fn world(n: usize) -> Result<(Seed, String)> {
    let mut branches = serde_json::Map::new();
    let mut pulls = Vec::new();
    let mut commits = serde_json::Map::new();
    let mut policy = String::from("version: 1\nrepository: acme/api\nrequirements:\n");
    for i in 0..n {
        let name = format!("b{i}");
        branches.insert(
            name.clone(),
            json!({ "protection": {
                "required_status_checks": { "strict": false, "checks": [{ "context": "lint" }] },
                "enforce_admins": false, "restrictions": null,
                "required_pull_request_reviews": {
                    "required_approving_review_count": 1, "require_code_owner_reviews": true } } }),
        );
        let sha = format!("{i:040x}");
        pulls.push(json!({ "base": name, "head_sha": sha, "merged": true }));
        commits.insert(
            sha,
            json!({ "check_runs": [{ "name": "lint", "app": "github-actions" }] }),
        );
        writeln!(
            policy,
            "  {name}: {{ required_approvals: 1, required_checks: [lint], require_code_owner_reviews: true }}"
        )?;
    }
    let seed = serde_json::from_value(json!({
        "repo": { "owner": "acme", "name": "api", "activity": {
            "codeowners": { "errors": [] }, "pull_requests": pulls, "commits": commits } },
        "users": [ { "login": "octocat", "id": 1 }, { "login": "hubot", "id": 2 } ],
        "apps": [ { "slug": "github-actions", "id": 15368 } ],
        "branches": branches
    }))?;
    Ok((seed, policy))
}

/// Runs `plan` and returns the requests the emulator received and the wall time.
fn plan(
    bin: &PathBuf,
    emu: &Emulator,
    dir: &std::path::Path,
    skip: bool,
) -> Result<(usize, Duration)> {
    emu.set_latency(LATENCY);
    emu.clear_log();
    let mut command = Command::new(bin);
    command
        .current_dir(dir)
        .args(["plan", "--no-cache", "--format", "json"])
        .env("GITHUB_API_URL", emu.url())
        .env("GITHUB_TOKEN", emu.token())
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if skip {
        command.arg("--no-findings");
    }
    let started = Instant::now();
    let status = command.status()?;
    let wall = started.elapsed();
    if status.code() != Some(0) {
        return Err(format!("plan exited {status}").into());
    }
    Ok((emu.requests().len(), wall))
}
