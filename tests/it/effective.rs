//! The effective protection exactly as GitHub computes it (issue 21): what `plan` predicts
//! `apply` leaves must be what GitHub then enforces, so that no requirement shows drift on
//! every run.

use gh_policy_emulator::{Emulator, Seed};
use serde_json::{Value, json};

use crate::common::{TestRepo, changes, expect};

/// `acme/katz-backend` with `main` protected classically, and whatever `extra` adds.
pub fn world(extra: &Value) -> Seed {
    let mut seed = json!({
        "repo": { "owner": "acme", "name": "katz-backend", "default_branch": "main" },
        "apps": [ { "slug": "github-actions", "id": 15368 }, { "slug": "circleci", "id": 18001 } ],
        "branches": { "main": {} },
    });
    let (Some(target), Some(extra)) = (seed.as_object_mut(), extra.as_object()) else {
        panic!("a world is an object");
    };
    target.extend(extra.clone());
    serde_json::from_value(seed).unwrap()
}

fn requirement_changes(plan: &Value) -> Vec<(String, String, bool)> {
    changes(plan)
        .into_iter()
        .filter(|c| c.0.starts_with("requirements."))
        .collect()
}

/// Runs `apply --yes` and returns its exit code.
fn apply(repo: &TestRepo) -> i32 {
    let output = repo
        .cmd()
        .args(["apply", "--yes", "--no-cache"])
        .output()
        .unwrap();
    output.status.code().unwrap()
}

#[test]
fn a_trailing_double_star_predicts_what_github_matches() {
    let repo = TestRepo::with(Emulator::start(world(&json!({}))));
    repo.policy(
        r#"version: 1
repository: acme/katz-backend
rulesets:
  release:
    include: ["release/**", "qa**/**/*"]
    rules:
      restrict_deletions: true
requirements:
  release/v1: { restrict_deletions: true }
  release/a/b: { restrict_deletions: true }
  qa: { restrict_deletions: true }
  qa/x/y: { restrict_deletions: true }
"#,
    );
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    // A trailing `**` never crosses `/`, and `qa**/**/*` needs a `/` after `qa`: the
    // ruleset will not protect `release/a/b` or `qa`, and the plan says so.
    assert_eq!(
        requirement_changes(&plan),
        expect(&[
            ("requirements.qa", "create", false),
            ("requirements.qa/x/y", "create", true),
            ("requirements.release/a/b", "create", false),
            ("requirements.release/v1", "create", true),
        ]),
        "{plan:#}"
    );
    // Apply does what the plan said: what it cannot fix is left, nothing else.
    assert_eq!(apply(&repo), 2);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(
        changes(&plan),
        expect(&[
            ("requirements.qa", "create", false),
            ("requirements.release/a/b", "create", false),
        ]),
        "{plan:#}"
    );
    repo.assert_conformant();
}

/// `main` protected classically, requiring `ci` from GitHub Actions (app 15368).
fn pinned_ci() -> Value {
    json!({ "branches": { "main": { "protection": {
        "required_status_checks": { "strict": false,
            "checks": [ { "context": "ci", "app_id": 15368 } ] },
        "enforce_admins": true, "required_pull_request_reviews": null, "restrictions": null } } } })
}

#[test]
fn a_requirement_pins_a_check_by_app_slug() {
    let repo = TestRepo::with(Emulator::start(world(&pinned_ci())));
    let policy = |app: &str| {
        format!(
            "version: 1\nrepository: acme/katz-backend\nrequirements:\n  main:\n    required_checks: [{{ context: ci, app: {app} }}]\n"
        )
    };
    // Written by slug, the pin is resolved to the app's id like any other: met.
    repo.policy(&policy("github-actions"));
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
    assert_eq!(
        plan["requirements"][0]["settings"][0]["sources"],
        json!(["classic"])
    );
    // Another app's check is not this one.
    repo.policy(&policy("circleci"));
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    assert_eq!(
        changes(&plan),
        expect(&[("requirements.main", "update", false)])
    );
    // An app GitHub does not know is an error naming it, never "unmet" on every run.
    repo.policy(&policy("no-such-app"));
    let output = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no-such-app"), "{stderr}");
    repo.assert_conformant();
}
