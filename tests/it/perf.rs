//! How many requests `plan` makes, and what the conditional-request cache saves. These count
//! requests in the emulator's log; timing belongs to `examples/bench/`, not to tests.

use std::path::Path;

use gh_policy_emulator::{Emulator, LoggedRequest};
use serde_json::Value;

use crate::common::{Policy, TestRepo, fixture};

/// Runs `plan --format json` with the conditional-request cache in `cache` (no `--no-cache`)
/// and any extra arguments; returns the exit code and the plan.
fn plan_cached(repo: &TestRepo, cache: &Path, token: &str, extra: &[&str]) -> (i32, Value) {
    let output = repo
        .cmd()
        .env("GH_POLICY_CACHE_DIR", cache)
        .env("GITHUB_TOKEN", token)
        .args(["plan", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    let plan = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    assert!(
        code != 1 || token != repo.emu.token(),
        "plan failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (code, plan)
}

fn paths(requests: &[LoggedRequest]) -> Vec<String> {
    requests
        .iter()
        .map(|r| format!("{} {} → {}", r.method, r.path, r.status))
        .collect()
}

/// The reads of the findings (DESIGN §13), counted apart: one per repository for who may
/// write, at most 4 per branch.
fn is_findings_read(request: &LoggedRequest) -> bool {
    let path = request.path.split('?').next().unwrap_or_default();
    [
        "/collaborators",
        "/codeowners/errors",
        "/pulls",
        "/check-runs",
        "/status",
    ]
    .iter()
    .any(|end| path.ends_with(end))
}

#[test]
fn the_flow_plan_makes_at_most_twelve_requests() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan}");
    let (findings, requests): (Vec<LoggedRequest>, Vec<LoggedRequest>) =
        repo.emu.requests().into_iter().partition(is_findings_read);
    // Three protected branches with required checks and approvals on main: who may write,
    // and each branch's closed pull requests (nothing merged yet, so no check reads).
    assert!(findings.len() <= 1 + 4 * 3, "{:#?}", paths(&findings));
    assert!(
        requests.len() <= 12,
        "{} requests: {:#?}",
        requests.len(),
        paths(&requests)
    );
    assert!(requests.iter().all(|r| r.method == "GET"));
    // Signed commits come with the protection GET; no second read per branch.
    assert!(
        !requests
            .iter()
            .any(|r| r.path.ends_with("/required_signatures")),
        "{:#?}",
        paths(&requests)
    );
    // Reviewers seen in the live environments need no user or team lookup.
    assert!(
        !requests
            .iter()
            .any(|r| r.path.starts_with("/users/") || r.path.starts_with("/orgs/")),
        "{:#?}",
        paths(&requests)
    );
}

#[test]
fn patterns_are_read_only_where_custom_policies_are_on() {
    let mut seed = Emulator::load_seed(fixture("live/flow-in-sync.json")).unwrap();
    let staging = seed.environments.get_mut("staging").unwrap();
    staging.deployment_branch_policy = None;
    staging.branch_policies.clear();
    let repo = TestRepo::with(Emulator::start(seed));
    repo.write(&Policy::flow());
    let (code, _) = repo.plan_json();
    assert_eq!(code, 2);
    let patterns: Vec<String> = repo
        .emu
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/deployment-branch-policies"))
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        patterns,
        ["/repos/acme/katz-backend/environments/production/deployment-branch-policies"]
    );
}

#[test]
fn a_second_plan_with_the_cache_costs_no_rate_limit() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    let cache = repo.dir.path().join("etags");
    let token = repo.emu.token().to_owned();
    let (code, first) = plan_cached(&repo, &cache, &token, &[]);
    assert_eq!(code, 0);
    let first_requests = repo.emu.requests().len();
    assert!(
        repo.emu
            .requests()
            .iter()
            .all(|r| r.if_none_match.is_none())
    );

    repo.clear_log();
    let used = repo.emu.rate_limit_used();
    let (code, second) = plan_cached(&repo, &cache, &token, &[]);
    assert_eq!(code, 0);
    assert_eq!(second, first);
    let requests = repo.emu.requests();
    assert_eq!(requests.len(), first_requests);
    for request in &requests {
        assert!(request.if_none_match.is_some(), "{}", request.path);
        assert_eq!(request.status, 304, "{}", request.path);
    }
    assert_eq!(repo.emu.rate_limit_used(), used);
}

#[test]
fn cached_pages_keep_their_next_links() {
    // One item a page: every list is paginated, and a 304 carries no `Link` header.
    let seed = Emulator::load_seed(fixture("live/flow-drifted.json")).unwrap();
    let repo = TestRepo::with(Emulator::builder(seed).max_per_page(1).start());
    repo.write(&Policy::flow());
    let cache = repo.dir.path().join("etags");
    let token = repo.emu.token().to_owned();
    let (code, first) = plan_cached(&repo, &cache, &token, &[]);
    assert_eq!(code, 2);
    assert!(
        repo.emu
            .requests()
            .iter()
            .any(|r| r.query.as_deref().is_some_and(|q| q.contains("page=2")))
    );
    let (_, uncached) = repo.plan_json();
    assert_eq!(first, uncached);

    repo.clear_log();
    let used = repo.emu.rate_limit_used();
    let (code, second) = plan_cached(&repo, &cache, &token, &[]);
    assert_eq!(code, 2);
    assert_eq!(second, first);
    assert!(repo.emu.requests().iter().all(|r| r.status == 304));
    assert_eq!(repo.emu.rate_limit_used(), used);
}

#[test]
fn a_cache_written_with_one_token_is_not_used_with_another() {
    let seed = Emulator::load_seed(fixture("live/flow-in-sync.json")).unwrap();
    let repo = TestRepo::with(Emulator::builder(seed).token("token-one").start());
    repo.write(&Policy::flow());
    let cache = repo.dir.path().join("etags");
    let (code, _) = plan_cached(&repo, &cache, "token-one", &[]);
    assert_eq!(code, 0);

    // Another token, same cache directory and URLs: nothing cached is offered.
    repo.clear_log();
    let (code, _) = plan_cached(&repo, &cache, "token-two", &[]);
    assert_eq!(code, 1);
    let requests = repo.emu.requests();
    assert!(!requests.is_empty());
    for request in &requests {
        assert!(
            request.if_none_match.is_none(),
            "sent a cached ETag with another token: {}",
            request.path
        );
    }

    // The first token still finds its entries.
    repo.clear_log();
    let (code, _) = plan_cached(&repo, &cache, "token-one", &[]);
    assert_eq!(code, 0);
    assert!(repo.emu.requests().iter().all(|r| r.status == 304));
}

#[test]
fn concurrency_one_gives_the_same_plan() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let (code, default) = repo.plan_json();
    assert_eq!(code, 2);
    let default_requests = repo.emu.requests().len();

    repo.clear_log();
    let (code, serial) = repo.plan_json_with(&["--concurrency", "1"]);
    assert_eq!(code, 2);
    assert_eq!(serial, default);
    assert_eq!(repo.emu.requests().len(), default_requests);
}
