//! What a run over an organisation costs of GitHub's primary rate limit, counted before any
//! repository is read (DESIGN §11): the reader's own count of the reads a run in sync makes
//! (`github::read::reads_in_sync`), a read the conditional-request cache can answer counted
//! as free (a `304` does not count), plus what the run reads once (the repository list,
//! the custom properties, the organisation's rulesets).

use crate::github::RestReader;
use crate::github::read::{OrgRead, reads_in_sync};
use crate::model::OrgPolicy;
use crate::model::names::RepoName;

use super::run::Target;

/// Which of the organisation's own reads the cache could answer, asked before they are made
/// (once made, the cache holds them whatever they cost).
#[derive(Debug, Clone, Copy, Default)]
pub struct OrgCache {
    repositories: bool,
    properties: bool,
    rulesets: bool,
}

impl OrgCache {
    /// Asks the cache about the organisation's own reads.
    pub fn of(github: &RestReader, org: &str) -> Self {
        Self {
            repositories: github.is_cached(&OrgRead::Repositories.path(org)),
            properties: github.is_cached(&OrgRead::PropertyValues.path(org))
                && github.is_cached(&OrgRead::PropertySchema.path(org)),
            rulesets: github.is_cached(&OrgRead::Rulesets.path(org)),
        }
    }
}

/// The estimate of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    /// What the run reads once, before any repository.
    pub once: u64,
    /// Each repository's reads that spend rate limit, in the order of the targets.
    pub per_repository: Vec<(RepoName, u64)>,
    /// Reads the cache can answer, counted as free.
    pub cached: u64,
}

impl Estimate {
    /// Returns the requests the whole run spends.
    pub fn requests(&self) -> u64 {
        self.once + self.repositories()
    }

    /// Returns the requests reading the repositories spends (what the run reads once aside).
    pub fn repositories(&self) -> u64 {
        self.per_repository.iter().map(|(_, n)| n).sum::<u64>()
    }

    /// Returns how many repositories, in order, fit in `budget`, what is read once already
    /// spent.
    pub fn fitting(&self, budget: u64) -> usize {
        let mut left = budget;
        let mut fit = 0;
        for (_, cost) in &self.per_repository {
            if *cost > left {
                break;
            }
            left -= cost;
            fit += 1;
        }
        fit
    }

    /// Returns the smallest number of shards each of which fits in `budget` (every shard
    /// reads what is read once again), and the most one of them spends; `None` when not even
    /// one repository a shard fits.
    pub fn shards_fitting(&self, budget: u64) -> Option<(u32, u64)> {
        let largest = self.per_repository.iter().map(|(_, n)| *n).max()?;
        if self.once + largest > budget {
            return None;
        }
        // More shards than repositories leave some empty, and part the ones a hash puts
        // together.
        let most = u32::try_from(self.per_repository.len().saturating_mul(8).min(10_000))
            .unwrap_or(u32::MAX);
        (1..=most.max(1)).find_map(|count| {
            let heaviest = (1..=count)
                .map(|index| {
                    self.once
                        + self
                            .per_repository
                            .iter()
                            .filter(|(repo, _)| {
                                super::select::in_shard(&repo.to_string(), index, count)
                            })
                            .map(|(_, n)| n)
                            .sum::<u64>()
                })
                .max()
                .unwrap_or(self.once);
            (heaviest <= budget).then_some((count, heaviest))
        })
    }
}

/// Estimates a run: what it reads once (`listed` repositories, in pages of 100; the custom
/// properties when a group selects by them; `org_rulesets` when the run reads them, their
/// count known) and, for each target, the reads of a plan in sync the cache cannot answer.
pub fn estimate(
    github: &RestReader,
    policy: &OrgPolicy,
    cache: OrgCache,
    listed: usize,
    org_rulesets: Option<usize>,
    targets: &[Target],
) -> Estimate {
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let by_property = policy
        .groups
        .values()
        .any(|group| !group.select.properties.is_empty());
    let mut once = 0;
    let mut cached = 0;
    let mut add = |requests: u64, free: bool| {
        if free {
            cached += requests;
        } else {
            once += requests;
        }
    };
    add(count(listed.div_ceil(100).max(1)), cache.repositories);
    if by_property {
        add(2, cache.properties);
    }
    if let Some(rulesets) = org_rulesets {
        add(1 + count(rulesets), cache.rulesets);
    }
    let mut per_repository = Vec::with_capacity(targets.len());
    for target in targets {
        let mut reads = reads_in_sync(&target.settings);
        // The findings' reads (DESIGN §13), which the cache can answer too.
        reads.extend(crate::protection::findings::plan::reads_in_sync(
            &target.settings,
        ));
        let spent = reads
            .iter()
            .filter(|read| !read.is_free(&target.repo, github))
            .count();
        cached += count(reads.len() - spent);
        per_repository.push((target.repo.clone(), count(spent)));
    }
    Estimate {
        once,
        per_repository,
        cached,
    }
}

#[cfg(test)]
mod tests;
