//! The repositories of the world [`super::rich`] that hold what GraphQL shows whole and
//! what it does not: rulesets of every kind, and lists longer than one page.

use gh_policy_emulator::{ActivitySeed, BranchSeed, RepositorySeed};
use serde_json::json;

use crate::github::graphql::query;

/// The ids of the rulesets of [`super::rich`] GraphQL shows whole.
pub(super) const WHOLE: [&str; 3] = ["101", "102", "106"];
/// The ids of those it does not show whole: a `pull_request` rule (its required reviewers
/// hidden), a user who may bypass, an `exempt` bypass mode, a push ruleset's file rule.
pub(super) const PARTIAL: [&str; 4] = ["103", "104", "105", "107"];

/// Repository rulesets with every part GraphQL shows (each bypass actor it names, each
/// parameterless rule, checks pinned to an app, required deployments, update, a tag
/// ruleset in evaluate mode) and each thing it does not show whole ([`PARTIAL`]).
pub(super) fn rulesets() -> RepositorySeed {
    let team = json!({"actor_id": 41, "actor_type": "Team", "bypass_mode": "always"});
    RepositorySeed::new("ruled")
        .ruleset(json!({
            "id": 101, "name": "whole", "target": "branch", "enforcement": "active",
            "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH", "refs/heads/release/*"], "exclude": ["refs/heads/release/old"]}},
            "bypass_actors": [team,
                {"actor_id": 15368, "actor_type": "Integration", "bypass_mode": "pull_request"},
                {"actor_id": 1, "actor_type": "OrganizationAdmin", "bypass_mode": "always"},
                {"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"},
                {"actor_id": null, "actor_type": "DeployKey", "bypass_mode": "always"}],
            "rules": [{"type": "deletion"}, {"type": "non_fast_forward"}, {"type": "creation"},
                {"type": "required_linear_history"}, {"type": "required_signatures"},
                {"type": "required_status_checks", "parameters": {"strict_required_status_checks_policy": true,
                    "do_not_enforce_on_create": true,
                    "required_status_checks": [{"context": "ci", "integration_id": 15368}, {"context": "lint"}]}},
                {"type": "required_deployments", "parameters": {"required_deployment_environments": ["production"]}},
                {"type": "update", "parameters": {"update_allows_fetch_and_merge": true}}]
        }))
        .ruleset(json!({
            "id": 102, "name": "tags", "target": "tag", "enforcement": "evaluate",
            "conditions": {"ref_name": {"include": ["refs/tags/v*"], "exclude": []}},
            "bypass_actors": [], "rules": [{"type": "deletion"}]
        }))
        .ruleset(json!({
            "id": 103, "name": "reviews", "target": "branch", "enforcement": "active",
            "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
            "bypass_actors": [team],
            "rules": [{"type": "pull_request", "parameters": {"required_approving_review_count": 1,
                "dismiss_stale_reviews_on_push": false, "require_code_owner_review": false,
                "require_last_push_approval": false, "required_review_thread_resolution": false}}]
        }))
        .ruleset(json!({
            "id": 104, "name": "a user bypasses", "target": "branch", "enforcement": "active",
            "conditions": {"ref_name": {"include": ["~ALL"], "exclude": []}},
            "bypass_actors": [{"actor_id": 583_231, "actor_type": "User", "bypass_mode": "always"}],
            "rules": [{"type": "non_fast_forward"}]
        }))
        .ruleset(json!({
            "id": 105, "name": "exempt", "target": "branch", "enforcement": "disabled",
            "conditions": {"ref_name": {"include": ["~ALL"], "exclude": []}},
            "bypass_actors": [{"actor_id": 41, "actor_type": "Team", "bypass_mode": "exempt"}],
            "rules": [{"type": "deletion"}]
        }))
        .ruleset(json!({
            "id": 106, "name": "bare", "target": "branch", "enforcement": "active",
            "bypass_actors": [], "rules": [{"type": "required_signatures"}]
        }))
        .ruleset(json!({
            "id": 107, "name": "no secrets", "target": "push", "enforcement": "active",
            "bypass_actors": [],
            "rules": [{"type": "file_path_restriction", "parameters": {"restricted_file_paths": [".env"]}}]
        }))
}

/// A repository with more branches and collaborators than one page of GraphQL holds: both
/// lists are read through REST.
pub(super) fn crowded() -> RepositorySeed {
    let logins: Vec<String> = (0..=query::PEOPLE_AND_BRANCHES)
        .map(|i| format!("person-{i}"))
        .collect();
    let people: Vec<(&str, &str)> = logins.iter().map(|l| (l.as_str(), "write")).collect();
    let mut repo =
        RepositorySeed::new("crowded").activity(ActivitySeed::default().collaborators(&people));
    for i in 0..=query::PEOPLE_AND_BRANCHES {
        repo = repo.branch(&format!("feature-{i}"), BranchSeed::default());
    }
    repo
}
