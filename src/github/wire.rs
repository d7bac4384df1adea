//! GitHub's response shapes (GET), and their conversion into the model.
//!
//! These types never leave `github/`. They are lenient where GitHub is (a section may be
//! missing or `null`, both meaning "off") and strict where it matters (a body that is not
//! the documented shape is an error, not a silent default). Normalisation that keeps a
//! setting from showing drift on every run happens here: `app_id: null` or `-1` means "any
//! app", a missing rule means "not configured".

use serde::Deserialize;

use crate::model::{
    Actors, Branch, DeploymentBranches, DeploymentPattern, Environment, PullRequestRules, RefType,
    RequiredCheck, Reviewer, StatusChecks,
};

/// `branch-protection`: the answer of GET `…/branches/{branch}/protection`.
#[derive(Debug, Deserialize)]
pub struct BranchProtection {
    required_status_checks: Option<StatusCheckPolicy>,
    enforce_admins: Option<Enabled>,
    required_pull_request_reviews: Option<PullRequestReviews>,
    restrictions: Option<Restrictions>,
    required_linear_history: Option<Enabled>,
    allow_force_pushes: Option<Enabled>,
    allow_deletions: Option<Enabled>,
    block_creations: Option<Enabled>,
    required_conversation_resolution: Option<Enabled>,
    lock_branch: Option<Enabled>,
    allow_fork_syncing: Option<Enabled>,
    /// Present in GET protection; when absent, the reader asks the sub-resource.
    pub required_signatures: Option<Enabled>,
}

/// `{ "enabled": bool }`, GitHub's wrapper of a boolean setting in GET answers.
#[derive(Debug, Deserialize)]
pub struct Enabled {
    #[serde(default)]
    enabled: bool,
}

impl Enabled {
    /// Returns the flag.
    pub fn enabled(&self) -> bool {
        self.enabled
    }
}

fn enabled(flag: Option<&Enabled>) -> bool {
    flag.is_some_and(|flag| flag.enabled)
}

#[derive(Debug, Deserialize)]
struct StatusCheckPolicy {
    #[serde(default)]
    strict: Option<bool>,
    #[serde(default)]
    contexts: Vec<String>,
    #[serde(default)]
    checks: Option<Vec<Check>>,
}

#[derive(Debug, Deserialize)]
struct Check {
    context: String,
    #[serde(default)]
    app_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct PullRequestReviews {
    #[serde(default)]
    dismissal_restrictions: Option<ActorObjects>,
    #[serde(default)]
    dismiss_stale_reviews: Option<bool>,
    #[serde(default)]
    require_code_owner_reviews: Option<bool>,
    #[serde(default)]
    required_approving_review_count: Option<u8>,
    #[serde(default)]
    require_last_push_approval: Option<bool>,
    #[serde(default)]
    bypass_pull_request_allowances: Option<ActorObjects>,
}

#[derive(Debug, Default, Deserialize)]
struct ActorObjects {
    #[serde(default)]
    users: Vec<Login>,
    #[serde(default)]
    teams: Vec<Slug>,
    #[serde(default)]
    apps: Vec<Slug>,
}

type Restrictions = ActorObjects;

#[derive(Debug, Deserialize)]
struct Login {
    login: String,
}

#[derive(Debug, Deserialize)]
struct Slug {
    slug: String,
}

impl ActorObjects {
    fn into_actors(self) -> Actors {
        Actors {
            users: self.users.into_iter().map(|u| u.login).collect(),
            teams: self.teams.into_iter().map(|t| t.slug).collect(),
            apps: self.apps.into_iter().map(|a| a.slug).collect(),
        }
    }
}

impl BranchProtection {
    /// Converts GitHub's answer into the model; `required_signatures` comes from the answer
    /// or, when GitHub left it out, from the caller's separate read.
    pub fn into_branch(self, required_signatures: bool) -> Branch {
        let status_checks = self.required_status_checks.map(|policy| {
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
        let pull_request = self
            .required_pull_request_reviews
            .map(|reviews| PullRequestRules {
                required_approvals: reviews.required_approving_review_count.unwrap_or(0),
                dismiss_stale_reviews: reviews.dismiss_stale_reviews.unwrap_or(false),
                require_code_owner_reviews: reviews.require_code_owner_reviews.unwrap_or(false),
                require_last_push_approval: reviews.require_last_push_approval.unwrap_or(false),
                dismissal_restrictions: reviews
                    .dismissal_restrictions
                    .unwrap_or_default()
                    .into_actors(),
                bypass: reviews
                    .bypass_pull_request_allowances
                    .unwrap_or_default()
                    .into_actors(),
            });
        Branch {
            protected: true,
            pull_request,
            status_checks,
            enforce_admins: enabled(self.enforce_admins.as_ref()),
            required_linear_history: enabled(self.required_linear_history.as_ref()),
            allow_force_pushes: enabled(self.allow_force_pushes.as_ref()),
            allow_deletions: enabled(self.allow_deletions.as_ref()),
            block_creations: enabled(self.block_creations.as_ref()),
            required_conversation_resolution: enabled(
                self.required_conversation_resolution.as_ref(),
            ),
            required_signatures,
            lock_branch: enabled(self.lock_branch.as_ref()),
            allow_fork_syncing: enabled(self.allow_fork_syncing.as_ref()),
            push_restrictions: self.restrictions.map(ActorObjects::into_actors),
        }
    }
}

/// `environment`: one item of GET `…/environments`, or GET `…/environments/{name}`.
#[derive(Debug, Deserialize)]
pub struct EnvironmentInfo {
    /// The environment's name.
    pub name: String,
    #[serde(default)]
    protection_rules: Vec<ProtectionRule>,
    #[serde(default)]
    deployment_branch_policy: Option<DeploymentBranchPolicySettings>,
    /// Not in the 2022-11-28 description, but sent by the live API (QUIRKS 31).
    #[serde(default)]
    can_admins_bypass: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct ProtectionRule {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    wait_timer: Option<u32>,
    #[serde(default)]
    prevent_self_review: Option<bool>,
    #[serde(default)]
    reviewers: Vec<ReviewerEntry>,
}

#[derive(Debug, Deserialize)]
struct ReviewerEntry {
    #[serde(rename = "type")]
    kind: Option<String>,
    reviewer: Option<ReviewerObject>,
}

#[derive(Debug, Deserialize)]
struct ReviewerObject {
    login: Option<String>,
    slug: Option<String>,
}

#[derive(Debug, Deserialize)]
struct DeploymentBranchPolicySettings {
    #[serde(default)]
    protected_branches: bool,
    #[serde(default)]
    custom_branch_policies: bool,
}

impl EnvironmentInfo {
    /// Returns true when the environment deploys from custom name patterns, which are read
    /// from their own endpoint.
    pub fn has_custom_policies(&self) -> bool {
        self.deployment_branch_policy
            .as_ref()
            .is_some_and(|policy| policy.custom_branch_policies)
    }

    /// Converts GitHub's answer into the model's environment settings. Patterns, secrets and
    /// variables come from their own endpoints and are filled in by the reader.
    pub fn into_environment(self, patterns: Vec<DeploymentPattern>) -> Environment {
        let mut environment = Environment {
            can_admins_bypass: self.can_admins_bypass.unwrap_or(true),
            ..Environment::default()
        };
        for rule in self.protection_rules {
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
                                Some("Team") => reviewer.slug.map(Reviewer::Team),
                                _ => reviewer.login.map(Reviewer::User),
                            }
                        })
                        .collect();
                }
                _ => {}
            }
        }
        environment.deployment_branches = match self.deployment_branch_policy {
            Some(policy) if policy.custom_branch_policies => DeploymentBranches::Custom(patterns),
            Some(policy) if policy.protected_branches => DeploymentBranches::Protected,
            // `null` (or neither flag) means any branch may deploy.
            _ => DeploymentBranches::All,
        };
        environment
    }
}

/// `deployment-branch-policy`: one item of GET `…/deployment-branch-policies`.
#[derive(Debug, Deserialize)]
pub struct DeploymentBranchPolicy {
    /// The policy's id, needed to delete it.
    pub id: i64,
    /// The name pattern.
    pub name: String,
    /// `branch` or `tag`; the official list example leaves it out, meaning `branch`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

impl DeploymentBranchPolicy {
    /// Returns the pattern in model terms.
    pub fn pattern(&self) -> DeploymentPattern {
        DeploymentPattern {
            ref_type: if self.kind.as_deref() == Some("tag") {
                RefType::Tag
            } else {
                RefType::Branch
            },
            pattern: self.name.clone(),
        }
    }
}

/// `actions-secret`: one item of GET `…/secrets`. Values are never returned.
#[derive(Debug, Deserialize)]
pub struct SecretInfo {
    /// The secret's name.
    pub name: String,
}

/// `actions-variable`: one item of GET `…/variables`.
#[derive(Debug, Deserialize)]
pub struct VariableInfo {
    /// The variable's name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// `actions-public-key`: GET `…/secrets/public-key`. `key_id` is a string on github.com and
/// may be a number on GHES (QUIRKS 42).
#[derive(Debug, Deserialize)]
pub struct PublicKey {
    /// The key's id, echoed back with each secret written.
    pub key_id: serde_json::Value,
    /// Base64 of a 32-byte X25519 public key.
    pub key: String,
}

/// A user, team or app: only the id is needed, to write reviewers and to pin checks.
#[derive(Debug, Deserialize)]
pub struct Identified {
    /// The numeric id.
    pub id: i64,
}
