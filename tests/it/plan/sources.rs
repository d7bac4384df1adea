//! Where `plan` takes the repository and its state from: the git remote, a state file
//! (offline), an exported policy (which plans in sync), and a GitHub Enterprise Server path
//! prefix.

use gh_policy_emulator::Emulator;
use predicates::prelude::*;
use serde_json::json;

use super::assert_read_only;
use crate::common::{Policy, TestRepo, changes, fixture};

#[test]
fn the_repository_comes_from_the_git_remote() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().without_repository());
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(repo.dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    };
    git(&["init", "-q"]);
    git(&[
        "remote",
        "add",
        "origin",
        "git@github.com:acme/katz-backend.git",
    ]);
    repo.cmd().args(["plan", "--no-cache"]).assert().code(0);
    // GITHUB_REPOSITORY wins over the remote; --repo over both.
    repo.cmd()
        .env("GITHUB_REPOSITORY", "acme/other")
        .args(["plan", "--no-cache"])
        .assert()
        .code(1);
    repo.cmd()
        .env("GITHUB_REPOSITORY", "acme/other")
        .args(["plan", "--no-cache", "--repo", "acme/katz-backend"])
        .assert()
        .code(0);
}

#[test]
fn a_state_file_plans_offline() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    let state =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/drifted-state.yaml");
    repo.cmd()
        .env_remove("GITHUB_TOKEN")
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .args(["plan", "--state", state.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "~ branches.main (branch protection)",
        ))
        .stdout(predicate::str::contains(
            "pull_request.required_approvals: 1 → 2",
        ));
    assert!(repo.emu.requests().is_empty());
}

#[test]
fn export_then_plan_shows_no_drift_for_every_fixture() {
    for name in ["flow-in-sync", "flow-drifted", "empty"] {
        let repo = TestRepo::new(name);
        let output = repo
            .cmd()
            .args(["export", "--no-cache", "--repo", "acme/katz-backend"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let exported = String::from_utf8(output.stdout).unwrap();
        assert!(
            !exported.contains("583231"),
            "{name}: export must name users, not ids:\n{exported}"
        );
        repo.policy(&exported);
        repo.cmd().args(["validate"]).assert().code(0);
        let (code, plan) = repo.plan_json();
        assert_eq!(
            (code, changes(&plan)),
            (0, vec![]),
            "{name}:\n{exported}\n{plan:#}"
        );
        assert_read_only(&repo);
    }
}

#[test]
fn export_as_json_is_the_same_document() {
    let repo = TestRepo::new("flow-in-sync");
    let output = repo
        .cmd()
        .args([
            "export",
            "--no-cache",
            "--repo",
            "acme/katz-backend",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["version"], json!(1));
    assert_eq!(
        value["branches"]["main"]["pull_request"]["required_approvals"],
        json!(2)
    );
    assert_eq!(
        value["environments"]["production"]["reviewers"],
        json!([{ "user": "octocat" }, { "team": "release-managers" }])
    );
}

#[test]
fn an_enterprise_server_path_prefix_is_kept() {
    let seed = Emulator::load_seed(fixture("live/flow-in-sync.json")).unwrap();
    let repo = TestRepo::with(
        Emulator::builder(seed)
            .path_prefix("/api/v3")
            .max_per_page(1)
            .start(),
    );
    repo.write(&Policy::flow());
    assert!(repo.emu.url().ends_with("/api/v3"));
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
    assert!(
        repo.emu
            .requests()
            .iter()
            .all(|r| r.path.starts_with("/api/v3/"))
    );
    assert_read_only(&repo);
}
