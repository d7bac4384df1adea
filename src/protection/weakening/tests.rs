// Compiled only under cfg(test) (see `mod tests;` in weakening/mod.rs).
use serde_json::{Value, json};

use super::{Protects, Side, lowers};
use crate::model::live::LiveState;
use crate::plan::diff::{Context, plan};
use crate::plan::{Action, Plan};

fn side(value: &Value, protects: Protects) -> Option<Side<'_>> {
    Some(Side { value, protects }).filter(|side| !side.value.is_null())
}

/// Does changing `live` to `policy` lower protection, both sides protecting the same way?
fn lowers_from(live: &Value, policy: &Value, protects: Protects) -> bool {
    lowers(side(live, protects), side(policy, protects), None)
}

#[test]
fn each_way_of_protecting_has_its_direction() {
    use Protects::*;
    assert!(lowers_from(&json!(2), &json!(1), AtLeast));
    assert!(!lowers_from(&json!(1), &json!(2), AtLeast));
    assert!(lowers_from(&json!(true), &json!(false), WhenOn));
    assert!(!lowers_from(&json!(false), &json!(true), WhenOn));
    assert!(lowers_from(&json!(false), &json!(true), WhenOff));
    assert!(!lowers_from(&json!(true), &json!(false), WhenOff));
    assert!(lowers_from(&json!(["a", "b"]), &json!(["a"]), EachItem));
    assert!(!lowers_from(&json!(["a"]), &json!(["a", "b"]), EachItem));
    assert!(lowers_from(&json!(["a"]), &json!(["a", "b"]), NoItem));
    assert!(!lowers_from(&json!(["a", "b"]), &json!(["a"]), NoItem));
    assert!(!lowers_from(&json!("x"), &json!("y"), Nothing));
    assert!(lowers_from(&json!("x"), &json!("y"), AnyChange));
    let order = super::ENFORCEMENT;
    assert!(lowers_from(
        &json!("active"),
        &json!("evaluate"),
        Ranked(order)
    ));
    assert!(lowers_from(
        &json!("evaluate"),
        &json!("disabled"),
        Ranked(order)
    ));
    assert!(!lowers_from(
        &json!("disabled"),
        &json!("active"),
        Ranked(order)
    ));
    // A value gh-policy does not know: it cannot tell, so any change counts.
    assert!(lowers_from(
        &json!("enforce_harder"),
        &json!("active"),
        Ranked(order)
    ));
    // A section that goes away.
    let required = json!("required");
    assert!(lowers(side(&required, Present), None, None));
    assert!(!lowers(None, side(&required, Present), None));
    // A missing side has the default.
    assert!(lowers(side(&json!(2), AtLeast), None, Some(&json!(0))));
    assert!(lowers(
        None,
        side(&json!(true), WhenOff),
        Some(&json!(false))
    ));
}

#[test]
fn checks_weaken_when_removed_or_unpinned_never_when_pinned_or_added() {
    let pinned = json!({"context": "ci", "app": "github-actions"});
    assert!(lowers_from(
        &json!(["ci", "lint"]),
        &json!(["ci"]),
        Protects::Checks
    ));
    assert!(lowers_from(
        &json!([pinned.clone()]),
        &json!(["ci"]),
        Protects::Checks
    ));
    assert!(!lowers_from(
        &json!(["ci"]),
        &json!([pinned.clone()]),
        Protects::Checks
    ));
    assert!(!lowers_from(
        &json!(["ci"]),
        &json!(["ci", "lint"]),
        Protects::Checks
    ));
    let other_app = json!({"context": "ci", "app": "circleci"});
    assert!(lowers_from(
        &json!([pinned]),
        &json!([other_app]),
        Protects::Checks
    ));
}

#[test]
fn bypass_actors_weaken_when_added_or_widened() {
    let team = json!({"team": "ops"});
    let team_by_pr = json!({"team": "ops", "mode": "pull_request"});
    let exempt = json!({"team": "ops", "mode": "exempt"});
    assert!(lowers_from(
        &json!([]),
        &json!([team.clone()]),
        Protects::Actors
    ));
    assert!(!lowers_from(
        &json!([team.clone()]),
        &json!([]),
        Protects::Actors
    ));
    assert!(lowers_from(
        &json!([team_by_pr.clone()]),
        &json!([team.clone()]),
        Protects::Actors
    ));
    assert!(!lowers_from(
        &json!([team.clone()]),
        &json!([team_by_pr]),
        Protects::Actors
    ));
    assert!(lowers_from(
        &json!([team]),
        &json!([exempt]),
        Protects::Actors
    ));
}

#[test]
fn an_allowlist_weakens_when_lifted_or_opened_never_when_first_restricted() {
    let restricted = Protects::Allowlist { restricted: true };
    let open = Protects::Allowlist { restricted: false };
    let (none, one, two) = (json!([]), json!(["a"]), json!(["a", "b"]));
    assert!(lowers(side(&one, restricted), side(&two, restricted), None));
    assert!(!lowers(
        side(&two, restricted),
        side(&one, restricted),
        None
    ));
    assert!(lowers(side(&one, restricted), side(&none, open), None));
    assert!(!lowers(side(&none, open), side(&one, restricted), None));
}

/// Plans `policy` against `live`, both policy files, offline.
fn planned(policy: &str, live: &str) -> Plan {
    let desired = crate::policy::parse("policy.yaml", policy).unwrap();
    let live = crate::policy::parse("live.yaml", live).unwrap();
    plan(
        "acme/api",
        &desired,
        &LiveState::from_settings(live),
        &Context::default(),
    )
}

/// The settings (`ADDRESS: PATH`, or the address alone for a deletion or a change without
/// settings) that weaken.
fn weakening(plan: &Plan) -> Vec<String> {
    let mut found = Vec::new();
    for change in &plan.changes {
        let settings: Vec<String> = change
            .diffs
            .iter()
            .filter(|d| super::diff_weakens(change, d))
            .map(|d| format!("{}: {}", change.address, d.path))
            .collect();
        if change.weakens() && (settings.is_empty() || change.action == Action::Delete) {
            found.push(change.address.to_string());
        } else {
            found.extend(settings);
        }
    }
    found
}

const BRANCH: &str = "version: 1
branches:
  main:
    pull_request:
      required_approvals: 2
      dismiss_stale_reviews: true
      require_code_owner_reviews: true
      require_last_push_approval: true
    status_checks:
      strict: true
      required: [lint, { context: ci, app_id: 15368 }]
    enforce_admins: true
    required_linear_history: true
    required_conversation_resolution: true
    required_signatures: true
    lock_branch: true
    block_creations: true
    push_restrictions: { users: [octocat] }
";

#[test]
fn every_lowered_branch_setting_weakens_and_the_plan_counts_the_change_once() {
    let policy = "version: 1
branches:
  main:
    pull_request:
      required_approvals: 1
      bypass: { users: [hubot] }
    status_checks:
      required: [ci]
    allow_force_pushes: true
    allow_deletions: true
    allow_fork_syncing: true
    push_restrictions: { users: [octocat, hubot] }
";
    let plan = planned(policy, BRANCH);
    assert_eq!(
        weakening(&plan),
        [
            "branches.main: pull_request.required_approvals",
            "branches.main: pull_request.dismiss_stale_reviews",
            "branches.main: pull_request.require_code_owner_reviews",
            "branches.main: pull_request.require_last_push_approval",
            "branches.main: pull_request.bypass.users",
            "branches.main: status_checks.strict",
            "branches.main: status_checks.required",
            "branches.main: enforce_admins",
            "branches.main: required_linear_history",
            "branches.main: allow_force_pushes",
            "branches.main: allow_deletions",
            "branches.main: block_creations",
            "branches.main: required_conversation_resolution",
            "branches.main: required_signatures",
            "branches.main: lock_branch",
            "branches.main: allow_fork_syncing",
            "branches.main: push_restrictions.users",
        ]
    );
    assert_eq!(plan.weakening(), 1);
    // The other way round, everything tightens: nothing weakens.
    assert_eq!(weakening(&planned(BRANCH, policy)), Vec::<String>::new());
}

#[test]
fn removing_protection_or_its_restrictions_weakens_adding_them_does_not() {
    let unprotected = "version: 1\nbranches:\n  main: { protected: false }\n";
    assert_eq!(weakening(&planned(unprotected, BRANCH)), ["branches.main"]);
    assert!(weakening(&planned(BRANCH, unprotected)).is_empty());
    let unrestricted = BRANCH.replace("    push_restrictions: { users: [octocat] }\n", "");
    assert_eq!(
        weakening(&planned(&unrestricted, BRANCH)),
        ["branches.main: push_restrictions.users"]
    );
    assert!(weakening(&planned(BRANCH, &unrestricted)).is_empty());
}

const RULESET: &str = "version: 1
rulesets:
  protect-main:
    include: [\"~DEFAULT_BRANCH\", \"release/*\"]
    bypass:
      - { team: ops, mode: pull_request }
    rules:
      pull_request: { required_approvals: 2, required_conversation_resolution: true, allowed_merge_methods: [squash] }
      status_checks: { strict: true, required: [ci] }
      required_deployments: [staging]
      block_force_pushes: true
      restrict_deletions: true
      restrict_updates: true
      required_signatures: true
";

#[test]
fn a_loosened_ruleset_weakens_setting_by_setting() {
    let policy = "version: 1
rulesets:
  protect-main:
    enforcement: evaluate
    include: [\"~DEFAULT_BRANCH\"]
    exclude: [\"release/old\"]
    bypass:
      - { team: ops }
    rules:
      pull_request: { required_approvals: 1 }
      status_checks: { do_not_enforce_on_create: true }
      restrict_updates: { allow_fetch_and_merge: true }
";
    assert_eq!(
        weakening(&planned(policy, RULESET)),
        [
            "rulesets.protect-main: enforcement",
            "rulesets.protect-main: include",
            "rulesets.protect-main: exclude",
            "rulesets.protect-main: bypass",
            "rulesets.protect-main: rules.pull_request.required_approvals",
            "rulesets.protect-main: rules.pull_request.required_conversation_resolution",
            "rulesets.protect-main: rules.pull_request.allowed_merge_methods",
            "rulesets.protect-main: rules.status_checks.strict",
            "rulesets.protect-main: rules.status_checks.do_not_enforce_on_create",
            "rulesets.protect-main: rules.status_checks.required",
            "rulesets.protect-main: rules.required_deployments",
            "rulesets.protect-main: rules.block_force_pushes",
            "rulesets.protect-main: rules.restrict_deletions",
            "rulesets.protect-main: rules.required_signatures",
            "rulesets.protect-main: rules.restrict_updates",
        ]
    );
    assert!(weakening(&planned(RULESET, policy)).is_empty());
    // Disabled, or deleted by pruning.
    let disabled = RULESET.replace("    include:", "    enforcement: disabled\n    include:");
    assert_eq!(
        weakening(&planned(&disabled, RULESET)),
        ["rulesets.protect-main: enforcement"]
    );
    let pruned = "version: 1\nprune: { rulesets: true }\n";
    assert_eq!(
        weakening(&planned(pruned, RULESET)),
        ["rulesets.protect-main"]
    );
}

const ENVIRONMENT: &str = "version: 1
environments:
  production:
    wait_timer: 30
    prevent_self_review: true
    reviewers: [{ user: octocat }, { team: ops }]
    can_admins_bypass: false
    deployment_branches: [main]
";

#[test]
fn a_loosened_environment_weakens_and_a_wider_deployment_too() {
    let policy = "version: 1
environments:
  production:
    wait_timer: 5
    reviewers: [{ user: octocat }]
    deployment_branches: [main, \"release/*\"]
";
    assert_eq!(
        weakening(&planned(policy, ENVIRONMENT)),
        [
            "environments.production: wait_timer",
            "environments.production: prevent_self_review",
            "environments.production: reviewers",
            "environments.production: can_admins_bypass",
            "environments.production.deployment_branches.release/*",
        ]
    );
    assert!(weakening(&planned(ENVIRONMENT, policy)).is_empty());
    let everywhere = "version: 1\nenvironments:\n  production: { deployment_branches: all }\n";
    let found = weakening(&planned(everywhere, ENVIRONMENT));
    assert!(
        found.contains(&"environments.production: deployment_branches".to_owned()),
        "{found:?}"
    );
    let pruned = "version: 1\nprune: { environments: true }\n";
    assert_eq!(
        weakening(&planned(pruned, ENVIRONMENT)),
        ["environments.production"]
    );
}

#[test]
fn excepted_drift_and_changes_apply_cannot_make_never_weaken() {
    let policy = "version: 1\nbranches:\n  main:\n    pull_request: { required_approvals: 1 }\n";
    let live = "version: 1\nbranches:\n  main:\n    pull_request: { required_approvals: 2 }\n";
    let mut desired = crate::policy::parse("policy.yaml", policy).unwrap();
    desired.exceptions.push(crate::model::Exception {
        path: "branches.main.pull_request.required_approvals".to_owned(),
        finding: None,
        target: None,
        allow: json!("any"),
        reason: "on call".to_owned(),
        expires: "2999-01-01".to_owned(),
    });
    let live = LiveState::from_settings(crate::policy::parse("live.yaml", live).unwrap());
    let at = |time: &str| Context {
        now: time::OffsetDateTime::parse(time, &time::format_description::well_known::Rfc3339)
            .unwrap(),
        ..Context::default()
    };
    let excepted = plan("acme/api", &desired, &live, &at("2998-12-01T00:00:00Z"));
    assert!(
        excepted.changes[0].diffs[0].lowers,
        "it lowers, but is excepted"
    );
    assert_eq!(excepted.weakening(), 0);
    // Once the exception expired, it counts again.
    let mut expired = plan("acme/api", &desired, &live, &at("2999-02-01T00:00:00Z"));
    assert_eq!(expired.weakening(), 1);
    // A change apply cannot make writes nothing.
    expired.changes[0].refuse("GitHub refuses it");
    assert_eq!(expired.weakening(), 0);
}
