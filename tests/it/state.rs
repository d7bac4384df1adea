//! `plan --state FILE`: the live side from a file, offline, for the repository the command
//! names (`--repo`, the policy's `repository:`), never silently another one.

use crate::common::{Policy, TestRepo, root, snapshot_settings, transcript};

/// A working directory with the flow policy (or `policy`) and the README's drifted state
/// file, and an emulator that must receive no request.
fn offline(policy: &Policy) -> TestRepo {
    let repo = TestRepo::new("empty");
    repo.write(policy);
    std::fs::copy(
        root().join("examples/drifted-state.yaml"),
        repo.dir.path().join("state.yaml"),
    )
    .unwrap();
    repo
}

/// Runs `plan --state state.yaml ARGS` without a token or a reachable API, snapshots its
/// whole outcome, and checks that no request was made.
fn snapshot_plan(name: &str, repo: &TestRepo, args: &[&str]) {
    let output = repo
        .cmd()
        .env_remove("GITHUB_TOKEN")
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .args(["plan", "--state", "state.yaml"])
        .args(args)
        .output()
        .unwrap();
    snapshot_settings()
        .bind(|| insta::assert_snapshot!(name, transcript(&output, repo.dir.path())));
    assert!(repo.emu.requests().is_empty());
}

/// Rewrites the state file's `repository:` (or drops it with `None`).
fn state_repository(repo: &TestRepo, repository: Option<&str>) {
    let path = repo.dir.path().join("state.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut state: gh_policy::model::RepoSettings =
        gh_policy::policy::parse("state.yaml", &text).unwrap();
    state.repository = repository.map(str::to_owned);
    std::fs::write(&path, serde_saphyr::to_string(&state).unwrap()).unwrap();
}

#[test]
fn a_state_file_plans_offline_under_the_repository_s_name() {
    // The header names the repository (the policy's), not the state file's path.
    snapshot_plan("offline", &offline(&Policy::flow()), &[]);
}

#[test]
fn repo_names_the_repository_of_a_state_file_that_names_none() {
    let repo = offline(&Policy::flow().without_repository());
    state_repository(&repo, None);
    snapshot_plan("repo_flag", &repo, &["--repo", "acme/katz-api"]);
}

#[test]
fn a_state_file_of_another_repository_is_refused() {
    let repo = offline(&Policy::flow());
    state_repository(&repo, Some("other/repo"));
    snapshot_plan("other_repository", &repo, &[]);
}

#[test]
fn repo_that_disagrees_with_the_state_file_is_refused() {
    let repo = offline(&Policy::flow());
    snapshot_plan("repo_flag_disagrees", &repo, &["--repo", "acme/other"]);
}

#[test]
fn the_case_of_the_repository_does_not_matter() {
    let repo = offline(&Policy::flow());
    state_repository(&repo, Some("Acme/Katz-Backend"));
    let output = repo
        .cmd()
        .env_remove("GITHUB_TOKEN")
        .args(["plan", "--state", "state.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["repository"], "acme/katz-backend");
}
