//! Rate limits as GitHub's: `/rate_limit`, the primary limit, enforced secondary limits, and
//! the statistics a benchmark reads.

use std::time::Duration;

use gh_policy_emulator::{Emulator, Role, SecondaryLimits};
use serde_json::json;

use crate::common::{assert_clean, call, call_as, get, org_seed};

fn limits(points: u64, in_flight: usize, window: Duration) -> SecondaryLimits {
    SecondaryLimits {
        max_in_flight: in_flight,
        points_per_minute: points,
        window,
    }
}

#[test]
fn rate_limit_is_free_and_conforms() {
    let emu = Emulator::start(org_seed());
    get(&emu, "/repos/acme/api");
    get(&emu, "/repos/acme/web");
    let r = get(&emu, "/rate_limit");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["resources"]["core"]["used"], 2);
    assert_eq!(v["resources"]["core"]["remaining"], 4998);
    assert_eq!(v["rate"], v["resources"]["core"]);
    assert_eq!(v["resources"]["search"]["limit"], 30);
    get(&emu, "/rate_limit");
    assert_eq!(emu.rate_limit_used(), 2);
    assert_eq!(
        get(&emu, "/repos/acme/api").header("x-ratelimit-used"),
        Some("3")
    );
    assert_clean(&emu);
}

#[test]
fn the_primary_limit_refuses_once_spent() {
    let emu = Emulator::builder(org_seed()).primary_rate_limit(3).start();
    for _ in 0..3 {
        assert_eq!(get(&emu, "/repos/acme/api").status, 200);
    }
    let r = get(&emu, "/repos/acme/api");
    assert_eq!(r.status, 403);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("API rate limit exceeded")
    );
    assert_eq!(
        get(&emu, "/rate_limit").json()["resources"]["core"]["remaining"],
        0
    );
    assert_clean(&emu);
}

#[test]
fn points_per_minute_per_endpoint_and_token() {
    let emu = Emulator::builder(org_seed())
        .token_with_role("other", Role::Admin)
        .secondary_limits(limits(10, 100, Duration::from_secs(60)))
        .start();
    for _ in 0..10 {
        assert_eq!(get(&emu, "/repos/acme/api").status, 200);
    }
    let r = get(&emu, "/repos/acme/api");
    assert_eq!(r.status, 403);
    let v = r.json();
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("secondary rate limit"),
        "{v}"
    );
    assert!(
        v["documentation_url"]
            .as_str()
            .unwrap()
            .ends_with("#about-secondary-rate-limits")
    );
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Same template, another repository: the same endpoint.
    assert_eq!(get(&emu, "/repos/acme/web").status, 403);
    // Another endpoint, another token: their own budgets.
    assert_eq!(get(&emu, "/repos/acme/api/branches").status, 200);
    assert_eq!(
        call_as(&emu, "other", "GET", "/repos/acme/api", None).status,
        200
    );
    // Writes cost 5 points.
    let path = "/repos/acme/api/environments/qa";
    assert_eq!(call(&emu, "PUT", path, None).status, 200);
    assert_eq!(call(&emu, "PUT", path, None).status, 200);
    assert_eq!(call(&emu, "PUT", path, None).status, 403);
    let stats = emu.stats();
    assert_eq!(stats.secondary_refusals, 3);
    assert_eq!(stats.requests["GET /repos/{owner}/{repo}"], 13);
    assert_eq!(
        stats.requests["PUT /repos/{owner}/{repo}/environments/{environment_name}"],
        3
    );
    assert_eq!(
        stats.busiest_endpoint,
        Some(("GET /repos/{owner}/{repo}".to_owned(), 11))
    );
    emu.clear_log();
    assert_eq!(emu.stats().secondary_refusals, 0);
    assert_clean(&emu);
}

#[test]
fn the_window_frees_points_as_it_moves() {
    let emu = Emulator::builder(org_seed())
        .secondary_limits(limits(2, 100, Duration::from_millis(1500)))
        .start();
    assert_eq!(get(&emu, "/repos/acme/api").status, 200);
    assert_eq!(get(&emu, "/repos/acme/api").status, 200);
    assert_eq!(get(&emu, "/repos/acme/api").status, 403);
    std::thread::sleep(Duration::from_millis(1700));
    assert_eq!(get(&emu, "/repos/acme/api").status, 200);
    assert_clean(&emu);
}

#[test]
fn requests_in_flight_are_bounded_per_token() {
    let emu = Emulator::builder(org_seed())
        .secondary_limits(limits(900, 2, Duration::from_secs(60)))
        .start();
    emu.set_latency(Duration::from_millis(800));
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..5)
            .map(|_| s.spawn(|| get(&emu, "/repos/acme/api").status))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let refused = statuses.iter().filter(|s| **s == 403).count();
    assert_eq!(refused, 3, "{statuses:?}");
    let stats = emu.stats();
    assert_eq!(stats.max_in_flight, 5);
    assert_eq!(stats.max_in_flight_per_token, 5);
    assert_eq!(stats.secondary_refusals, 3);
    let refusal = emu
        .requests()
        .into_iter()
        .find(|r| r.status == 403)
        .unwrap();
    assert_eq!(refusal.path, "/repos/acme/api");
    assert_eq!(json!(refusal.authorized), json!(true));
    assert_clean(&emu);
}
