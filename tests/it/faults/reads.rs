//! Reads that fail: the plan is right after what the client retries, and a clear error
//! naming the call after what it cannot.

use std::time::Duration;

use gh_policy_emulator::{Fault, FaultKind};

use super::*;

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
