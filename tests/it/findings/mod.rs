//! Findings (DESIGN §13): rules no pull request can meet, or that protect nothing — per id,
//! found, and not found once the cause is gone.

use assert_cmd::Command;

fn validate(dir: &std::path::Path) -> (Option<i32>, String, String) {
    let output = Command::cargo_bin("gh-policy")
        .unwrap()
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env("GH_POLICY_NOW", "2026-12-07T00:00:00Z")
        .args(["validate", "--no-workflows"])
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn in_dir(policy: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policy.yaml"), policy).unwrap();
    dir
}

const LINEAR_MERGE_ONLY: &str = "version: 1
branches:
  main:
    required_linear_history: true
rulesets:
  merges:
    include: [main]
    rules:
      pull_request:
        allowed_merge_methods: [merge]
";

#[test]
fn validate_refuses_linear_history_with_merge_commits_only_at_its_line() {
    let dir = in_dir(LINEAR_MERGE_ONLY);
    let (code, stdout, stderr) = validate(dir.path());
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("error: policy.yaml:3:3: [linear-history-merge-only] branches.main:"),
        "{stderr}"
    );
    assert!(!stdout.contains("valid"), "{stdout}");
    let fixed = in_dir(&LINEAR_MERGE_ONLY.replace("[merge]", "[merge, rebase]"));
    let (code, stdout, stderr) = validate(fixed.path());
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(!stderr.contains("linear-history-merge-only"), "{stderr}");
}

#[test]
fn validate_accepts_an_excepted_error_finding_until_its_date() {
    let policy = format!(
        "{LINEAR_MERGE_ONLY}exceptions:
  - finding: linear-history-merge-only
    target: branches.main
    reason: merge queue migration, INC-3001
    expires: 2026-12-20
"
    );
    let dir = in_dir(&policy);
    let (code, stdout, stderr) = validate(dir.path());
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains("warning: policy.yaml:3:3: [linear-history-merge-only]")
            && stderr.contains("accepted until 2026-12-20"),
        "{stderr}"
    );
}

#[test]
fn validate_refuses_an_exception_naming_no_finding() {
    let policy = format!(
        "{LINEAR_MERGE_ONLY}exceptions:
  - finding: linear-history-merge-onyl
    target: branches.main
    reason: typo
    expires: 2026-12-20
"
    );
    let dir = in_dir(&policy);
    let (code, _, stderr) = validate(dir.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("is not a finding id"), "{stderr}");
}

#[test]
fn validate_warns_of_a_sole_reviewer_who_may_not_approve_themselves() {
    let policy = "version: 1
environments:
  production:
    prevent_self_review: true
    reviewers: [{ user: octocat }]
";
    let dir = in_dir(policy);
    let (code, stdout, stderr) = validate(dir.path());
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "warning: policy.yaml:4:5: [sole-reviewer-self-review] environments.production"
        ),
        "{stderr}"
    );
    let fixed = in_dir(&policy.replace(
        "[{ user: octocat }]",
        "[{ user: octocat }, { user: hubot }]",
    ));
    let (code, _, stderr) = validate(fixed.path());
    assert_eq!(code, Some(0));
    assert!(!stderr.contains("sole-reviewer-self-review"), "{stderr}");
}

mod live;
mod reads;
