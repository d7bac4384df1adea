//! A migrated policy and weakening (DESIGN §11, §14): removing classic protection that
//! rulesets replace whole — those the plan writes first, or those already in force — lowers
//! nothing, so `apply --yes` needs no `--allow-weakening`; a migration step whose rulesets
//! provide less than the classic protection did weakens, says what they lack, and is refused
//! without it.

use gh_policy_emulator::{Fault, FaultKind};
use serde_json::Value;

use super::{explain, migrate, read, stderr, stdout};
use crate::common::{TestRepo, flow_policy};

/// Runs `apply --yes` (and the extra arguments) with short retry pauses.
fn apply(repo: &TestRepo, extra: &[&str]) -> std::process::Output {
    repo.cmd()
        .env("GH_POLICY_RETRY_BASE_MS", "10")
        .args(["apply", "--yes", "--no-cache"])
        .args(extra)
        .output()
        .unwrap()
}

/// The flow repository with its policy migrated, offline.
fn migrated() -> TestRepo {
    let repo = TestRepo::new("flow-in-sync");
    repo.policy(&flow_policy());
    let output = migrate(&repo, &["-o", "policy.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    repo
}

/// The plan's change at this address.
fn change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no {address}: {plan:#}"))
}

/// Asserts that no change of the plan, and none of its settings, weakens protection.
fn weakens_nothing(plan: &Value) {
    assert_eq!(plan["weakens"], 0, "{plan:#}");
    for change in plan["changes"].as_array().unwrap() {
        assert_ne!(change["weakens"], true, "{change:#}");
        for diff in change["diffs"].as_array().unwrap() {
            assert_ne!(diff["weakens"], true, "{change:#}");
        }
    }
}

#[test]
fn classic_protection_handed_over_whole_weakens_nothing() {
    let repo = migrated();
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    weakens_nothing(&plan);
    for branch in ["main", "stage", "dev"] {
        let note = change(&plan, &format!("branches.{branch}"))["note"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            note.ends_with(
                "the rulesets provide all this protection does, so removing it lowers nothing"
            ),
            "{note}"
        );
    }
    let text = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    assert!(!stdout(&text).contains("weaken"), "{}", stdout(&text));
    // No --allow-weakening: nothing is refused.
    let applied = apply(&repo, &[]);
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan:#}");
}

#[test]
fn classic_protection_removed_once_its_rulesets_are_in_force_weakens_nothing() {
    let repo = migrated();
    // The rulesets are created, then every removal stops before it is sent.
    repo.emu.inject(
        Fault::new(FaultKind::Status(502))
            .method("GET")
            .path("/rules/branches/")
            .always(),
    );
    assert_eq!(apply(&repo, &[]).status.code(), Some(1));
    repo.emu.clear_faults();
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    weakens_nothing(&plan);
    let note = change(&plan, "branches.main")["note"].as_str().unwrap();
    assert_eq!(
        note,
        "in force on the branch already: ruleset \"protect-main\"; the rulesets provide all this protection does, so removing it lowers nothing"
    );
    let applied = apply(&repo, &[]);
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));
}

#[test]
fn a_migration_step_that_lowers_protection_weakens_and_is_refused() {
    let repo = migrated();
    let before = explain(&repo, &["main"]);
    // Hand-edited after migrate: main's ruleset asks one approval where classic asked two.
    let text = read(&repo, "policy.yaml");
    let fewer = text.replacen(
        "        required_approvals: 2\n",
        "        required_approvals: 1\n",
        1,
    );
    assert_ne!(fewer, text);
    repo.policy(&fewer);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(plan["weakens"], 1, "{plan:#}");
    let main = change(&plan, "branches.main");
    assert_eq!(main["weakens"], true, "{main:#}");
    assert!(
        main["note"].as_str().unwrap().ends_with(
            "the rulesets do not provide required_approvals: 2, so removing this protection lowers it"
        ),
        "{main:#}"
    );
    assert_ne!(change(&plan, "branches.stage")["weakens"], true);
    let refused = apply(&repo, &[]);
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    assert!(
        stderr(&refused).contains("branches.main"),
        "{}",
        stderr(&refused)
    );
    assert!(repo.writes().is_empty(), "refused before any write");
    let allowed = apply(&repo, &["--allow-weakening"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    let after = explain(&repo, &["main"]);
    assert_eq!(before["main"]["required_approvals"].0, 2);
    assert_eq!(after["main"]["required_approvals"].0, 1);

    // Administrators could not bypass main's classic protection; a ruleset they may bypass
    // lowers that.
    let repo = migrated();
    let text = read(&repo, "policy.yaml");
    let bypassed = text.replacen(
        "  protect-main:\n    include:\n    - main\n",
        "  protect-main:\n    include:\n    - main\n    bypass:\n    - role: admin\n",
        1,
    );
    assert_ne!(bypassed, text);
    repo.policy(&bypassed);
    let (_, plan) = repo.plan_json();
    assert_eq!(plan["weakens"], 1, "{plan:#}");
    assert!(
        change(&plan, "branches.main")["note"]
            .as_str()
            .unwrap()
            .ends_with(
                "the rulesets do not provide no_bypass, so removing this protection lowers it"
            ),
        "{plan:#}"
    );
}
