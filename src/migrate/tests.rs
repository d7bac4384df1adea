use serde_json::json;

use super::*;
use crate::model::{Actors, BypassActor, RepositoryRole};
use crate::testing::{flow_policy, name};

const ORDER: [&str; 3] = ["main", "stage", "dev"];

fn order() -> Vec<String> {
    ORDER.map(String::from).to_vec()
}

fn offline(policy: &RepoSettings, request: &Request) -> Migration {
    let live = LiveState::from_settings(policy.clone());
    let today = Today {
        live: &live,
        read: false,
        taken: BTreeSet::new(),
        now: time::OffsetDateTime::now_utc(),
    };
    migrate(policy, &order(), &today, request)
}

/// Migrates the policy against a repository whose protection was read as `state`.
fn against(policy: &RepoSettings, state: RepoSettings) -> Migration {
    let live = LiveState::from_settings(state);
    let today = Today {
        live: &live,
        read: true,
        taken: BTreeSet::new(),
        now: time::OffsetDateTime::now_utc(),
    };
    migrate(policy, &order(), &today, &Request::default())
}

fn row<'a>(proof: &'a Proof, setting: &str) -> &'a Row {
    proof
        .rows
        .iter()
        .find(|r| r.setting == setting)
        .unwrap_or_else(|| panic!("no row {setting} in {proof:#?}"))
}

#[test]
fn the_seed_flow_becomes_two_rulesets_with_its_proof() {
    let policy = flow_policy();
    let migration = offline(&policy, &Request::default());
    assert!(migration.stopped.is_empty(), "{:#?}", migration.stopped);
    let rulesets: Vec<(&str, &[String])> = migration
        .rulesets
        .iter()
        .map(|r| (r.name.as_str(), r.branches.as_slice()))
        .collect();
    assert_eq!(
        rulesets,
        [
            ("protect-main", &["main".to_owned()][..]),
            (
                "protect-stage-and-dev",
                &["stage".to_owned(), "dev".to_owned()][..]
            ),
        ]
    );
    assert_eq!(migration.unprotected, order());
    for branch in ORDER {
        assert_eq!(migration.settings.branches[branch], Branch::unprotected());
    }
    // Admins could bypass stage and dev (no enforce_admins): they still can.
    assert_eq!(
        migration.settings.rulesets["protect-stage-and-dev"].bypass,
        [BypassActor {
            role: Some(RepositoryRole::Admin),
            ..BypassActor::default()
        }]
    );
    assert!(
        migration.settings.rulesets["protect-main"]
            .bypass
            .is_empty()
    );
    // Everything else is as it was.
    let mut rest = migration.settings.clone();
    rest.rulesets.clear();
    rest.branches.clone_from(&policy.branches);
    assert_eq!(rest, policy);
    assert!(migration.proofs.iter().all(Proof::holds));
    let main = &migration.proofs[0];
    assert_eq!(main.branch, "main");
    let approvals = row(main, "required_approvals");
    assert_eq!(
        approvals.before,
        Some(Side {
            value: json!(2),
            sources: vec!["classic".into()]
        })
    );
    assert_eq!(
        approvals.after,
        Some(Side {
            value: json!(2),
            sources: vec!["ruleset \"protect-main\"".into()]
        })
    );
    assert_eq!(
        row(main, "no_bypass").after.as_ref().unwrap().value,
        json!(true)
    );
    let stage = &migration.proofs[1];
    assert_eq!(
        row(stage, "no_bypass").before.as_ref().unwrap().value,
        json!(false)
    );
    assert_eq!(
        row(stage, "no_bypass").after.as_ref().unwrap().value,
        json!(false)
    );
}

#[test]
fn a_branch_a_ruleset_cannot_express_is_left_as_it_was() {
    let mut policy = flow_policy();
    if let Some(main) = policy.branches.get_mut("main") {
        main.push_restrictions = Some(Actors {
            teams: vec![name("release-managers")],
            ..Actors::default()
        });
    }
    let migration = offline(&policy, &Request::default());
    assert_eq!(migration.stopped.len(), 1);
    assert_eq!(migration.stopped[0].branch, "main");
    assert!(migration.stopped[0].reasons[0].starts_with("`push_restrictions`"));
    assert_eq!(migration.settings.branches["main"], policy.branches["main"]);
    assert_eq!(migration.unprotected, ["stage", "dev"]);
}

#[test]
fn only_the_named_branches_move_and_unknown_ones_are_named() {
    let policy = flow_policy();
    let request = Request {
        branches: vec!["dev".into(), "legacy".into()],
        evaluate: false,
    };
    let migration = offline(&policy, &request);
    assert_eq!(migration.unprotected, ["dev"]);
    assert_eq!(migration.rulesets[0].name, "protect-dev");
    assert_eq!(migration.stopped[0].branch, "legacy");
    assert!(migration.stopped[0].reasons[0].contains("no `branches` entry"));
}

#[test]
fn a_trial_keeps_classic_protection_and_a_second_run_finishes_it() {
    let policy = flow_policy();
    let trial = offline(
        &policy,
        &Request {
            branches: Vec::new(),
            evaluate: true,
        },
    );
    assert!(trial.unprotected.is_empty());
    assert_eq!(trial.settings.branches, policy.branches);
    assert!(
        trial
            .settings
            .rulesets
            .values()
            .all(|r| r.enforcement == Enforcement::Evaluate)
    );
    // The proof is of the finished migration.
    assert!(trial.proofs.iter().all(Proof::holds));
    assert_eq!(trial.proofs.len(), 3);
    let finished = offline(&trial.settings, &Request::default());
    assert!(finished.rulesets.iter().all(|r| r.trial));
    assert_eq!(finished.unprotected, order());
    assert!(
        finished
            .settings
            .rulesets
            .values()
            .all(|r| r.enforcement == Enforcement::Active)
    );
    assert_eq!(finished.settings.rulesets.len(), 2);
    // A trial run again stays a trial, with nothing to write.
    let again = offline(
        &trial.settings,
        &Request {
            branches: Vec::new(),
            evaluate: true,
        },
    );
    assert!(again.is_empty());
    assert_eq!(again.settings, trial.settings);
}

#[test]
fn protection_that_differs_live_fails_its_proof() {
    let policy = flow_policy();
    let mut state = policy.clone();
    if let Some(pr) = state
        .branches
        .get_mut("main")
        .and_then(|b| b.pull_request.as_mut())
    {
        pr.required_approvals = 1;
    }
    let migration = against(&policy, state);
    assert_eq!(migration.stopped.len(), 1);
    let proof = migration.stopped[0].proof.as_ref().unwrap();
    assert_eq!(proof.branch, "main");
    let approvals = row(proof, "required_approvals");
    assert!(!approvals.holds());
    assert_eq!(approvals.before.as_ref().unwrap().value, json!(1));
    assert_eq!(approvals.after.as_ref().unwrap().value, json!(2));
    assert_eq!(migration.settings.branches["main"], policy.branches["main"]);
    assert_eq!(migration.unprotected, ["stage", "dev"]);
}

#[test]
fn an_exception_on_a_branch_keeps_it() {
    let mut policy = RepoSettings::empty();
    policy.branches.insert(
        name("main"),
        Branch {
            enforce_admins: true,
            ..Branch::default()
        },
    );
    policy.exceptions = vec![crate::model::Exception {
        path: "branches.main.enforce_admins".into(),
        finding: None,
        target: None,
        allow: json!("any"),
        reason: "on call".into(),
        expires: "2099-01-01".into(),
    }];
    let migration = offline(&policy, &Request::default());
    assert_eq!(migration.stopped[0].branch, "main");
    assert!(migration.stopped[0].reasons[0].contains("exception"));
}

#[test]
fn what_github_has_beyond_the_policy_stops_the_branch_too() {
    let policy = flow_policy();
    let mut state = policy.clone();
    if let Some(dev) = state.branches.get_mut("dev") {
        dev.push_restrictions = Some(Actors::default());
    }
    let migration = against(&policy, state);
    assert_eq!(migration.stopped.len(), 1);
    assert_eq!(migration.stopped[0].branch, "dev");
    assert!(
        migration.stopped[0].reasons[0].starts_with("on GitHub: `push_restrictions`"),
        "{:?}",
        migration.stopped[0].reasons
    );
}

/// Git allows a bidirectional control in a branch name, the pattern rule does not: no
/// ruleset can include such a branch, so it stays as it was rather than be written into a
/// ruleset its own policy would refuse.
#[test]
fn a_branch_no_ruleset_can_include_is_left_as_it_was() {
    let odd = "ma\u{202e}in";
    let mut policy = RepoSettings::empty();
    policy.branches.insert(
        name(odd),
        Branch {
            protected: true,
            enforce_admins: true,
            ..Branch::default()
        },
    );
    let live = LiveState::from_settings(policy.clone());
    let today = Today {
        live: &live,
        read: false,
        taken: BTreeSet::new(),
        now: time::OffsetDateTime::now_utc(),
    };
    let migration = migrate(&policy, &[odd.to_owned()], &today, &Request::default());
    assert!(migration.rulesets.is_empty());
    assert_eq!(migration.stopped[0].branch, odd);
    let reasons = &migration.stopped[0].reasons;
    assert!(
        reasons[0].starts_with("a ruleset cannot include it: "),
        "{reasons:?}"
    );
}
