//! On a real terminal (a pseudo-terminal from `script`): colour, the spinner, and the
//! confirmation prompt of `apply`. These paths never run with piped output.
//!
//! `script` (util-linux) makes the pseudo-terminal. Without it these tests fail, saying so:
//! a test that cannot run must not pass. Install it, or leave these tests out on purpose
//! with `cargo test -- --skip terminal::`.

use std::time::Duration;

use assert_cmd::Command;

use crate::common::{Policy, TestRepo};

/// Runs `gh-policy ARGS` on a pseudo-terminal, feeding `input`, and returns the screen.
///
/// # Panics
///
/// When `script` (util-linux) is not installed.
fn on_terminal(repo: &TestRepo, args: &str, input: &str, term: &str) -> String {
    let script = std::process::Command::new("script")
        .arg("--version")
        .output();
    assert!(
        script.is_ok_and(|output| output.status.success()),
        "the terminal tests need `script` from util-linux (Debian and Ubuntu: bsdutils; \
         Fedora: util-linux-script); install it, or leave them out with \
         `cargo test -- --skip terminal::`"
    );
    let bin = assert_cmd::cargo::cargo_bin("gh-policy");
    let line = format!("{} {args}", bin.display());
    let output = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(repo.dir.path())
        .env("GITHUB_API_URL", repo.emu.url())
        .env("GITHUB_TOKEN", repo.emu.token())
        .env("GH_POLICY_WRITE_DELAY_MS", "0")
        .env("STAGING_SSH_KEY", "staging-key-material")
        .env_remove("NO_COLOR")
        // CI may run without TERM, or with TERM=dumb (which turns colour off).
        .env("TERM", term)
        .env_remove("GITHUB_ACTIONS")
        .write_stdin(input)
        // A hang (a lock held across threads, a prompt nobody answers) fails the test.
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn on_a_terminal_plan_is_coloured_and_finishes() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let screen = on_terminal(&repo, "plan --no-cache", "", "xterm");
    assert!(
        screen.contains("\u{1b}["),
        "no colour on a terminal:\n{screen}"
    );
    assert!(
        screen.contains("Plan: 2 to create, 3 to update, 0 to delete."),
        "{screen}"
    );
}

#[test]
fn on_a_terminal_apply_asks_and_goes_on_after_yes() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let screen = on_terminal(&repo, "apply --no-cache", "yes\n", "xterm");
    assert!(screen.contains("Type `yes` to go on"), "{screen}");
    assert!(
        screen.contains("acme/katz-backend matches the policy."),
        "{screen}"
    );
    assert!(!repo.writes().is_empty());
}

#[test]
fn on_a_terminal_apply_stops_on_anything_but_yes() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let screen = on_terminal(&repo, "apply --no-cache", "no\n", "xterm");
    assert!(
        screen.contains("apply cancelled; nothing was written"),
        "{screen}"
    );
    assert!(repo.writes().is_empty());
}

#[test]
fn on_a_terminal_apply_asks_apart_for_what_weakens_protection() {
    let lowered = Policy::flow().branch("main", |main| {
        main.pull_request.as_mut().unwrap().required_approvals = 1;
    });
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&lowered);
    let screen = on_terminal(&repo, "apply --no-cache", "yes\nno\n", "xterm");
    assert!(screen.contains("Type `yes` to go on"), "{screen}");
    assert!(
        screen.contains("1 of these changes weakens protection:"),
        "{screen}"
    );
    assert!(
        screen.contains("~ branches.main: pull_request.required_approvals 2 → 1"),
        "{screen}"
    );
    assert!(screen.contains("Type `weaken` to go on"), "{screen}");
    assert!(
        screen.contains("apply cancelled; nothing was written"),
        "{screen}"
    );
    assert!(repo.writes().is_empty());

    let screen = on_terminal(&repo, "apply --no-cache", "yes\nweaken\n", "xterm");
    assert!(
        screen.contains("acme/katz-backend matches the policy."),
        "{screen}"
    );
    assert!(!repo.writes().is_empty());
}

#[test]
fn a_dumb_terminal_gets_no_colour() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let screen = on_terminal(&repo, "plan --no-cache", "", "dumb");
    assert!(
        !screen.contains("\u{1b}[1m"),
        "colour on a dumb terminal:\n{screen}"
    );
    assert!(screen.contains("Plan: 2 to create"), "{screen}");
}
