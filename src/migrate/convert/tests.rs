use super::*;
use crate::model::{Actors, BypassMode, PullRequestRules, StatusChecks};
use crate::testing::name;

fn checks(list: &[RequiredCheck]) -> StatusChecks {
    StatusChecks {
        strict: true,
        required: list.to_vec(),
    }
}

fn pinned(context: &str, app_id: i64) -> RequiredCheck {
    RequiredCheck {
        context: context.to_owned(),
        app: None,
        app_id: Some(app_id),
    }
}

#[test]
fn every_setting_has_its_rule() {
    let branch = Branch {
        pull_request: Some(PullRequestRules {
            required_approvals: 2,
            dismiss_stale_reviews: true,
            require_code_owner_reviews: true,
            require_last_push_approval: true,
            ..PullRequestRules::default()
        }),
        status_checks: Some(checks(&[RequiredCheck::any_app("ci")])),
        enforce_admins: true,
        required_linear_history: true,
        required_conversation_resolution: true,
        required_signatures: true,
        lock_branch: true,
        ..Branch::default()
    };
    let converted = convert("main", &branch, None, &Identities::default()).unwrap();
    assert_eq!(
        converted.rules,
        Rules {
            pull_request: Some(PullRequestRule {
                required_approvals: 2,
                dismiss_stale_reviews: true,
                require_code_owner_reviews: true,
                require_last_push_approval: true,
                required_conversation_resolution: true,
                allowed_merge_methods: None,
            }),
            status_checks: Some(StatusChecksRule {
                strict: true,
                do_not_enforce_on_create: false,
                required: vec![RequiredCheck::any_app("ci")],
            }),
            block_force_pushes: true,
            restrict_deletions: true,
            restrict_updates: RestrictUpdates::Flag(true),
            required_linear_history: true,
            required_signatures: true,
            ..Rules::default()
        }
    );
    assert!(
        converted.bypass.is_empty(),
        "enforce_admins: nobody bypasses"
    );
}

#[test]
fn admins_may_bypass_where_classic_protection_let_them() {
    let branch = Branch {
        allow_force_pushes: true,
        allow_deletions: true,
        ..Branch::default()
    };
    let converted = convert("dev", &branch, None, &Identities::default()).unwrap();
    assert_eq!(converted.rules, Rules::default());
    assert_eq!(
        converted.bypass,
        vec![BypassActor {
            role: Some(RepositoryRole::Admin),
            mode: BypassMode::Always,
            ..BypassActor::default()
        }]
    );
}

#[test]
fn a_check_is_pinned_only_where_it_was() {
    let branch = Branch {
        status_checks: Some(checks(&[
            RequiredCheck::any_app("lint"),
            RequiredCheck::any_app("build"),
            RequiredCheck {
                context: "sec".into(),
                app: Some(name("github-actions")),
                app_id: None,
            },
        ])),
        ..Branch::default()
    };
    let mut ids = Identities::default();
    ids.apps.insert("circleci".into(), 18001);
    // Offline: as the policy writes them.
    let offline = convert("main", &branch, None, &ids).unwrap();
    let required = |c: &AsRuleset| c.rules.status_checks.clone().unwrap().required;
    assert_eq!(
        required(&offline),
        branch.status_checks.clone().unwrap().required
    );
    // Live, `build` is pinned to an app known by slug and `lint` to one known by id only:
    // both stay pinned, as GitHub enforces them today.
    let live = Branch {
        status_checks: Some(checks(&[
            pinned("lint", 777),
            pinned("build", 18001),
            pinned("sec", 15368),
        ])),
        ..Branch::default()
    };
    let read = convert("main", &branch, Some(&live), &ids).unwrap();
    assert_eq!(
        required(&read),
        vec![
            pinned("lint", 777),
            RequiredCheck {
                context: "build".into(),
                app: Some(name("circleci")),
                app_id: None,
            },
            branch.status_checks.clone().unwrap().required[2].clone(),
        ]
    );
}

#[test]
fn what_a_ruleset_cannot_express_is_named() {
    let actors = Actors {
        users: vec![name("octocat")],
        ..Actors::default()
    };
    let branch = Branch {
        pull_request: Some(PullRequestRules {
            dismissal_restrictions: actors.clone(),
            bypass: actors.clone(),
            ..PullRequestRules::default()
        }),
        push_restrictions: Some(actors),
        lock_branch: true,
        allow_fork_syncing: true,
        ..Branch::default()
    };
    let gaps = convert("release/*", &branch, None, &Identities::default()).unwrap_err();
    let keys: Vec<&str> = gaps
        .iter()
        .map(|g| g.split(':').next().unwrap_or_default())
        .collect();
    assert_eq!(
        keys,
        [
            "the branch name `release/*` is not a literal pattern",
            "`pull_request.dismissal_restrictions`",
            "`pull_request.bypass`",
            "`push_restrictions`",
            "`lock_branch` with `allow_fork_syncing`",
        ]
    );
    let conversation = Branch {
        required_conversation_resolution: true,
        ..Branch::default()
    };
    assert_eq!(
        convert("main", &conversation, None, &Identities::default())
            .unwrap_err()
            .len(),
        1
    );
    assert!(!is_literal("~DEFAULT_BRANCH"));
    assert!(!is_literal("refs/heads/x"));
    assert!(is_literal("release/v1.2"));
}
