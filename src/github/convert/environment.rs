//! Environments: GET answers into `Environment`, plan targets into PUT/POST bodies.

use crate::github::wire::environment::{
    BranchPolicySettings, DeploymentBranchPolicy, DeploymentBranchPolicyRequest,
    Environment as WireEnvironment, EnvironmentRequest, ReviewerRequest,
};
use crate::model::live::Identities;
use crate::model::names::{Login, Pattern, Slug};
use crate::model::{DeploymentBranches, DeploymentPattern, Environment, RefType, Reviewer};
use crate::plan::{DeploymentMode, EnvironmentPut, ReviewerKind};

/// Returns true when the environment deploys from custom name patterns, which are read
/// from their own endpoint.
pub fn has_custom_patterns(environment: &WireEnvironment) -> bool {
    environment
        .deployment_branch_policy
        .is_some_and(|policy| policy.custom_branch_policies)
}

/// Converts GitHub's answer into the model's environment settings. Patterns come from their
/// own endpoint; secrets and variables are filled in by the reader.
pub fn environment_from(wire: WireEnvironment, patterns: Vec<DeploymentPattern>) -> Environment {
    let mut environment = Environment {
        // Not in the 2022-11-28 description; the live API sends it
        // (emulator/github-api/QUIRKS.md 31).
        can_admins_bypass: wire.can_admins_bypass.unwrap_or(true),
        ..Environment::default()
    };
    for rule in wire.protection_rules {
        match rule.kind.as_str() {
            "wait_timer" => environment.wait_timer = rule.wait_timer.unwrap_or(0),
            "required_reviewers" => {
                environment.prevent_self_review = rule.prevent_self_review.unwrap_or(false);
                environment.reviewers = rule
                    .reviewers
                    .into_iter()
                    .filter_map(|entry| {
                        let reviewer = entry.reviewer?;
                        match entry.kind.as_deref() {
                            // As GitHub names them: an older login may break today's rule.
                            Some("Team") => {
                                reviewer.slug.map(|s| Reviewer::Team(Slug::from_github(s)))
                            }
                            _ => reviewer
                                .login
                                .map(|l| Reviewer::User(Login::from_github(l))),
                        }
                    })
                    .collect();
            }
            _ => {}
        }
    }
    environment.deployment_branches = match wire.deployment_branch_policy {
        Some(policy) if policy.custom_branch_policies => DeploymentBranches::Custom(patterns),
        Some(policy) if policy.protected_branches => DeploymentBranches::Protected,
        // `null` (or neither flag) means any branch may deploy.
        _ => DeploymentBranches::All,
    };
    environment
}

/// Learns the ids of an environment's reviewers, so that apply needs no lookups for
/// reviewers that are already configured.
pub fn learn_reviewer_ids(wire: &WireEnvironment, ids: &mut Identities) {
    for entry in wire
        .protection_rules
        .iter()
        .flat_map(|rule| &rule.reviewers)
    {
        let Some(reviewer) = &entry.reviewer else {
            continue;
        };
        let Some(id) = reviewer.id else {
            continue;
        };
        match (entry.kind.as_deref(), &reviewer.slug, &reviewer.login) {
            (Some("Team"), Some(slug), _) => {
                ids.teams.insert(slug.to_lowercase(), id);
            }
            (Some("Team"), None, _) => {}
            (_, _, Some(login)) => {
                ids.users.insert(login.to_lowercase(), id);
            }
            _ => {}
        }
    }
}

/// Returns a deployment pattern in model terms; a missing `type` means a branch.
pub fn pattern_from(policy: &DeploymentBranchPolicy) -> DeploymentPattern {
    DeploymentPattern {
        ref_type: if policy.kind.as_deref() == Some("tag") {
            RefType::Tag
        } else {
            RefType::Branch
        },
        pattern: Pattern::from_github(policy.name.as_str()),
    }
}

/// Builds the PUT body; keys the target leaves out keep their live values.
pub fn environment_request(put: &EnvironmentPut) -> EnvironmentRequest {
    let reviewers = put.reviewers.as_ref().map(|reviewers| {
        // `null` clears the reviewers (emulator/github-api/QUIRKS.md 32).
        (!reviewers.is_empty()).then(|| {
            reviewers
                .iter()
                .map(|reviewer| ReviewerRequest {
                    kind: match reviewer.kind {
                        ReviewerKind::User => "User",
                        ReviewerKind::Team => "Team",
                    },
                    id: reviewer.id,
                })
                .collect()
        })
    });
    let deployment_branch_policy = match put.deployment_branches {
        DeploymentMode::All => None,
        DeploymentMode::Protected => Some(BranchPolicySettings {
            protected_branches: true,
            custom_branch_policies: false,
        }),
        DeploymentMode::Custom => Some(BranchPolicySettings {
            protected_branches: false,
            custom_branch_policies: true,
        }),
    };
    EnvironmentRequest {
        wait_timer: put.wait_timer,
        prevent_self_review: put.prevent_self_review,
        reviewers,
        deployment_branch_policy,
        can_admins_bypass: put.can_admins_bypass,
    }
}

/// Builds the POST body of a deployment pattern.
pub fn pattern_request(pattern: &DeploymentPattern) -> DeploymentBranchPolicyRequest {
    DeploymentBranchPolicyRequest {
        name: pattern.pattern.to_string(),
        kind: match pattern.ref_type {
            RefType::Branch => "branch",
            RefType::Tag => "tag",
        },
    }
}
