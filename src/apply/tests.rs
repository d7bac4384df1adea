// Compiled only under cfg(test) (see `mod tests;` in apply/mod.rs).
//! Apply through the GitHub seam, on the in-memory fake: order, exact writes, stopping at
//! the first failure, and that writes follow targets, never display paths.

use super::*;
use crate::github::fake::FakeGithub;
use crate::testing::{Values, flow_policy, flow_repository, plan};

fn ops(github: &FakeGithub) -> Vec<String> {
    github
        .writes()
        .iter()
        .map(|call| format!("{} {}", call.op, call.object))
        .collect()
}

#[tokio::test]
async fn an_empty_repository_gets_the_flow_in_plan_order_and_then_is_in_sync() {
    let github = flow_repository();
    let policy = flow_policy();
    let values = Values::flow();
    let plan = plan(&github, &policy, &values).await;
    github.clear_calls();
    let report = execute(&plan, github.repo(), &github, &values).await;
    assert!(!report.failed());
    assert_eq!(
        ops(&github),
        [
            "put_branch_protection dev",
            "put_branch_protection main",
            "set_status_checks main",
            "put_branch_protection stage",
            "put_environment production",
            "create_deployment_branch_policy production",
            "put_environment_secret production/SSH_PRIVATE_KEY",
            "create_environment_variable production/HEALTH_URL",
            "put_environment staging",
            "create_deployment_branch_policy staging",
            "put_environment_secret staging/SSH_PRIVATE_KEY",
            "create_environment_variable staging/HEALTH_URL",
        ]
    );
    assert_eq!(
        github.environment("production").unwrap().secrets["SSH_PRIVATE_KEY"],
        b"prod-key"
    );
    // What is left cannot be applied: the secrets without a value source.
    let again = crate::testing::plan(&github, &policy, &values).await;
    assert!(again.changes.iter().all(|c| !c.applicable), "{again:#?}");
    assert_eq!(again.changes.len(), 4);
}

#[tokio::test]
async fn the_first_failure_stops_the_writes_and_the_report_accounts_for_every_change() {
    let github = flow_repository();
    let policy = flow_policy();
    let values = Values::flow();
    let plan = plan(&github, &policy, &values).await;
    github.clear_calls();
    github.fail_op("put_environment", 500);
    let report = execute(&plan, github.repo(), &github, &values).await;
    assert!(report.failed());
    let words: Vec<(&str, &str)> = report
        .outcomes
        .iter()
        .map(|(change, outcome)| {
            let word = match outcome {
                Outcome::Applied => "applied",
                Outcome::Failed(_) => "failed",
                Outcome::NotAttempted => "not attempted",
                Outcome::Inapplicable => "inapplicable",
                Outcome::NoWrite => "met",
                Outcome::Excepted => "excepted",
                Outcome::Refused(_) => "refused",
            };
            (change.address.as_str(), word)
        })
        .collect();
    assert_eq!(
        &words[..4],
        [
            ("branches.dev", "applied"),
            ("branches.main", "applied"),
            ("branches.stage", "applied"),
            ("environments.production", "failed"),
        ]
    );
    assert!(
        words[4..]
            .iter()
            .all(|(_, w)| *w == "not attempted" || *w == "inapplicable"),
        "{words:?}"
    );
    // Nothing was sent after the failure.
    assert_eq!(
        ops(&github).last().map(String::as_str),
        Some("put_environment production")
    );
    assert_eq!(report.applied(), 3);
}

#[tokio::test]
async fn writes_follow_targets_not_the_paths_people_read() {
    let policy = flow_policy();
    let values = Values::flow();
    let writes = |rename: bool| {
        let policy = policy.clone();
        let values = Values::flow();
        async move {
            let github = flow_repository();
            let mut plan = plan(&github, &policy, &values).await;
            if rename {
                for change in &mut plan.changes {
                    change.address = format!("renamed.{}", change.address);
                    for diff in &mut change.diffs {
                        diff.path = format!("x.{}", diff.path.to_uppercase());
                        diff.live = serde_json::Value::Null;
                    }
                }
            }
            github.clear_calls();
            execute(&plan, github.repo(), &github, &values).await;
            github.writes()
        }
    };
    let plain = writes(false).await;
    let renamed = writes(true).await;
    assert!(!plain.is_empty());
    // Bodies are compared too, except sealed secrets (a fresh nonce each time).
    let strip = |calls: Vec<crate::github::fake::Call>| {
        calls
            .into_iter()
            .map(|c| {
                (
                    c.op,
                    c.object,
                    if c.op == "put_environment_secret" {
                        None
                    } else {
                        c.body
                    },
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(plain), strip(renamed));
    drop(values);
}

#[tokio::test]
async fn an_empty_secret_value_is_never_uploaded() {
    let github = flow_repository();
    let policy = flow_policy();
    // The plan was made where the variable was set; apply runs where it is empty.
    let plan = plan(&github, &policy, &Values::flow()).await;
    let mut empty = Values::flow();
    empty.0.insert("STAGING_SSH_KEY".to_owned(), Vec::new());
    github.clear_calls();
    let report = execute(&plan, github.repo(), &github, &empty).await;
    let failed: Vec<&str> = report
        .outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .map(|(c, _)| c.address.as_str())
        .collect();
    assert_eq!(failed, ["environments.staging.secrets.SSH_PRIVATE_KEY"]);
    assert!(
        !ops(&github)
            .iter()
            .any(|op| op.contains("staging/SSH_PRIVATE_KEY"))
    );
}
