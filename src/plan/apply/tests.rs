// Compiled only under cfg(test) (see `mod tests;` in apply/mod.rs).
//! Apply through the GitHub seam, on the emulator: order, exact writes, stopping at the
//! first failure, and that writes follow targets, never display paths.

use gh_policy_emulator::{Fault, FaultKind};

use super::*;
use crate::testing::{Values, flow_policy, flow_repository, plan};

const REPO: &str = "/repos/acme/katz-backend";

#[tokio::test]
async fn an_empty_repository_gets_the_flow_in_plan_order_and_then_is_in_sync() {
    let github = flow_repository();
    let policy = flow_policy();
    let values = Values::flow();
    let plan = plan(&github, &policy, &values).await;
    github.emu.clear_log();
    let report = execute(&plan, &github.repo(), &github.rest, &values).await;
    assert!(!report.failed());
    assert_eq!(
        github.writes(),
        [
            format!("PUT {REPO}/branches/dev/protection"),
            format!("PUT {REPO}/branches/main/protection"),
            format!("PATCH {REPO}/branches/main/protection/required_status_checks"),
            format!("PUT {REPO}/branches/stage/protection"),
            format!("PUT {REPO}/environments/production"),
            format!("POST {REPO}/environments/production/deployment-branch-policies"),
            format!("PUT {REPO}/environments/production/secrets/SSH_PRIVATE_KEY"),
            format!("POST {REPO}/environments/production/variables"),
            format!("PUT {REPO}/environments/staging"),
            format!("POST {REPO}/environments/staging/deployment-branch-policies"),
            format!("PUT {REPO}/environments/staging/secrets/SSH_PRIVATE_KEY"),
            format!("POST {REPO}/environments/staging/variables"),
        ]
    );
    assert_eq!(
        github.emu.secret_plaintext("production", "SSH_PRIVATE_KEY"),
        Some(b"prod-key".to_vec())
    );
    // What is left cannot be applied: the secrets without a value source.
    let again = crate::testing::plan(&github, &policy, &values).await;
    assert!(
        again.changes.iter().all(|c| c.refusal().is_some()),
        "{again:#?}"
    );
    assert_eq!(again.changes.len(), 4);
}

#[tokio::test]
async fn the_first_failure_stops_the_writes_and_the_report_accounts_for_every_change() {
    let github = flow_repository();
    let policy = flow_policy();
    let values = Values::flow();
    let plan = plan(&github, &policy, &values).await;
    github.emu.clear_log();
    github.emu.inject(
        Fault::new(FaultKind::Status(500))
            .operation(
                "PUT",
                "/repos/{owner}/{repo}/environments/{environment_name}",
            )
            .always(),
    );
    let report = execute(&plan, &github.repo(), &github.rest, &values).await;
    assert!(report.failed());
    let words: Vec<(String, &str)> = report
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
            (change.address.to_string(), word)
        })
        .collect();
    assert_eq!(
        &words[..4],
        [
            ("branches.dev".to_owned(), "applied"),
            ("branches.main".to_owned(), "applied"),
            ("branches.stage".to_owned(), "applied"),
            ("environments.production".to_owned(), "failed"),
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
        github.writes().last(),
        Some(&format!("PUT {REPO}/environments/production"))
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
                    change.address =
                        crate::plan::Address::Ruleset(format!("renamed.{}", change.address));
                    for diff in &mut change.diffs {
                        diff.path = format!("x.{}", diff.path.to_string().to_uppercase()).into();
                        diff.live = serde_json::Value::Null;
                    }
                }
            }
            github.emu.clear_log();
            execute(&plan, &github.repo(), &github.rest, &values).await;
            github.emu.writes()
        }
    };
    let plain = writes(false).await;
    let renamed = writes(true).await;
    assert!(!plain.is_empty());
    // Bodies are compared too, except sealed secrets (a fresh nonce each time).
    let strip = |writes: Vec<gh_policy_emulator::LoggedRequest>| {
        writes
            .into_iter()
            .map(|w| {
                let sealed = w.path.contains("/secrets/");
                (w.method, w.path, if sealed { None } else { w.body })
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
    github.emu.clear_log();
    let report = execute(&plan, &github.repo(), &github.rest, &empty).await;
    let failed: Vec<String> = report
        .outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .map(|(c, _)| c.address.to_string())
        .collect();
    assert_eq!(failed, ["environments.staging.secrets.SSH_PRIVATE_KEY"]);
    assert!(
        !github
            .writes()
            .iter()
            .any(|write| write.contains("staging/secrets/SSH_PRIVATE_KEY"))
    );
}
