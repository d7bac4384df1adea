//! A repository's branches and environments written back in the seed format.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Repo;
use super::protection::{Actors, Protection};
use crate::seed::{
    BranchPolicySeed, BranchSeed, DeploymentBranchPolicySeed, EnvironmentSeed, ReviewerSeed,
};

/// Branches and environments by name.
pub(crate) type ExportedRepo = (
    BTreeMap<String, BranchSeed>,
    BTreeMap<String, EnvironmentSeed>,
);

impl Repo {
    /// Returns the branches and environments in the seed format.
    pub(crate) fn export(&self) -> ExportedRepo {
        let branches = self
            .branches
            .iter()
            .map(|(name, b)| {
                (
                    name.clone(),
                    BranchSeed {
                        protection: b.protection.as_ref().map(protection_body),
                        required_signatures: b.protection.as_ref().is_some_and(|p| p.signatures),
                    },
                )
            })
            .collect();
        let environments = self
            .envs
            .iter()
            .map(|(name, e)| {
                let reviewers = e
                    .reviewers
                    .iter()
                    .map(|(kind, id)| match kind.as_str() {
                        "User" => self.dir.users.iter().find(|u| u.id == *id).map_or(
                            ReviewerSeed::ById {
                                kind: kind.clone(),
                                id: *id,
                            },
                            |u| ReviewerSeed::User {
                                user: u.login.clone(),
                            },
                        ),
                        _ => self.dir.teams.iter().find(|t| t.id == *id).map_or(
                            ReviewerSeed::ById {
                                kind: kind.clone(),
                                id: *id,
                            },
                            |t| ReviewerSeed::Team {
                                team: t.slug.clone(),
                            },
                        ),
                    })
                    .collect();
                let seed = EnvironmentSeed {
                    wait_timer: e.wait_timer,
                    prevent_self_review: e.prevent_self_review,
                    reviewers,
                    can_admins_bypass: e.can_admins_bypass,
                    deployment_branch_policy: e.dbp.map(|(p, c)| DeploymentBranchPolicySeed {
                        protected_branches: p,
                        custom_branch_policies: c,
                    }),
                    branch_policies: e
                        .policies
                        .iter()
                        .map(|p| BranchPolicySeed {
                            name: p.name.clone(),
                            kind: p.kind.clone(),
                        })
                        .collect(),
                    secrets: e.secrets.keys().cloned().collect(),
                    variables: e
                        .variables
                        .iter()
                        .map(|(k, v)| (k.clone(), v.value.clone()))
                        .collect(),
                };
                (name.clone(), seed)
            })
            .collect();
        (branches, environments)
    }
}

/// Writes stored protection back as a PUT body (checks with `app_id` only when pinned).
fn protection_body(p: &Protection) -> Value {
    let actors = |a: &Actors| json!({"users": a.users, "teams": a.teams, "apps": a.apps});
    json!({
        "required_status_checks": p.status_checks.as_ref().map(|s| json!({
            "strict": s.strict,
            "checks": s.checks.iter().map(|(c, a)| match a {
                Some(id) => json!({"context": c, "app_id": id}),
                None => json!({"context": c}),
            }).collect::<Vec<_>>(),
        })),
        "enforce_admins": p.enforce_admins,
        "required_pull_request_reviews": p.reviews.as_ref().map(|r| {
            let mut v = json!({
                "dismiss_stale_reviews": r.dismiss_stale,
                "require_code_owner_reviews": r.code_owners,
                "required_approving_review_count": r.count,
                "require_last_push_approval": r.last_push,
            });
            if let Some(d) = &r.dismissal {
                v["dismissal_restrictions"] = actors(d);
            }
            if let Some(b) = &r.bypass {
                v["bypass_pull_request_allowances"] = actors(b);
            }
            v
        }),
        "restrictions": p.restrictions.as_ref().map(actors),
        "required_linear_history": p.linear_history,
        "allow_force_pushes": p.force_pushes,
        "allow_deletions": p.deletions,
        "block_creations": p.block_creations,
        "required_conversation_resolution": p.conversation_resolution,
        "lock_branch": p.lock_branch,
        "allow_fork_syncing": p.fork_syncing,
    })
}
