//! Unit tests, compiled only under #[cfg(test)] from the parent module.

use serde_json::{Value, json};

use super::*;
use crate::model::live::LiveState;
use crate::model::{
    Actors, Branch, DeploymentBranches, DeploymentPattern, Environment, PullRequestRules, RefType,
    RequiredCheck, Secret, StatusChecks,
};
use crate::plan::{ProtectionWrite, Target};
use crate::testing::name;

/// Plans where `PROD_KEY` holds a secret's value.
fn plan(repository: &str, desired: &RepoSettings, live: &LiveState) -> Plan {
    let context = Context {
        sources: SecretSources::of(["PROD_KEY"]),
        ..Context::default()
    };
    super::plan(repository, desired, live, &context)
}

fn repo() -> RepoSettings {
    RepoSettings::empty()
}

fn protected_main(approvals: u8, checks: Vec<RequiredCheck>) -> Branch {
    Branch {
        pull_request: Some(PullRequestRules {
            required_approvals: approvals,
            ..PullRequestRules::default()
        }),
        status_checks: Some(StatusChecks {
            strict: true,
            required: checks,
        }),
        enforce_admins: true,
        ..Branch::default()
    }
}

fn pinned(context: &str, app: Option<&str>, app_id: Option<i64>) -> RequiredCheck {
    RequiredCheck {
        context: context.to_owned(),
        app: app.map(name),
        app_id,
    }
}

fn addresses(plan: &Plan) -> Vec<(String, Action, bool)> {
    plan.changes
        .iter()
        .map(|c| (c.address.to_string(), c.action, c.applies()))
        .collect()
}

#[test]
fn identical_settings_have_no_changes() {
    let mut settings = repo();
    settings.branches.insert(
        name("main"),
        protected_main(2, vec![RequiredCheck::any_app("ci")]),
    );
    settings
        .environments
        .insert(name("prod"), Environment::default());
    let plan = plan(
        "acme/x",
        &settings,
        &LiveState::from_settings(settings.clone()),
    );
    assert!(plan.in_sync(), "{plan:#?}");
}

#[test]
fn order_duplicates_and_case_of_sets_are_not_drift() {
    let mut desired = repo();
    let mut branch = protected_main(
        1,
        vec![
            RequiredCheck::any_app("b"),
            RequiredCheck::any_app("a"),
            RequiredCheck::any_app("a"),
        ],
    );
    branch.push_restrictions = Some(Actors {
        users: vec![name("Octocat"), name("hubot")],
        ..Actors::default()
    });
    desired.branches.insert(name("main"), branch);
    let mut live = repo();
    let mut branch = protected_main(
        1,
        vec![RequiredCheck::any_app("a"), RequiredCheck::any_app("b")],
    );
    branch.push_restrictions = Some(Actors {
        users: vec![name("hubot"), name("octocat")],
        ..Actors::default()
    });
    live.branches.insert(name("main"), branch);
    let plan = plan("acme/x", &desired, &LiveState::from_settings(live));
    assert!(plan.in_sync(), "{plan:#?}");
}

#[test]
fn a_changed_setting_is_one_update_with_the_field_path() {
    let mut desired = repo();
    desired
        .branches
        .insert(name("main"), protected_main(2, vec![]));
    let mut live = repo();
    live.branches
        .insert(name("main"), protected_main(1, vec![]));
    let plan = plan("acme/x", &desired, &LiveState::from_settings(live));
    assert_eq!(plan.changes.len(), 1);
    let change = &plan.changes[0];
    assert_eq!(
        (change.address.to_string().as_str(), change.action),
        ("branches.main", Action::Update)
    );
    assert_eq!(
        change.diffs,
        vec![FieldDiff::new(
            "pull_request.required_approvals",
            json!(1),
            json!(2)
        )]
    );
}

#[test]
fn a_bare_check_accepts_any_app_and_a_pinned_one_only_its_app() {
    let mut live = repo();
    live.branches.insert(
        name("main"),
        protected_main(
            1,
            vec![
                pinned("lint", None, Some(15368)),
                pinned("sec", None, Some(99)),
            ],
        ),
    );
    let mut desired = repo();
    desired.branches.insert(
        name("main"),
        protected_main(
            1,
            vec![
                RequiredCheck::any_app("lint"),
                pinned("sec", Some("github-actions"), None),
            ],
        ),
    );
    let mut state = LiveState::from_settings(live);
    state.ids.apps.insert("github-actions".into(), 15368);
    let plan = plan("acme/x", &desired, &state);
    assert_eq!(plan.changes.len(), 1, "{plan:#?}");
    let diff = &plan.changes[0].diffs[0];
    assert_eq!(diff.path, "status_checks.required");
    assert_eq!(diff.live, json!(["lint", {"context": "sec", "app_id": 99}]));
    assert_eq!(
        diff.policy,
        json!(["lint", {"context": "sec", "app": "github-actions"}])
    );

    // Once the live app is the pinned one, there is nothing to do.
    state
        .settings
        .branches
        .get_mut("main")
        .unwrap()
        .status_checks
        .as_mut()
        .unwrap()
        .required[1]
        .app_id = Some(15368);
    assert!(super::plan("acme/x", &desired, &state, &Context::default()).in_sync());
}

#[test]
fn a_missing_branch_is_drift_apply_cannot_fix() {
    let mut desired = repo();
    desired
        .branches
        .insert(name("release"), protected_main(1, vec![]));
    desired.branches.insert(name("gone"), Branch::unprotected());
    let mut state = LiveState::from_settings(repo());
    state.missing_branches.insert("release".into());
    state.missing_branches.insert("gone".into());
    let plan = plan("acme/x", &desired, &state);
    assert_eq!(
        addresses(&plan),
        vec![("branches.release".into(), Action::Create, false)]
    );
    assert_eq!(plan.changes[0].reason(), Some(REASON_BRANCH_MISSING));
}

#[test]
fn unlisted_resources_are_untouched_unless_pruned() {
    let mut live = repo();
    live.branches.insert(name("old"), protected_main(1, vec![]));
    live.environments
        .insert(name("preview"), Environment::default());
    let desired = repo();
    assert!(plan("acme/x", &desired, &LiveState::from_settings(live.clone())).in_sync());

    let mut pruning = repo();
    pruning.prune.branch_protection = true;
    pruning.prune.environments = true;
    let plan = plan("acme/x", &pruning, &LiveState::from_settings(live));
    assert_eq!(
        addresses(&plan),
        vec![
            ("branches.old".into(), Action::Delete, true),
            ("environments.preview".into(), Action::Delete, true)
        ]
    );
}

#[test]
fn protected_false_removes_protection() {
    let mut live = repo();
    live.branches
        .insert(name("legacy"), protected_main(1, vec![]));
    let mut desired = repo();
    desired
        .branches
        .insert(name("legacy"), Branch::unprotected());
    let plan = plan("acme/x", &desired, &LiveState::from_settings(live));
    assert_eq!(
        addresses(&plan),
        vec![("branches.legacy".into(), Action::Delete, true)]
    );
    assert!(matches!(
        plan.changes[0].target(),
        Some(Target::BranchProtection {
            write: ProtectionWrite::Remove { handover: None },
            ..
        })
    ));
}

#[test]
fn enabling_pull_requests_shows_only_what_is_not_a_default() {
    let mut live = repo();
    live.branches.insert(name("dev"), Branch::default());
    let mut desired = repo();
    desired.branches.insert(
        name("dev"),
        Branch {
            pull_request: Some(PullRequestRules {
                required_approvals: 1,
                ..PullRequestRules::default()
            }),
            ..Branch::default()
        },
    );
    let plan = plan("acme/x", &desired, &LiveState::from_settings(live));
    let paths: Vec<String> = plan.changes[0]
        .diffs
        .iter()
        .map(|d| d.path.to_string())
        .collect();
    assert_eq!(paths, ["pull_request.required_approvals"]);
    assert!(plan.changes[0].diffs.iter().all(|d| d.live.is_null()));
}

mod environment;
