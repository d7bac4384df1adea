//! The tables printed after the organisation runs: growth per repository, the warm runs,
//! the rate estimates against what was spent, and requests by endpoint.

use std::fmt::Write as _;

use super::{DEFAULT_CONCURRENCY, HIGH_CONCURRENCY, OrgRun};
use crate::run::PlanRun;
use crate::{Result, ratio};

/// The rate estimate each run printed before reading any repository, next to what the run
/// spent of the primary rate limit (requests not answered 304; `/rate_limit` is free).
pub fn report_estimates(
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
pub fn report_growth(cold: &[OrgRun], out: &mut impl std::io::Write) -> Result<()> {
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
pub fn report_warm(warm: &[(usize, PlanRun)], out: &mut impl std::io::Write) -> Result<()> {
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
pub fn report_endpoints(cold: &[OrgRun], out: &mut impl std::io::Write) -> Result<()> {
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
pub fn summary(items: &[String]) -> String {
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
