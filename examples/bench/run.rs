//! One timed `plan` run against the emulator, and what it counts: requests, answers 304,
//! rate-limit cost, wall time and the emulator's traffic statistics.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gh_policy_emulator::{Emulator, Stats};
use serde_json::Value;

use crate::{LATENCY, Result};

/// One timed run of `plan` against the emulator.
pub struct PlanRun {
    pub code: i32,
    pub requests: usize,
    pub not_modified: usize,
    /// The requests not answered 304, as `METHOD path status`.
    pub modified: Vec<String>,
    /// When the first per-repository request was answered (the log was polled until then).
    pub first_repository: Option<Duration>,
    pub rate_cost: u64,
    pub wall: Duration,
    /// The emulator's traffic statistics of this run.
    pub stats: Stats,
    /// An organisation plan's repositories planned and repositories failed.
    pub org: Option<(usize, usize)>,
    /// The rate estimate the run printed (`-v`), for an organisation run.
    pub estimate: Option<u64>,
}

impl PlanRun {
    pub fn row(&self, name: &str) -> String {
        let serial = LATENCY * u32::try_from(self.requests).unwrap_or(u32::MAX);
        let ratio = if serial.is_zero() {
            0.0
        } else {
            self.wall.as_secs_f64() / serial.as_secs_f64()
        };
        let mut row = String::new();
        let _ = write!(
            row,
            "{name:<34} {:>4} {:>8} {:>9.0} {:>9.0} {:>7.3} {:>5} {:>10}",
            self.code,
            self.requests,
            self.wall.as_secs_f64() * 1000.0,
            serial.as_secs_f64() * 1000.0,
            ratio,
            self.not_modified,
            self.rate_cost
        );
        row
    }
}

/// Runs `plan` twice with one fresh cache directory: first cold, then warm.
pub fn cold_and_warm(bin: &Path, emu: &Emulator, dir: &Path) -> Result<(PlanRun, PlanRun)> {
    emu.set_latency(LATENCY);
    let cache = tempfile::tempdir()?;
    let cold = plan(bin, emu, dir, Some(cache.path()), &[])?;
    let warm = plan(bin, emu, dir, Some(cache.path()), &[])?;
    Ok((cold, warm))
}

/// Runs `plan --format json` in `dir` against the emulator and counts what reached it.
pub fn plan(
    bin: &Path,
    emu: &Emulator,
    dir: &Path,
    cache: Option<&Path>,
    extra: &[&str],
) -> Result<PlanRun> {
    emu.set_latency(LATENCY);
    emu.clear_log();
    let used_before = emu.rate_limit_used();
    let mut command = Command::new(bin);
    command
        .current_dir(dir)
        .args(["plan", "--format", "json"])
        .args(extra)
        .env("GITHUB_API_URL", emu.url())
        .env("GITHUB_TOKEN", emu.token())
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match cache {
        Some(cache) => command.env("GH_POLICY_CACHE_DIR", cache),
        None => command.arg("--no-cache"),
    };
    let started = Instant::now();
    let mut child = command.spawn()?;
    // Until the first per-repository request is answered, watch the log (small until then):
    // what comes before it (rate budget, repository list, organisation rulesets) is serial.
    let mut first_repository = None;
    while first_repository.is_none() && child.try_wait()?.is_none() {
        if emu.requests().iter().any(|r| r.path.starts_with("/repos/")) {
            first_repository = Some(started.elapsed());
        } else {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    let output = child.wait_with_output()?;
    let wall = started.elapsed();
    let code = output.status.code().unwrap_or(-1);
    let printed: Option<Value> = serde_json::from_slice(&output.stdout).ok();
    let org = printed.as_ref().and_then(|plan| {
        let count = |key: &str| plan.get(key).and_then(Value::as_array).map(Vec::len);
        Some((count("repositories")?, count("errors")?))
    });
    if code == 1 {
        let errors = printed
            .as_ref()
            .and_then(|plan| plan.get("errors"))
            .map(Value::to_string)
            .unwrap_or_default();
        return Err(format!(
            "plan failed: {} {errors}",
            String::from_utf8_lossy(&output.stderr).trim()
        )
        .into());
    }
    let requests = emu.requests();
    let estimate = String::from_utf8_lossy(&output.stderr)
        .split("this run needs an estimated ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok());
    Ok(PlanRun {
        code,
        requests: requests.len(),
        not_modified: requests.iter().filter(|r| r.status == 304).count(),
        modified: requests
            .iter()
            .filter(|r| r.status != 304)
            .map(|r| format!("{} {} {}", r.method, r.path, r.status))
            .collect(),
        first_repository,
        rate_cost: emu.rate_limit_used() - used_before,
        wall,
        stats: emu.stats(),
        org,
        estimate,
    })
}
