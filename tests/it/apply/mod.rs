//! `apply` against the GitHub emulator: it writes exactly what the plan lists, and a
//! `plan` afterwards finds nothing. Environments and branch protection in detail are in
//! `environments.rs` and `protection.rs`.

mod environments;
mod protection;

use gh_policy_emulator::{Fault, FaultKind};
use predicates::prelude::*;
use serde_json::json;

use gh_policy::model::Reviewer;

use crate::common::policy::name;
use crate::common::{Policy, TestRepo, changes, transcript};

/// Runs `apply --yes` with the secret values the flow policy names.
fn apply(repo: &TestRepo) -> assert_cmd::assert::Assert {
    repo.cmd()
        .env("STAGING_SSH_KEY", "staging-key-material")
        .env("PROD_SSH_KEY", "prod-key-material")
        .args(["apply", "--yes", "--no-cache"])
        .assert()
}

/// `apply --yes` of a policy that lowers protection on purpose (DESIGN §11).
fn apply_lowering(repo: &TestRepo) -> assert_cmd::assert::Assert {
    repo.cmd()
        .args(["apply", "--yes", "--allow-weakening", "--no-cache"])
        .assert()
}

#[test]
fn apply_makes_every_fixture_match_the_policy() {
    for name in ["flow-drifted", "empty", "flow-in-sync"] {
        let repo = TestRepo::new(name);
        repo.write(&Policy::flow());
        if name == "empty" {
            // Secrets listed without a value source cannot be created: apply does the rest,
            // lists them, and exits 2; a plan afterwards shows only those.
            apply(&repo)
                .code(2)
                .stdout(predicate::str::contains("this drift remains"));
            let (code, plan) = repo.plan_json();
            let remaining = changes(&plan);
            assert_eq!((code, remaining.len()), (2, 4), "{name}: {plan:#}");
            assert!(
                remaining.iter().all(|(_, _, applicable)| !applicable),
                "{name}: only inapplicable drift remains: {plan:#}"
            );
        } else {
            apply(&repo).code(0).stdout(predicate::str::contains(
                "acme/katz-backend matches the policy.",
            ));
            let (code, plan) = repo.plan_json();
            assert_eq!((code, changes(&plan)), (0, vec![]), "{name}: {plan:#}");
        }
        repo.assert_conformant();

        // The emulator holds what the policy says.
        let state = repo.emu.state();
        let main = state.branches["main"].protection.clone().unwrap();
        assert_eq!(
            main["required_pull_request_reviews"]["required_approving_review_count"],
            json!(2),
            "{name}"
        );
        let production = &state.environments["production"];
        assert_eq!(production.wait_timer, 5, "{name}");
        assert!(!production.can_admins_bypass, "{name}");
        assert_eq!(production.reviewers.len(), 2, "{name}");
        assert_eq!(production.branch_policies.len(), 1, "{name}");
        assert!(
            state.environments["staging"]
                .secrets
                .contains(&"SSH_PRIVATE_KEY".to_owned()),
            "{name}"
        );
    }
}

#[test]
fn an_in_sync_repository_gets_no_writes() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    apply(&repo)
        .code(0)
        .stdout(predicate::str::contains("No drift"));
    assert_eq!(repo.write_lines(), Vec::<String>::new());
}

#[test]
fn the_drifted_flow_gets_exactly_the_writes_of_its_plan() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    apply(&repo).code(0);
    let repo_path = "/repos/acme/katz-backend";
    assert_eq!(
        repo.write_lines(),
        vec![
            format!("PUT {repo_path}/branches/dev/protection"),
            format!("PUT {repo_path}/branches/main/protection"),
            format!("PATCH {repo_path}/branches/main/protection/required_status_checks"),
            format!("PUT {repo_path}/environments/production"),
            format!("POST {repo_path}/environments/production/deployment-branch-policies"),
            format!("PUT {repo_path}/environments/staging/secrets/SSH_PRIVATE_KEY"),
        ]
    );
    // The reviewers went in as ids, resolved from their names.
    let production = repo
        .writes()
        .into_iter()
        .find(|w| w.path.ends_with("/environments/production"))
        .unwrap();
    assert_eq!(
        production.body.unwrap()["reviewers"],
        json!([{ "type": "User", "id": 583_231 }, { "type": "Team", "id": 4001 }])
    );
}

#[test]
fn a_created_secret_opens_to_its_value() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let assert = apply(&repo).code(0);
    let output = assert.get_output();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !all.contains("staging-key-material"),
        "the secret value was printed"
    );
    let plaintext = repo
        .emu
        .secret_plaintext("staging", "SSH_PRIVATE_KEY")
        .unwrap();
    assert_eq!(plaintext, b"staging-key-material");
    let put = repo
        .writes()
        .into_iter()
        .find(|w| w.path.ends_with("/secrets/SSH_PRIVATE_KEY"))
        .unwrap();
    let (key_id, _) = repo.emu.public_key("staging").unwrap();
    assert_eq!(put.body.unwrap()["key_id"], json!(key_id));
}

#[test]
fn a_missing_secret_value_leaves_that_secret_and_applies_the_rest() {
    for empty in [false, true] {
        let repo = TestRepo::new("flow-drifted");
        repo.write(&Policy::flow());
        let mut cmd = repo.cmd();
        if empty {
            // What Actions gives for an undefined secret: set, but empty.
            cmd.env("STAGING_SSH_KEY", "");
        } else {
            cmd.env_remove("STAGING_SSH_KEY");
        }
        cmd.args(["apply", "--yes", "--no-cache"])
            .assert()
            .code(2)
            .stdout(predicate::str::contains(
                "environment variable `STAGING_SSH_KEY` is not set (or is empty)",
            ))
            .stdout(predicate::str::contains("this drift remains"));
        assert!(
            !repo.write_lines().iter().any(|w| w.contains("/secrets/")),
            "{:?}",
            repo.write_lines()
        );
        assert!(!repo.writes().is_empty(), "the other changes are applied");
        assert_eq!(
            repo.emu.secret_plaintext("staging", "SSH_PRIVATE_KEY"),
            None
        );
    }
}

#[test]
fn unknown_names_are_all_reported_before_any_write() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow().environment("production", |production| {
        production.reviewers = vec![
            Reviewer::User(name("nobody-here")),
            Reviewer::Team(name("no-such-team")),
        ];
    }));
    let output = apply(&repo).code(1).get_output().clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "the policy names 2 users, teams or apps that GitHub does not know (or that the token cannot see)"
        ),
        "{stderr}"
    );
    // Each at its line of the policy.
    for name in ["user `nobody-here`", "team `no-such-team`"] {
        assert!(
            stderr
                .lines()
                .any(|line| line.trim_start().starts_with("policy.yaml:") && line.ends_with(name)),
            "{name}: {stderr}"
        );
    }
    assert!(repo.writes().is_empty());
}

#[test]
fn an_unknown_name_is_reported_at_its_line_with_the_closest_known_one() {
    let repo = TestRepo::new("flow-in-sync");
    let policy = crate::common::flow_policy()
        .replace("      - user: octocat\n", "      - user: octocatt\n")
        .replace(
            "      - team: release-managers",
            "      - team: release-manager",
        );
    repo.policy(&policy);
    let line = |text: &str| policy.lines().position(|l| l.contains(text)).unwrap() + 1;
    let output = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "policy.yaml:{}:15: user `octocatt` (did you mean `octocat`?)",
            line("user: octocatt")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "policy.yaml:{}:15: team `release-manager` (did you mean `release-managers`?)",
            line("team: release-manager")
        )),
        "{stderr}"
    );
}

#[test]
fn without_a_terminal_or_yes_apply_refuses() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    repo.cmd()
        .env("STAGING_SSH_KEY", "staging-key-material")
        .args(["apply", "--no-cache"])
        .write_stdin("yes\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("pass --yes"))
        .stderr(predicate::str::contains("nothing was written"));
    assert!(repo.writes().is_empty());
}

#[test]
fn a_failed_write_is_reported_and_a_rerun_converges() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    repo.emu.inject(
        Fault::new(FaultKind::Status(500))
            .method("PUT")
            .path("/environments/production"),
    );
    let assert = apply(&repo).code(1);
    // The whole report: every change applied, failed (with the call, GitHub's answer and a
    // hint) or not attempted, and the count on stderr.
    insta::assert_snapshot!(transcript(assert.get_output(), repo.dir.path()));
    // Exactly one attempt at the failed write: writes are never retried blindly.
    let puts = repo
        .write_lines()
        .iter()
        .filter(|w| w.ends_with("/environments/production"))
        .count();
    assert_eq!(puts, 1);

    apply(&repo).code(0);
    assert_eq!(repo.plan_json().0, 0);
}
