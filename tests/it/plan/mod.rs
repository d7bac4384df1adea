//! `plan` against the GitHub emulator: the drift it finds, and the requests it makes.
//! Where it takes the repository and its state from is in `sources.rs`.

mod sources;

use gh_policy_emulator::{Emulator, Fault, FaultKind};
use predicates::prelude::*;
use serde_json::json;

use gh_policy::model::{Branch, PullRequestRules, RequiredCheck, Reviewer};

use crate::common::policy::{LINT_AND_TEST, name, pinned, pinned_id, secret};
use crate::common::{Policy, TestRepo, changes, expect, fixture, transcript};

/// Every plan reads only: no PUT, POST, PATCH or DELETE reaches GitHub.
fn assert_read_only(repo: &TestRepo) {
    let writes = repo.writes();
    assert!(writes.is_empty(), "plan wrote: {writes:#?}");
    repo.assert_conformant();
}

#[test]
fn the_flow_in_sync_has_no_drift() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    let output = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    insta::assert_snapshot!(transcript(&output, repo.dir.path()), @r"
    exit code: 0
    ----- stdout -----
    No drift: acme/katz-backend matches the policy.
    ----- stderr -----
    ");
    assert_read_only(&repo);
}

#[test]
fn the_drifted_flow_shows_exactly_its_drift() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(
        changes(&plan),
        expect(&[
            ("branches.dev", "update", true),
            ("branches.main", "update", true),
            ("environments.production", "update", true),
            (
                "environments.production.deployment_branches.main",
                "create",
                true
            ),
            (
                "environments.staging.secrets.SSH_PRIVATE_KEY",
                "create",
                true
            ),
        ])
    );
    assert_eq!(plan["in_sync"], json!(false));
    assert_eq!(
        plan["summary"],
        json!({ "create": 2, "update": 3, "delete": 0 })
    );
    let main = &plan["changes"][1];
    assert_eq!(
        main["diffs"],
        json!([{ "path": "pull_request.required_approvals", "live": 1, "policy": 2 }])
    );
    let production = &plan["changes"][2]["diffs"];
    assert_eq!(
        production,
        &json!([
            { "path": "prevent_self_review", "live": false, "policy": true },
            { "path": "reviewers", "live": [], "policy": [{ "user": "octocat" }, { "team": "release-managers" }] },
            { "path": "deployment_branches", "live": "all", "policy": ["main"] }
        ])
    );
    // The unlisted `preview` environment is not touched.
    assert!(!plan.to_string().contains("preview"));
    assert_read_only(&repo);
}

#[test]
fn order_duplicates_and_case_are_not_drift() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(
        &Policy::flow()
            .branch("main", |main| {
                main.status_checks.as_mut().unwrap().required = vec![
                    pinned("Security Checks", "github-actions"),
                    RequiredCheck::any_app(LINT_AND_TEST),
                    RequiredCheck::any_app(LINT_AND_TEST),
                ];
            })
            .environment("production", |production| {
                production.reviewers = vec![
                    Reviewer::Team(name("Release-Managers")),
                    Reviewer::User(name("OctoCat")),
                    Reviewer::User(name("octocat")),
                ];
            }),
    );
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
    assert_read_only(&repo);
}

#[test]
fn a_bare_check_takes_any_app_and_a_pin_must_match() {
    let repo = TestRepo::new("flow-in-sync");
    // Live: `dev - lint and test` from any app, `Security Checks` pinned to 15368.
    repo.write(&Policy::flow().branch("main", |main| {
        main.status_checks.as_mut().unwrap().required = vec![
            pinned_id(LINT_AND_TEST, 15368),
            RequiredCheck::any_app("Security Checks"),
        ];
    }));
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(
        plan["changes"][0]["diffs"],
        json!([{
            "path": "status_checks.required",
            "live": ["Security Checks", "dev - lint and test"],
            "policy": ["Security Checks", { "context": "dev - lint and test", "app_id": 15368 }]
        }])
    );
    assert_read_only(&repo);
}

#[test]
fn a_missing_branch_and_a_secret_without_source_cannot_be_applied() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(
        &Policy::flow()
            .branch("release", |release| {
                *release = Branch {
                    pull_request: Some(PullRequestRules {
                        required_approvals: 1,
                        ..PullRequestRules::default()
                    }),
                    ..Branch::default()
                };
            })
            .environment("qa", |qa| qa.secrets = vec![secret("QA_TOKEN")]),
    );
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    assert_eq!(
        changes(&plan),
        expect(&[
            ("branches.release", "create", false),
            ("environments.qa", "create", true),
            ("environments.qa.secrets.QA_TOKEN", "create", false),
        ])
    );
    assert_eq!(plan["changes"][0]["reason"], json!("branch does not exist"));
    assert_eq!(
        plan["changes"][2]["reason"],
        json!("secret values are not in the policy")
    );
    assert_read_only(&repo);
}

#[test]
fn lists_are_read_across_pages() {
    let mut seed = Emulator::load_seed(fixture("live/flow-in-sync.json")).unwrap();
    let staging = seed.environments.get_mut("staging").unwrap();
    let names: Vec<String> = (0..7).map(|i| format!("EXTRA_{i}")).collect();
    staging.secrets.extend(names.iter().cloned());
    for name in &names {
        staging.variables.insert(name.clone(), "v".into());
    }
    let repo = TestRepo::with(Emulator::builder(seed).max_per_page(2).start());
    // Pruning makes every listed item matter: one missed page would show as drift.
    repo.write(
        &Policy::flow()
            .prune(|prune| {
                prune.secrets = true;
                prune.variables = true;
            })
            .environment("staging", |staging| {
                staging.secrets.extend(names.iter().map(|n| secret(n)));
                for variable in &names {
                    staging.variables.insert(name(variable), "v".into());
                }
            }),
    );
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
    let pages = repo
        .emu
        .requests()
        .iter()
        .filter(|r| {
            r.path.ends_with("/environments/staging/secrets")
                && r.query.as_deref().is_some_and(|q| q.contains("page="))
        })
        .count();
    assert!(
        pages >= 4,
        "expected to follow Link pages, saw {pages} page requests"
    );
    assert_read_only(&repo);
}

#[test]
fn a_rejected_token_is_a_clear_error() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    let output = repo
        .cmd()
        .env("GITHUB_TOKEN", "ghp_wrong")
        .args(["plan", "--no-cache"])
        .output()
        .unwrap();
    let mut settings = crate::common::snapshot_settings();
    // Which of the first concurrent reads is refused first differs between runs.
    settings.add_filter(
        r"GET /repos/acme/katz-backend/\S*",
        "GET /repos/acme/katz-backend/[…]",
    );
    settings.bind(|| {
        insta::assert_snapshot!(transcript(&output, repo.dir.path()), @r"
        exit code: 1
        ----- stdout -----
        ----- stderr -----
        error: GitHub API call failed: GET /repos/acme/katz-backend/[…]
          caused by: 401: Bad credentials
          hint: the token was rejected: it is wrong, expired or revoked; set a valid GITHUB_TOKEN (or GH_TOKEN)
        ");
    });
}

#[test]
fn a_forbidden_read_names_the_permission_and_is_not_drift() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    repo.emu.inject(
        Fault::new(FaultKind::Forbidden {
            accepted_permissions: "administration=read".into(),
        })
        .path("/protection"),
    );
    repo.cmd()
        .args(["plan", "--no-cache"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("403"))
        .stderr(predicate::str::contains("administration=read"));
}

#[test]
fn names_differing_only_in_case_are_the_same_environment_secret_and_variable() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(
        &Policy::flow()
            .rename_environment("production", "Production")
            .environment("Production", |production| {
                production.secrets[1].name = name("ssh_user");
                let url = production.variables.remove("HEALTH_URL").unwrap();
                production.variables.insert(name("health_url"), url);
            }),
    );
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
}
