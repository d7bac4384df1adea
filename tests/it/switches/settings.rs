//! `settings:` — merge settings through `GET`/`PATCH /repos/{o}/{r}`.

use serde_json::json;

use super::{applied, apply, change, one_change, reads, settings_now, world, writes};
use crate::common::assert_exit;

const POLICY: &str = "version: 1
repository: acme/katz-backend
settings:
  merge_methods: [squash]
  auto_merge: true
  delete_branch_on_merge: true
  allow_update_branch: true
  squash_commit: { title: PR_TITLE, message: PR_BODY }
  web_commit_signoff_required: true
";

#[test]
fn settings_are_planned_applied_with_one_patch_and_then_in_sync() {
    let (repo, _, changes) = one_change(POLICY, "settings");
    assert_eq!(changes["kind"], "repository_settings");
    assert_eq!(changes["action"], "update");
    let paths: Vec<&str> = changes["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "merge_methods",
            "auto_merge",
            "delete_branch_on_merge",
            "allow_update_branch",
            "squash_commit",
            "web_commit_signoff_required"
        ]
    );
    assert_eq!(
        changes["diffs"][0]["live"],
        json!(["merge", "squash", "rebase"])
    );
    assert_eq!(changes["diffs"][0]["policy"], json!(["squash"]));

    applied(&repo, false, 0);
    assert_eq!(
        writes(&repo),
        [(
            "PATCH /repos/acme/katz-backend".to_owned(),
            Some(json!({
                "allow_merge_commit": false,
                "allow_squash_merge": true,
                "allow_rebase_merge": false,
                "allow_auto_merge": true,
                "delete_branch_on_merge": true,
                "allow_update_branch": true,
                "squash_merge_commit_title": "PR_TITLE",
                "squash_merge_commit_message": "PR_BODY",
                "web_commit_signoff_required": true
            }))
        )]
    );
    let now = settings_now(&repo);
    assert_eq!(
        (
            now["allow_squash_merge"].clone(),
            now["allow_merge_commit"].clone()
        ),
        (json!(true), json!(false))
    );
    // Keys the policy does not write are left alone.
    assert_eq!(now["merge_commit_title"], "MERGE_MESSAGE");
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan:#}");
    repo.assert_conformant();
}

#[test]
fn only_the_keys_that_differ_are_sent() {
    let repo = world(&json!({"allow_merge_commit": false, "allow_rebase_merge": false}));
    repo.policy("version: 1\nrepository: acme/katz-backend\nsettings:\n  merge_methods: [squash]\n  delete_branch_on_merge: true\n");
    let output = apply(&repo, false);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        writes(&repo),
        [(
            "PATCH /repos/acme/katz-backend".to_owned(),
            Some(json!({"delete_branch_on_merge": true}))
        )]
    );
}

#[test]
fn the_repository_is_read_only_when_the_policy_has_a_section_that_needs_it() {
    let repo = world(&json!({}));
    repo.policy(
        "version: 1\nrepository: acme/katz-backend\nbranches:\n  main: { enforce_admins: true }\n",
    );
    repo.plan_json();
    assert!(
        !reads(&repo).contains(&"/repos/acme/katz-backend".to_owned()),
        "{:?}",
        reads(&repo)
    );
    let repo = world(&json!({}));
    repo.policy(POLICY);
    repo.plan_json();
    let gets = reads(&repo);
    assert_eq!(
        gets.iter()
            .filter(|p| *p == "/repos/acme/katz-backend")
            .count(),
        1,
        "{gets:?}"
    );
    assert!(
        !gets
            .iter()
            .any(|p| p.contains("/actions/") || p.contains("vulnerability")),
        "{gets:?}"
    );
}

#[test]
fn a_policy_with_settings_in_sync_makes_no_write() {
    let repo = world(&json!({
        "allow_merge_commit": false, "allow_rebase_merge": false, "allow_auto_merge": true,
        "delete_branch_on_merge": true, "allow_update_branch": true,
        "squash_merge_commit_title": "PR_TITLE", "squash_merge_commit_message": "PR_BODY",
        "web_commit_signoff_required": true
    }));
    repo.policy(POLICY);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan:#}");
    let output = apply(&repo, false);
    assert_eq!(output.status.code(), Some(0));
    assert!(writes(&repo).is_empty());
}

#[test]
fn a_mistyped_key_or_value_is_located_with_a_suggestion() {
    let repo = world(&json!({}));
    repo.policy("version: 1\nsettings:\n  merge_method: [squash]\n  squash_commit: { title: PR_BODY, message: PR_BODY }\n");
    let output = repo.cmd().args(["validate"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("policy.yaml:3:3") && stderr.contains("merge_methods"),
        "{stderr}"
    );
    assert!(
        stderr.contains("policy.yaml:4:") && stderr.contains("PR_TITLE"),
        "{stderr}"
    );
    let repo = world(&json!({}));
    repo.policy("version: 1\nsettings:\n  merge_methods: []\n");
    let output = repo.cmd().args(["validate"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("policy.yaml:3:") && stderr.contains("at least one merge method"),
        "{stderr}"
    );
}

#[test]
fn plan_in_every_format_shows_the_settings_change() {
    let repo = world(&json!({}));
    repo.policy(POLICY);
    for (format, needle) in [
        ("text", "settings"),
        ("markdown", "settings"),
        ("sarif", "repository_settings"),
        ("junit", "settings"),
    ] {
        let output = repo
            .cmd()
            .args(["plan", "--no-cache", "--format", format])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(2), "{format}: {stdout}");
        assert!(
            stdout.contains(needle) && stdout.contains("delete_branch_on_merge"),
            "{format}: {stdout}"
        );
    }
}

#[test]
fn export_writes_the_settings_the_export_plans_in_sync_and_state_reads_them() {
    let repo = world(&json!({
        "allow_merge_commit": false, "allow_rebase_merge": false,
        "delete_branch_on_merge": true, "squash_merge_commit_title": "PR_TITLE",
        "squash_merge_commit_message": "PR_BODY"
    }));
    repo.policy("version: 1\nrepository: acme/katz-backend\n");
    let output = repo
        .cmd()
        .args(["export", "--no-cache", "-o", "exported.yaml"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let exported = std::fs::read_to_string(repo.dir.path().join("exported.yaml")).unwrap();
    assert!(
        exported.contains("settings:\n  merge_methods:\n  - squash\n")
            && exported.contains("delete_branch_on_merge: true"),
        "{exported}"
    );
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "-p", "exported.yaml"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    // Offline: the policy against the exported file.
    repo.policy(POLICY);
    let output = repo
        .cmd()
        .args(["plan", "--state", "exported.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = change(&plan, "settings")[0]["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "auto_merge",
            "allow_update_branch",
            "web_commit_signoff_required"
        ],
        "{plan:#}"
    );
}
