//! How many requests a run over an organisation may make, at most: what the rate-budget
//! check compares with the budget left before any repository is read.
//!
//! The estimate is an upper bound of the reads planning one repository makes for its policy
//! (tests hold it to the fake's count); conditional requests answered 304 do not count
//! against GitHub's budget, so a re-run usually costs far less.

use crate::model::RepoSettings;

/// Reads that every environment may need: its branch patterns, secrets, variables, and the
/// public key a secret write seals its value with.
const READS_PER_ENVIRONMENT: u64 = 4;
/// Reads that every requirement branch may need: its effective rules (one page or two) and
/// its classic protection.
const READS_PER_REQUIREMENT: u64 = 3;
/// Reads beyond those counted: the repository itself, a second page of a long list.
const SPARE: u64 = 3;

/// The most requests planning one repository with this policy makes.
pub fn requests_for(settings: &RepoSettings) -> u64 {
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let branches = count(settings.branches.len());
    let environments = 1 + READS_PER_ENVIRONMENT * count(settings.environments.len());
    let rulesets = if settings.rulesets.is_empty() && !settings.prune.rulesets {
        0
    } else {
        1 + count(settings.rulesets.len())
    };
    let requirements = if settings.requirements.is_empty() {
        0
    } else {
        1 + READS_PER_REQUIREMENT * count(settings.requirements.len())
    };
    let names = count(crate::github::read::name_lookups(settings));
    branches + environments + rulesets + requirements + names + SPARE
}

/// The most requests a whole run makes: the repository list, the organisation's rulesets
/// (read once) and each repository's reads.
pub fn requests_for_run<'a>(
    repositories_listed: usize,
    org_rulesets: usize,
    policies: impl IntoIterator<Item = &'a RepoSettings>,
) -> u64 {
    let listing = u64::try_from(repositories_listed.div_ceil(100)).unwrap_or(u64::MAX);
    let rulesets = 1 + u64::try_from(org_rulesets).unwrap_or(u64::MAX);
    listing + rulesets + policies.into_iter().map(requests_for).sum::<u64>()
}
