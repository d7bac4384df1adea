//! What GitHub makes of a write: a protection PUT replacing the whole protection, an
//! environment PUT keeping the keys it leaves out.

use super::super::*;

pub(super) fn on(flag: bool) -> Enabled {
    Enabled { enabled: flag }
}

/// What GitHub keeps of a list of names: the ones it knows, as objects.
fn objects(names: &ActorNames) -> ActorObjects {
    ActorObjects {
        users: names
            .users
            .iter()
            .map(|login| Login {
                login: login.clone(),
            })
            .collect(),
        teams: names
            .teams
            .iter()
            .map(|slug| Slug { slug: slug.clone() })
            .collect(),
        apps: names
            .apps
            .iter()
            .map(|slug| Slug { slug: slug.clone() })
            .collect(),
    }
}

/// Performs a PUT of protection as GitHub does: the body replaces the protection; checks
/// given by name are "any app"; signed commits are kept.
pub(super) fn protect(old: Option<&Protection>, body: &ProtectionRequest) -> Protection {
    let reviews = body.required_pull_request_reviews.as_ref().map(|r| {
        let old = old.and_then(|o| o.required_pull_request_reviews.as_ref());
        PullRequestReviews {
            dismissal_restrictions: match &r.dismissal_restrictions {
                Some(ActorNamesOrOff::Actors(names)) => Some(objects(names)),
                Some(ActorNamesOrOff::Off(_)) => None,
                None => old.and_then(|o| o.dismissal_restrictions.clone()),
            },
            dismiss_stale_reviews: Some(r.dismiss_stale_reviews),
            require_code_owner_reviews: Some(r.require_code_owner_reviews),
            required_approving_review_count: Some(r.required_approving_review_count),
            require_last_push_approval: Some(r.require_last_push_approval),
            bypass_pull_request_allowances: match &r.bypass_pull_request_allowances {
                Some(names) => Some(objects(names)),
                None => old.and_then(|o| o.bypass_pull_request_allowances.clone()),
            },
        }
    });
    Protection {
        required_status_checks: body
            .required_status_checks
            .as_ref()
            .map(|c| StatusCheckPolicy {
                strict: Some(c.strict),
                contexts: c.contexts.clone(),
                checks: Some(
                    c.contexts
                        .iter()
                        .map(|context| Check {
                            context: context.clone(),
                            app_id: None,
                        })
                        .collect(),
                ),
            }),
        enforce_admins: Some(on(body.enforce_admins)),
        required_pull_request_reviews: reviews,
        restrictions: body.restrictions.as_ref().map(objects),
        required_linear_history: Some(on(body.required_linear_history)),
        allow_force_pushes: Some(on(body.allow_force_pushes)),
        allow_deletions: Some(on(body.allow_deletions)),
        block_creations: Some(on(body.block_creations)),
        required_conversation_resolution: Some(on(body.required_conversation_resolution)),
        lock_branch: Some(on(body.lock_branch)),
        allow_fork_syncing: Some(on(body.allow_fork_syncing)),
        required_signatures: old
            .and_then(|o| o.required_signatures.clone())
            .or(Some(on(false))),
    }
}

/// Applies an environment PUT as GitHub does: keys left out keep their values.
pub(super) fn update_environment(
    environment: &mut FakeEnvironment,
    body: &EnvironmentRequest,
    users: &BTreeMap<String, (String, u64)>,
    teams: &BTreeMap<String, (String, u64)>,
) {
    let rules = &mut environment.wire.protection_rules;
    let rule = |rules: &mut Vec<ProtectionRule>, kind: &str| {
        if !rules.iter().any(|r| r.kind == kind) {
            rules.push(ProtectionRule {
                kind: kind.to_owned(),
                wait_timer: None,
                prevent_self_review: None,
                reviewers: Vec::new(),
            });
        }
        rules
            .iter()
            .position(|r| r.kind == kind)
            .unwrap_or_default()
    };
    if let Some(minutes) = body.wait_timer {
        let at = rule(rules, "wait_timer");
        rules[at].wait_timer = Some(minutes);
    }
    if let Some(reviewers) = &body.reviewers {
        let at = rule(rules, "required_reviewers");
        rules[at].reviewers = reviewers
            .iter()
            .flatten()
            .map(|r| {
                let (login, slug) = if r.kind == "Team" {
                    (
                        None,
                        teams
                            .values()
                            .find(|(_, id)| *id == r.id)
                            .map(|(s, _)| s.clone()),
                    )
                } else {
                    (
                        users
                            .values()
                            .find(|(_, id)| *id == r.id)
                            .map(|(l, _)| l.clone()),
                        None,
                    )
                };
                ReviewerEntry {
                    kind: Some(r.kind.to_owned()),
                    reviewer: Some(ReviewerObject {
                        id: Some(r.id),
                        login,
                        slug,
                    }),
                }
            })
            .collect();
    }
    if let Some(flag) = body.prevent_self_review {
        let at = rule(rules, "required_reviewers");
        rules[at].prevent_self_review = Some(flag);
    }
    rules.retain(|r| r.kind != "required_reviewers" || !r.reviewers.is_empty());
    environment.wire.deployment_branch_policy = body
        .deployment_branch_policy
        .map(|p| BranchPolicySettings { ..p });
    if environment
        .wire
        .deployment_branch_policy
        .is_none_or(|p| !p.custom_branch_policies)
    {
        environment.patterns.clear();
    }
    if let Some(flag) = body.can_admins_bypass {
        environment.wire.can_admins_bypass = Some(flag);
    }
}
