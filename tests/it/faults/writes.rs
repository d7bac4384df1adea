//! Writes that fail: apply stops at the first failure, never sends a write twice unless
//! GitHub refused it unprocessed, and its report accounts for every write.

use std::time::Duration;

use gh_policy_emulator::{Emulator, Fault, FaultKind, LoggedRequest};

use super::*;
use crate::common::{changes, expect, fixture};

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
