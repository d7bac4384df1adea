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
//!   (`switches.rs`): requests per repository with and without them.
//!
//! Targets: (a) at most 16 requests (12 for the configuration, 4 for the requirements) and
//! wall/serial ≤ 0.35; (b) wall/serial ≤ 0.2; the second
//! run all 304 with no rate-limit cost; the 1000-branch `plan --state` under 100 ms and 50 MB;
//! the organisation: at most 12 requests per repository, no refusals, efficiency ≥ 0.8, cost
//! per repository flat from 30 to 300 repositories, the second run all 304 at no rate cost,
//! the rate estimate within 10% of what the first run spends and 0 for the second; the
//! repository-wide sections at most 5 more requests per repository.
//! This is a program to run by hand, not a test: CI does not run it.
//!
//! The parts: `repository.rs` (cases a and b), `offline.rs`, `org/` (the organisation case,
//! its seed and its tables), `switches.rs`, `floor.rs`; `run.rs` is one timed `plan`.

mod floor;
mod offline;
mod org;
mod repository;
mod run;
mod switches;

use std::error::Error;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use org::organisation_case;
use repository::repository_cases;

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

fn as_f64(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { as_f64(a) / as_f64(b) }
}
