//! Benchmark of `gh-policy plan` against the GitHub emulator, and of the offline commands on a
//! large policy (issue 7: "the fewest requests, bounded concurrency, conditional requests —
//! measured").
//!
//! Run it from the repository root, on a release build:
//!
//! ```text
//! cargo build --release && cargo run --release --example bench
//! cargo run --release --example bench -- --sweep     # also plan (b) at several --concurrency
//! cargo run --release --example bench -- --org-only  # only the organisation case (about 3 min)
//! cargo run --release --example bench -- --org-only --switches-only  # only §12's case
//! cargo run --release --example bench -- --floor     # only the organisation read at GitHub's floor (DESIGN §16)
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
//! - the organisation case (DESIGN §10): `plan` of an organisation policy over `acme` with 30,
//!   100 and 300 repositories, each with 3 protected branches (`main`, `stage`, `dev`), 2
//!   environments (`staging`, `production`: custom deployment branches, a wait timer) and 1
//!   ruleset, plus 1 organisation ruleset; the policy's `defaults` declare exactly those (so
//!   the run is in sync) and a `~DEFAULT_BRANCH` requirement (so the organisation rulesets are
//!   read, once per run). Each size is planned at the default `--concurrency` (8) and at 32,
//!   each on a fresh emulator (secondary limits enforced as GitHub's: 100 in flight, 900
//!   points a minute per endpoint; primary limit 5000, a personal token's), and
//!   reports requests per repository, total requests, the busiest endpoint's points in one
//!   minute, the most requests in flight, secondary-limit refusals, wall time and
//!   efficiency = floor / wall, where floor = max(requests × 100 ms / concurrency, the time
//!   the busiest endpoint's points need within a sliding minute of 900: nothing up to 900, a
//!   minute more for every further 900); then requests and wall time per repository by size,
//!   the second run at the default concurrency with the cache the first filled (requests not
//!   answered 304 and the primary rate limit used), the rate estimate each run printed (`-v`)
//!   next to what it spent, and the requests per repository by endpoint.
//!
//! - the organisation case again with `settings`, `security` and `actions` in `defaults`
//!   (`bench/switches.rs`): requests per repository with and without them.
//!
//! Targets: (a) at most 16 requests (12 for the configuration, 4 for the requirements) and
//! wall/serial ≤ 0.35; (b) wall/serial ≤ 0.2; the second
//! run all 304 with no rate-limit cost; the 1000-branch `plan --state` under 100 ms and 50 MB;
//! the organisation: at most 12 requests per repository, no refusals, efficiency ≥ 0.8, cost
//! per repository flat from 30 to 300 repositories, the second run all 304 at no rate cost,
//! the rate estimate within 10% of what the first run spends and 0 for the second; the
//! repository-wide sections at most 5 more requests per repository.
//! This is a program to run by hand, not a test: CI does not run it.

#[path = "bench/switches.rs"]
mod switches;

use std::error::Error;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "bench/floor.rs"]
mod floor;

use gh_policy_emulator::{
    BranchPolicySeed, DeploymentBranchPolicySeed, Emulator, EnvironmentSeed, RepositorySeed, Seed,
    Stats,
};
use serde_json::{Value, json};

/// The latency the emulator adds to every answer.
const LATENCY: Duration = Duration::from_millis(100);
/// How many times each offline command is timed; the median is reported.
const OFFLINE_RUNS: usize = 7;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let sweep = std::env::args().any(|a| a == "--sweep");
    let org_only = std::env::args().any(|a| a == "--org-only");
    let floor_only = std::env::args().any(|a| a == "--floor");
    let bin = gh_policy_bin()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = std::io::stdout().lock();
    writeln!(out, "gh-policy benchmark — binary {}", bin.display())?;
    writeln!(
        out,
        "emulator latency {} ms per request\n",
        LATENCY.as_millis()
    )?;
    if floor_only {
        return floor::floor_case(&bin, &mut out);
    }
    if !org_only {
        repository_cases(&bin, root, sweep, &mut out)?;
        writeln!(out)?;
    }
    if std::env::args().any(|a| a == "--switches-only") {
        return switches::switches_case(&bin, &mut out);
    }
    organisation_case(&bin, &mut out)?;
    switches::switches_case(&bin, &mut out)?;
    writeln!(out)?;
    floor::floor_case(&bin, &mut out)
}

/// Cases (a) and (b) against the emulator, then the offline commands.
fn repository_cases(
    bin: &Path,
    root: &Path,
    sweep: bool,
    out: &mut impl std::io::Write,
) -> Result<()> {
    // (a) The repository's own policy against the fixture it matches.
    let flow = Emulator::from_fixture(root.join("tests/fixtures/live/flow-in-sync.json"));
    let flow_dir = tempfile::tempdir()?;
    std::fs::copy(
        root.join("policy.yaml"),
        flow_dir.path().join("policy.yaml"),
    )?;
    let (a_cold, a_warm) = cold_and_warm(bin, &flow, flow_dir.path())?;

    // (b) 50 branches, 20 environments.
    let (seed, policy) = large(50, 20)?;
    let large_emu = Emulator::start(seed);
    let large_dir = tempfile::tempdir()?;
    std::fs::write(large_dir.path().join("policy.yaml"), policy)?;
    let (b_cold, b_warm) = cold_and_warm(bin, &large_emu, large_dir.path())?;

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
            // 12 for the configuration, 4 for the requirements (the repository's default
            // branch, then the effective rules of main, stage and dev).
            "≤ 16 requests, ratio ≤ 0.35",
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
                bin,
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
    let validate = offline(bin, offline_dir.path(), &["validate"])?;
    writeln!(out, "{}", validate.row("validate"))?;
    let planned = offline(
        bin,
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
    /// The requests not answered 304, as `METHOD path status`.
    modified: Vec<String>,
    /// When the first per-repository request was answered (the log was polled until then).
    first_repository: Option<Duration>,
    rate_cost: u64,
    wall: Duration,
    /// The emulator's traffic statistics of this run.
    stats: Stats,
    /// An organisation plan's repositories planned and repositories failed.
    org: Option<(usize, usize)>,
    /// The rate estimate the run printed (`-v`), for an organisation run.
    estimate: Option<u64>,
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

/// Repository counts of the organisation case.
const ORG_SIZES: [usize; 3] = [30, 100, 300];
/// `plan`'s default `--concurrency`.
const DEFAULT_CONCURRENCY: u16 = 8;
/// The higher `--concurrency` the organisation case also runs at.
const HIGH_CONCURRENCY: u16 = 32;
/// GitHub's secondary limit: the points one endpoint may take in any minute.
const POINTS_PER_MINUTE: u64 = 900;
/// The organisation emulator's primary rate limit: a personal token's 5000, which the
/// estimate of 300 repositories of this policy in sync fits (a run needs about 10 requests a
/// repository, and the estimate counts what it needs).
const ORG_PRIMARY_LIMIT: u64 = 5_000;

/// The organisation case: cold runs at the default and a higher concurrency, then the
/// default-concurrency run again with the cache it filled, for each organisation size.
fn organisation_case(bin: &Path, out: &mut impl std::io::Write) -> Result<()> {
    writeln!(
        out,
        "organisation acme: N repositories, each with 3 protected branches, 2 environments and 1 ruleset,\n\
         plus 1 organisation ruleset; `plan` of an organisation policy in sync (defaults + a ~DEFAULT_BRANCH requirement)"
    )?;
    writeln!(
        out,
        "floor = max(requests × {} ms / concurrency, the {POINTS_PER_MINUTE}-points-a-minute window the busiest endpoint needs); efficiency = floor / wall",
        LATENCY.as_millis()
    )?;
    writeln!(
        out,
        "targets: ≤ 12 requests/repo, 0 refusals, efficiency ≥ 0.8; requests/repo and wall/repo flat from 30 to 300 repositories\n"
    )?;
    writeln!(
        out,
        "plan, first run (empty cache); pts/min: the busiest endpoint's most points in one minute; wall/repo in ms;\n\
         1st repo s: when the first per-repository request was answered (what precedes it is serial)"
    )?;
    writeln!(
        out,
        "{:<22} {:>4} {:>5} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8} {:>9} {:>7} {:>6} {:>10}  targets",
        "scenario",
        "exit",
        "repos",
        "requests",
        "req/repo",
        "pts/min",
        "in-flight",
        "refusals",
        "wall s",
        "wall/repo",
        "floor s",
        "effic.",
        "1st repo s"
    )?;
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for n in ORG_SIZES {
        let (seed, policy) = organisation(n)?;
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("policy.yaml"), policy)?;
        for concurrency in [DEFAULT_CONCURRENCY, HIGH_CONCURRENCY] {
            let emu = Emulator::builder(seed.clone())
                .primary_rate_limit(ORG_PRIMARY_LIMIT)
                .start();
            let cache = tempfile::tempdir()?;
            let flag = concurrency.to_string();
            // `-v` prints the rate estimate, compared below with what the run spent.
            let args = ["--concurrency", flag.as_str(), "-v"];
            let run = OrgRun {
                repositories: n,
                concurrency,
                run: plan(bin, &emu, dir.path(), Some(cache.path()), &args)?,
            };
            writeln!(out, "{}", run.row())?;
            if concurrency == DEFAULT_CONCURRENCY {
                let again = plan(bin, &emu, dir.path(), Some(cache.path()), &args)?;
                warm.push((n, again));
            }
            cold.push(run);
        }
    }

    report_growth(&cold, out)?;
    report_warm(&warm, out)?;
    report_estimates(&cold, &warm, out)?;
    report_endpoints(&cold, out)
}

/// The rate estimate each run printed before reading any repository, next to what the run
/// spent of the primary rate limit (requests not answered 304; `/rate_limit` is free).
fn report_estimates(
    cold: &[OrgRun],
    warm: &[(usize, PlanRun)],
    out: &mut impl std::io::Write,
) -> Result<()> {
    writeln!(
        out,
        "
rate estimate (printed before any repository is read) and what the run spent; target: within 10%, the cached run 0"
    )?;
    writeln!(
        out,
        "{:<26} {:>9} {:>9} {:>8}  target",
        "scenario", "estimate", "spent", "est/real"
    )?;
    let rows = cold
        .iter()
        .filter(|r| r.concurrency == DEFAULT_CONCURRENCY)
        .map(|r| (format!("{} repos, first run", r.repositories), &r.run))
        .chain(
            warm.iter()
                .map(|(n, run)| (format!("{n} repos, second run"), run)),
        );
    for (name, run) in rows {
        let estimate = run.estimate.unwrap_or(u64::MAX);
        let spent = run.rate_cost;
        let ratio = if spent == 0 {
            if estimate == 0 { 1.0 } else { f64::INFINITY }
        } else {
            let f = |n: u64| f64::from(u32::try_from(n).unwrap_or(u32::MAX));
            f(estimate) / f(spent)
        };
        let within = estimate.abs_diff(spent) * 10 <= spent || (spent == 0 && estimate == 0);
        writeln!(
            out,
            "{name:<26} {:>9} {spent:>9} {ratio:>8.3}  {}",
            run.estimate
                .map_or_else(|| "?".to_owned(), |e| e.to_string()),
            if within { "ok" } else { "missed" }
        )?;
    }
    Ok(())
}

/// Requests and wall time per repository as the organisation grows.
fn report_growth(cold: &[OrgRun], out: &mut impl std::io::Write) -> Result<()> {
    writeln!(
        out,
        "\ncost by organisation size (linear: flat per repository)"
    )?;
    for concurrency in [DEFAULT_CONCURRENCY, HIGH_CONCURRENCY] {
        let runs: Vec<&OrgRun> = cold
            .iter()
            .filter(|r| r.concurrency == concurrency)
            .collect();
        let join = |f: &dyn Fn(&OrgRun) -> String| {
            runs.iter().map(|r| f(r)).collect::<Vec<_>>().join(" → ")
        };
        let growth = |f: &dyn Fn(&OrgRun) -> f64| match (runs.first(), runs.last()) {
            (Some(first), Some(last)) if f(first) > 0.0 => f(last) / f(first),
            _ => 0.0,
        };
        writeln!(
            out,
            "--concurrency {concurrency:<3} repos {}: requests/repo {} (×{:.2}), wall/repo ms {} (×{:.2})",
            join(&|r| r.repositories.to_string()),
            join(&|r| format!("{:.2}", r.requests_per_repository())),
            growth(&OrgRun::requests_per_repository),
            join(&|r| format!("{:.0}", r.wall_per_repository_ms())),
            growth(&OrgRun::wall_per_repository_ms),
        )?;
    }

    Ok(())
}

/// The second runs, with the cache the first filled.
fn report_warm(warm: &[(usize, PlanRun)], out: &mut impl std::io::Write) -> Result<()> {
    writeln!(
        out,
        "\nplan, second run (--concurrency {DEFAULT_CONCURRENCY}, the cache the first run filled)"
    )?;
    writeln!(
        out,
        "{:<22} {:>4} {:>8} {:>6} {:>8} {:>10} {:>8}  target",
        "scenario", "exit", "requests", "304", "not 304", "rate cost", "wall s"
    )?;
    for (n, run) in warm {
        writeln!(
            out,
            "{:<22} {:>4} {:>8} {:>6} {:>8} {:>10} {:>8.1}  0 not 304, cost 0 — not 304: {}",
            format!("{n} repos, second run"),
            run.code,
            run.requests,
            run.not_modified,
            run.requests - run.not_modified,
            run.rate_cost,
            run.wall.as_secs_f64(),
            summary(&run.modified)
        )?;
    }

    Ok(())
}

/// Requests per repository by endpoint, and the busiest endpoint of each cold run.
fn report_endpoints(cold: &[OrgRun], out: &mut impl std::io::Write) -> Result<()> {
    writeln!(
        out,
        "\nrequests per repository by endpoint, first run at --concurrency {DEFAULT_CONCURRENCY} (total in brackets)"
    )?;
    let runs: Vec<&OrgRun> = cold
        .iter()
        .filter(|r| r.concurrency == DEFAULT_CONCURRENCY)
        .collect();
    let mut endpoints: Vec<&String> = runs
        .iter()
        .flat_map(|r| r.run.stats.requests.keys())
        .collect();
    endpoints.sort();
    endpoints.dedup();
    let width = endpoints.iter().map(|e| e.len()).max().unwrap_or(0);
    let mut header = format!("{:<width$}", "endpoint");
    for run in &runs {
        let _ = write!(header, " {:>16}", format!("{} repos", run.repositories));
    }
    writeln!(out, "{header}")?;
    for endpoint in endpoints {
        let mut row = format!("{endpoint:<width$}");
        for run in &runs {
            let total = run.run.stats.requests.get(endpoint).copied().unwrap_or(0);
            let per_repository = ratio(
                usize::try_from(total).unwrap_or(usize::MAX),
                run.repositories,
            );
            let _ = write!(row, " {:>16}", format!("{per_repository:.2} ({total})"));
        }
        writeln!(out, "{row}")?;
    }
    for run in cold {
        if let Some((endpoint, points)) = &run.run.stats.busiest_endpoint {
            writeln!(
                out,
                "busiest endpoint, {} repos at --concurrency {}: {endpoint}, {points} points in one minute",
                run.repositories, run.concurrency
            )?;
        }
    }
    Ok(())
}

/// The first few of `items`, and how many more.
fn summary(items: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = if items.is_empty() {
        "none".to_owned()
    } else {
        items[..items.len().min(SHOWN)].join(", ")
    };
    if items.len() > SHOWN {
        let _ = write!(text, " and {} more", items.len() - SHOWN);
    }
    text
}

/// One cold organisation run and what it is measured against.
struct OrgRun {
    repositories: usize,
    concurrency: u16,
    run: PlanRun,
}

impl OrgRun {
    fn requests_per_repository(&self) -> f64 {
        ratio(self.run.requests, self.repositories)
    }

    fn wall_per_repository_ms(&self) -> f64 {
        self.run.wall.as_secs_f64() * 1000.0 / as_f64(self.repositories)
    }

    /// The shortest wall time the run could take: its requests spread evenly over
    /// `concurrency` connections, each answered after the latency, or the time the busiest
    /// endpoint's points need within the secondary limit's sliding minute (none up to 900
    /// points, a minute more for each further 900).
    fn floor(&self) -> Duration {
        let requests = LATENCY * u32::try_from(self.run.requests).unwrap_or(u32::MAX)
            / u32::from(self.concurrency);
        let points = busiest_points(&self.run.stats);
        let window = Duration::from_secs(60 * points.div_ceil(POINTS_PER_MINUTE).saturating_sub(1));
        requests.max(window)
    }

    fn efficiency(&self) -> f64 {
        self.floor().as_secs_f64() / self.run.wall.as_secs_f64()
    }

    /// The targets this run misses, or `ok`.
    fn misses(&self) -> String {
        let mut missed = Vec::new();
        if self.requests_per_repository() > 12.0 {
            missed.push("requests/repo > 12");
        }
        if self.run.stats.secondary_refusals > 0 {
            missed.push("refusals");
        }
        if self.efficiency() < 0.8 {
            missed.push("efficiency < 0.8");
        }
        if self.run.code != 0 || self.run.org != Some((self.repositories, 0)) {
            missed.push("not every repository planned in sync");
        }
        if missed.is_empty() {
            "ok".to_owned()
        } else {
            format!("missed: {}", missed.join(", "))
        }
    }

    fn row(&self) -> String {
        let stats = &self.run.stats;
        format!(
            "{:<22} {:>4} {:>5} {:>8} {:>8.2} {:>8} {:>9} {:>8} {:>8.1} {:>9.0} {:>7.1} {:>6.2} {:>10}  {}",
            format!("{} repos, conc. {}", self.repositories, self.concurrency),
            self.run.code,
            self.run
                .org
                .map_or_else(|| "?".to_owned(), |(planned, _)| planned.to_string()),
            self.run.requests,
            self.requests_per_repository(),
            stats
                .busiest_endpoint
                .as_ref()
                .map_or(0, |(_, points)| *points),
            stats.max_in_flight,
            stats.secondary_refusals,
            self.run.wall.as_secs_f64(),
            self.wall_per_repository_ms(),
            self.floor().as_secs_f64(),
            self.efficiency(),
            self.run
                .first_repository
                .map_or_else(|| "?".to_owned(), |t| format!("{:.1}", t.as_secs_f64())),
            self.misses()
        )
    }
}

/// The most points one endpoint took over the whole run (a GET costs 1, a write 5).
fn busiest_points(stats: &Stats) -> u64 {
    stats
        .requests
        .iter()
        .map(|(endpoint, count)| {
            let method = endpoint
                .split_once(' ')
                .map_or(endpoint.as_str(), |(m, _)| m);
            let cost = if matches!(method, "GET" | "HEAD" | "OPTIONS") {
                1
            } else {
                5
            };
            count * cost
        })
        .max()
        .unwrap_or(0)
}

fn as_f64(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { as_f64(a) / as_f64(b) }
}

/// Builds the organisation `acme` of `n` repositories (`svc-000`, …), each with `main`,
/// `stage` and `dev` protected, a `staging` and a `production` environment (custom deployment
/// branches, production with a wait timer) and one ruleset on the default branch, plus an
/// organisation ruleset on every default branch; and the organisation policy that matches it.
fn organisation(n: usize) -> Result<(Seed, String)> {
    let environment = |branch: &str, wait_timer: u64| EnvironmentSeed {
        wait_timer,
        deployment_branch_policy: Some(DeploymentBranchPolicySeed {
            protected_branches: false,
            custom_branch_policies: true,
        }),
        branch_policies: vec![BranchPolicySeed {
            name: branch.to_owned(),
            kind: "branch".to_owned(),
        }],
        ..EnvironmentSeed::default()
    };
    let mut seed = Seed::organization("acme", 9000);
    for i in 0..n {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("svc-{i:03}"))
                .protected_branch(
                    "main",
                    json!({
                        "required_status_checks": { "strict": true, "checks": [{ "context": "ci" }] },
                        "enforce_admins": true,
                        "required_pull_request_reviews": {
                            "required_approving_review_count": 2,
                            "dismiss_stale_reviews": true
                        },
                        "restrictions": null,
                        "required_conversation_resolution": true
                    }),
                )
                .protected_branch(
                    "stage",
                    json!({
                        "required_status_checks": { "strict": false, "checks": [{ "context": "ci" }] },
                        "enforce_admins": false,
                        "required_pull_request_reviews": { "required_approving_review_count": 1 },
                        "restrictions": null
                    }),
                )
                .protected_branch(
                    "dev",
                    json!({
                        "required_status_checks": null,
                        "enforce_admins": false,
                        "required_pull_request_reviews": { "required_approving_review_count": 1 },
                        "restrictions": null
                    }),
                )
                .environment("staging", environment("stage", 0))
                .environment("production", environment("main", 5))
                .ruleset(json!({
                    "name": "protect-main", "enforcement": "active",
                    "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },
                    "rules": [{ "type": "deletion" }, { "type": "non_fast_forward" }]
                })),
        );
    }
    seed.org
        .as_mut()
        .ok_or("an organisation seed has an organisation")?
        .rulesets
        .push(json!({
            "name": "org-floor", "enforcement": "active",
            "conditions": {
                "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] },
                "repository_name": { "include": ["~ALL"], "exclude": [] }
            },
            "rules": [{ "type": "non_fast_forward" }]
        }));
    let policy = r#"version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 2, dismiss_stale_reviews: true }
      status_checks: { strict: true, required: [ci] }
      enforce_admins: true
      required_conversation_resolution: true
    stage:
      pull_request: { required_approvals: 1 }
      status_checks: { required: [ci] }
    dev:
      pull_request: { required_approvals: 1 }
  environments:
    staging:
      deployment_branches: [stage]
    production:
      wait_timer: 5
      deployment_branches: [main]
  rulesets:
    protect-main:
      include: ["~DEFAULT_BRANCH"]
      rules:
        block_force_pushes: true
        restrict_deletions: true
  requirements:
    "~DEFAULT_BRANCH": { required_approvals: 2, block_force_pushes: true }
"#;
    Ok((seed, policy.to_owned()))
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
