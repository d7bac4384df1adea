//! `apply` against the GitHub emulator: it writes exactly what the plan lists, and a
//! `plan` afterwards finds nothing.

use gh_policy_emulator::{Fault, FaultKind};
use predicates::prelude::*;
use serde_json::json;

use gh_policy::model::{Actors, Branch, DeploymentBranches, Reviewer};

use crate::common::policy::{pattern, tag};
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

fn write_lines(repo: &TestRepo) -> Vec<String> {
    repo.writes()
        .iter()
        .map(|w| format!("{} {}", w.method, w.path))
        .collect()
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
    assert_eq!(write_lines(&repo), Vec::<String>::new());
}

#[test]
fn the_drifted_flow_gets_exactly_the_writes_of_its_plan() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    apply(&repo).code(0);
    let repo_path = "/repos/acme/katz-backend";
    assert_eq!(
        write_lines(&repo),
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
            !write_lines(&repo).iter().any(|w| w.contains("/secrets/")),
            "{:?}",
            write_lines(&repo)
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
            Reviewer::User("nobody-here".into()),
            Reviewer::Team("no-such-team".into()),
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
    let puts = write_lines(&repo)
        .iter()
        .filter(|w| w.ends_with("/environments/production"))
        .count();
    assert_eq!(puts, 1);

    apply(&repo).code(0);
    assert_eq!(repo.plan_json().0, 0);
}

#[test]
fn adding_a_deployment_pattern_posts_one_and_deletes_none() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().environment("production", |production| {
        production.deployment_branches =
            DeploymentBranches::Custom(vec![pattern("main"), pattern("release/*"), tag("v*")]);
    }));
    apply_lowering(&repo).code(0);
    let writes = repo.writes();
    assert_eq!(writes.len(), 2, "{writes:#?}");
    assert!(writes.iter().all(|w| w.method == "POST"));
    assert_eq!(
        writes[0].body,
        Some(json!({ "name": "release/*", "type": "branch" }))
    );
    assert_eq!(writes[1].body, Some(json!({ "name": "v*", "type": "tag" })));
}

#[test]
fn deployment_branches_switch_to_protected_and_back() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().environment("production", |production| {
        production.deployment_branches = DeploymentBranches::Protected;
    }));
    apply_lowering(&repo).code(0);
    let env = &repo.emu.state().environments["production"];
    assert!(env.branch_policies.is_empty());
    assert!(
        env.deployment_branch_policy
            .as_ref()
            .unwrap()
            .protected_branches
    );

    repo.clear_log();
    repo.write(&Policy::flow());
    apply_lowering(&repo).code(0);
    assert_eq!(
        write_lines(&repo),
        vec![
            "PUT /repos/acme/katz-backend/environments/production".to_owned(),
            "POST /repos/acme/katz-backend/environments/production/deployment-branch-policies"
                .to_owned(),
        ]
    );
    assert_eq!(repo.plan_json().0, 0);
}

#[test]
fn a_stale_pattern_is_deleted_alone() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().environment("production", |production| {
        production.deployment_branches =
            DeploymentBranches::Custom(vec![pattern("main"), pattern("hotfix")]);
    }));
    apply_lowering(&repo).code(0);
    repo.clear_log();
    repo.write(&Policy::flow());
    apply_lowering(&repo).code(0);
    let writes = write_lines(&repo);
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(writes[0].starts_with(
        "DELETE /repos/acme/katz-backend/environments/production/deployment-branch-policies/"
    ));
}

#[test]
fn protected_false_and_prune_remove_what_the_policy_does_not_want() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(
        &Policy::flow()
            .prune(|prune| prune.environments = true)
            .branch("stage", |stage| *stage = Branch::unprotected()),
    );
    repo.cmd().args(["validate"]).assert().code(0);
    apply_lowering(&repo).code(0);
    let lines = write_lines(&repo);
    assert!(
        lines.contains(&"DELETE /repos/acme/katz-backend/branches/stage/protection".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"DELETE /repos/acme/katz-backend/environments/preview".to_owned()),
        "{lines:?}"
    );
    let state = repo.emu.state();
    assert!(state.branches["stage"].protection.is_none());
    assert!(!state.environments.contains_key("preview"));
}

#[test]
fn a_missing_branch_leaves_apply_at_exit_two() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().branch("release", |release| release.enforce_admins = true));
    apply(&repo)
        .code(2)
        .stdout(predicate::str::contains("branch does not exist"));
    assert!(repo.writes().is_empty());
}

#[test]
fn users_github_drops_silently_are_reported() {
    let mut seed =
        gh_policy_emulator::Emulator::load_seed(crate::common::fixture("live/flow-in-sync.json"))
            .unwrap();
    seed.users.push(gh_policy_emulator::UserSeed {
        login: "reader".into(),
        id: 77,
        write_access: false,
    });
    let repo = TestRepo::with(gh_policy_emulator::Emulator::start(seed));
    repo.write(&Policy::flow().branch("main", |main| {
        main.push_restrictions = Some(Actors {
            users: vec!["octocat".into(), "reader".into()],
            ..Actors::default()
        });
    }));
    apply(&repo)
        .code(1)
        .stderr(predicate::str::contains(
            "GitHub dropped user `reader` from push_restrictions",
        ))
        .stdout(predicate::str::contains("Still drifting after apply"))
        .stderr(predicate::str::contains("still differs from the policy"));
}

#[test]
fn variables_secrets_and_signed_commits_are_updated_and_pruned() {
    let repo = TestRepo::new("flow-in-sync");
    // Sign main's commits, change one variable, and let prune remove what is unlisted.
    let without_ssh_user = |production: &mut gh_policy::model::Environment| {
        production.secrets.retain(|s| s.name != "SSH_USER");
    };
    repo.write(
        &Policy::flow()
            .prune(|prune| {
                prune.secrets = true;
                prune.variables = true;
            })
            .branch("main", |main| main.required_signatures = true)
            .environment("production", |production| {
                without_ssh_user(production);
                production.variables.insert(
                    "HEALTH_URL".into(),
                    "https://katz.example.com/healthz".into(),
                );
            }),
    );
    apply(&repo).code(0);
    let base = "/repos/acme/katz-backend";
    assert_eq!(
        write_lines(&repo),
        vec![
            format!("PUT {base}/branches/main/protection"),
            format!("PATCH {base}/branches/main/protection/required_status_checks"),
            format!("POST {base}/branches/main/protection/required_signatures"),
            format!("DELETE {base}/environments/production/secrets/SSH_USER"),
            format!("PATCH {base}/environments/production/variables/HEALTH_URL"),
        ]
    );
    let state = repo.emu.state();
    assert!(state.branches["main"].required_signatures);
    assert!(
        !state.environments["production"]
            .secrets
            .contains(&"SSH_USER".to_owned())
    );
    assert_eq!(
        state.environments["production"].variables["HEALTH_URL"],
        "https://katz.example.com/healthz"
    );

    // And back: signatures off, the variable removed.
    repo.clear_log();
    repo.write(
        &Policy::flow()
            .prune(|prune| prune.variables = true)
            .environment("production", |production| {
                without_ssh_user(production);
                production.variables.clear();
            }),
    );
    apply_lowering(&repo).code(0);
    assert_eq!(
        write_lines(&repo),
        vec![
            format!("PUT {base}/branches/main/protection"),
            format!("PATCH {base}/branches/main/protection/required_status_checks"),
            format!("DELETE {base}/branches/main/protection/required_signatures"),
            format!("DELETE {base}/environments/production/variables/HEALTH_URL"),
        ]
    );
    assert_eq!(repo.plan_json().0, 0);
}

#[test]
fn an_environment_without_rules_is_written_without_rule_keys() {
    // Some plans refuse wait_timer, reviewers and prevent_self_review on private
    // repositories even at their defaults (emulator/github-api/QUIRKS.md 36): send them only
    // when they matter.
    let repo = TestRepo::new("empty");
    repo.write(&Policy::flow());
    apply(&repo).code(2);
    let body_of = |env: &str| {
        repo.writes()
            .into_iter()
            .find(|w| w.method == "PUT" && w.path.ends_with(&format!("/environments/{env}")))
            .unwrap()
            .body
            .unwrap()
    };
    assert_eq!(
        body_of("staging"),
        json!({ "deployment_branch_policy": { "protected_branches": false, "custom_branch_policies": true } })
    );
    assert_eq!(
        body_of("production"),
        json!({
            "wait_timer": 5,
            "prevent_self_review": true,
            "reviewers": [{ "type": "User", "id": 583_231 }, { "type": "Team", "id": 4001 }],
            "deployment_branch_policy": { "protected_branches": false, "custom_branch_policies": true },
            "can_admins_bypass": false
        })
    );
}

#[test]
fn removing_every_rule_resets_each_one() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().environment("production", |production| {
        production.reviewers.clear();
        production.prevent_self_review = false;
        production.can_admins_bypass = true;
        production.wait_timer = 0;
    }));
    apply_lowering(&repo).code(0);
    let put = repo
        .writes()
        .into_iter()
        .find(|w| w.method == "PUT")
        .unwrap();
    assert_eq!(
        put.body.unwrap(),
        json!({
            "wait_timer": 0,
            "prevent_self_review": false,
            "reviewers": null,
            "deployment_branch_policy": { "protected_branches": false, "custom_branch_policies": true },
            "can_admins_bypass": true
        })
    );
}

#[test]
fn dismissal_restrictions_and_bypass_are_cleared_when_the_policy_drops_them() {
    let mut seed =
        gh_policy_emulator::Emulator::load_seed(crate::common::fixture("live/flow-in-sync.json"))
            .unwrap();
    let reviews = &mut seed
        .branches
        .get_mut("main")
        .unwrap()
        .protection
        .as_mut()
        .unwrap()["required_pull_request_reviews"];
    reviews["dismissal_restrictions"] = json!({ "users": ["hubot"], "teams": [] });
    reviews["bypass_pull_request_allowances"] = json!({ "users": ["hubot"] });
    let repo = TestRepo::with(gh_policy_emulator::Emulator::start(seed));
    repo.write(&Policy::flow());
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    apply_lowering(&repo).code(0);
    let put = repo
        .writes()
        .into_iter()
        .find(|w| w.method == "PUT")
        .unwrap()
        .body
        .unwrap();
    let reviews = &put["required_pull_request_reviews"];
    // `{}` disables dismissal restrictions; empty lists clear the bypass list.
    assert_eq!(reviews["dismissal_restrictions"], json!({}));
    assert_eq!(
        reviews["bypass_pull_request_allowances"],
        json!({ "users": [], "teams": [], "apps": [] })
    );
    assert_eq!(repo.plan_json().0, 0);
}
