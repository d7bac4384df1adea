//! How many requests a run over an organisation may make, at most: what the rate-budget
//! check compares with the budget left before any repository is read.
//!
//! The estimate is an upper bound of the reads planning one repository makes for its policy
//! (tests hold it to the count of requests the emulator sees); conditional requests answered 304 do not count
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::execute;
    use crate::github::read::read_live;
    use crate::testing::{Values, flow_policy, flow_repository, plan};

    /// The estimate bounds what reading really costs, before and after the flow is applied
    /// (an applied repository has more to read: patterns, secrets, variables).
    #[tokio::test]
    async fn the_estimate_is_at_least_the_reads_planning_makes() {
        let github = flow_repository();
        let repo = github.repo();
        let policy = flow_policy();
        let estimate = requests_for(&policy);
        for _ in 0..2 {
            github.emu.clear_log();
            read_live(github.rest.reader(), &repo, &policy)
                .await
                .unwrap();
            let reads = github.calls().len() as u64;
            assert!(
                reads > 0 && reads <= estimate,
                "{reads} reads, estimated {estimate}"
            );
            let values = Values::flow();
            let plan = plan(&github, &policy, &values).await;
            execute(&plan, &repo, &github.rest, &values).await;
        }
    }

    #[test]
    fn a_run_costs_its_listing_the_organisation_rulesets_and_each_repository() {
        let policy = flow_policy();
        let one = requests_for(&policy);
        assert_eq!(
            requests_for_run(250, 2, [&policy, &policy]),
            3 + 3 + 2 * one
        );
        assert_eq!(requests_for_run(0, 0, []), 1);
    }
}
