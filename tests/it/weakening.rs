//! Never weaken protection by accident (DESIGN §11), one repository against the emulator:
//! weakening changes marked in every format and refused by `apply --yes` unless
//! `--allow-weakening`; a requirement met live that the plan would break is an error of the
//! plan, located at the setting that lowers it, and `apply` writes nothing.

use serde_json::Value;

use crate::common::{Policy, TestRepo};

/// The flow, with main lowered to one approval and without the security scan.
fn lowered() -> Policy {
    Policy::flow().branch("main", |main| {
        let reviews = main.pull_request.as_mut().unwrap();
        reviews.required_approvals = 1;
        let checks = main.status_checks.as_mut().unwrap();
        checks.required.retain(|c| c.context != "Security Checks");
    })
}

fn main_change(plan: &Value) -> &Value {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "branches.main")
        .unwrap()
}

#[test]
fn a_weakening_plan_marks_each_lowered_setting_in_every_format() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&lowered());
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    assert_eq!(plan["weakens"], 1, "{plan:#}");
    let main = main_change(&plan);
    assert_eq!(main["weakens"], true);
    for diff in main["diffs"].as_array().unwrap() {
        assert_eq!(diff["weakens"], true, "{diff}");
    }
    let text = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("~ branches.main (branch protection)  ⚠ weakens"),
        "{text}"
    );
    assert!(
        text.contains("pull_request.required_approvals: 2 → 1  ⚠ weakens"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with(
            "1 change weakens protection; apply --yes refuses it without --allow-weakening"
        ),
        "{text}"
    );
    let markdown = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "markdown"])
        .output()
        .unwrap();
    let markdown = String::from_utf8_lossy(&markdown.stdout);
    assert!(
        markdown.contains("`pull_request.required_approvals` ⚠ weakens"),
        "{markdown}"
    );
    // Raising it back weakens nothing.
    repo.write(&Policy::flow().branch("main", |main| {
        main.pull_request.as_mut().unwrap().required_approvals = 3;
    }));
    let (_, plan) = repo.plan_json();
    assert_eq!(plan["weakens"], 0, "{plan:#}");
    assert_eq!(main_change(&plan).get("weakens"), None);
}

#[test]
fn apply_yes_refuses_weakening_changes_before_any_write_unless_allowed() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&lowered());
    let output = repo
        .cmd()
        .args(["apply", "--yes", "--no-cache"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("apply --yes refuses 1 change that weakens protection; nothing was written"),
        "{stderr}"
    );
    assert!(
        stderr.contains("~ branches.main: pull_request.required_approvals 2 → 1"),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-weakening"), "{stderr}");
    assert!(repo.writes().is_empty(), "{:?}", repo.writes());

    repo.cmd()
        .args(["apply", "--yes", "--allow-weakening", "--no-cache"])
        .assert()
        .code(0);
    assert!(!repo.writes().is_empty());
    assert_eq!(repo.plan_json().0, 0);
}

/// The flow with its requirements, main's classic protection the only source of its two
/// approvals, and the policy's branch asking one.
fn contradicting() -> String {
    crate::common::whole_flow_policy().replace(
        "    pull_request:\n      required_approvals: 2\n      dismiss_stale_reviews: true\n",
        "    pull_request:\n      required_approvals: 1\n      dismiss_stale_reviews: true\n",
    )
}

#[test]
fn a_policy_that_would_break_its_own_requirement_is_a_plan_error_at_its_line() {
    let repo = TestRepo::new("flow-in-sync");
    let policy = contradicting();
    assert_ne!(policy, crate::common::whole_flow_policy());
    repo.policy(&policy);
    let line = policy
        .lines()
        .position(|l| l.contains("required_approvals: 1"))
        .unwrap()
        + 1;
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "policy.yaml:{line}:27: `branches.main.pull_request.required_approvals` would take `required_approvals` on branch `main` from 2 to 1, below `requirements.main.required_approvals: 2`"
        )),
        "{stderr}"
    );
    // The JSON plan is still printed, the contradiction in it.
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = &plan["contradictions"][0];
    assert_eq!(found["address"], "requirements.main");
    assert_eq!(
        (found["live"].clone(), found["after"].clone()),
        (2.into(), 1.into())
    );
    assert_eq!(
        found["lowered_by"],
        serde_json::json!(["branches.main.pull_request.required_approvals"])
    );
    let requirement = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "requirements.main")
        .unwrap();
    assert_eq!(requirement["applicable"], false);
    assert!(requirement["diffs"][0]["sources"].is_array());

    // apply refuses before any write, even when weakening is allowed.
    let output = repo
        .cmd()
        .args(["apply", "--yes", "--allow-weakening", "--no-cache"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the policy contradicts its own requirements"),
        "{stderr}"
    );
    assert!(repo.writes().is_empty(), "{:?}", repo.writes());
}

#[test]
fn a_requirement_nothing_provides_has_empty_sources() {
    let repo = TestRepo::new("empty");
    repo.policy(
        "version: 1\nrepository: acme/katz-backend\nrequirements:\n  main: { required_approvals: 1 }\n",
    );
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    assert_eq!(
        plan["changes"][0]["diffs"][0]["sources"],
        serde_json::json!([])
    );
}

#[test]
fn validate_warns_where_the_policy_alone_shows_a_requirement_it_would_lower() {
    let repo = TestRepo::new("empty");
    let policy = contradicting();
    repo.policy(&policy);
    let line = policy
        .lines()
        .position(|l| l.contains("required_approvals: 1"))
        .unwrap()
        + 1;
    let output = repo
        .cmd()
        .args(["validate", "--no-workflows"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "warning: policy.yaml:{line}:27: `branches.main.pull_request.required_approvals` gives 1, below `requirements.main.required_approvals: 2`"
        )),
        "{stderr}"
    );
    // The policy as it is says nothing.
    repo.policy(&crate::common::whole_flow_policy());
    let output = repo
        .cmd()
        .args(["validate", "--no-workflows"])
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
