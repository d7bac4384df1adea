//! Findings judged against GitHub (the emulator), one test per id: found, and not found once
//! the cause is removed; an exception that accepts one; a token that may not read.
//! Findings on the repository as a whole (merges, CODEOWNERS) are in `repository.rs`.

mod repository;

use gh_policy_emulator::{Emulator, Role, Seed};
use serde_json::{Value, json};

use crate::common::TestRepo;

/// A repository whose `main` has this classic protection and these collaborators, pull
/// requests and commits; the apps `github-actions` and `circleci`, the users `octocat`,
/// `hubot` and `monalisa`.
pub(super) fn world(protection: &Value, activity: &Value, extra: &Value) -> TestRepo {
    // `merge_methods` are the repository's settings (`allow_merge_commit`…), not activity.
    let mut activity = activity.clone();
    let mut settings = json!({});
    if let Some(methods) = activity
        .as_object_mut()
        .and_then(|a| a.remove("merge_methods"))
    {
        let allows = |method: &str| {
            methods
                .as_array()
                .is_some_and(|m| m.contains(&json!(method)))
        };
        settings = json!({
            "allow_merge_commit": allows("merge"),
            "allow_squash_merge": allows("squash"),
            "allow_rebase_merge": allows("rebase"),
        });
    }
    let mut seed = json!({
        "repo": { "owner": "acme", "name": "api", "activity": activity, "settings": settings },
        "users": [ { "login": "octocat", "id": 1 }, { "login": "hubot", "id": 2 },
                   { "login": "monalisa", "id": 3 } ],
        "apps": [ { "slug": "github-actions", "id": 15368 }, { "slug": "circleci", "id": 18001 } ],
        "branches": { "main": { "protection": protection } }
    });
    if let (Some(seed), Some(extra)) = (seed.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            seed.insert(key.clone(), value.clone());
        }
    }
    let seed: Seed = serde_json::from_value(seed).unwrap();
    TestRepo::with(
        Emulator::builder(seed)
            .token_with_role("read-token", Role::Read)
            .start(),
    )
}

/// Classic protection with these reviews, checks and linear history.
pub(super) fn protection(reviews: &Value, checks: &Value, linear: bool) -> Value {
    json!({
        "required_status_checks": checks, "enforce_admins": false, "restrictions": null,
        "required_pull_request_reviews": reviews, "required_linear_history": linear
    })
}

pub(super) fn reviews(approvals: u8, code_owners: bool) -> Value {
    json!({ "required_approving_review_count": approvals, "require_code_owner_reviews": code_owners })
}

pub(super) fn checks(list: &Value) -> Value {
    json!({ "strict": false, "checks": list })
}

pub(super) fn planned(repo: &TestRepo, policy: &str) -> (i32, Value) {
    repo.policy(&format!("version: 1\nrepository: acme/api\n{policy}"));
    let (code, plan) = repo.plan_json();
    repo.assert_conformant();
    (code, plan)
}

/// The findings of a plan as `(id, severity, target)`.
pub(super) fn found(plan: &Value) -> Vec<(String, String, String)> {
    plan["findings"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|f| {
                    (
                        f["id"].as_str().unwrap().to_owned(),
                        f["severity"].as_str().unwrap().to_owned(),
                        f["target"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn one(id: &str, severity: &str, target: &str) -> Vec<(String, String, String)> {
    vec![(id.to_owned(), severity.to_owned(), target.to_owned())]
}

pub(super) const TWO_APPROVALS: &str = "requirements:\n  main: { required_approvals: 2 }\n";

#[test]
fn not_enough_reviewers_is_an_error_until_a_third_person_can_write() {
    let two = json!({ "collaborators": [ { "login": "octocat", "permission": "admin" },
                                         { "login": "hubot", "permission": "write" },
                                         { "login": "monalisa", "permission": "read" } ] });
    let repo = world(
        &protection(&reviews(2, false), &Value::Null, false),
        &two,
        &json!({}),
    );
    let (code, plan) = planned(&repo, TWO_APPROVALS);
    assert_eq!(
        found(&plan),
        one("not-enough-reviewers", "error", "branches.main")
    );
    assert_eq!(
        plan["in_sync"], true,
        "no drift: the finding alone fails the gate"
    );
    assert_eq!(code, 2, "{plan:#}");
    assert_eq!(plan["findings"][0]["sources"], json!(["classic"]));
    let three = json!({ "collaborators": [ { "login": "octocat", "permission": "admin" },
                                           { "login": "hubot", "permission": "write" },
                                           { "login": "monalisa", "permission": "maintain" } ] });
    let repo = world(
        &protection(&reviews(2, false), &Value::Null, false),
        &three,
        &json!({}),
    );
    let (code, plan) = planned(&repo, TWO_APPROVALS);
    assert_eq!(found(&plan), vec![]);
    assert_eq!(code, 0, "{plan:#}");
}

#[test]
fn an_exception_accepts_an_error_finding_until_its_date() {
    let two = json!({ "collaborators": [ { "login": "octocat", "permission": "admin" },
                                         { "login": "hubot", "permission": "write" } ] });
    let repo = world(
        &protection(&reviews(2, false), &Value::Null, false),
        &two,
        &json!({}),
    );
    repo.policy(&format!(
        "version: 1\nrepository: acme/api\n{TWO_APPROVALS}exceptions:\n  - finding: not-enough-reviewers\n    target: branches.main\n    reason: a third maintainer joins in January\n    expires: 2026-12-20\n"
    ));
    let at = |now: &str| {
        let output = repo
            .cmd()
            .env("GH_POLICY_NOW", now)
            .args(["plan", "--no-cache", "--format", "json"])
            .output()
            .unwrap();
        let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
        (
            output.status.code().unwrap(),
            plan,
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (code, plan, _) = at("2026-12-07T00:00:00Z");
    assert_eq!(code, 0, "{plan:#}");
    assert_eq!(
        plan["findings"][0]["excepted"]["reason"],
        "a third maintainer joins in January"
    );
    let (code, plan, stderr) = at("2026-12-21T00:00:00Z");
    assert_eq!(code, 2, "{plan:#}");
    assert!(plan["findings"][0].get("excepted").is_none());
    assert!(stderr.contains("expired"), "{stderr}");
}

const PINNED_LINT: &str =
    "requirements:\n  main: { required_checks: [{ context: lint, app: github-actions }] }\n";

#[test]
fn check_app_mismatch_is_an_error_until_the_pinned_app_reports_the_check() {
    let pinned = checks(&json!([{ "context": "lint", "app_id": 15368 }]));
    let by_circleci = json!({
        "pull_requests": [ { "base": "main", "head_sha": "c1", "merged": true } ],
        "commits": { "c1": { "check_runs": [ { "name": "lint", "app": "circleci" } ] } }
    });
    let repo = world(
        &protection(&Value::Null, &pinned, false),
        &by_circleci,
        &json!({}),
    );
    let (code, plan) = planned(&repo, PINNED_LINT);
    assert_eq!(
        found(&plan),
        one("check-app-mismatch", "error", "branches.main")
    );
    assert!(
        plan["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("app `circleci`"),
        "{plan:#}"
    );
    assert_eq!(code, 2);
    let by_actions = json!({
        "pull_requests": [ { "base": "main", "head_sha": "c1", "merged": true },
                           { "base": "main", "head_sha": "c0", "merged": false } ],
        "commits": { "c1": { "check_runs": [ { "name": "lint", "app": "github-actions" } ] } }
    });
    let repo = world(
        &protection(&Value::Null, &pinned, false),
        &by_actions,
        &json!({}),
    );
    let (code, plan) = planned(&repo, PINNED_LINT);
    assert_eq!(found(&plan), vec![]);
    assert_eq!(code, 0, "{plan:#}");
}

#[test]
fn check_not_reported_is_a_warning_until_a_status_or_run_reports_it() {
    let required = checks(&json!([{ "context": "lint" }]));
    let policy = "requirements:\n  main: { required_checks: [lint] }\n";
    let other = json!({
        "pull_requests": [ { "base": "main", "head_sha": "c1", "merged": true } ],
        "commits": { "c1": { "check_runs": [ { "name": "test", "app": "github-actions" } ] } }
    });
    let repo = world(
        &protection(&Value::Null, &required, false),
        &other,
        &json!({}),
    );
    let (code, plan) = planned(&repo, policy);
    assert_eq!(
        found(&plan),
        one("check-not-reported", "warning", "branches.main")
    );
    assert_eq!(code, 0, "a warning never changes the exit code");
    let by_status = json!({
        "pull_requests": [ { "base": "main", "head_sha": "c1", "merged": true } ],
        "commits": { "c1": { "statuses": [ "lint" ] } }
    });
    let repo = world(
        &protection(&Value::Null, &required, false),
        &by_status,
        &json!({}),
    );
    let (_, plan) = planned(&repo, policy);
    assert_eq!(found(&plan), vec![]);
}

#[test]
fn sole_reviewer_self_review_is_found_on_the_environment_apply_leaves() {
    let repo = world(
        &protection(&Value::Null, &Value::Null, false),
        &json!({}),
        &json!({}),
    );
    let env = "environments:\n  production:\n    prevent_self_review: true\n    reviewers: [{ user: octocat }]\n";
    let (code, plan) = planned(&repo, env);
    assert!(
        found(&plan).contains(&(
            "sole-reviewer-self-review".to_owned(),
            "warning".to_owned(),
            "environments.production".to_owned()
        )),
        "{plan:#}"
    );
    assert_eq!(code, 2, "the environment is drift to create");
    let two = env.replace(
        "[{ user: octocat }]",
        "[{ user: octocat }, { user: hubot }]",
    );
    let (_, plan) = planned(&repo, &two);
    assert_eq!(found(&plan), vec![]);
}

const RELEASES: &str = "rulesets:\n  releases:\n    include: [\"release/*\"]\n    rules: { block_force_pushes: true }\n";

#[test]
fn pattern_matches_nothing_is_a_warning_until_a_branch_matches() {
    let repo = world(
        &protection(&Value::Null, &Value::Null, false),
        &json!({}),
        &json!({}),
    );
    let (_, plan) = planned(&repo, RELEASES);
    assert_eq!(
        found(&plan),
        one("pattern-matches-nothing", "warning", "rulesets.releases")
    );
    let with_release = json!({ "branches": { "main": {}, "release/1.0": {} } });
    let repo = world(
        &protection(&Value::Null, &Value::Null, false),
        &json!({}),
        &with_release,
    );
    let (_, plan) = planned(&repo, RELEASES);
    assert_eq!(found(&plan), vec![]);
}

const WRITERS_BYPASS: &str = "rulesets:\n  protect-main:\n    include: [main]\n    bypass: [{ role: write }]\n    rules: { block_force_pushes: true }\nrequirements:\n  main: { block_force_pushes: true }\n";

#[test]
fn bypass_by_everyone_is_a_warning_until_the_role_is_gone() {
    let repo = world(
        &protection(&Value::Null, &Value::Null, false),
        &json!({}),
        &json!({}),
    );
    let (_, plan) = planned(&repo, WRITERS_BYPASS);
    assert!(
        found(&plan).contains(&one("bypass-by-everyone", "warning", "branches.main")[0]),
        "{plan:#}"
    );
    let (_, plan) = planned(
        &repo,
        &WRITERS_BYPASS.replace("    bypass: [{ role: write }]\n", ""),
    );
    assert!(
        !found(&plan).iter().any(|f| f.0 == "bypass-by-everyone"),
        "{plan:#}"
    );
}
