//! Exceptions against the emulator (issue 12): accepted drift does not fail the gate and
//! `apply` leaves it alone; past its expiry it counts again and says so.

use predicates::prelude::*;
use serde_json::json;

use crate::common::{TestRepo, assert_exit, changes, flow_policy, lowered_flow};

/// The flow policy, where `main` lost its second approval and this is accepted.
fn policy(allow: &str) -> String {
    format!(
        "{}\nexceptions:\n  - path: branches.main.pull_request.required_approvals\n    allow: {allow}\n    reason: \"INC-2291: one reviewer on call over the holidays\"\n    expires: 2026-12-28\n",
        flow_policy()
    )
}

#[test]
fn active_exception_accepts_the_drift_and_the_gate_passes() {
    let repo = lowered_flow();
    repo.policy(&policy("1"));
    let output = repo
        .cmd()
        .env("GH_POLICY_NOW", "2026-12-01T12:00:00Z")
        .args(["plan", "--no-cache", "--format", "json"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["in_sync"], json!(true));
    assert_eq!(plan["summary"]["excepted"], json!(1));
    assert_eq!(plan["summary"]["update"], json!(0));
    let diff = &plan["changes"][0]["diffs"][0];
    assert_eq!(diff["path"], "pull_request.required_approvals");
    assert_eq!(
        diff["excepted"],
        json!({ "reason": "INC-2291: one reviewer on call over the holidays", "expires": "2026-12-28" })
    );
}

#[test]
fn an_exception_that_allows_another_value_does_not_apply() {
    let repo = lowered_flow();
    repo.policy(&policy("0"));
    repo.cmd()
        .env("GH_POLICY_NOW", "2026-12-01T12:00:00Z")
        .args(["plan", "--no-cache"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("matches no drift (stale)"));
}

#[test]
fn past_its_expiry_the_drift_counts_again_and_says_so() {
    let repo = lowered_flow();
    repo.policy(&policy("1"));
    let output = repo
        .cmd()
        .env("GH_POLICY_NOW", "2026-12-29T00:00:00Z")
        .args(["plan", "--no-cache", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diff = &plan["changes"][0]["diffs"][0];
    assert!(diff.get("excepted").is_none());
    assert_eq!(diff["exception_expired"]["expires"], json!("2026-12-28"));
}

#[test]
fn expiring_soon_is_a_warning() {
    let repo = lowered_flow();
    repo.policy(&policy("any"));
    repo.cmd()
        .env("GH_POLICY_NOW", "2026-12-24T00:00:00Z")
        .args(["plan", "--no-cache"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "expires on 2026-12-28 (in 5 days)",
        ));
}

#[test]
fn apply_leaves_an_excepted_setting_as_it_is_live_and_writes_the_rest() {
    let repo = lowered_flow();
    // Also lose a check, which is not excepted: apply restores it, and only it.
    let mut seed = repo.emu.state();
    seed.branches
        .get_mut("main")
        .unwrap()
        .protection
        .as_mut()
        .unwrap()["enforce_admins"] = json!(false);
    repo.emu.reset(&seed).unwrap();
    repo.policy(&policy("1"));
    repo.clear_log();
    repo.cmd()
        .env("GH_POLICY_NOW", "2026-12-01T12:00:00Z")
        .args(["apply", "--yes", "--no-cache"])
        .assert()
        .code(0);
    let state = repo.emu.state();
    let main = state.branches["main"].protection.clone().unwrap();
    assert_eq!(main["enforce_admins"], json!(true));
    assert_eq!(
        main["required_pull_request_reviews"]["required_approving_review_count"],
        json!(1),
        "the excepted setting stays as it is live"
    );
    let (_, plan) = repo.plan_json();
    assert_eq!(changes(&plan).len(), 1, "{plan:#}");
}

#[test]
fn validate_refuses_an_exception_without_expiry_or_too_far_away() {
    let repo = TestRepo::new("flow-in-sync");
    repo.policy(&format!(
        "{}\nexceptions:\n  - path: branches.main\n    reason: x\n    expires: 2027-12-01\n  - path: branches.nope\n    reason: x\n    expires: 2026-12-10\n",
        flow_policy()
    ));
    repo.cmd()
        .env("GH_POLICY_NOW", "2026-12-01T00:00:00Z")
        .args(["validate", "--no-workflows"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("at most 90 days"))
        .stderr(predicate::str::contains(
            "`branches.nope` names nothing in the policy",
        ));
}
