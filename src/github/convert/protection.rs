//! Classic branch protection: GET answers into `Branch`, plan targets into PUT/PATCH bodies.

use crate::github::wire::enabled;
use crate::github::wire::protection::{
    ActorNames, ActorNamesOrOff, ActorObjects, Check, ChecksRequest, ContextsRequest, Empty,
    Protection, ProtectionRequest, ReviewsRequest,
};
use crate::model::names::{Login, Slug};
use crate::model::{Actors, Branch, PullRequestRules, RequiredCheck, StatusChecks};
use crate::plan::{ProtectionPut, ResolvedCheck};

/// Converts GitHub's answer into the model; `required_signatures` comes from the answer or,
/// when GitHub left it out, from the caller's separate read.
pub fn branch_from(protection: Protection, required_signatures: bool) -> Branch {
    let status_checks = protection.required_status_checks.map(|policy| {
        let required = match policy.checks {
            Some(checks) => checks
                .into_iter()
                .map(|check| RequiredCheck {
                    context: check.context,
                    app: None,
                    // `null` and `-1` both mean "any app".
                    app_id: check.app_id.filter(|id| *id > 0),
                })
                .collect(),
            None => policy
                .contexts
                .into_iter()
                .map(RequiredCheck::any_app)
                .collect(),
        };
        StatusChecks {
            strict: policy.strict.unwrap_or(false),
            required,
        }
    });
    let pull_request = protection
        .required_pull_request_reviews
        .map(|reviews| PullRequestRules {
            required_approvals: reviews.required_approving_review_count.unwrap_or(0),
            dismiss_stale_reviews: reviews.dismiss_stale_reviews.unwrap_or(false),
            require_code_owner_reviews: reviews.require_code_owner_reviews.unwrap_or(false),
            require_last_push_approval: reviews.require_last_push_approval.unwrap_or(false),
            dismissal_restrictions: actors(reviews.dismissal_restrictions.unwrap_or_default()),
            bypass: actors(reviews.bypass_pull_request_allowances.unwrap_or_default()),
        });
    Branch {
        protected: true,
        pull_request,
        status_checks,
        enforce_admins: enabled(protection.enforce_admins.as_ref()),
        required_linear_history: enabled(protection.required_linear_history.as_ref()),
        allow_force_pushes: enabled(protection.allow_force_pushes.as_ref()),
        allow_deletions: enabled(protection.allow_deletions.as_ref()),
        block_creations: enabled(protection.block_creations.as_ref()),
        required_conversation_resolution: enabled(
            protection.required_conversation_resolution.as_ref(),
        ),
        required_signatures,
        lock_branch: enabled(protection.lock_branch.as_ref()),
        allow_fork_syncing: enabled(protection.allow_fork_syncing.as_ref()),
        push_restrictions: protection.restrictions.map(actors),
    }
}

/// GitHub's users, teams and apps, named as GitHub names them (an older login may break
/// today's rule, and is still read).
fn actors(objects: ActorObjects) -> Actors {
    Actors {
        users: objects
            .users
            .into_iter()
            .map(|u| Login::from_github(u.login))
            .collect(),
        teams: objects
            .teams
            .into_iter()
            .map(|t| Slug::from_github(t.slug))
            .collect(),
        apps: objects
            .apps
            .into_iter()
            .map(|a| Slug::from_github(a.slug))
            .collect(),
    }
}

fn names(actors: &Actors) -> ActorNames {
    ActorNames {
        users: actors.users.iter().map(ToString::to_string).collect(),
        teams: actors.teams.iter().map(ToString::to_string).collect(),
        apps: actors.apps.iter().map(ToString::to_string).collect(),
    }
}

/// Builds the PUT body. Checks go by name (the official schema requires `contexts`, and
/// GitHub refuses it together with `checks`); pins follow in a PATCH (`checks_request`).
pub fn protection_request(put: &ProtectionPut) -> ProtectionRequest {
    let branch = &put.settings;
    let reviews = branch.pull_request.as_ref().map(|pr| ReviewsRequest {
        dismiss_stale_reviews: pr.dismiss_stale_reviews,
        require_code_owner_reviews: pr.require_code_owner_reviews,
        required_approving_review_count: pr.required_approvals,
        require_last_push_approval: pr.require_last_push_approval,
        // Dismissal restrictions exist only on organisation repositories: sent only when
        // there are some, or as `{}` to turn live ones off.
        dismissal_restrictions: if pr.dismissal_restrictions.is_empty() {
            put.clear_dismissal_restrictions
                .then_some(ActorNamesOrOff::Off(Empty {}))
        } else {
            Some(ActorNamesOrOff::Actors(names(&pr.dismissal_restrictions)))
        },
        bypass_pull_request_allowances: (!pr.bypass.is_empty() || put.clear_bypass)
            .then(|| names(&pr.bypass)),
    });
    let checks = branch.status_checks.as_ref().map(|checks| {
        let mut contexts: Vec<String> = checks.required.iter().map(|c| c.context.clone()).collect();
        contexts.sort_unstable();
        contexts.dedup();
        ContextsRequest {
            strict: checks.strict,
            contexts,
        }
    });
    ProtectionRequest {
        required_status_checks: checks,
        enforce_admins: branch.enforce_admins,
        required_pull_request_reviews: reviews,
        restrictions: branch.push_restrictions.as_ref().map(names),
        required_linear_history: branch.required_linear_history,
        allow_force_pushes: branch.allow_force_pushes,
        allow_deletions: branch.allow_deletions,
        block_creations: branch.block_creations,
        required_conversation_resolution: branch.required_conversation_resolution,
        lock_branch: branch.lock_branch,
        allow_fork_syncing: branch.allow_fork_syncing,
    }
}

/// Builds the PATCH body that pins checks to their apps.
pub fn checks_request(strict: bool, checks: &[ResolvedCheck]) -> ChecksRequest {
    ChecksRequest {
        strict,
        checks: checks
            .iter()
            .map(|check| Check {
                context: check.context.clone(),
                app_id: check.app_id.and_then(|id| i64::try_from(id).ok()),
            })
            .collect(),
    }
}

/// Compares the PUT answer with what was asked: GitHub silently drops users and teams
/// without write access from restrictions (emulator/github-api/QUIRKS.md 24). Returns a
/// warning for each.
pub fn dropped_actors(answer: &Protection, asked: &Branch) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut compare = |section: &str, asked: &Actors, got: Option<&ActorObjects>| {
        let users: Vec<String> = got
            .map(|g| g.users.iter().map(|u| u.login.to_lowercase()).collect())
            .unwrap_or_default();
        let teams: Vec<String> = got
            .map(|g| g.teams.iter().map(|t| t.slug.to_lowercase()).collect())
            .unwrap_or_default();
        for (kind, wanted, present) in [
            (
                "user",
                asked.users.iter().map(Login::as_str).collect(),
                &users,
            ),
            (
                "team",
                asked.teams.iter().map(Slug::as_str).collect::<Vec<_>>(),
                &teams,
            ),
        ] {
            for name in wanted {
                if !present.contains(&name.to_lowercase()) {
                    warnings.push(format!(
                        "GitHub dropped {kind} {} from {section} (it needs write access to the repository)",
                        crate::output::untrusted::quote(name)
                    ));
                }
            }
        }
    };
    if let Some(restrictions) = &asked.push_restrictions {
        compare(
            "push_restrictions",
            restrictions,
            answer.restrictions.as_ref(),
        );
    }
    if let Some(pr) = &asked.pull_request {
        let reviews = answer.required_pull_request_reviews.as_ref();
        compare(
            "pull_request.dismissal_restrictions",
            &pr.dismissal_restrictions,
            reviews.and_then(|r| r.dismissal_restrictions.as_ref()),
        );
        compare(
            "pull_request.bypass",
            &pr.bypass,
            reviews.and_then(|r| r.bypass_pull_request_allowances.as_ref()),
        );
    }
    warnings
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_put_body_has_the_four_required_keys_and_checks_by_name() {
        let put = ProtectionPut {
            settings: Branch {
                pull_request: Some(PullRequestRules {
                    required_approvals: 2,
                    ..PullRequestRules::default()
                }),
                status_checks: Some(StatusChecks {
                    strict: true,
                    required: vec![RequiredCheck::any_app("b"), RequiredCheck::any_app("a")],
                }),
                ..Branch::default()
            },
            pinned_checks: None,
            clear_dismissal_restrictions: false,
            clear_bypass: false,
            signatures: None,
        };
        let body = serde_json::to_value(protection_request(&put)).unwrap();
        for key in [
            "required_status_checks",
            "enforce_admins",
            "required_pull_request_reviews",
            "restrictions",
        ] {
            assert!(body.get(key).is_some(), "{key} missing");
        }
        assert_eq!(
            body["required_status_checks"],
            json!({ "strict": true, "contexts": ["a", "b"] })
        );
        assert!(body["restrictions"].is_null());
        assert!(
            body["required_pull_request_reviews"]
                .get("dismissal_restrictions")
                .is_none()
        );
    }

    #[test]
    fn clearing_sends_an_empty_object_and_empty_lists() {
        let put = ProtectionPut {
            settings: Branch {
                pull_request: Some(PullRequestRules::default()),
                ..Branch::default()
            },
            pinned_checks: None,
            clear_dismissal_restrictions: true,
            clear_bypass: true,
            signatures: None,
        };
        let body = serde_json::to_value(protection_request(&put)).unwrap();
        let reviews = &body["required_pull_request_reviews"];
        assert_eq!(reviews["dismissal_restrictions"], json!({}));
        assert_eq!(
            reviews["bypass_pull_request_allowances"],
            json!({ "users": [], "teams": [], "apps": [] })
        );
    }
}
