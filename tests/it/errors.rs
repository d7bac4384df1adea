//! Errors a new user meets first, end to end: each one's whole stderr, so that a message
//! that points the wrong way (a hint about another flag, "GitHub API call failed" for a
//! refusal of ours, a host that is not named) shows in review.

use std::path::Path;

use crate::common::{TestRepo, flow_policy, snapshot_settings, transcript};

/// Runs `gh-policy ARGS` in the repository's directory and snapshots its whole outcome.
fn snapshot(name: &str, repo: &TestRepo, cmd: &mut assert_cmd::Command) {
    let output = cmd.output().unwrap();
    let mut settings = snapshot_settings();
    // What the system's resolver says after our message differs between machines, and
    // which of the concurrent first reads fails first differs between runs.
    settings.add_filter(
        r"(cannot resolve the host name \([^)]*\)): .*",
        "$1: [RESOLVER MESSAGE]",
    );
    settings.add_filter(
        r"call failed: GET /repos/acme/katz-backend/\S*",
        "call failed: GET /repos/acme/katz-backend/[…]",
    );
    settings.bind(|| insta::assert_snapshot!(name, transcript(&output, repo.dir.path())));
}

fn repo() -> TestRepo {
    let repo = TestRepo::new("flow-in-sync");
    repo.policy(&flow_policy());
    repo
}

#[test]
fn a_missing_state_file_is_named_and_the_hint_is_about_state_files() {
    let repo = repo();
    snapshot(
        "missing_state_file",
        &repo,
        repo.cmd().args(["plan", "--state", "live.yaml"]),
    );
    assert!(repo.emu.requests().is_empty());
}

#[test]
fn plain_http_to_a_remote_host_is_our_refusal_not_a_failed_call() {
    let repo = repo();
    snapshot(
        "plain_http",
        &repo,
        repo.cmd().args([
            "plan",
            "--no-cache",
            "--api-url",
            "http://ghe.example.com/api/v3",
        ]),
    );
    assert!(repo.emu.requests().is_empty());
}

#[test]
fn a_dns_failure_names_the_host_tried() {
    let repo = repo();
    snapshot(
        "dns_failure",
        &repo,
        repo.cmd().args([
            "plan",
            "--no-cache",
            "--retries",
            "0",
            "--api-url",
            "https://nonexistent.invalid",
        ]),
    );
}

#[test]
fn an_upper_case_scheme_is_accepted() {
    // `HTTPS://` is https (URL schemes are case-insensitive): the command gets as far as
    // looking the host up, where the earlier "unsupported scheme" stopped it.
    // Its whole transcript is the DNS failure's above.
    let repo = repo();
    let output = repo
        .cmd()
        .args([
            "plan",
            "--no-cache",
            "--retries",
            "0",
            "--api-url",
            "HTTPS://nonexistent.invalid/api/v3",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot resolve the host name (nonexistent.invalid)"),
        "{stderr}"
    );
    assert!(!stderr.contains("scheme"), "{stderr}");
}

#[test]
fn without_a_token_and_without_gh_the_message_says_gh_is_not_installed() {
    let repo = repo();
    let empty = tempfile::tempdir().unwrap();
    snapshot(
        "no_token_no_gh",
        &repo,
        repo.cmd()
            .env_remove("GITHUB_TOKEN")
            .env("PATH", empty.path())
            .args(["plan", "--no-cache"]),
    );
    assert!(repo.emu.requests().is_empty());
}

#[test]
fn export_into_a_missing_directory_names_the_file() {
    // export -o into a directory that does not exist reads GitHub, then says which file it
    // could not write, and creates nothing.
    let repo = repo();
    snapshot(
        "export_to_missing_directory",
        &repo,
        repo.cmd()
            .args(["export", "--no-cache", "-o", "missing/policy.yaml"]),
    );
    assert!(!Path::new(&repo.dir.path().join("missing")).exists());
}
