//! What findings read: only what they need, at most 4 reads per branch, and a read the
//! token may not make is a note naming the permission, never a guess.

use serde_json::{Value, json};

use super::live::{TWO_APPROVALS, checks, found, one, planned, protection, reviews, world};

#[test]
fn a_read_the_token_cannot_make_is_a_note_naming_the_permission_never_a_guess() {
    // Approvals from a repository ruleset, which a read-only token can read.
    let ruleset = json!({ "rulesets": [ {
        "id": 101, "name": "protect-main", "enforcement": "active",
        "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },
        "rules": [ { "type": "pull_request", "parameters": {
            "required_approving_review_count": 2, "dismiss_stale_reviews_on_push": false,
            "require_code_owner_review": false, "require_last_push_approval": false,
            "required_review_thread_resolution": false } } ] } ] });
    let one_writer = json!({ "collaborators": [ { "login": "octocat", "permission": "admin" } ] });
    let repo = world(&Value::Null, &one_writer, &ruleset);
    let managed = "rulesets:\n  protect-main:\n    include: [\"~DEFAULT_BRANCH\"]\n    rules: { pull_request: { required_approvals: 2 } }\n";
    repo.policy(&format!("version: 1\nrepository: acme/api\n{managed}"));
    let output = repo
        .cmd()
        .env("GITHUB_TOKEN", "read-token")
        .args(["plan", "--no-cache", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let plan: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(found(&plan), vec![], "never guessed");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let notes = plan["finding_notes"].to_string();
    assert!(
        notes.contains("not-enough-reviewers") && notes.contains("push access"),
        "{notes}"
    );
    // The same world with a token that may read them: found.
    let (code, plan) = planned(&repo, managed);
    assert_eq!(
        found(&plan),
        one("not-enough-reviewers", "error", "branches.main")
    );
    assert_eq!(code, 2);
}

#[test]
fn no_findings_skips_them_and_their_reads() {
    let two = json!({ "collaborators": [ { "login": "octocat", "permission": "admin" } ] });
    let repo = world(
        &protection(&reviews(2, false), &Value::Null, false),
        &two,
        &json!({}),
    );
    repo.policy(&format!(
        "version: 1\nrepository: acme/api\n{TWO_APPROVALS}"
    ));
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--no-findings", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(plan.get("findings").is_none(), "{plan:#}");
    assert!(
        !repo
            .emu
            .requests()
            .iter()
            .any(|r| r.path.contains("/collaborators")),
        "no read for findings"
    );
}

#[test]
fn findings_cost_at_most_four_reads_per_branch() {
    let everything = json!({
        "collaborators": [ { "login": "octocat", "permission": "admin" } ],
        "pull_requests": [ { "base": "main", "head_sha": "c1", "merged": true } ],
        "commits": { "c1": { "check_runs": [ { "name": "lint", "app": "github-actions" } ] } }
    });
    let all = protection(
        &reviews(1, true),
        &checks(&json!([{ "context": "lint" }])),
        false,
    );
    let repo = world(&all, &everything, &json!({}));
    let policy = "requirements:\n  main: { required_approvals: 1, required_checks: [lint], require_code_owner_reviews: true }\n";
    planned(&repo, policy);
    let per_branch = repo
        .emu
        .requests()
        .iter()
        .filter(|r| {
            ["/codeowners/errors", "/pulls", "/check-runs", "/status"]
                .iter()
                .any(|p| r.path.split('?').next().unwrap_or("").ends_with(p))
        })
        .count();
    assert_eq!(per_branch, 4);
}

#[test]
fn explain_says_whether_a_pull_request_can_merge_and_what_it_must_have() {
    let two = json!({ "collaborators": [ { "login": "octocat", "permission": "admin" },
                                         { "login": "hubot", "permission": "write" } ] });
    let lint = checks(&json!([{ "context": "lint" }]));
    let repo = world(
        &protection(&reviews(2, false), &lint, false),
        &two,
        &json!({}),
    );
    repo.policy("version: 1\nrepository: acme/api\n");
    let output = repo.cmd().args(["explain", "main"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Can a pull request merge into main? no. It must have:")
            && text.contains(
                "2 approving reviews from people with write access other than its author"
            )
            && text.contains("these checks passing on its head commit: `lint`")
            && text.contains("✗ not-enough-reviewers (error)"),
        "{text}"
    );
    let output = repo
        .cmd()
        .args(["explain", "main", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["branches"][0]["pull_request"]["can_merge"], false);
    assert_eq!(
        report["branches"][0]["findings"][0]["id"],
        "not-enough-reviewers"
    );
    // A third writer: it can.
    let three = json!({ "collaborators": [ { "login": "octocat", "permission": "admin" },
                                           { "login": "hubot", "permission": "write" },
                                           { "login": "monalisa", "permission": "write" } ] });
    let repo = world(
        &protection(&reviews(2, false), &lint, false),
        &three,
        &json!({}),
    );
    repo.policy("version: 1\nrepository: acme/api\n");
    let output = repo
        .cmd()
        .args(["explain", "main", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["branches"][0]["pull_request"]["can_merge"], true);
    assert!(report["branches"][0].get("findings").is_none());
    let skipped = repo
        .cmd()
        .args(["explain", "main", "--no-findings", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&skipped.stdout).unwrap();
    assert!(report["branches"][0].get("pull_request").is_none());
}
