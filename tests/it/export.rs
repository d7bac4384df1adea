//! `export` against the GitHub emulator: it finds the repository as every command does (the
//! policy's `repository:` included), and `-o FILE` writes the file only when it succeeded,
//! so that `export` over an existing policy never leaves it empty or half written.

use std::path::Path;

use crate::common::{Policy, TestRepo, assert_exit, snapshot_settings, transcript};

/// Returns the names in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn snapshot(name: &str, repo: &TestRepo, output: &std::process::Output) {
    let mut settings = snapshot_settings();
    // The schema link and the header carry the version, which changes with every release.
    settings.add_filter(r"\bv?\d+\.\d+\.\d+\b", "[VERSION]");
    settings.bind(|| insta::assert_snapshot!(name, transcript(output, repo.dir.path())));
}

#[test]
fn export_reads_the_repository_from_the_policy() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let output = repo.cmd().args(["export", "--no-cache"]).output().unwrap();
    snapshot("from_the_policy", &repo, &output);
    assert!(repo.emu.writes().is_empty());
}

#[test]
fn export_of_another_policy_file_reads_its_repository() {
    let repo = TestRepo::new("flow-in-sync");
    std::fs::create_dir(repo.dir.path().join("policies")).unwrap();
    std::fs::write(
        repo.dir.path().join("policies/katz.yaml"),
        Policy::flow().yaml(),
    )
    .unwrap();
    let output = repo
        .cmd()
        .args([
            "export",
            "--no-cache",
            "-p",
            "policies/katz.yaml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let exported: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(exported["repository"], "acme/katz-backend");
}

#[test]
fn output_writes_the_file_only_on_success() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    let output = repo
        .cmd()
        .args(["export", "--no-cache", "-o", "exported.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        (
            output.status.code(),
            output.stdout.as_slice(),
            output.stderr.as_slice()
        ),
        (Some(0), &b""[..], &b""[..])
    );
    assert_eq!(listing(repo.dir.path()), ["exported.yaml", "policy.yaml"]);
    // What it wrote is a policy of the repository as it is: planning it finds no drift.
    let exported = std::fs::read_to_string(repo.dir.path().join("exported.yaml")).unwrap();
    repo.policy(&exported);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan:#}");
}

#[test]
fn a_failed_export_leaves_the_output_file_as_it_was() {
    // The README's old `gh-policy export > policy.yaml` emptied policy.yaml before the
    // command even ran; with `-o policy.yaml` a failure changes nothing.
    let repo = TestRepo::new("flow-in-sync");
    let policy = Policy::flow().yaml();
    repo.policy(&policy);
    let output = repo
        .cmd()
        .env("GITHUB_TOKEN", "ghp_wrong")
        .args(["export", "--no-cache", "-o", "policy.yaml"])
        .output()
        .unwrap();
    snapshot("failed_export", &repo, &output);
    assert_eq!(
        std::fs::read_to_string(repo.dir.path().join("policy.yaml")).unwrap(),
        policy
    );
    // No temporary file is left beside it either.
    assert_eq!(listing(repo.dir.path()), ["policy.yaml"]);
}

#[test]
fn export_over_the_policy_it_read_replaces_it() {
    // The repository drifted; exporting over the policy (the "start from what GitHub has"
    // flow) replaces it whole, and the new file plans in sync.
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    repo.cmd()
        .args(["export", "--no-cache", "-o", "policy.yaml"])
        .assert()
        .code(0);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan:#}");
    assert_eq!(listing(repo.dir.path()), ["policy.yaml"]);
}

/// See: issue 20, item 7 (`export` names a pinned check's app by slug where GitHub says
/// which, so that `plan --state` of the export compares like live).
#[test]
fn export_names_a_pinned_checks_app_from_the_check_runs_and_plans_in_sync_from_the_file() {
    let mut seed =
        gh_policy_emulator::Emulator::load_seed(crate::common::fixture("live/flow-in-sync.json"))
            .unwrap();
    seed.repo.check_runs = vec![gh_policy_emulator::CheckRunSeed {
        name: "Security Checks".to_owned(),
        app: "github-actions".to_owned(),
    }];
    let repo = TestRepo::with(gh_policy_emulator::Emulator::start(seed));
    // No policy to say which app: only the check runs can.
    let output = repo
        .cmd()
        .args([
            "export",
            "--no-cache",
            "--repo",
            "acme/katz-backend",
            "-o",
            "state.yaml",
        ])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let exported = std::fs::read_to_string(repo.dir.path().join("state.yaml")).unwrap();
    assert!(
        exported.contains("app: github-actions") && !exported.contains("app_id: 15368"),
        "{exported}"
    );
    assert!(
        repo.emu.requests().iter().any(|r| r
            .path
            .starts_with("/repos/acme/katz-backend/commits/main/check-runs")),
        "the check runs were not read"
    );
    repo.write(&Policy::flow());
    let output = repo
        .cmd()
        .args(["plan", "--state", "state.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
