//! The organisation case (DESIGN §10): `plan` of an organisation policy in sync over 30, 100
//! and 300 repositories, at two concurrencies, cold and then warm. The seed and policy are
//! built in `seed.rs`, the tables after the runs printed by `report.rs`.

mod report;
mod seed;

use std::path::Path;
use std::time::Duration;

use gh_policy_emulator::{Emulator, Stats};

use crate::run::{PlanRun, plan};
use crate::{LATENCY, Result, as_f64, ratio};
use report::{report_endpoints, report_estimates, report_growth, report_warm};
pub use seed::organisation;

/// Repository counts of the organisation case.
pub const ORG_SIZES: [usize; 3] = [30, 100, 300];
/// `plan`'s default `--concurrency`.
pub const DEFAULT_CONCURRENCY: u16 = 8;
/// The higher `--concurrency` the organisation case also runs at.
pub const HIGH_CONCURRENCY: u16 = 32;
/// GitHub's secondary limit: the points one endpoint may take in any minute.
pub const POINTS_PER_MINUTE: u64 = 900;
/// The organisation emulator's primary rate limit: a personal token's 5000, which the
/// estimate of 300 repositories of this policy in sync fits (a run needs about 10 requests a
/// repository, and the estimate counts what it needs).
pub const ORG_PRIMARY_LIMIT: u64 = 5_000;

/// The organisation case: cold runs at the default and a higher concurrency, then the
/// default-concurrency run again with the cache it filled, for each organisation size.
pub fn organisation_case(bin: &Path, out: &mut impl std::io::Write) -> Result<()> {
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

/// One cold organisation run and what it is measured against.
pub struct OrgRun {
    pub repositories: usize,
    pub concurrency: u16,
    pub run: PlanRun,
}

impl OrgRun {
    pub fn requests_per_repository(&self) -> f64 {
        ratio(self.run.requests, self.repositories)
    }

    pub fn wall_per_repository_ms(&self) -> f64 {
        self.run.wall.as_secs_f64() * 1000.0 / as_f64(self.repositories)
    }

    /// The shortest wall time the run could take: its requests spread evenly over
    /// `concurrency` connections, each answered after the latency, or the time the busiest
    /// endpoint's points need within the secondary limit's sliding minute (none up to 900
    /// points, a minute more for each further 900).
    pub fn floor(&self) -> Duration {
        let requests = LATENCY * u32::try_from(self.run.requests).unwrap_or(u32::MAX)
            / u32::from(self.concurrency);
        let points = busiest_points(&self.run.stats);
        let window = Duration::from_secs(60 * points.div_ceil(POINTS_PER_MINUTE).saturating_sub(1));
        requests.max(window)
    }

    pub fn efficiency(&self) -> f64 {
        self.floor().as_secs_f64() / self.run.wall.as_secs_f64()
    }

    /// The targets this run misses, or `ok`.
    pub fn misses(&self) -> String {
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

    pub fn row(&self) -> String {
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
pub fn busiest_points(stats: &Stats) -> u64 {
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
