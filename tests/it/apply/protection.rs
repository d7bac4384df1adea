//! `apply` of branch protection: a missing branch, the users GitHub drops silently, and
//! rules removed or cleared when the policy drops them.

use gh_policy::model::Actors;
use predicates::prelude::*;
use serde_json::json;

use super::{apply, apply_lowering};
use crate::common::policy::name;
use crate::common::{Policy, TestRepo};

#[test]
fn a_missing_branch_leaves_apply_at_exit_two() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().branch("release", |release| release.enforce_admins = true));
    apply(&repo)
        .code(2)
        .stdout(predicate::str::contains("branch does not exist"));
    assert!(repo.writes().is_empty());
}

#[test]
fn users_github_drops_silently_are_reported() {
    let mut seed =
        gh_policy_emulator::Emulator::load_seed(crate::common::fixture("live/flow-in-sync.json"))
            .unwrap();
    seed.users.push(gh_policy_emulator::UserSeed {
        login: "reader".into(),
        id: 77,
        write_access: false,
    });
    let repo = TestRepo::with(gh_policy_emulator::Emulator::start(seed));
    repo.write(&Policy::flow().branch("main", |main| {
        main.push_restrictions = Some(Actors {
            users: vec![name("octocat"), name("reader")],
            ..Actors::default()
        });
    }));
    apply(&repo)
        .code(1)
        .stderr(predicate::str::contains(
            "GitHub dropped user `reader` from push_restrictions",
        ))
        .stdout(predicate::str::contains("Still drifting after apply"))
        .stderr(predicate::str::contains("still differs from the policy"));
}

#[test]
fn removing_every_rule_resets_each_one() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().environment("production", |production| {
        production.reviewers.clear();
        production.prevent_self_review = false;
        production.can_admins_bypass = true;
        production.wait_timer = 0;
    }));
    apply_lowering(&repo).code(0);
    let put = repo
        .writes()
        .into_iter()
        .find(|w| w.method == "PUT")
        .unwrap();
    assert_eq!(
        put.body.unwrap(),
        json!({
            "wait_timer": 0,
            "prevent_self_review": false,
            "reviewers": null,
            "deployment_branch_policy": { "protected_branches": false, "custom_branch_policies": true },
            "can_admins_bypass": true
        })
    );
}

#[test]
fn dismissal_restrictions_and_bypass_are_cleared_when_the_policy_drops_them() {
    let mut seed =
        gh_policy_emulator::Emulator::load_seed(crate::common::fixture("live/flow-in-sync.json"))
            .unwrap();
    let reviews = &mut seed
        .branches
        .get_mut("main")
        .unwrap()
        .protection
        .as_mut()
        .unwrap()["required_pull_request_reviews"];
    reviews["dismissal_restrictions"] = json!({ "users": ["hubot"], "teams": [] });
    reviews["bypass_pull_request_allowances"] = json!({ "users": ["hubot"] });
    let repo = TestRepo::with(gh_policy_emulator::Emulator::start(seed));
    repo.write(&Policy::flow());
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    apply_lowering(&repo).code(0);
    let put = repo
        .writes()
        .into_iter()
        .find(|w| w.method == "PUT")
        .unwrap()
        .body
        .unwrap();
    let reviews = &put["required_pull_request_reviews"];
    // `{}` disables dismissal restrictions; empty lists clear the bypass list.
    assert_eq!(reviews["dismissal_restrictions"], json!({}));
    assert_eq!(
        reviews["bypass_pull_request_allowances"],
        json!({ "users": [], "teams": [], "apps": [] })
    );
    assert_eq!(repo.plan_json().0, 0);
}
