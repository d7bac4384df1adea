//! The handover of classic protection to rulesets in a plan.

use super::*;
use crate::model::{Branch, PullRequestRule};
use crate::protection::weakening::replaced_whole;
use crate::testing::flow_policy;
use crate::testing::name;

/// The flow policy with `main`'s classic protection handed to a ruleset of these rules.
fn migrated(rules: Rules) -> crate::model::RepoSettings {
    let mut desired = flow_policy();
    desired.requirements.clear();
    desired.branches.insert(name("main"), Branch::unprotected());
    desired.rulesets.insert(
        crate::model::names::Text::parse("protect-main").unwrap(),
        Ruleset {
            include: vec![name("main")],
            rules,
            ..Ruleset::default()
        },
    );
    desired
}

fn main_rules(approvals: u8) -> Rules {
    let classic = &flow_policy().branches["main"];
    let pr = classic.pull_request.clone().unwrap_or_default();
    Rules {
        pull_request: Some(PullRequestRule {
            required_approvals: approvals,
            dismiss_stale_reviews: pr.dismiss_stale_reviews,
            required_conversation_resolution: true,
            ..PullRequestRule::default()
        }),
        status_checks: classic
            .status_checks
            .clone()
            .map(|s| crate::model::StatusChecksRule {
                strict: s.strict,
                do_not_enforce_on_create: false,
                required: s.required,
            }),
        block_force_pushes: true,
        restrict_deletions: true,
        ..Rules::default()
    }
}

fn live() -> LiveState {
    let mut live = flow_policy();
    live.requirements.clear();
    let mut live = LiveState::from_settings(live);
    // Pinned checks are written by id: as a plan against GitHub knows them.
    live.ids.offline = false;
    live.ids.apps.insert("github-actions".into(), 15368);
    live
}

fn handover(change: &Change) -> &Handover {
    match change.target() {
        Some(Target::BranchProtection {
            write: ProtectionWrite::Remove {
                handover: Some(handover),
            },
            ..
        }) => handover,
        other => panic!("not a handed-over removal: {other:?}"),
    }
}

#[test]
fn classic_protection_goes_after_the_ruleset_that_takes_over() {
    let plan = crate::plan::diff::plan(
        "acme/katz-backend",
        &migrated(main_rules(2)),
        &live(),
        &crate::plan::diff::Context::default(),
    );
    let order: Vec<(String, Action)> = plan
        .changes
        .iter()
        .map(|c| (c.address.to_string(), c.action))
        .collect();
    assert_eq!(
        order,
        [
            ("rulesets.protect-main".to_owned(), Action::Create),
            ("branches.main".to_owned(), Action::Delete),
        ]
    );
    let handed = handover(&plan.changes[1]);
    assert_eq!(handed.rulesets, ["protect-main"]);
    assert!(handed.complete());
    // The checks as `rules/branches` shows them: by app id.
    let checks = &handed.rules[0].status_checks.as_ref().unwrap().required;
    let pinned = |context: &str| {
        checks
            .iter()
            .find(|c| c.context == context)
            .map(|c| (c.app.clone(), c.app_id))
    };
    assert_eq!(pinned("Security Checks"), Some((None, Some(15368))));
    assert_eq!(pinned("dev - lint and test"), Some((None, None)));
    assert!(replaced_whole(&plan.changes[1]));
    assert!(!&plan.changes[1].weakens());
    assert!(
        plan.changes[1]
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("handed over to ruleset `protect-main`")),
        "{:?}",
        plan.changes[1].note
    );
}

#[test]
fn a_ruleset_that_provides_less_is_still_waited_for_but_does_not_replace() {
    let plan = crate::plan::diff::plan(
        "acme/katz-backend",
        &migrated(main_rules(1)),
        &live(),
        &crate::plan::diff::Context::default(),
    );
    let removal = plan
        .changes
        .iter()
        .find(|c| c.address == "branches.main")
        .unwrap();
    assert_eq!(handover(removal).lacks, ["required_approvals: 2"]);
    assert!(!replaced_whole(removal));
    assert!(removal.weakens());
    // A removal that no ruleset takes over has no handover, and keeps its place.
    let mut desired = flow_policy();
    desired.requirements.clear();
    desired.branches.insert(name("dev"), Branch::unprotected());
    let plan = crate::plan::diff::plan(
        "acme/katz-backend",
        &desired,
        &live(),
        &crate::plan::diff::Context::default(),
    );
    assert_eq!(plan.changes.len(), 1);
    assert!(handover_of(&plan.changes[0]).is_none());
}

#[test]
fn a_removal_waits_for_a_ruleset_apply_cannot_write() {
    let mut rules = main_rules(2);
    if let Some(checks) = &mut rules.status_checks {
        checks.required.push(RequiredCheck {
            context: "lint".into(),
            app: Some(name("circleci")),
            app_id: None,
        });
    }
    let plan = crate::plan::diff::plan(
        "acme/katz-backend",
        &migrated(rules),
        &live(),
        &crate::plan::diff::Context::default(),
    );
    let (ruleset, removal) = (&plan.changes[0], &plan.changes[1]);
    assert_eq!(ruleset.address, "rulesets.protect-main");
    assert!(!ruleset.applies());
    assert_eq!(removal.address, "branches.main");
    assert!(!removal.applies());
    assert_eq!(
        removal.reason(),
        Some(
            "it waits for ruleset `protect-main`, which apply cannot write (the id of app `circleci` is not known)"
        )
    );
}

#[test]
fn a_ruleset_in_force_takes_over_unless_its_bypass_is_hidden() {
    let desired = migrated(main_rules(2));
    // The ruleset is on GitHub already; the plan only removes the classic protection.
    let mut live = live();
    live.settings.rulesets.insert(
        crate::model::names::Text::parse("protect-main").unwrap(),
        desired.rulesets["protect-main"].clone(),
    );
    let plan = crate::plan::diff::plan(
        "acme/katz-backend",
        &desired,
        &live,
        &crate::plan::diff::Context::default(),
    );
    assert_eq!(plan.changes.len(), 1, "{:#?}", plan.changes);
    let removal = &plan.changes[0];
    let handed = handover(removal);
    assert!(handed.rulesets.is_empty(), "nothing to write first");
    assert_eq!(handed.in_force, [r#"ruleset "protect-main""#]);
    assert!(!removal.weakens());
    // Bypass actors the token cannot see may be anyone: admins could bypass nothing before.
    live.gaps.push(crate::plan::Gap {
        address: crate::plan::Address::Ruleset("protect-main".into()),
        what: Unread::Bypass,
        permission: "Administration: write".into(),
    });
    let plan = crate::plan::diff::plan(
        "acme/katz-backend",
        &desired,
        &live,
        &crate::plan::diff::Context::default(),
    );
    let removal = plan
        .changes
        .iter()
        .find(|c| c.address == "branches.main")
        .unwrap();
    assert_eq!(handover(removal).lacks, ["no_bypass"]);
    assert!(removal.weakens());
}
