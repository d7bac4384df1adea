//! Exceptions on the repository-wide sections (DESIGN §9, §12): a key an exception accepts
//! stays as it is live, and `apply` writes the rest of its section.

use serde_json::{Value, json};

use super::{change, world, writes};
use crate::common::TestRepo;

const NOW: &str = "2026-12-01T12:00:00Z";

/// The policy, with exceptions at these paths.
fn policy(paths: &[&str]) -> String {
    let mut text = "version: 1
repository: acme/katz-backend
settings:
  merge_methods: [squash]
  delete_branch_on_merge: true
security:
  secret_scanning: true
  push_protection: true
exceptions:
"
    .to_owned();
    for path in paths {
        text += &[
            "  - path: ",
            path,
            "\n    reason: \"INC-7: decided later\"\n    expires: 2026-12-28\n",
        ]
        .concat();
    }
    text
}

fn run(repo: &TestRepo, args: &[&str]) -> std::process::Output {
    repo.cmd()
        .env("GH_POLICY_NOW", NOW)
        .args(args)
        .output()
        .unwrap()
}

fn plan(repo: &TestRepo) -> (Option<i32>, Value) {
    let output = run(repo, &["plan", "--no-cache", "--format", "json"]);
    let plan = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "no JSON ({err}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), plan)
}

#[test]
fn an_excepted_key_stays_live_and_apply_writes_the_rest_of_its_section() {
    let repo = world(&json!({}));
    repo.policy(&policy(&["settings.merge_methods", "security"]));
    let validated = run(&repo, &["validate"]);
    assert_eq!(
        validated.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validated.stderr)
    );
    let (code, before) = plan(&repo);
    assert_eq!(code, Some(2), "{before:#}");
    let settings = change(&before, "settings");
    let excepted: Vec<(&str, bool)> = settings[0]["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d.get("excepted").is_some()))
        .collect();
    assert_eq!(
        excepted,
        [("merge_methods", true), ("delete_branch_on_merge", false)]
    );
    // The exception names the whole section: every feature of it is accepted.
    let security = change(&before, "security");
    assert_eq!(security[0]["excepted"], json!(true), "{before:#}");
    assert_eq!(before["summary"]["excepted"], json!(1));

    let applied = run(&repo, &["apply", "--yes", "--no-cache"]);
    assert_eq!(
        applied.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    assert_eq!(
        writes(&repo),
        [(
            "PATCH /repos/acme/katz-backend".to_owned(),
            Some(json!({"delete_branch_on_merge": true}))
        )]
    );
    let (code, after) = plan(&repo);
    assert_eq!(code, Some(0), "{after:#}");
    assert_eq!(after["in_sync"], json!(true));
    assert_eq!(after["summary"]["excepted"], json!(2));
}

#[test]
fn validate_refuses_a_key_the_section_does_not_have_or_a_section_the_policy_lacks() {
    let repo = world(&json!({}));
    repo.policy(&policy(&[
        "settings.merge_method",
        "security.secret_scaning",
        "actions.allowed_actions",
    ]));
    let output = run(&repo, &["validate"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`settings` has no setting `merge_method`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`security` has no setting `secret_scaning`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`actions.allowed_actions` names nothing in the policy"),
        "{stderr}"
    );
}
