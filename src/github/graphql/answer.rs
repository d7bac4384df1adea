//! The answer to `query::text`, typed: exactly the fields asked, each as the schema types
//! it (a field the schema lets be null is an `Option`). A repository whose part does not
//! read as this shape is not known through GraphQL and is read through REST.

use serde::Deserialize;

use super::page::{Edges, Page};
use crate::github::wire::Enabled;
use crate::github::wire::account::Repository;
use crate::github::wire::protection::{
    ActorObjects, Check, Login, Protection, PullRequestReviews, Slug, StatusCheckPolicy,
};

/// `rateLimit { cost remaining resetAt }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// Points this query cost.
    pub cost: u64,
    /// Points left in the hour.
    pub remaining: u64,
    /// When the points are next reset (ISO 8601).
    pub reset_at: Option<String>,
}

/// One repository.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepositoryNode {
    /// `owner/name`.
    pub name_with_owner: String,
    /// Archived.
    pub is_archived: bool,
    /// A fork.
    pub is_fork: bool,
    /// `ADMIN`, `MAINTAIN`, `WRITE`, `TRIAGE` or `READ` (null for an anonymous caller).
    pub viewer_permission: Option<String>,
    /// Null when the default branch does not exist (an empty repository).
    pub default_branch_ref: Option<RefNode>,
    /// The classic protection rules (null when GraphQL answered them with an error).
    pub branch_protection_rules: Option<Page<RuleNode>>,
    /// The rulesets, with the organisation's that apply (null when GraphQL would not say).
    pub rulesets: Option<Page<super::rulesets::RulesetNode>>,
    /// The branches (`refs(refPrefix: "refs/heads/")`; null when GraphQL would not say).
    pub refs: Option<Page<RefNode>>,
    /// The collaborators with their permission (null for a caller without push access).
    pub collaborators: Option<Edges<CollaboratorEdge>>,
}

impl RepositoryNode {
    /// The repository as `GET /repos/{o}/{r}` gives what gh-policy reads of it; `None` when
    /// GraphQL did not name the default branch (REST names it even when it does not exist).
    pub fn repository(&self) -> Option<Repository> {
        let name = self.name_with_owner.split_once('/')?.1.to_owned();
        Some(Repository {
            name,
            full_name: Some(self.name_with_owner.clone()),
            default_branch: Some(self.default_branch_ref.as_ref()?.name.clone()),
            archived: self.is_archived,
            fork: self.is_fork,
            // Not in the query: `repository_settings` reads them through REST.
            switches: crate::github::wire::switches::MergeSettings::default(),
        })
    }

    /// Whether GitHub shows this caller the classic protection rules: only to those who may
    /// read them through REST too (a reader gets a refusal there, never an empty list).
    pub fn sees_protection(&self) -> bool {
        matches!(
            self.viewer_permission.as_deref(),
            Some("ADMIN" | "MAINTAIN" | "WRITE")
        )
    }
}

/// `Ref { name }`.
#[derive(Debug, Clone, Deserialize)]
pub struct RefNode {
    /// The branch name.
    pub name: String,
}

/// `RepositoryCollaboratorEdge { permission node { login } }`.
#[derive(Debug, Clone, Deserialize)]
pub struct CollaboratorEdge {
    /// `ADMIN`, `MAINTAIN`, `WRITE`, `TRIAGE` or `READ`.
    pub permission: String,
    /// The person.
    pub node: UserNode,
}

impl CollaboratorEdge {
    /// Whether the person has write access: what REST's `permission=push` keeps (write,
    /// maintain or admin).
    pub fn writes(&self) -> bool {
        matches!(self.permission.as_str(), "ADMIN" | "MAINTAIN" | "WRITE")
    }
}

/// `User { login }`.
#[derive(Debug, Clone, Deserialize)]
pub struct UserNode {
    /// The login.
    pub login: String,
}

/// An actor an allowance names.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "__typename")]
pub enum Actor {
    /// A user, by login.
    User {
        /// The login.
        login: String,
    },
    /// A team, by slug.
    Team {
        /// The slug.
        slug: String,
    },
    /// An app, by slug.
    App {
        /// The slug.
        slug: String,
    },
}

/// An allowance: its actor (null when the caller may not see it).
#[derive(Debug, Clone, Deserialize)]
pub struct Allowance {
    /// Who.
    pub actor: Option<Actor>,
}

/// `app { databaseId }` of a required check.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckApp {
    /// The app's id.
    pub database_id: Option<i64>,
}

/// `requiredStatusChecks { context app }`.
#[derive(Debug, Clone, Deserialize)]
pub struct CheckNode {
    /// The check's name.
    pub context: String,
    /// The app that must report it; null means any.
    pub app: Option<CheckApp>,
}

/// A classic branch protection rule; each field is the schema's field of that name.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleNode {
    pub matching_refs: Page<RefNode>,
    pub is_admin_enforced: bool,
    pub requires_approving_reviews: bool,
    pub required_approving_review_count: Option<i64>,
    pub dismisses_stale_reviews: bool,
    pub requires_code_owner_reviews: bool,
    pub require_last_push_approval: bool,
    pub restricts_review_dismissals: bool,
    pub review_dismissal_allowances: Page<Allowance>,
    pub bypass_pull_request_allowances: Page<Allowance>,
    pub requires_status_checks: bool,
    pub requires_strict_status_checks: bool,
    pub required_status_checks: Option<Vec<CheckNode>>,
    pub requires_commit_signatures: bool,
    pub requires_linear_history: bool,
    pub allows_force_pushes: bool,
    pub allows_deletions: bool,
    pub blocks_creations: bool,
    pub requires_conversation_resolution: bool,
    pub lock_branch: bool,
    pub lock_allows_fetch_and_merge: bool,
    pub restricts_pushes: bool,
    pub push_allowances: Page<Allowance>,
}

/// Returns the actors of a whole allowance list, or `None` when it is not whole (a next
/// page, or an actor the caller may not see).
fn actors(page: &Page<Allowance>) -> Option<ActorObjects> {
    let mut objects = ActorObjects::default();
    for allowance in page.whole()? {
        match allowance.actor.as_ref()? {
            Actor::User { login } => objects.users.push(Login {
                login: login.clone(),
            }),
            Actor::Team { slug } => objects.teams.push(Slug { slug: slug.clone() }),
            Actor::App { slug } => objects.apps.push(Slug { slug: slug.clone() }),
        }
    }
    Some(objects)
}

fn on(enabled: bool) -> Enabled {
    Enabled { enabled }
}

impl RuleNode {
    /// The rule as `GET …/branches/{branch}/protection` answers it for a branch it
    /// protects, or `None` when part of it is not known (a list not whole, a count out of
    /// range): then that branch is read through REST.
    pub fn protection(&self) -> Option<Protection> {
        let reviews = if self.requires_approving_reviews {
            let count = self.required_approving_review_count.unwrap_or(0);
            Some(PullRequestReviews {
                dismissal_restrictions: if self.restricts_review_dismissals {
                    Some(actors(&self.review_dismissal_allowances)?)
                } else {
                    None
                },
                dismiss_stale_reviews: Some(self.dismisses_stale_reviews),
                require_code_owner_reviews: Some(self.requires_code_owner_reviews),
                required_approving_review_count: Some(u8::try_from(count).ok()?),
                require_last_push_approval: Some(self.require_last_push_approval),
                bypass_pull_request_allowances: Some(actors(&self.bypass_pull_request_allowances)?),
            })
        } else {
            None
        };
        let checks = if self.requires_status_checks {
            let listed = self.required_status_checks.as_ref()?;
            Some(StatusCheckPolicy {
                strict: Some(self.requires_strict_status_checks),
                contexts: listed.iter().map(|c| c.context.clone()).collect(),
                checks: Some(
                    listed
                        .iter()
                        .map(|c| Check {
                            context: c.context.clone(),
                            app_id: c.app.as_ref().and_then(|a| a.database_id),
                        })
                        .collect(),
                ),
            })
        } else {
            None
        };
        Some(Protection {
            required_status_checks: checks,
            enforce_admins: Some(on(self.is_admin_enforced)),
            required_pull_request_reviews: reviews,
            restrictions: if self.restricts_pushes {
                Some(actors(&self.push_allowances)?)
            } else {
                None
            },
            required_linear_history: Some(on(self.requires_linear_history)),
            allow_force_pushes: Some(on(self.allows_force_pushes)),
            allow_deletions: Some(on(self.allows_deletions)),
            block_creations: Some(on(self.blocks_creations)),
            required_conversation_resolution: Some(on(self.requires_conversation_resolution)),
            lock_branch: Some(on(self.lock_branch)),
            allow_fork_syncing: Some(on(self.lock_allows_fetch_and_merge)),
            required_signatures: Some(on(self.requires_commit_signatures)),
        })
    }
}
