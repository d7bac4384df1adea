//! The effective protection exactly as GitHub computes it (issue 21): what `plan` predicts
//! `apply` leaves must be what GitHub then enforces, so that no requirement shows drift on
//! every run.

use gh_policy_emulator::{Emulator, Role, Seed};
use serde_json::{Value, json};

use crate::common::{TestRepo, assert_exit, changes, expect};

/// `acme/katz-backend` with `main` protected classically, and whatever `extra` adds.
pub fn world(extra: &Value) -> Seed {
    let mut seed = json!({
        "repo": { "owner": "acme", "name": "katz-backend", "default_branch": "main" },
        "users": [ { "login": "reviewer-1", "id": 7001 }, { "login": "reviewer-2", "id": 7002 }, { "login": "reviewer-3", "id": 7003 } ],
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
pub fn pinned_ci() -> Value {
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
    // At its line of the policy, as every unknown name is.
    assert!(
        stderr
            .lines()
            .any(|line| line.trim_start().starts_with("policy.yaml:5:")
                && line.ends_with("GitHub App `no-such-app`")),
        "{stderr}"
    );
    repo.assert_conformant();
}

/// Classic protection on `main` that admins may bypass (2 approvals, linear history), a
/// repository ruleset nobody may bypass (2 approvals), and an organisation ruleset that
/// organisation admins may bypass (check `ci`).
pub fn bypass_world() -> Seed {
    world(&json!({
        "org": { "login": "acme", "id": 9000, "rulesets": [ {
            "id": 900, "name": "org-ci", "enforcement": "active", "target": "branch",
            "bypass_actors": [ { "actor_id": 1, "actor_type": "OrganizationAdmin", "bypass_mode": "always" } ],
            "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] },
                            "repository_name": { "include": ["~ALL"], "exclude": [] } },
            "rules": [ { "type": "required_status_checks", "parameters": {
                "strict_required_status_checks_policy": false,
                "required_status_checks": [ { "context": "ci" } ] } } ] } ] },
        "branches": { "main": { "protection": {
            "required_status_checks": null, "enforce_admins": false, "restrictions": null,
            "required_linear_history": true,
            "required_pull_request_reviews": { "required_approving_review_count": 2 } } } },
        "rulesets": [ {
            "id": 101, "name": "protect-main", "enforcement": "active",
            "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },
            "rules": [ { "type": "pull_request", "parameters": {
                "required_approving_review_count": 2, "dismiss_stale_reviews_on_push": false,
                "require_code_owner_review": false, "require_last_push_approval": false,
                "required_review_thread_resolution": false } } ] } ],
    }))
}

fn no_bypass_policy(asked: &str) -> String {
    format!(
        "version: 1\nrepository: acme/katz-backend\nrequirements:\n  main:\n    {asked}\n    no_bypass: true\n"
    )
}

#[test]
fn no_bypass_is_judged_on_the_sources_that_provide_what_is_asked() {
    let repo = TestRepo::with(
        Emulator::builder(bypass_world())
            .token_with_role("write-token", Role::Write)
            .start(),
    );
    // Classic (bypassable) provides linear history, which is not asked, and 2 approvals,
    // which the unbypassable ruleset provides too: met, by the ruleset.
    repo.policy(&no_bypass_policy("required_approvals: 2"));
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
    let settings = &plan["requirements"][0]["settings"];
    assert_eq!(settings[1]["setting"], "no_bypass");
    assert_eq!(settings[1]["sources"], json!(["ruleset \"protect-main\""]));
    // The organisation ruleset admins may bypass is all that requires `ci`: unmet, and
    // named.
    repo.policy(&no_bypass_policy("required_checks: [ci]"));
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let diff = &plan["changes"][0]["diffs"][0];
    assert_eq!(diff["path"], "no_bypass", "{plan:#}");
    assert_eq!(
        diff["sources"],
        json!(["ruleset \"org-ci\" (organization acme)"])
    );
    repo.assert_conformant();
}

#[test]
fn hidden_bypass_actors_matter_only_where_no_bypass_rests_on_them() {
    let repo = TestRepo::with(
        Emulator::builder(bypass_world())
            .token_with_role("write-token", Role::Write)
            .start(),
    );
    let plan = |asked: &str| {
        repo.policy(&no_bypass_policy(asked));
        repo.cmd()
            .env("GITHUB_TOKEN", "write-token")
            .args(["plan", "--no-cache"])
            .output()
            .unwrap()
    };
    // A write token does not see the organisation ruleset's actors; it provides nothing
    // asked, so they do not matter.
    let output = plan("required_approvals: 2");
    assert_exit(&output, 0);
    // Asked for `ci`, which only that ruleset provides: an error naming the ruleset and the
    // permission an organisation owner has, never repository administration.
    let output = plan("required_checks: [ci]");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("ruleset \"org-ci\" (organization acme)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"Organization administration: write\""),
        "{stderr}"
    );
    assert!(stderr.contains("organisation owner"), "{stderr}");
    assert!(!stderr.contains("\"Administration: write\""), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn a_branch_in_sync_keeps_the_app_github_records_for_a_bare_check() {
    let repo = TestRepo::with(Emulator::start(world(&pinned_ci())));
    // The branch lists `ci` by bare name, in sync with GitHub's `ci` from GitHub Actions;
    // apply writes nothing, so the pin the requirement asks for stays.
    repo.policy(
        "version: 1
repository: acme/katz-backend
branches:
  main:
    status_checks:
      required: [ci]
    enforce_admins: true
requirements:
  main:
    required_checks: [{ context: ci, app: github-actions }]
",
    );
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
    assert_eq!(apply(&repo), 0);
    assert!(repo.writes().is_empty());
    // Rewritten, the branch has the policy's bare check: GitHub picks the app, so the plan
    // cannot promise the pin, and says so.
    repo.policy(
        "version: 1
repository: acme/katz-backend
branches:
  main:
    status_checks:
      required: [ci]
      strict: true
    enforce_admins: true
requirements:
  main:
    required_checks: [{ context: ci, app: github-actions }]
",
    );
    let (code, plan) = repo.plan_json();
    assert_ne!(code, 0, "{plan:#}");
    let requirement = changes(&plan)
        .into_iter()
        .find(|c| c.0 == "requirements.main");
    assert_eq!(requirement.map(|c| c.2), Some(false), "{plan:#}");
}
