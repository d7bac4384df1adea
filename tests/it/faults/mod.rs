//! Fault injection end to end: `plan` and `apply` against an emulator that fails the way
//! GitHub does. How the client retries, waits and times out is its own unit tests' subject
//! (`github/client`, under a paused clock); here each test checks what the binary makes of
//! a fault: the correct plan, or exit 1 with a message naming the cause, and an apply report
//! that accounts for every write. Retry pauses are shortened with `GH_POLICY_RETRY_BASE_MS`.

mod config;
mod reads;
mod writes;

use std::process::Output;

use gh_policy_emulator::LoggedRequest;

use crate::common::{Policy, TestRepo};

/// The call every plan makes early, and the fault target of the read tests.
const MAIN_PROTECTION: &str = "/repos/acme/katz-backend/branches/main/protection";

/// The drift of `flow-drifted` against the flow policy, in plan order.
const DRIFT: [&str; 5] = [
    "branches.dev",
    "branches.main",
    "environments.production",
    "environments.production.deployment_branches.main",
    "environments.staging.secrets.SSH_PRIVATE_KEY",
];

/// A secret value that must never be printed.
const SECRET_VALUE: &str = "ssh-key-value-0f9e8d7c6b5a";

fn in_sync() -> TestRepo {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    repo
}

fn drifted() -> TestRepo {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    repo
}

/// Runs a command with tiny retry pauses and returns its output.
fn run(repo: &TestRepo, args: &[&str]) -> Output {
    repo.cmd()
        .env("GH_POLICY_RETRY_BASE_MS", "10")
        .env("STAGING_SSH_KEY", SECRET_VALUE)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it is wrong.
fn assert_code(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// Asserts a clean exit 1 whose stderr contains every fragment, and no panic or backtrace.
fn assert_fails_with(output: &Output, fragments: &[&str]) {
    assert_code(output, 1);
    let err = stderr(output);
    for fragment in fragments {
        assert!(err.contains(fragment), "`{fragment}` missing from:\n{err}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("stack backtrace"),
        "{err}"
    );
}

/// Requests of one method whose path ends with `suffix`.
fn calls(repo: &TestRepo, method: &str, suffix: &str) -> Vec<LoggedRequest> {
    repo.emu
        .requests()
        .into_iter()
        .filter(|r| r.method == method && r.path.ends_with(suffix))
        .collect()
}

fn plan_in_sync(output: &Output) {
    assert_code(output, 0);
    assert!(
        stdout(output).contains("No drift: acme/katz-backend matches the policy."),
        "{}",
        stdout(output)
    );
}
