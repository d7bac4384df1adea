//! Classic branch protection: `…/branches/{branch}/protection` and its sub-resources.
//!
//! The GET answer (`branch-protection`) and the PUT body differ: GET wraps flags as
//! `{enabled}` and actors as objects; PUT takes bare booleans and logins/slugs.

use serde::{Deserialize, Serialize};

use super::Enabled;

/// `branch-protection`: the answer of GET `…/branches/{branch}/protection`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Protection {
    /// Required status checks, when on.
    #[serde(default)]
    pub required_status_checks: Option<StatusCheckPolicy>,
    /// Admin enforcement.
    #[serde(default)]
    pub enforce_admins: Option<Enabled>,
    /// Pull request reviews, when required.
    #[serde(default)]
    pub required_pull_request_reviews: Option<PullRequestReviews>,
    /// Push restrictions, when on.
    #[serde(default)]
    pub restrictions: Option<ActorObjects>,
    /// Linear history.
    #[serde(default)]
    pub required_linear_history: Option<Enabled>,
    /// Force pushes allowed.
    #[serde(default)]
    pub allow_force_pushes: Option<Enabled>,
    /// Deletions allowed.
    #[serde(default)]
    pub allow_deletions: Option<Enabled>,
    /// Creations blocked.
    #[serde(default)]
    pub block_creations: Option<Enabled>,
    /// Conversation resolution required.
    #[serde(default)]
    pub required_conversation_resolution: Option<Enabled>,
    /// Read-only branch.
    #[serde(default)]
    pub lock_branch: Option<Enabled>,
    /// Fork syncing allowed.
    #[serde(default)]
    pub allow_fork_syncing: Option<Enabled>,
    /// Signed commits; when absent, the sub-resource says.
    #[serde(default)]
    pub required_signatures: Option<Enabled>,
}

/// `status-check-policy` in a GET answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StatusCheckPolicy {
    /// Up to date before merging.
    #[serde(default)]
    pub strict: Option<bool>,
    /// The check names (deprecated form).
    #[serde(default)]
    pub contexts: Vec<String>,
    /// The checks with their apps.
    #[serde(default)]
    pub checks: Option<Vec<Check>>,
}

/// One required check with the app that must report it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Check {
    /// The check's name.
    pub context: String,
    /// The app; `null` or `-1` means any app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<i64>,
}

/// `protected-branch-pull-request-review` in a GET answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PullRequestReviews {
    /// Who may dismiss reviews.
    #[serde(default)]
    pub dismissal_restrictions: Option<ActorObjects>,
    /// New commits dismiss approvals.
    #[serde(default)]
    pub dismiss_stale_reviews: Option<bool>,
    /// A code owner must approve.
    #[serde(default)]
    pub require_code_owner_reviews: Option<bool>,
    /// Approvals needed.
    #[serde(default)]
    pub required_approving_review_count: Option<u8>,
    /// The last push must be approved by someone else.
    #[serde(default)]
    pub require_last_push_approval: Option<bool>,
    /// Who may bypass the pull request rules.
    #[serde(default)]
    pub bypass_pull_request_allowances: Option<ActorObjects>,
}

/// Users, teams and apps as objects, as GET answers list them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ActorObjects {
    /// Users.
    #[serde(default)]
    pub users: Vec<Login>,
    /// Teams.
    #[serde(default)]
    pub teams: Vec<Slug>,
    /// Apps.
    #[serde(default)]
    pub apps: Vec<Slug>,
}

/// An object with a login.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Login {
    /// The login.
    pub login: String,
}

/// An object with a slug.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Slug {
    /// The slug.
    pub slug: String,
}

/// The body of PUT `…/branches/{branch}/protection`. The four required keys are always
/// sent (`null` turns a section off); the rest are sent as set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtectionRequest {
    /// Required checks by name (`contexts`; the official schema requires it, and GitHub
    /// refuses it together with `checks`, which a PATCH sets afterwards).
    pub required_status_checks: Option<ContextsRequest>,
    /// Admin enforcement.
    pub enforce_admins: bool,
    /// Pull request reviews.
    pub required_pull_request_reviews: Option<ReviewsRequest>,
    /// Push restrictions.
    pub restrictions: Option<ActorNames>,
    /// Linear history.
    pub required_linear_history: bool,
    /// Force pushes allowed.
    pub allow_force_pushes: bool,
    /// Deletions allowed.
    pub allow_deletions: bool,
    /// Creations blocked.
    pub block_creations: bool,
    /// Conversation resolution required.
    pub required_conversation_resolution: bool,
    /// Read-only branch.
    pub lock_branch: bool,
    /// Fork syncing allowed.
    pub allow_fork_syncing: bool,
}

/// `required_status_checks` of the PUT body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextsRequest {
    /// Up to date before merging.
    pub strict: bool,
    /// The check names.
    pub contexts: Vec<String>,
}

/// `required_pull_request_reviews` of the PUT body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewsRequest {
    /// New commits dismiss approvals.
    pub dismiss_stale_reviews: bool,
    /// A code owner must approve.
    pub require_code_owner_reviews: bool,
    /// Approvals needed.
    pub required_approving_review_count: u8,
    /// The last push must be approved by someone else.
    pub require_last_push_approval: bool,
    /// Who may dismiss reviews; `{}` turns the restriction off; absent leaves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dismissal_restrictions: Option<ActorNamesOrOff>,
    /// Who may bypass; absent leaves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bypass_pull_request_allowances: Option<ActorNames>,
}

/// Users by login, teams and apps by slug, as PUT bodies take them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ActorNames {
    /// User logins.
    pub users: Vec<String>,
    /// Team slugs.
    pub teams: Vec<String>,
    /// App slugs.
    pub apps: Vec<String>,
}

/// Dismissal restrictions: a list of actors, or `{}` (off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ActorNamesOrOff {
    /// Only these may dismiss reviews.
    Actors(ActorNames),
    /// Anyone with write access may (an empty object).
    Off(Empty),
}

/// An empty JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// The body of PATCH `…/protection/required_status_checks`: checks pinned to apps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecksRequest {
    /// Up to date before merging.
    pub strict: bool,
    /// The checks; `app_id` omitted means any app.
    pub checks: Vec<Check>,
}
