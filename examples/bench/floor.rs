//! The organisation read at GitHub's floor (DESIGN §16, `--floor`): `plan` with default flags
//! of 300 repositories in sync, cold and then with the cache the first run filled, and of
//! 1,000 repositories cold; REST requests per repository, GraphQL requests and points,
//! secondary-limit refusals, wall time and the primary budget each run spent.
//!
//! Targets (300 repositories): at most 7 REST requests per repository and one GraphQL
//! request per 25 repositories, 0 refusals, wall at most 12 s; the cached second run spends
//! no primary budget.

use std::path::Path;

use gh_policy_emulator::Emulator;

use crate::org::organisation;
use crate::run::{PlanRun, plan};
use crate::{Result, ratio};

/// The primary limit for the 1,000-repository run: a GitHub App installation's on a large
/// organisation (GitHub raises it to 12,500 and beyond), since 1,000 repositories need more
/// than a personal token's 5,000.
const LARGE_PRIMARY_LIMIT: u64 = 15_000;

struct Row {
    name: String,
    repositories: usize,
    run: PlanRun,
    graphql_points: u64,
}

impl Row {
    fn graphql_requests(&self) -> usize {
        self.run
            .stats
            .requests
            .get("POST /graphql")
            .map_or(0, |n| usize::try_from(*n).unwrap_or(usize::MAX))
    }

    fn line(&self) -> String {
        let rest = self.run.requests - self.graphql_requests();
        let rest_per_repo = ratio(rest, self.repositories);
        let graphql = self.graphql_requests();
        let mut missed = Vec::new();
        if self.repositories == 300 && self.run.not_modified == 0 {
            if rest_per_repo > 7.0 {
                missed.push("REST/repo > 7");
            }
            if graphql > self.repositories.div_ceil(25) {
                missed.push("GraphQL > 1 per 25 repos");
            }
            if self.run.wall.as_secs_f64() > 12.0 {
                missed.push("wall > 12 s");
            }
        }
        if self.run.stats.secondary_refusals > 0 {
            missed.push("refusals");
        }
        if self.run.not_modified > 0 && self.run.rate_cost > 0 {
            missed.push("cached run spent primary budget");
        }
        format!(
            "{:<32} {:>4} {:>6} {:>8} {:>9.2} {:>8} {:>9.3} {:>9} {:>8} {:>8.1} {:>8}  {}",
            self.name,
            self.run.code,
            self.repositories,
            rest,
            rest_per_repo,
            graphql,
            as_points_per_repo(self.graphql_points, self.repositories),
            self.run.stats.max_in_flight,
            self.run.stats.secondary_refusals,
            self.run.wall.as_secs_f64(),
            self.run.rate_cost,
            if missed.is_empty() {
                "ok".to_owned()
            } else {
                format!("missed: {}", missed.join(", "))
            }
        )
    }
}

fn as_points_per_repo(points: u64, repositories: usize) -> f64 {
    let points = f64::from(u32::try_from(points).unwrap_or(u32::MAX));
    points / f64::from(u32::try_from(repositories).unwrap_or(u32::MAX))
}

/// Plans `n` repositories cold (and `warm_too`, again with the cache the first run filled),
/// with `extra` flags (named in the scenario).
fn run(bin: &Path, n: usize, limit: u64, warm_too: bool, extra: &[&str]) -> Result<Vec<Row>> {
    let (seed, policy) = organisation(n)?;
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("policy.yaml"), policy)?;
    let emu = Emulator::builder(seed).primary_rate_limit(limit).start();
    let cache = tempfile::tempdir()?;
    let mut rows = Vec::new();
    for pass in ["cold", "cached"]
        .into_iter()
        .take(if warm_too { 2 } else { 1 })
    {
        let before = emu.graphql_points_used();
        let run = plan(bin, &emu, dir.path(), Some(cache.path()), extra)?;
        let flags = if extra.is_empty() {
            String::new()
        } else {
            format!(", {}", extra.join(" "))
        };
        rows.push(Row {
            name: format!("{n} repos, {pass}{flags}"),
            repositories: n,
            graphql_points: emu.graphql_points_used() - before,
            run,
        });
    }
    Ok(rows)
}

/// Runs and prints the floor case.
pub fn floor_case(bin: &Path, out: &mut impl std::io::Write) -> Result<()> {
    writeln!(
        out,
        "organisation read at GitHub's floor (DESIGN §16): `plan` with default flags, each repository with\n\
         3 protected branches, 2 environments and 1 ruleset, plus 1 organisation ruleset and a requirement\n\
         targets (300, cold): REST/repo ≤ 7, GraphQL ≤ 1 per 25 repos, 0 refusals, wall ≤ 12 s; cached: 0 primary\n"
    )?;
    writeln!(
        out,
        "{:<32} {:>4} {:>6} {:>8} {:>9} {:>8} {:>9} {:>9} {:>8} {:>8} {:>8}  targets",
        "scenario",
        "exit",
        "repos",
        "REST",
        "REST/repo",
        "GraphQL",
        "pts/repo",
        "in-flight",
        "refusals",
        "wall s",
        "primary"
    )?;
    let default_flags = run(bin, 300, 5_000, true, &[])?;
    // The findings' reads (DESIGN §13) are REST reads GraphQL does not answer: the same run
    // without them shows what the read of the configuration itself costs.
    let rows = default_flags
        .iter()
        .chain(&run(bin, 300, 5_000, false, &["--no-findings"])?)
        .chain(&run(bin, 1_000, LARGE_PRIMARY_LIMIT, false, &[])?)
        .map(Row::line)
        .collect::<Vec<_>>();
    for row in rows {
        writeln!(out, "{row}")?;
    }
    if let Some(cold) = default_flags.first() {
        by_endpoint(cold, out)?;
    }
    Ok(())
}

/// The REST requests per repository of a run, by endpoint, most first.
fn by_endpoint(row: &Row, out: &mut impl std::io::Write) -> Result<()> {
    writeln!(out, "\n{}: requests per repository by endpoint", row.name)?;
    let mut endpoints: Vec<(&String, &u64)> = row.run.stats.requests.iter().collect();
    endpoints.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (endpoint, count) in endpoints {
        let count = usize::try_from(*count).unwrap_or(usize::MAX);
        writeln!(out, "  {:>7.3}  {endpoint}", ratio(count, row.repositories))?;
    }
    Ok(())
}
