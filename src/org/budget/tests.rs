// Compiled only under cfg(test) (see `mod tests;` in org/budget.rs).
use super::*;
use crate::github::read::{read_live, reads_in_sync};
use crate::plan::apply::execute;
use crate::testing::{Values, flow_policy, flow_repository, plan};

/// The estimate of a repository in sync is what reading it for a plan costs, read for read.
#[tokio::test]
async fn the_estimate_is_the_reads_a_plan_in_sync_makes() {
    let github = flow_repository();
    let policy = flow_policy();
    let values = Values::flow();
    let planned = plan(&github, &policy, &values).await;
    execute(&planned, &github.repo(), &github.rest, &values).await;
    github.emu.clear_log();
    read_live(github.rest.reader(), &github.repo(), &policy)
        .await
        .unwrap();
    let made = github.calls();
    assert_eq!(
        made.len(),
        reads_in_sync(&policy).len(),
        "made {made:?}, counted {:?}",
        reads_in_sync(&policy)
    );
}

fn estimate_of(costs: &[u64]) -> Estimate {
    Estimate {
        once: 3,
        per_repository: costs
            .iter()
            .enumerate()
            .map(|(i, n)| (RepoName::parse(&format!("acme/repo-{i}")).unwrap(), *n))
            .collect(),
        cached: 0,
    }
}

#[test]
fn a_run_that_does_not_fit_says_how_many_repositories_fit_and_which_shards_would() {
    let estimate = estimate_of(&[10; 30]);
    assert_eq!(estimate.requests(), 303);
    assert_eq!(estimate.repositories(), 300);
    assert_eq!(estimate.fitting(1000), 30);
    assert_eq!(estimate.fitting(100), 10);
    assert_eq!(estimate.fitting(2), 0);
    let (count, heaviest) = estimate.shards_fitting(103).unwrap();
    assert!(count >= 3, "{count}");
    assert!(heaviest <= 103);
    // Fewer shards do not fit.
    assert!(estimate_of(&[10; 30]).shards_fitting(12).is_none());
}
