//! A secondary limit that asks for an hour (issue 28, finding 2): the run stops, sends no
//! further request, and says what was done and when to try again; a 429 with
//! `Retry-After` is waited out like a 403 secondary limit.

use gh_policy_emulator::{Fault, FaultKind, LoggedRequest};

use super::{assert_code, org, printed, run};
use crate::common::{Policy, TestRepo};

fn an_hour() -> FaultKind {
    FaultKind::SecondaryRateLimit {
        retry_after: Some(3600),
    }
}

/// The requests logged after the one GitHub refused with a rate limit: those that were
/// already in flight.
fn after_the_refusal(requests: &[LoggedRequest]) -> usize {
    let refused = requests
        .iter()
        .position(|r| r.status == 403)
        .expect("a request was refused");
    requests.len() - refused - 1
}

#[test]
fn an_hour_long_secondary_limit_stops_an_organisation_plan_at_once() {
    let repo = org(12);
    // Answers that take a while, so that a request is in flight for far longer than the
    // client takes to see the refusal: what follows it was already sent.
    repo.emu.set_latency(std::time::Duration::from_millis(100));
    repo.emu.inject(
        Fault::new(an_hour())
            .method("GET")
            .repository("acme/svc-3")
            .path("/branches/main/protection"),
    );
    let output = run(
        &mut repo.std_cmd(),
        &["plan", "--no-cache", "--concurrency", "2"],
    );
    assert_code(&output, 1);
    let requests = repo.emu.requests();
    assert!(
        after_the_refusal(&requests) <= 1,
        "requests after the refusal (concurrency 2): {:#?}",
        &requests[requests.iter().position(|r| r.status == 403).unwrap()..]
    );
    let all = printed(&output);
    assert!(
        all.contains("stopped: the run stopped at GitHub's secondary rate limit"),
        "{all}"
    );
    assert!(all.contains("asked to wait 3600 s"), "{all}");
    assert!(all.contains("try again after"), "{all}");
    assert!(all.contains("repositories were planned before it"), "{all}");
}

#[test]
fn an_hour_long_secondary_limit_on_a_write_stops_apply_and_lists_what_was_not_attempted() {
    let repo = org(4);
    repo.emu
        .inject(Fault::new(an_hour()).method("PUT").repository("acme/svc-1"));
    let output = run(&mut repo.std_cmd(), &["apply", "--no-cache", "--yes"]);
    assert_code(&output, 1);
    let writes = repo.writes();
    let refused = writes.iter().position(|w| w.status == 403).unwrap();
    assert_eq!(
        writes.len(),
        refused + 1,
        "writes after the refusal: {writes:#?}"
    );
    assert!(writes[0].path.starts_with("/repos/acme/svc-0/"));
    let all = printed(&output);
    assert!(
        all.contains("Not attempted: acme/svc-2, acme/svc-3."),
        "{all}"
    );
    assert!(
        all.contains("apply stopped: the run stopped at GitHub's secondary rate limit"),
        "{all}"
    );
    assert!(all.contains("try again after"), "{all}");
}

#[test]
fn a_429_with_retry_after_is_waited_out() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    repo.emu.inject(
        Fault::new(FaultKind::TooManyRequests { retry_after: 1 })
            .method("GET")
            .path("/branches/main/protection"),
    );
    let output = run(&mut repo.std_cmd(), &["plan", "--no-cache"]);
    assert_code(&output, 0);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("waiting 1 s as GitHub asks"), "{err}");
}
