// Compiled only under cfg(test) (see `mod tests;` in convert/ruleset/mod.rs).
use serde_json::json;

use super::*;
use crate::model::{
    ActorKind, Enforcement, PullRequestRule, RepositoryRole, RestrictUpdates, StatusChecksRule,
    UnknownActor,
};
use crate::plan::{ResolvedActor, ResolvedIntegrationCheck};

fn wire(value: serde_json::Value) -> WireRuleset {
    serde_json::from_value(value).unwrap()
}

#[test]
fn defaults_github_fills_in_read_as_the_policy_wrote_them() {
    let mut ids = Identities::default();
    ids.teams.insert("release-managers".into(), 41);
    let parts = ruleset_from(
        wire(json!({
            "id": 7, "name": "protect-main", "target": "branch", "enforcement": "active",
            "source_type": "Repository", "source": "acme/api",
            "conditions": { "ref_name": { "include": ["refs/heads/release/**", "~DEFAULT_BRANCH"], "exclude": [] } },
            "bypass_actors": [
                { "actor_id": null, "actor_type": "OrganizationAdmin", "bypass_mode": "always" },
                { "actor_id": 41, "actor_type": "Team", "bypass_mode": "pull_request" },
                { "actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always" },
                { "actor_id": 99, "actor_type": "Integration", "bypass_mode": "always" }
            ],
            "rules": [
                { "type": "pull_request", "parameters": {
                    "required_approving_review_count": 2, "dismiss_stale_reviews_on_push": true,
                    "require_code_owner_review": false, "require_last_push_approval": false,
                    "required_review_thread_resolution": false,
                    "allowed_merge_methods": ["rebase", "squash", "merge"],
                    "required_reviewers": [] } },
                { "type": "required_status_checks", "parameters": {
                    "strict_required_status_checks_policy": true, "do_not_enforce_on_create": false,
                    "required_status_checks": [ { "context": "ci", "integration_id": 15368 } ] } },
                { "type": "update", "parameters": { "update_allows_fetch_and_merge": false } },
                { "type": "merge_queue", "parameters": { "merge_method": "SQUASH" } }
            ]
        })),
        &ids,
    )
    .unwrap();
    assert!(parts.bypass_visible);
    let r = &parts.ruleset;
    assert_eq!(r.include, ["release/**", "~DEFAULT_BRANCH"]);
    let pr = r.rules.pull_request.as_ref().unwrap();
    assert_eq!(pr.required_approvals, 2);
    assert_eq!(pr.allowed_merge_methods, None, "all three is the default");
    assert_eq!(r.rules.restrict_updates, RestrictUpdates::Flag(true));
    assert_eq!(r.rules.other[0].kind, "merge_queue");
    assert!(r.bypass.iter().any(|a| a.org_admins));
    assert!(r.bypass.iter().any(
        |a| a.team.as_deref() == Some("release-managers") && a.mode == BypassMode::PullRequest
    ));
    assert!(
        r.bypass
            .iter()
            .any(|a| a.role == Some(RepositoryRole::Admin))
    );
    assert!(r.bypass.iter().any(|a| a.app_id == Some(99)));
    // What the model cannot say is kept for the next PUT.
    assert_eq!(
        parts.kept["pull_request"],
        json!({ "required_reviewers": [] })
            .as_object()
            .unwrap()
            .clone()
    );
}

#[test]
fn hidden_bypass_actors_are_not_an_empty_list() {
    let parts = ruleset_from(
        wire(json!({ "id": 1, "name": "x", "enforcement": "active", "rules": [] })),
        &Identities::default(),
    )
    .unwrap();
    assert!(!parts.bypass_visible);
}

#[test]
fn the_request_has_every_array_and_keeps_unmodelled_parameters() {
    let mut kept = BTreeMap::new();
    kept.insert(
        "pull_request".to_owned(),
        json!({ "required_reviewers": [] })
            .as_object()
            .unwrap()
            .clone(),
    );
    let put = RulesetPut {
        settings: Ruleset {
            rules: Rules {
                pull_request: Some(PullRequestRule {
                    required_approvals: 1,
                    ..PullRequestRule::default()
                }),
                status_checks: Some(StatusChecksRule {
                    strict: true,
                    ..StatusChecksRule::default()
                }),
                restrict_updates: RestrictUpdates::With {
                    allow_fetch_and_merge: true,
                },
                ..Rules::default()
            },
            ..Ruleset::default()
        },
        include: vec!["refs/heads/main".into()],
        exclude: Vec::new(),
        bypass: vec![ResolvedActor {
            kind: ActorKind::OrganizationAdmin,
            id: None,
            mode: BypassMode::Always,
        }],
        checks: vec![ResolvedIntegrationCheck {
            context: "ci".into(),
            integration_id: None,
        }],
        kept,
    };
    let body = serde_json::to_value(ruleset_request("protect-main", &put)).unwrap();
    assert_eq!(
        body["bypass_actors"],
        json!([{ "actor_id": null, "actor_type": "OrganizationAdmin", "bypass_mode": "always" }])
    );
    assert_eq!(
        body["rules"][0]["parameters"]["required_reviewers"],
        json!([])
    );
    assert_eq!(
        body["rules"][0]["parameters"]["allowed_merge_methods"],
        json!(["merge", "squash", "rebase"])
    );
    assert_eq!(
        body["rules"][1]["parameters"]["required_status_checks"],
        json!([{ "context": "ci" }])
    );
    assert_eq!(
        body["rules"][2],
        json!({ "type": "update", "parameters": { "update_allows_fetch_and_merge": true } })
    );
    assert_eq!(
        body["conditions"],
        json!({ "ref_name": { "include": ["refs/heads/main"], "exclude": [] } })
    );

    let cleared = RulesetPut {
        bypass: Vec::new(),
        ..put
    };
    let body = serde_json::to_value(ruleset_request("protect-main", &cleared)).unwrap();
    assert_eq!(
        body["bypass_actors"],
        json!([]),
        "an empty list, never null or nothing"
    );
}

#[test]
fn patterns_are_qualified_by_target() {
    assert_eq!(RulesetTarget::Branch.qualified("main"), "refs/heads/main");
    assert_eq!(RulesetTarget::Tag.qualified("v*"), "refs/tags/v*");
    assert_eq!(
        RulesetTarget::Branch.qualified("~DEFAULT_BRANCH"),
        "~DEFAULT_BRANCH"
    );
    assert_eq!(
        RulesetTarget::Branch.unqualified("refs/heads/release/**"),
        "release/**"
    );
    assert_eq!(
        RulesetTarget::Branch.unqualified("refs/tags/v1"),
        "refs/tags/v1"
    );
}

#[test]
fn every_rule_type_reads_back_as_the_name_github_uses() {
    for (kind, _) in RuleType::MODELLED {
        assert_eq!(RuleType::parse(kind.as_str()), kind);
        assert!(!matches!(kind, RuleType::Unknown(_)));
    }
    assert_eq!(
        RuleType::parse("merge_queue"),
        RuleType::Unknown("merge_queue".to_owned())
    );
}

#[test]
fn what_github_adds_later_is_kept_as_written() {
    let parts = ruleset_from(
        wire(json!({
            "id": 7, "name": "future", "target": "commit", "enforcement": "enforce_strictly",
            "bypass_actors": [
                { "actor_id": 3, "actor_type": "EnterpriseTeam", "bypass_mode": "always" },
                { "actor_id": null, "actor_type": "Team", "bypass_mode": "always" },
                { "actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "sometimes" }
            ],
            "rules": [{ "type": "merge_queue", "parameters": { "merge_method": "SQUASH" } }]
        })),
        &Identities::default(),
    )
    .unwrap();
    let r = parts.ruleset;
    assert_eq!(
        r.enforcement,
        Enforcement::Unknown("enforce_strictly".to_owned())
    );
    assert_eq!(r.target, RulesetTarget::Unknown("commit".to_owned()));
    assert_eq!(r.bypass.len(), 3, "no actor is dropped: {:?}", r.bypass);
    assert_eq!(
        r.bypass[0].unknown,
        Some(UnknownActor {
            actor_type: "EnterpriseTeam".to_owned(),
            actor_id: Some(3)
        })
    );
    assert_eq!(r.bypass[1].unknown.as_ref().map(|u| u.actor_id), Some(None));
    assert_eq!(
        r.bypass[2].mode,
        BypassMode::Unknown("sometimes".to_owned())
    );
    assert_eq!(r.rules.other[0].kind, "merge_queue");
}

#[test]
fn a_rule_without_a_parameter_github_requires_is_an_error_not_off() {
    for (rule, parameter) in [
        (
            json!({ "type": "pull_request", "parameters": {
                "dismiss_stale_reviews_on_push": true, "require_code_owner_review": false,
                "require_last_push_approval": false, "required_review_thread_resolution": false } }),
            "required_approving_review_count",
        ),
        (
            json!({ "type": "required_status_checks", "parameters": { "required_status_checks": [] } }),
            "strict_required_status_checks_policy",
        ),
        (
            json!({ "type": "update", "parameters": {} }),
            "update_allows_fetch_and_merge",
        ),
    ] {
        let err = ruleset_from(
            wire(json!({ "id": 7, "name": "x", "enforcement": "active", "rules": [rule] })),
            &Identities::default(),
        )
        .err()
        .unwrap_or_else(|| panic!("{parameter} missing, read anyway"));
        assert_eq!(err.parameter, parameter);
    }
}

#[test]
fn a_merge_method_github_adds_later_is_an_error_never_all_three() {
    let err = ruleset_from(
        wire(
            json!({ "id": 7, "name": "x", "enforcement": "active", "rules": [
            { "type": "pull_request", "parameters": {
                "required_approving_review_count": 1, "dismiss_stale_reviews_on_push": false,
                "require_code_owner_review": false, "require_last_push_approval": false,
                "required_review_thread_resolution": false,
                "allowed_merge_methods": ["merge", "fast_forward"] } }
        ] }),
        ),
        &Identities::default(),
    )
    .err()
    .expect("an unknown merge method is never read as all three");
    assert_eq!(err.parameter, "allowed_merge_methods");
}

/// GitHub takes any text as a ref pattern: a pattern the policy's rule refuses is read as
/// GitHub holds it, never a failed read, so the plan shows it and replaces it.
#[test]
fn a_pattern_the_rule_refuses_is_read_from_github_it() {
    let parts = ruleset_from(
        wire(json!({
            "id": 8, "name": "odd", "target": "branch", "enforcement": "active",
            "conditions": { "ref_name": { "include": ["refs/heads/", "refs/heads/ma\u{202e}in"], "exclude": [" "] } },
            "rules": []
        })),
        &Identities::default(),
    )
    .unwrap();
    assert_eq!(parts.ruleset.include, ["", "ma\u{202e}in"]);
    assert_eq!(parts.ruleset.exclude, [" "]);
}
