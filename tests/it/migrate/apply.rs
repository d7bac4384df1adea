//! A migrated policy applied to GitHub (the emulator): the rulesets are created and
//! confirmed before classic protection goes, a failure in between leaves the branch
//! protected, `explain` afterwards equals `explain` before, and what rulesets cannot
//! express stays classic.

use gh_policy_emulator::{Emulator, Fault, FaultKind, Seed};
use serde_json::{Value, json};

use super::{explain, migrate, read, stderr, stdout, values};
use crate::common::{TestRepo, changes, expect, fixture, flow_policy, whole_flow_policy};

const FLOW: [&str; 3] = ["main", "stage", "dev"];

/// Runs `apply --yes` with short retry pauses.
fn apply(repo: &TestRepo) -> std::process::Output {
    repo.cmd()
        .env("GH_POLICY_RETRY_BASE_MS", "10")
        .args(["apply", "--yes", "--no-cache"])
        .output()
        .unwrap()
}

/// The classic protection of a branch, as the emulator holds it (`null`: none).
fn classic(repo: &TestRepo, branch: &str) -> Value {
    serde_json::to_value(repo.emu.state()).unwrap()["branches"][branch]["protection"].clone()
}

#[test]
fn applying_the_migrated_policy_leaves_explain_as_it_was() {
    let repo = TestRepo::new("flow-in-sync");
    repo.policy(&whole_flow_policy());
    let before = explain(&repo, &FLOW);
    assert!(before["main"]["required_approvals"].1 == json!(["classic"]));
    let output = migrate(&repo, &["--live", "--no-cache", "-o", "policy.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with(
            "Classic protection to rulesets, proven against GitHub, acme/katz-backend:"
        ),
        "{}",
        stdout(&output)
    );
    assert!(repo.writes().is_empty(), "migrate never writes to GitHub");
    // The plan creates the rulesets first; each removal waits for its ruleset.
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(
        changes(&plan),
        expect(&[
            ("rulesets.protect-main", "create", true),
            ("rulesets.protect-stage-and-dev", "create", true),
            ("branches.dev", "delete", true),
            ("branches.main", "delete", true),
            ("branches.stage", "delete", true),
        ]),
        "{plan:#}"
    );
    assert!(
        plan["changes"][3]["note"]
            .as_str()
            .unwrap()
            .starts_with("handed over to ruleset `protect-main`: apply writes it first")
    );
    repo.clear_log();
    let applied = apply(&repo);
    assert_eq!(
        applied.status.code(),
        Some(0),
        "{}{}",
        stdout(&applied),
        stderr(&applied)
    );
    // Both rulesets were created before any removal, and each removal came after the
    // branch's rules were read back.
    let log: Vec<String> = repo
        .emu
        .requests()
        .iter()
        .filter(|r| r.method != "GET" || r.path.contains("/rules/branches/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    // (The plan before and the check after apply read the branches' rules too.)
    let at = |wanted: &str| {
        log.iter()
            .position(|l| l == wanted)
            .unwrap_or_else(|| panic!("{wanted}: {log:#?}"))
    };
    let created = at("POST /repos/acme/katz-backend/rulesets");
    assert_eq!(log[created + 1], "POST /repos/acme/katz-backend/rulesets");
    for branch in FLOW {
        let removed = at(&format!(
            "DELETE /repos/acme/katz-backend/branches/{branch}/protection"
        ));
        assert!(created < removed, "{log:#?}");
        assert_eq!(
            log[removed - 1],
            format!("GET /repos/acme/katz-backend/rules/branches/{branch}"),
            "{log:#?}"
        );
        assert_eq!(classic(&repo, branch), Value::Null);
    }
    let after = explain(&repo, &FLOW);
    assert_eq!(values(&after), values(&before));
    assert_eq!(
        after["main"]["required_approvals"].1,
        json!(["ruleset \"protect-main\""])
    );
    assert_eq!(
        after["dev"]["no_bypass"].1,
        json!(["ruleset \"protect-stage-and-dev\""])
    );
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan:#}");
}

#[test]
fn a_failure_between_creating_the_rulesets_and_removing_classic_protection_leaves_the_branches_protected()
 {
    let repo = TestRepo::new("flow-in-sync");
    // No requirements: the plan reads no branch rules, so the fault hits only apply's check.
    repo.policy(&flow_policy());
    let before = explain(&repo, &FLOW);
    let output = migrate(&repo, &["-o", "policy.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    repo.emu.inject(
        Fault::new(FaultKind::Status(502))
            .method("GET")
            .path("/rules/branches/")
            .always(),
    );
    let failed = apply(&repo);
    assert_eq!(failed.status.code(), Some(1), "{}", stdout(&failed));
    let report = stdout(&failed);
    assert!(
        report.contains("✓ applied       rulesets.protect-main"),
        "{report}"
    );
    assert!(report.contains("✗ FAILED        branches.dev"), "{report}");
    assert!(
        report.contains("not sent: GET /repos/acme/katz-backend/rules/branches/dev failed"),
        "{report}"
    );
    assert!(report.contains("· not attempted branches.main"), "{report}");
    assert!(!repo.writes().iter().any(|w| w.method == "DELETE"));
    for branch in FLOW {
        assert_ne!(
            classic(&repo, branch),
            Value::Null,
            "{branch} lost its protection"
        );
    }
    // A write that fails before the removals does the same.
    repo.emu.clear_faults();
    let rerun = apply(&repo);
    assert_eq!(rerun.status.code(), Some(0), "{}", stdout(&rerun));
    assert_eq!(values(&explain(&repo, &FLOW)), values(&before));
}

#[test]
fn a_ruleset_github_refuses_leaves_every_branch_protected() {
    let repo = TestRepo::new("flow-in-sync");
    repo.policy(&flow_policy());
    assert_eq!(
        migrate(&repo, &["-o", "policy.yaml"]).status.code(),
        Some(0)
    );
    repo.emu.inject(
        Fault::new(FaultKind::Status(500))
            .method("POST")
            .path("/rulesets"),
    );
    let failed = apply(&repo);
    assert_eq!(failed.status.code(), Some(1));
    assert!(stdout(&failed).contains("✗ FAILED        rulesets.protect-main"));
    for branch in FLOW {
        assert_ne!(classic(&repo, branch), Value::Null);
    }
}

/// The flow, with `release` protected in ways rulesets cannot say.
fn with_release() -> Seed {
    let mut seed: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("live/flow-in-sync.json")).unwrap())
            .unwrap();
    seed["branches"]["release"] = json!({
        "protection": {
            "required_status_checks": null,
            "enforce_admins": true,
            "required_pull_request_reviews": {
                "required_approving_review_count": 1,
                "dismiss_stale_reviews": false,
                "require_code_owner_reviews": false,
                "bypass_pull_request_allowances": { "users": ["hubot"], "teams": [] }
            },
            "restrictions": { "users": ["octocat"], "teams": [] },
            "lock_branch": true,
            "allow_fork_syncing": true
        }
    });
    serde_json::from_value(seed).unwrap()
}

const RELEASE: &str = "  release:
    pull_request:
      required_approvals: 1
      bypass: { users: [hubot] }
    enforce_admins: true
    lock_branch: true
    allow_fork_syncing: true
    push_restrictions: { users: [octocat] }
";

#[test]
fn what_rulesets_cannot_express_stays_classic_and_named() {
    let repo = TestRepo::with(Emulator::start(with_release()));
    let policy = flow_policy().replace("\nenvironments:", &format!("{RELEASE}\nenvironments:"));
    repo.policy(&policy);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "the policy is in sync: {plan:#}");
    let before = explain(&repo, &["main", "release"]);
    let output = migrate(&repo, &["--live", "--no-cache", "-o", "policy.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let account = stdout(&output);
    for reason in [
        "branches.release: left as it was",
        "  - `pull_request.bypass`: a ruleset's bypass actors skip every rule of the ruleset, not only the pull request",
        "  - `push_restrictions`:",
        "  - `lock_branch` with `allow_fork_syncing`:",
        "main: proven",
    ] {
        assert!(account.contains(reason), "{reason}\n{account}");
    }
    let migrated = read(&repo, "policy.yaml");
    assert!(migrated.contains(RELEASE), "{migrated}");
    let applied = apply(&repo);
    assert_eq!(applied.status.code(), Some(0), "{}", stdout(&applied));
    assert_eq!(classic(&repo, "main"), Value::Null);
    let release = classic(&repo, "release");
    assert_eq!(release["lock_branch"], json!(true), "{release:#}");
    assert_eq!(
        values(&explain(&repo, &["main", "release"])),
        values(&before)
    );
}

#[test]
fn a_check_stays_pinned_where_github_pins_it() {
    let mut seed: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("live/flow-in-sync.json")).unwrap())
            .unwrap();
    // The policy lists `dev - lint and test` without an app; GitHub pins it on dev.
    seed["branches"]["dev"]["protection"]["required_status_checks"]["checks"] =
        json!([{ "context": "dev - lint and test", "app_id": 15368 }]);
    let repo = TestRepo::with(Emulator::start(
        serde_json::from_value::<Seed>(seed).unwrap(),
    ));
    repo.policy(&flow_policy());
    let before = explain(&repo, &FLOW);
    // Offline, the policy alone: dev's check is by any app, like stage's.
    let offline = migrate(&repo, &[]);
    assert!(stdout(&offline).contains("  protect-stage-and-dev:\n"));
    let output = migrate(&repo, &["--live", "--no-cache", "-o", "policy.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let migrated = read(&repo, "policy.yaml");
    // dev's check is pinned now, so dev no longer shares stage's ruleset.
    assert!(migrated.contains("  protect-dev:\n"), "{migrated}");
    assert!(
        migrated.contains("        required:\n        - context: dev - lint and test\n          app: github-actions\n"),
        "{migrated}"
    );
    assert_eq!(apply(&repo).status.code(), Some(0));
    assert_eq!(values(&explain(&repo, &FLOW)), values(&before));
}

#[test]
fn protection_that_drifted_from_the_policy_fails_its_proof() {
    let repo = TestRepo::new("flow-drifted");
    repo.policy(&flow_policy());
    let output = migrate(&repo, &["--live", "--no-cache", "-o", "migrated.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let account = stdout(&output);
    assert!(
        account.contains("branches.main: left as it was\n  - its effective protection would not be the same after the change (the rows marked ≠)"),
        "{account}"
    );
    assert!(account.contains("  ≠ required_approvals "), "{account}");
}

#[test]
fn a_trial_applied_then_finished_keeps_explain_as_it_was() {
    let repo = TestRepo::new("flow-in-sync");
    repo.policy(&flow_policy());
    let before = explain(&repo, &FLOW);
    assert_eq!(
        migrate(&repo, &["--evaluate", "-o", "policy.yaml"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(apply(&repo).status.code(), Some(0));
    assert!(classic(&repo, "main").is_object());
    assert_eq!(values(&explain(&repo, &FLOW)), values(&before));
    let finish = migrate(&repo, &["--live", "--no-cache", "-o", "policy.yaml"]);
    assert_eq!(finish.status.code(), Some(0), "{}", stderr(&finish));
    let (_, plan) = repo.plan_json();
    assert_eq!(
        changes(&plan),
        expect(&[
            ("rulesets.protect-main", "update", true),
            ("rulesets.protect-stage-and-dev", "update", true),
            ("branches.dev", "delete", true),
            ("branches.main", "delete", true),
            ("branches.stage", "delete", true),
        ]),
        "{plan:#}"
    );
    assert_eq!(apply(&repo).status.code(), Some(0));
    assert_eq!(values(&explain(&repo, &FLOW)), values(&before));
    assert!(read(&repo, "policy.yaml").contains("  main:\n    protected: false\n"));
}
