//! Requirements judged on the protection GitHub enforces (issue 12): classic protection and
//! every active ruleset, the repository's and the organisation's, together.

use gh_policy_emulator::{Emulator, Role, Seed};
use serde_json::{Value, json};

use crate::common::{TestRepo, changes};

fn org_ruleset(id: u64, name: &str, enforcement: &str, check: &str) -> Value {
    json!({
        "id": id, "name": name, "enforcement": enforcement, "target": "branch",
        "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] },
                        "repository_name": { "include": ["~ALL"], "exclude": [] } },
        "rules": [ { "type": "required_status_checks", "parameters": {
            "strict_required_status_checks_policy": false,
            "required_status_checks": [ { "context": check } ] } } ]
    })
}

/// Classic protection on `main` with 1 approval and no checks, a repository ruleset with 2
/// approvals, and organisation rulesets requiring `ci` and `sec`.
pub fn world(sec_enforcement: &str) -> Seed {
    serde_json::from_value(json!({
        "repo": { "owner": "acme", "name": "katz-backend", "default_branch": "main" },
        "users": [ { "login": "reviewer-1", "id": 7001 }, { "login": "reviewer-2", "id": 7002 },
                   { "login": "reviewer-3", "id": 7003 }, { "login": "reviewer-4", "id": 7004 } ],
        "org": { "login": "acme", "id": 9000, "rulesets": [
            org_ruleset(900, "org-ci", "active", "ci"),
            org_ruleset(901, "org-sec", sec_enforcement, "sec"),
        ] },
        "branches": { "main": { "protection": {
            "required_status_checks": null, "enforce_admins": false, "restrictions": null,
            "required_pull_request_reviews": { "required_approving_review_count": 1 } } } },
        "rulesets": [ {
            "id": 101, "name": "protect-main", "enforcement": "active",
            "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },
            "rules": [ { "type": "pull_request", "parameters": {
                "required_approving_review_count": 2, "dismiss_stale_reviews_on_push": false,
                "require_code_owner_review": false, "require_last_push_approval": false,
                "required_review_thread_resolution": false } } ] } ]
    }))
    .unwrap()
}

const POLICY: &str = "
version: 1
repository: acme/katz-backend
requirements:
  main:
    required_approvals: 2
    required_checks: [ci, sec]
";

fn start(seed: Seed) -> TestRepo {
    TestRepo::with(
        Emulator::builder(seed)
            .token_with_role("read-token", Role::Read)
            .start(),
    )
}

#[test]
fn requirements_met_across_classic_repository_and_organisation_rulesets() {
    let repo = start(world("active"));
    repo.policy(POLICY);
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
    let settings = &plan["requirements"][0]["settings"];
    assert_eq!(
        settings[0],
        json!({ "setting": "required_approvals", "met": true, "value": 2, "floor": 2,
                "sources": ["ruleset \"protect-main\""] })
    );
    assert_eq!(
        settings[1]["value"],
        json!(["ci", "sec"]),
        "no check dropped by the merge"
    );
    assert_eq!(
        settings[1]["sources"],
        json!([
            "ruleset \"org-ci\" (organization acme)",
            "ruleset \"org-sec\" (organization acme)"
        ])
    );
    assert!(repo.writes().is_empty());
}

#[test]
fn a_check_only_an_evaluate_ruleset_requires_is_unmet_and_says_so() {
    let repo = start(world("evaluate"));
    repo.policy(POLICY);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    assert_eq!(
        changes(&plan),
        vec![("requirements.main".to_owned(), "update".to_owned(), false)]
    );
    let diff = &plan["changes"][0]["diffs"][0];
    assert_eq!(diff["path"], "required_checks");
    assert_eq!(diff["live"], json!(["ci"]));
    assert_eq!(diff["policy"], json!(["ci", "sec"]));
    assert!(
        diff["note"]
            .as_str()
            .unwrap()
            .contains("required only by ruleset \"org-sec\" (organization acme), in evaluate mode"),
        "{diff:#}"
    );
    assert!(
        plan["changes"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("evaluate mode")
    );
}

#[test]
fn a_requirement_a_managed_ruleset_will_meet_is_applicable_and_apply_meets_it() {
    let repo = start(world("active"));
    repo.policy(&format!(
        "{}\nrulesets:\n  protect-main:\n    include: [\"~DEFAULT_BRANCH\"]\n    rules:\n      pull_request:\n        required_approvals: 3\n",
        POLICY.replace("required_approvals: 2", "required_approvals: 3")
    ));
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(
        changes(&plan),
        vec![
            (
                "rulesets.protect-main".to_owned(),
                "update".to_owned(),
                true
            ),
            ("requirements.main".to_owned(), "update".to_owned(), true),
        ]
    );
    repo.cmd()
        .args(["apply", "--yes", "--no-cache"])
        .assert()
        .code(0);
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
}

#[test]
fn a_requirement_on_a_branch_that_does_not_exist_yet_is_judged() {
    let repo = start(world("active"));
    repo.policy(
        "version: 1\nrepository: acme/katz-backend\nrulesets:\n  release:\n    include: [\"release/**\"]\n    rules:\n      restrict_deletions: true\nrequirements:\n  release/v9:\n    restrict_deletions: true\n    block_force_pushes: true\n",
    );
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let change = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "requirements.release/v9")
        .unwrap();
    assert_eq!(change["applicable"], json!(false), "{change:#}");
    assert!(
        change["reason"]
            .as_str()
            .unwrap()
            .contains("`block_force_pushes`"),
        "{change:#}"
    );
}

#[test]
fn a_read_only_token_cannot_judge_requirements_and_says_which_permission() {
    let repo = start(world("active"));
    repo.policy(POLICY);
    let output = repo
        .cmd()
        .env("GITHUB_TOKEN", "read-token")
        .args(["plan", "--no-cache"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("\"Administration: read\""), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn explain_shows_each_setting_with_its_sources() {
    let repo = start(world("evaluate"));
    let output = repo
        .cmd()
        .args([
            "explain",
            "main",
            "--repo",
            "acme/katz-backend",
            "--no-cache",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let main = &report["branches"][0];
    assert_eq!(main["branch"], "main");
    assert_eq!(main["exists"], json!(true));
    assert_eq!(
        main["settings"][0],
        json!({ "setting": "required_approvals", "value": 2, "sources": ["ruleset \"protect-main\""] })
    );
    assert_eq!(
        main["evaluate_only"][0],
        json!({ "setting": "required_checks", "value": ["sec"],
                "sources": ["ruleset \"org-sec\" (organization acme)"] })
    );
    assert_eq!(main["not_readable"], json!([]));
    assert!(repo.writes().is_empty());
}

#[test]
fn explain_on_a_read_only_token_says_what_it_cannot_see() {
    let repo = start(world("active"));
    repo.policy(POLICY);
    let output = repo
        .cmd()
        .env("GITHUB_TOKEN", "read-token")
        .args(["explain", "--no-cache"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("? not readable with this token: classic"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bypass actors of ruleset \"protect-main\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("required_approvals: 2  ← ruleset \"protect-main\""),
        "{stdout}"
    );
}

#[test]
fn the_repositorys_own_policy_with_its_requirements_is_in_sync_and_converges() {
    use crate::common::whole_flow_policy;
    let repo = TestRepo::new("flow-in-sync");
    repo.policy(&whole_flow_policy());
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
    let main = plan["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["branch"] == "main")
        .unwrap();
    assert!(
        main["settings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["met"] == json!(true) && s["sources"] == json!(["classic"])),
        "{main:#}"
    );

    let repo = TestRepo::new("flow-drifted");
    repo.policy(&whole_flow_policy());
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    let requirement = |address: &str| changes(&plan).into_iter().find(|c| c.0 == address);
    assert_eq!(
        requirement("requirements.main"),
        Some(("requirements.main".to_owned(), "update".to_owned(), true))
    );
    repo.cmd()
        .args(["apply", "--yes", "--no-cache"])
        .assert()
        .code(0);
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
}
