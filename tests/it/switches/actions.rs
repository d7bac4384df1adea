//! `actions:` — the Actions permissions through their three endpoints
//! (emulator/github-api/QUIRKS.md 61).

use serde_json::{Value, json};

use super::{apply, change, reads, settings_now, world, writes};

const RESTRICTED: &str = "version: 1
repository: acme/katz-backend
actions:
  enabled: true
  allowed_actions: selected
  selected: { github_owned: true, verified: false, patterns: [\"docker/*\"] }
  sha_pinning_required: true
  workflow_permissions: read
  can_approve_pull_requests: false
";

fn paths(change: &Value) -> Vec<String> {
    change["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn actions_restricted_to_selected_and_sha_pinned_are_applied_then_in_sync() {
    let repo = world(&json!({}));
    repo.policy(RESTRICTED);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let actions = change(&plan, "actions");
    assert_eq!(actions.len(), 1, "{plan:#}");
    assert_eq!(actions[0]["kind"], "actions");
    assert_eq!(
        paths(actions[0]),
        [
            "allowed_actions",
            "selected.github_owned",
            "selected.verified",
            "selected.patterns",
            "sha_pinning_required"
        ]
    );
    assert_eq!(plan["weakens"], 0, "restricting weakens nothing: {plan:#}");
    let output = apply(&repo, false);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(
        writes(&repo),
        [
            (
                "PUT /repos/acme/katz-backend/actions/permissions".to_owned(),
                Some(
                    json!({"enabled": true, "allowed_actions": "selected", "sha_pinning_required": true})
                )
            ),
            (
                "PUT /repos/acme/katz-backend/actions/permissions/selected-actions".to_owned(),
                Some(
                    json!({"github_owned_allowed": true, "verified_allowed": false, "patterns_allowed": ["docker/*"]})
                )
            ),
        ]
    );
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan:#}");
    repo.assert_conformant();
}

#[test]
fn only_the_endpoints_the_keys_need_are_read() {
    let repo = world(&json!({}));
    repo.policy(
        "version: 1\nrepository: acme/katz-backend\nactions:\n  workflow_permissions: read\n",
    );
    let (code, _) = repo.plan_json();
    assert_eq!(code, 0);
    let gets = reads(&repo);
    assert!(
        gets.contains(&"/repos/acme/katz-backend/actions/permissions/workflow".to_owned()),
        "{gets:?}"
    );
    assert!(
        !gets.contains(&"/repos/acme/katz-backend/actions/permissions".to_owned()),
        "{gets:?}"
    );
    assert!(
        !gets.iter().any(|p| p.ends_with("selected-actions")),
        "{gets:?}"
    );
}

#[test]
fn widening_actions_and_a_write_token_weaken_and_are_refused_without_allow_weakening() {
    let repo = world(&json!({"allowed_actions": "local_only"}));
    repo.policy("version: 1\nrepository: acme/katz-backend\nactions:\n  allowed_actions: all\n  workflow_permissions: write\n  can_approve_pull_requests: true\n");
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(plan["weakens"], 1, "{plan:#}");
    let weakening: Vec<&str> = change(&plan, "actions")[0]["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["weakens"] == true)
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        weakening,
        [
            "allowed_actions",
            "workflow_permissions",
            "can_approve_pull_requests"
        ]
    );
    let output = apply(&repo, false);
    assert_eq!(output.status.code(), Some(1));
    assert!(writes(&repo).is_empty());
    let output = apply(&repo, true);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let now = settings_now(&repo);
    assert_eq!(
        (
            now["allowed_actions"].clone(),
            now["default_workflow_permissions"].clone()
        ),
        (json!("all"), json!("write"))
    );
}

#[test]
fn a_value_an_organisation_policy_forbids_is_refused_with_githubs_message_and_the_rest_applied() {
    let repo = world(&json!({"org_forbids": ["default_workflow_permissions=write"]}));
    repo.policy("version: 1\nrepository: acme/katz-backend\nactions:\n  sha_pinning_required: true\n  workflow_permissions: write\n");
    let output = apply(&repo, true);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("refused"), "{stdout}");
    assert!(
        stdout.contains(
            "the organization's policy does not allow default_workflow_permissions `write`"
        ),
        "{stdout}"
    );
    let now = settings_now(&repo);
    assert_eq!(
        (
            now["sha_pinning_required"].clone(),
            now["default_workflow_permissions"].clone()
        ),
        (json!(true), json!("read"))
    );
}
