//! The sections in an organisation policy: floors across layers, a loosening layer an error
//! at its line, and `export --org` hoisting the keys every repository shares.

use gh_policy_emulator::{Emulator, RepositorySeed, Seed, SettingsSeed};

use crate::common::{TestRepo, assert_exit};

fn repository(name: &str, delete_branch_on_merge: bool) -> RepositorySeed {
    let mut seed = RepositorySeed::new(name);
    seed.settings = SettingsSeed {
        allow_merge_commit: false,
        allow_rebase_merge: false,
        delete_branch_on_merge,
        push_protection: true,
        secret_scanning: true,
        allowed_actions: "selected".to_owned(),
        sha_pinning_required: true,
        patterns_allowed: vec!["docker/*".to_owned()],
        ..SettingsSeed::default()
    };
    seed
}

#[test]
fn export_org_hoists_shared_keys_to_defaults_and_plans_in_sync() {
    let seed = Seed::organization("acme", 9000)
        .with_repository(repository("svc-a", true))
        .with_repository(repository("svc-b", true))
        .with_repository(repository("web", false));
    let repo = TestRepo::with(Emulator::start(seed));
    let (text, exported) = repo.export_org("acme");
    let defaults = &exported["defaults"];
    assert_eq!(
        defaults["settings"]["merge_methods"],
        serde_json::json!(["squash"]),
        "{text}"
    );
    assert_eq!(defaults["security"]["push_protection"], true, "{text}");
    assert_eq!(defaults["actions"]["allowed_actions"], "selected", "{text}");
    assert_eq!(
        defaults["actions"]["selected"]["patterns"],
        serde_json::json!(["docker/*"]),
        "{text}"
    );
    assert!(
        defaults["settings"].get("delete_branch_on_merge").is_none(),
        "{text}"
    );
    for name in ["svc-a", "svc-b"] {
        assert_eq!(
            exported["repositories"][name]["settings"]["delete_branch_on_merge"], true,
            "{text}"
        );
    }
    assert_eq!(
        exported["repositories"]["web"]["settings"]["delete_branch_on_merge"], false,
        "{text}"
    );
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "-p", "org.yaml"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
}

#[test]
fn a_repository_entry_loosening_a_security_floor_fails_validate_at_its_line() {
    let repo = TestRepo::with(Emulator::start(Seed::organization("acme", 9000)));
    repo.policy(
        "version: 1\norganization: acme\ndefaults:\n  security: { push_protection: true }\n  actions: { workflow_permissions: read }\nrepositories:\n  web:\n    security: { push_protection: false }\n    actions:\n      workflow_permissions: write\n",
    );
    let output = repo.cmd().args(["validate"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("policy.yaml:8:") && stderr.contains("push_protection"),
        "{stderr}"
    );
    assert!(
        stderr.contains("policy.yaml:10:29:") && stderr.contains("workflow_permissions"),
        "{stderr}"
    );
}
