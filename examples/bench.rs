//! Benchmark of `gh-policy plan` against the GitHub emulator, and of the offline commands on a
//! large policy (issue 7: "the fewest requests, bounded concurrency, conditional requests —
//! measured").
//!
//! Run it from the repository root, on a release build:
//!
//! ```text
//! cargo build --release && cargo run --release --example bench
//! cargo run --release --example bench -- --sweep     # also plan (b) at several --concurrency
//! ```
//!
//! It runs the real binary (`gh-policy` next to this example's directory, i.e.
//! `target/release/gh-policy`; `GH_POLICY_BIN` overrides) and prints:
//!
//! - `plan` of (a) the repository's own `policy.yaml` against `tests/fixtures/live/flow-in-sync.json`
//!   and (b) a generated policy of 50 protected branches and 20 environments (custom deployment
//!   pattern, 2 secrets and 2 variables each), with the emulator answering every request after
//!   100 ms: requests made, wall time, serial time (requests × 100 ms) and their ratio;
//! - the same plan again with the cache directory the first run filled: how many requests were
//!   not answered 304 and how much rate limit the emulator counted;
//! - `validate` and `plan --state` of a 1000-branch policy against a 1000-branch state file:
//!   wall time and peak resident memory (from `/usr/bin/time` when present, else by polling
//!   `/proc/<pid>/status`, which may miss a very short peak).
//!
//! Targets: (a) at most 12 requests and wall/serial ≤ 0.35; (b) wall/serial ≤ 0.2; the second
//! run all 304 with no rate-limit cost; the 1000-branch `plan --state` under 100 ms and 50 MB.
//! This is a program to run by hand, not a test: CI does not run it.

use std::error::Error;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gh_policy_emulator::{Emulator, Seed};
use serde_json::{Value, json};

/// The latency the emulator adds to every answer.
const LATENCY: Duration = Duration::from_millis(100);
/// How many times each offline command is timed; the median is reported.
const OFFLINE_RUNS: usize = 7;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let sweep = std::env::args().any(|a| a == "--sweep");
    let bin = gh_policy_bin()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = std::io::stdout().lock();
    writeln!(out, "gh-policy benchmark — binary {}", bin.display())?;
    writeln!(
        out,
        "emulator latency {} ms per request\n",
        LATENCY.as_millis()
    )?;

    // (a) The repository's own policy against the fixture it matches.
    let flow = Emulator::from_fixture(root.join("tests/fixtures/live/flow-in-sync.json"));
    let flow_dir = tempfile::tempdir()?;
    std::fs::copy(
        root.join("policy.yaml"),
        flow_dir.path().join("policy.yaml"),
    )?;
    let (a_cold, a_warm) = cold_and_warm(&bin, &flow, flow_dir.path())?;

    // (b) 50 branches, 20 environments.
    let (seed, policy) = large(50, 20)?;
    let large_emu = Emulator::start(seed);
    let large_dir = tempfile::tempdir()?;
    std::fs::write(large_dir.path().join("policy.yaml"), policy)?;
    let (b_cold, b_warm) = cold_and_warm(&bin, &large_emu, large_dir.path())?;

    writeln!(
        out,
        "plan against the emulator (first run: empty cache; second run: the cache the first filled)"
    )?;
    writeln!(
        out,
        "{:<34} {:>4} {:>8} {:>9} {:>9} {:>7} {:>5} {:>10}  target",
        "scenario", "exit", "requests", "wall ms", "serial ms", "ratio", "304", "rate cost"
    )?;
    for (name, run, target) in [
        (
            "(a) policy.yaml, first run",
            &a_cold,
            "≤ 12 requests, ratio ≤ 0.35",
        ),
        ("(a) policy.yaml, second run", &a_warm, "all 304, cost 0"),
        ("(b) 50 branches + 20 envs, first", &b_cold, "ratio ≤ 0.2"),
        (
            "(b) 50 branches + 20 envs, second",
            &b_warm,
            "all 304, cost 0",
        ),
    ] {
        writeln!(out, "{}  {target}", run.row(name))?;
    }

    if sweep {
        writeln!(out, "\nplan (b) without cache, by --concurrency")?;
        for n in [1_u16, 2, 4, 6, 8, 12, 16] {
            let run = plan(
                &bin,
                &large_emu,
                large_dir.path(),
                None,
                &["--concurrency", &n.to_string()],
            )?;
            writeln!(out, "{}", run.row(&format!("(b) --concurrency {n}")))?;
        }
    }

    writeln!(
        out,
        "\noffline, 1000 branches (median of {OFFLINE_RUNS} runs; peak RSS is the largest seen)"
    )?;
    let offline_dir = tempfile::tempdir()?;
    let (policy, state) = thousand_branches(1000);
    let policy_path = offline_dir.path().join("policy.yaml");
    let state_path = offline_dir.path().join("state.yaml");
    std::fs::write(&policy_path, policy)?;
    std::fs::write(&state_path, state)?;
    writeln!(
        out,
        "{:<34} {:>4} {:>9} {:>12}  target",
        "command", "exit", "wall ms", "peak RSS MB"
    )?;
    let validate = offline(&bin, offline_dir.path(), &["validate"])?;
    writeln!(out, "{}", validate.row("validate"))?;
    let planned = offline(
        &bin,
        offline_dir.path(),
        &["plan", "--state", "state.yaml", "--format", "json"],
    )?;
    writeln!(
        out,
        "{}  < 100 ms, < 50 MB",
        planned.row("plan --state (100 branches drift)")
    )?;
    writeln!(out, "peak memory measured with: {}", validate.memory_source)?;
    Ok(())
}

/// Finds the release binary: `GH_POLICY_BIN`, else `gh-policy` in the directory above this
/// example's (`target/release/examples/bench` → `target/release/gh-policy`).
fn gh_policy_bin() -> Result<PathBuf> {
    if let Some(bin) = std::env::var_os("GH_POLICY_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|dir| dir.join(format!("gh-policy{}", std::env::consts::EXE_SUFFIX)))
        .ok_or("cannot locate the target directory")?;
    if !bin.is_file() {
        return Err(format!(
            "{} does not exist: run `cargo build --release` first (or set GH_POLICY_BIN)",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

/// One timed run of `plan` against the emulator.
struct PlanRun {
    code: i32,
    requests: usize,
    not_modified: usize,
    rate_cost: u64,
    wall: Duration,
}

impl PlanRun {
    fn row(&self, name: &str) -> String {
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
fn cold_and_warm(bin: &Path, emu: &Emulator, dir: &Path) -> Result<(PlanRun, PlanRun)> {
    emu.set_latency(LATENCY);
    let cache = tempfile::tempdir()?;
    let cold = plan(bin, emu, dir, Some(cache.path()), &[])?;
    let warm = plan(bin, emu, dir, Some(cache.path()), &[])?;
    Ok((cold, warm))
}

/// Runs `plan --format json` in `dir` against the emulator and counts what reached it.
fn plan(
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
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    match cache {
        Some(cache) => command.env("GH_POLICY_CACHE_DIR", cache),
        None => command.arg("--no-cache"),
    };
    let started = Instant::now();
    let output = command.output()?;
    let wall = started.elapsed();
    let code = output.status.code().unwrap_or(-1);
    if code == 1 {
        return Err(format!(
            "plan failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )
        .into());
    }
    let requests = emu.requests();
    Ok(PlanRun {
        code,
        requests: requests.len(),
        not_modified: requests.iter().filter(|r| r.status == 304).count(),
        rate_cost: emu.rate_limit_used() - used_before,
        wall,
    })
}

/// Builds the seed and the matching policy of `branches` protected branches and
/// `environments` environments, each with a custom deployment pattern, 2 secrets, 2 variables.
fn large(branches: usize, environments: usize) -> Result<(Seed, String)> {
    let mut seed_branches = serde_json::Map::new();
    let mut policy = String::from("version: 1\nrepository: acme/large\n\nbranches:\n");
    for i in 0..branches {
        let name = if i == 0 {
            "main".to_owned()
        } else {
            format!("release/{i:02}")
        };
        let approvals = 1 + i % 3;
        seed_branches.insert(
            name.clone(),
            json!({ "protection": {
                "required_status_checks": { "strict": true, "checks": [{ "context": "ci" }] },
                "enforce_admins": i % 2 == 0,
                "required_pull_request_reviews": {
                    "required_approving_review_count": approvals,
                    "dismiss_stale_reviews": true
                },
                "restrictions": null,
                "required_conversation_resolution": true
            }}),
        );
        let _ = write!(
            policy,
            "  {name}:\n    pull_request:\n      required_approvals: {approvals}\n      dismiss_stale_reviews: true\n    status_checks:\n      strict: true\n      required: [ci]\n    enforce_admins: {}\n    required_conversation_resolution: true\n",
            i % 2 == 0
        );
    }
    let mut seed_envs = serde_json::Map::new();
    policy.push_str("\nenvironments:\n");
    for i in 0..environments {
        let name = format!("env-{i:02}");
        seed_envs.insert(
            name.clone(),
            json!({
                "wait_timer": i,
                "deployment_branch_policy": { "protected_branches": false, "custom_branch_policies": true },
                "branch_policies": [{ "name": "release/*", "type": "branch" }],
                "secrets": ["DEPLOY_KEY", "API_TOKEN"],
                "variables": { "URL": format!("https://{name}.example.com"), "REGION": "eu-west-1" }
            }),
        );
        let _ = write!(
            policy,
            "  {name}:\n    wait_timer: {i}\n    deployment_branches: [\"release/*\"]\n    secrets: [DEPLOY_KEY, API_TOKEN]\n    variables:\n      URL: https://{name}.example.com\n      REGION: eu-west-1\n"
        );
    }
    let seed = json!({
        "repo": { "owner": "acme", "name": "large" },
        "branches": Value::Object(seed_branches),
        "environments": Value::Object(seed_envs),
    });
    Ok((serde_json::from_value(seed)?, policy))
}

/// Returns a policy of `n` branches and a state file (policy format) where every tenth branch
/// has drifted.
fn thousand_branches(n: usize) -> (String, String) {
    let mut policy = String::from("version: 1\nrepository: acme/huge\n\nbranches:\n");
    let mut state = policy.clone();
    for i in 0..n {
        let branch = |approvals: usize, checks: &str| {
            format!(
                "  branch-{i:04}:\n    pull_request:\n      required_approvals: {approvals}\n      dismiss_stale_reviews: true\n      bypass: {{ users: [octocat], teams: [], apps: [] }}\n    status_checks:\n      strict: true\n      required:\n{checks}    enforce_admins: true\n    required_linear_history: {}\n",
                i % 2 == 0
            )
        };
        let checks = "        - lint\n        - test\n        - context: Security Checks\n          app_id: 15368\n";
        policy.push_str(&branch(2, checks));
        if i % 10 == 0 {
            state.push_str(&branch(1, "        - lint\n"));
        } else {
            state.push_str(&branch(2, checks));
        }
    }
    (policy, state)
}

/// Wall time and peak memory of an offline command.
struct OfflineRun {
    code: i32,
    wall: Duration,
    peak_kib: Option<u64>,
    memory_source: &'static str,
}

impl OfflineRun {
    fn row(&self, name: &str) -> String {
        let peak = self.peak_kib.map_or_else(
            || "?".to_owned(),
            |kib| format!("{}.{}", kib / 1024, (kib % 1024) * 10 / 1024),
        );
        format!(
            "{name:<34} {:>4} {:>9.1} {peak:>12}",
            self.code,
            self.wall.as_secs_f64() * 1000.0
        )
    }
}

/// Times `gh-policy <args>` in `dir` several times; median wall time, largest peak RSS.
fn offline(bin: &Path, dir: &Path, args: &[&str]) -> Result<OfflineRun> {
    let time = Path::new("/usr/bin/time");
    let mut walls = Vec::new();
    let mut peak = None;
    let mut code = 0;
    let mut source = "/proc/<pid>/status VmHWM (polled)";
    for run in 0..OFFLINE_RUNS {
        let report = dir.join(format!("time-{run}.txt"));
        let use_time = time.is_file();
        let mut command = if use_time {
            source = "/usr/bin/time (maximum resident set size)";
            let mut c = Command::new(time);
            c.arg("-f").arg("%M").arg("-o").arg(&report).arg(bin);
            c
        } else {
            Command::new(bin)
        };
        command
            .current_dir(dir)
            .args(args)
            .env_remove("GITHUB_ACTIONS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let started = Instant::now();
        let mut child = command.spawn()?;
        let mut polled = None;
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if !use_time {
                polled = polled.max(vm_hwm(child.id()));
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        walls.push(started.elapsed());
        code = status.code().unwrap_or(-1);
        let kib = if use_time {
            std::fs::read_to_string(&report)
                .ok()
                .and_then(|text| text.lines().last()?.trim().parse::<u64>().ok())
        } else {
            polled
        };
        peak = peak.max(kib);
    }
    walls.sort();
    Ok(OfflineRun {
        code,
        wall: walls[walls.len() / 2],
        peak_kib: peak,
        memory_source: source,
    })
}

/// Reads a process's peak resident set size (`VmHWM`, KiB) while it runs.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
