//! Fault injection end to end: `plan` and `apply` against an emulator that fails the way
//! GitHub does. How the client retries, waits and times out is its own unit tests' subject
//! (`github/client`, under a paused clock); here each test checks what the binary makes of
//! a fault: the correct plan, or exit 1 with a message naming the cause, and an apply report
//! that accounts for every write. Retry pauses are shortened with `GH_POLICY_RETRY_BASE_MS`.

use std::process::Output;
use std::time::Duration;

use gh_policy_emulator::{Emulator, Fault, FaultKind, LoggedRequest};

use crate::common::{Policy, TestRepo, changes, expect, fixture};

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

// ---- reads ----------------------------------------------------------------------------

#[test]
fn a_burst_of_502s_is_retried_and_the_plan_is_right() {
    let repo = in_sync();
    repo.emu.inject(
        Fault::new(FaultKind::Status(502))
            .method("GET")
            .path(MAIN_PROTECTION)
            .times(3),
    );
    let output = run(&repo, &["plan", "--no-cache"]);
    plan_in_sync(&output);
    assert_eq!(calls(&repo, "GET", MAIN_PROTECTION).len(), 4);
    let err = stderr(&output);
    assert_eq!(err.matches("retrying in").count(), 3, "{err}");
    assert!(err.contains("502: Bad Gateway"), "{err}");
    assert!(err.contains("(attempt 4 of 4)"), "{err}");
    assert!(repo.writes().is_empty());
}

#[test]
fn status_502s_beyond_the_retries_stop_with_the_call_and_the_status() {
    let repo = in_sync();
    repo.emu.inject(
        Fault::new(FaultKind::Status(502))
            .method("GET")
            .path(MAIN_PROTECTION)
            .times(10),
    );
    let output = run(&repo, &["plan", "--no-cache", "--retries", "2"]);
    assert_fails_with(
        &output,
        &[
            &format!("GitHub API call failed: GET {MAIN_PROTECTION}"),
            "502: Bad Gateway",
            "githubstatus.com",
        ],
    );
    assert_eq!(calls(&repo, "GET", MAIN_PROTECTION).len(), 3);
    assert!(stdout(&output).is_empty(), "no plan is printed on error");
}

#[test]
fn a_secondary_rate_limit_without_retry_after_backs_off_a_minute_or_stops() {
    // No Retry-After: a minute, which is past a ceiling of 30 s, so the plan stops at once.
    let repo = in_sync();
    repo.emu.inject(
        Fault::new(FaultKind::SecondaryRateLimit { retry_after: None })
            .method("GET")
            .path(MAIN_PROTECTION),
    );
    let output = run(
        &repo,
        &["plan", "--no-cache", "--max-rate-limit-wait", "30"],
    );
    assert_fails_with(
        &output,
        &[
            &format!("GET {MAIN_PROTECTION}"),
            "secondary rate limit is exhausted",
            "try again in 60 s",
        ],
    );
}

#[test]
fn truncated_json_every_time_is_a_malformed_response_naming_the_call() {
    let repo = in_sync();
    repo.emu.inject(
        Fault::new(FaultKind::TruncatedBody)
            .method("GET")
            .path(MAIN_PROTECTION)
            .times(10),
    );
    let output = run(&repo, &["plan", "--no-cache", "--retries", "1"]);
    assert_fails_with(
        &output,
        &[
            &format!("GET {MAIN_PROTECTION}"),
            "not complete JSON (after 2 attempts)",
        ],
    );
    assert!(repo.writes().is_empty());
}

#[test]
fn connections_closed_beyond_the_retries_stop_with_a_connection_error() {
    let repo = in_sync();
    repo.emu.inject(
        Fault::new(FaultKind::CloseConnection)
            .method("GET")
            .path(MAIN_PROTECTION)
            .times(10),
    );
    let output = run(&repo, &["plan", "--no-cache", "--retries", "1"]);
    assert_fails_with(
        &output,
        &[
            &format!("GitHub API call failed: GET {MAIN_PROTECTION}"),
            "(after 2 attempts)",
            "the connection failed",
        ],
    );
}

#[test]
fn the_overall_timeout_bounds_the_whole_command() {
    let repo = in_sync();
    // Every request takes longer than the whole command may: reads run concurrently, so
    // only a latency above the overall timeout is sure to exceed it.
    repo.emu.set_latency(Duration::from_millis(1500));
    let output = run(&repo, &["plan", "--no-cache", "--timeout", "1"]);
    assert_fails_with(
        &output,
        &["the overall --timeout of 1 s ran out", "raise --timeout"],
    );
}

// ---- writes ---------------------------------------------------------------------------

/// Parses the apply report: `(address, word)` for each line under `Apply:`.
fn report(output: &Output) -> Vec<(String, String)> {
    let out = stdout(output);
    let Some((_, tail)) = out.split_once("\nApply:\n") else {
        panic!("no apply report in:\n{out}");
    };
    tail.lines()
        .take_while(|line| !line.is_empty())
        .filter_map(|line| {
            let (_mark, rest) = line.trim_start().split_once(' ')?;
            let word = ["applied", "FAILED", "not attempted", "cannot apply"]
                .into_iter()
                .find(|w| rest.starts_with(w))?;
            let address = rest.rsplit(' ').next()?;
            Some((address.to_owned(), word.to_owned()))
        })
        .collect()
}

/// The object a write touches, as a plan address: which change of `DRIFT` it belongs to.
fn address_of(write: &LoggedRequest) -> &'static str {
    let path = write.path.as_str();
    if path.contains("/branches/dev/") {
        DRIFT[0]
    } else if path.contains("/branches/main/") {
        DRIFT[1]
    } else if path.contains("/deployment-branch-policies") {
        DRIFT[3]
    } else if path.contains("/environments/staging/secrets/") {
        DRIFT[4]
    } else if path.ends_with("/environments/production") {
        DRIFT[2]
    } else {
        panic!("unexpected write {} {}", write.method, path)
    }
}

/// Asserts that every write GitHub accepted belongs to a change the report calls applied,
/// that every applied change has an accepted write, and that the only other write is the
/// failed change's single, unretried attempt.
fn assert_writes_match_report(repo: &TestRepo, report: &[(String, String)]) {
    let word = |address: &str| {
        report
            .iter()
            .find(|(a, _)| a == address)
            .map_or("missing", |(_, w)| w.as_str())
    };
    let writes = repo.writes();
    let mut failed_attempts = 0;
    for write in &writes {
        let address = address_of(write);
        match word(address) {
            "applied" => assert!(
                (200..300).contains(&write.status),
                "{address} reported applied, but {} {} got {}",
                write.method,
                write.path,
                write.status
            ),
            "FAILED" => failed_attempts += 1,
            other => panic!(
                "{} {} was sent for {address}, which the report calls {other}",
                write.method, write.path
            ),
        }
    }
    for (address, w) in report {
        if w == "applied" {
            assert!(
                writes
                    .iter()
                    .any(|r| address_of(r) == address && (200..300).contains(&r.status)),
                "{address} reported applied without a successful write"
            );
        }
    }
    let failed = report.iter().filter(|(_, w)| w == "FAILED").count();
    assert!(failed <= 1, "apply goes on after a failure: {report:?}");
    assert!(
        failed_attempts <= failed,
        "a failed write was retried: {writes:#?}"
    );
}

fn words(report: &[(String, String)]) -> Vec<(&str, &str)> {
    report
        .iter()
        .map(|(a, w)| (a.as_str(), w.as_str()))
        .collect()
}

/// Runs `apply --yes` on the drifted flow with one fault on the `main` protection PUT.
fn apply_with_write_fault(kind: FaultKind, extra: &[&str]) -> (TestRepo, Output) {
    let repo = drifted();
    repo.emu
        .inject(Fault::new(kind).method("PUT").path(MAIN_PROTECTION));
    let mut args = vec!["apply", "--yes", "--no-cache"];
    args.extend_from_slice(extra);
    let output = run(&repo, &args);
    (repo, output)
}

fn assert_stopped_at_main(repo: &TestRepo, output: &Output) -> Vec<(String, String)> {
    assert_code(output, 1);
    let report = report(output);
    assert_eq!(
        words(&report),
        vec![
            (DRIFT[0], "applied"),
            (DRIFT[1], "FAILED"),
            (DRIFT[2], "not attempted"),
            (DRIFT[3], "not attempted"),
            (DRIFT[4], "not attempted"),
        ]
    );
    assert_writes_match_report(repo, &report);
    assert_eq!(calls(repo, "PUT", MAIN_PROTECTION).len(), 1, "retried");
    assert!(
        stderr(output).contains("apply stopped after a failed write: 1 of 5 changes applied"),
        "{}",
        stderr(output)
    );
    // What is left is exactly what the report did not apply.
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(
        changes(&plan),
        expect(&[
            (DRIFT[1], "update", true),
            (DRIFT[2], "update", true),
            (DRIFT[3], "create", true),
            (DRIFT[4], "create", true),
        ])
    );
    report
}

#[test]
fn a_502_on_a_write_is_not_retried_and_the_report_accounts_for_every_write() {
    let (repo, output) = apply_with_write_fault(FaultKind::Status(502), &[]);
    assert_stopped_at_main(&repo, &output);
    let out = stdout(&output);
    assert!(out.contains("502: Bad Gateway"), "{out}");
    assert!(out.contains("the write was not retried"), "{out}");
    // A rerun plans afresh and converges.
    let again = run(&repo, &["apply", "--yes", "--no-cache"]);
    assert_code(&again, 0);
    assert!(stdout(&again).contains("acme/katz-backend matches the policy."));
}

#[test]
fn a_connection_dropped_on_a_write_is_not_retried_and_says_it_may_have_landed() {
    let (repo, output) = apply_with_write_fault(FaultKind::CloseConnection, &[]);
    assert_stopped_at_main(&repo, &output);
    let out = stdout(&output);
    assert!(out.contains(&format!("PUT {MAIN_PROTECTION}")), "{out}");
    assert!(out.contains("may or may not have reached GitHub"), "{out}");
}

#[test]
fn a_write_past_the_request_timeout_is_not_retried() {
    let (repo, output) = apply_with_write_fault(
        FaultKind::Delay(Duration::from_secs(3)),
        &["--request-timeout", "1", "-v"],
    );
    // Whether GitHub acted on a write that timed out is unknown: exactly the case the hint
    // warns about. The report must say FAILED, and the PUT must not be sent again (counted
    // from the -v log, since the emulator drops a request whose client hung up).
    assert_code(&output, 1);
    let report = report(&output);
    assert_eq!(words(&report)[1], (DRIFT[1], "FAILED"));
    let sent = format!("PUT {MAIN_PROTECTION} → ");
    assert_eq!(
        stderr(&output).matches(&sent).count(),
        1,
        "{}",
        stderr(&output)
    );
    let out = stdout(&output);
    assert!(out.contains("no complete answer within 1 s"), "{out}");
    assert!(out.contains("may or may not have reached GitHub"), "{out}");
    for write in repo.writes() {
        assert!(
            matches!(address_of(&write), "branches.dev" | "branches.main"),
            "written after the failure: {} {}",
            write.method,
            write.path
        );
    }
}

#[test]
fn a_far_primary_rate_limit_on_a_write_stops_the_apply() {
    let (repo, output) = apply_with_write_fault(
        FaultKind::PrimaryRateLimit {
            reset_in: Duration::from_secs(3600),
        },
        &[],
    );
    assert_stopped_at_main(&repo, &output);
    assert!(stdout(&output).contains("primary rate limit is exhausted (resets at "));
}

#[test]
fn a_403_on_a_write_names_the_permission() {
    let (repo, output) = apply_with_write_fault(
        FaultKind::Forbidden {
            accepted_permissions: "administration=write".into(),
        },
        &[],
    );
    assert_stopped_at_main(&repo, &output);
    let out = stdout(&output);
    assert!(
        out.contains("Resource not accessible by personal access token"),
        "{out}"
    );
    assert!(out.contains("Administration: write"), "{out}");
}

#[test]
fn a_403_on_a_read_names_the_permission() {
    let repo = in_sync();
    repo.emu.inject(
        Fault::new(FaultKind::Forbidden {
            accepted_permissions: "administration=read".into(),
        })
        .method("GET")
        .path(MAIN_PROTECTION),
    );
    let output = run(&repo, &["plan", "--no-cache"]);
    assert_fails_with(
        &output,
        &[
            &format!("GET {MAIN_PROTECTION}"),
            "403: Resource not accessible by personal access token",
            "Administration: read",
        ],
    );
}

#[test]
fn a_422_from_github_is_shown_as_github_wrote_it() {
    // Push restrictions on a repository owned by a user: GitHub refuses the PUT with a
    // validation error, which apply must show word for word.
    let mut seed = Emulator::load_seed(fixture("live/flow-in-sync.json")).unwrap();
    seed.repo.owner_type = "User".into();
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy(
        "version: 1\nrepository: acme/katz-backend\nbranches:\n  dev:\n    \
         pull_request:\n      required_approvals: 1\n    status_checks:\n      \
         required: [dev - lint and test]\n    push_restrictions:\n      users: [octocat]\n",
    );
    let output = run(&repo, &["apply", "--yes", "--no-cache"]);
    assert_code(&output, 1);
    let out = stdout(&output);
    assert!(
        out.contains("PUT /repos/acme/katz-backend/branches/dev/protection"),
        "{out}\n{}",
        stderr(&output)
    );
    assert!(
        out.contains(
            "422: Validation Failed (Only organization repositories can have users and team restrictions)"
        ),
        "{out}"
    );
    let report = report(&output);
    assert_eq!(words(&report), vec![("branches.dev", "FAILED")]);
    assert_writes_match_report(&repo, &report);
}

// ---- configuration and identity errors ------------------------------------------------

#[test]
fn plain_http_to_a_remote_host_is_refused_before_any_request() {
    let repo = in_sync();
    let output = run(&repo, &["plan", "--api-url", "http://example.com"]);
    assert_fails_with(
        &output,
        &[
            "refusing plain http to `example.com`",
            "clear text",
            "loopback",
        ],
    );
    assert!(repo.emu.requests().is_empty());
}

#[test]
fn a_dns_failure_names_the_call_and_the_host() {
    let repo = in_sync();
    let output = run(
        &repo,
        &[
            "plan",
            "--no-cache",
            "--api-url",
            "https://nonexistent.invalid",
        ],
    );
    assert_fails_with(
        &output,
        &[
            "GitHub API call failed: GET /repos/acme/katz-backend",
            "check the host name in --api-url",
        ],
    );
    // Not retried: a name that does not resolve will not resolve in a second.
    assert!(!stderr(&output).contains("retrying"), "{}", stderr(&output));
}

#[test]
fn a_missing_repository_is_a_404_with_a_hint() {
    let repo = in_sync();
    let output = run(&repo, &["plan", "--no-cache", "--repo", "acme/nope"]);
    assert_fails_with(
        &output,
        &[
            "GET /repos/acme/nope",
            "404: Not Found",
            "repository `acme/nope` was not found, or the token cannot see it",
        ],
    );
}

#[test]
fn a_bad_token_is_a_401_with_a_hint() {
    let repo = in_sync();
    let output = repo
        .cmd()
        .env("GITHUB_TOKEN", "ghp_wrongwrongwrong")
        .args(["plan", "--no-cache"])
        .output()
        .unwrap();
    assert_fails_with(
        &output,
        &["401: Bad credentials", "set a valid GITHUB_TOKEN"],
    );
    assert!(!stderr(&output).contains("ghp_wrongwrongwrong"));
}

#[test]
fn no_token_is_a_clear_error_before_any_request() {
    let repo = in_sync();
    let empty = tempfile::tempdir().unwrap();
    let output = repo
        .cmd()
        .env_remove("GITHUB_TOKEN")
        .env("PATH", empty.path()) // no `gh` to ask
        .args(["plan", "--no-cache"])
        .output()
        .unwrap();
    assert_fails_with(&output, &["no GitHub token found", "GITHUB_TOKEN"]);
    assert!(repo.emu.requests().is_empty());
}

// ---- secrets in output ----------------------------------------------------------------

#[test]
fn the_token_and_secret_values_never_appear_in_verbose_output() {
    const TOKEN: &str = "ghp_Zx9TokenThatMustNeverBePrinted1234";
    let seed = Emulator::load_seed(fixture("live/flow-drifted.json")).unwrap();
    let repo = TestRepo::with(Emulator::builder(seed).token(TOKEN).start());
    repo.write(&Policy::flow());
    // A fault on the way, so that error and retry paths are logged too.
    repo.emu.inject(
        Fault::new(FaultKind::Status(502))
            .method("GET")
            .path(MAIN_PROTECTION),
    );
    let mut all = String::new();
    for args in [
        &["plan", "-v", "--no-cache"][..],
        &["apply", "-v", "--yes", "--no-cache"],
        &["export", "-v", "--no-cache", "--repo", "acme/katz-backend"],
        &["plan", "--verbose"],
    ] {
        let output = run(&repo, args);
        assert!(
            matches!(output.status.code(), Some(0 | 2)),
            "{args:?}: {}",
            stderr(&output)
        );
        all.push_str(&stdout(&output));
        all.push_str(&stderr(&output));
    }
    assert!(all.contains(" → 200 ("), "no -v request log in:\n{all}");
    assert!(all.contains(" → 502 ("), "{all}");
    assert!(!all.contains(TOKEN), "the token was printed");
    assert!(
        !all.contains(&TOKEN[4..20]),
        "part of the token was printed"
    );
    assert!(!all.contains(SECRET_VALUE), "the secret value was printed");
    // The secret did reach GitHub, encrypted.
    assert_eq!(
        repo.emu.secret_plaintext("staging", "SSH_PRIVATE_KEY"),
        Some(SECRET_VALUE.as_bytes().to_vec())
    );
    // And the conditional-request cache on disk keeps no token either.
    for entry in walk(&repo.dir.path().join(".cache")) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(TOKEN),
            "{}",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let path = e.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}
