//! Repository rulesets, in policy terms (DESIGN §7): managed by name, actors by name,
//! patterns as GitHub's UI shows them, rules as named settings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{BypassActor, RequiredCheck, is_false};
use crate::model::names::{EnvironmentName, Pattern};

/// One repository ruleset. Managed whole: an omitted rule is absent, an omitted parameter
/// is GitHub's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ruleset {
    /// What the ruleset protects: `branch` (default), `tag` or `push`.
    #[serde(default, skip_serializing_if = "RulesetTarget::is_branch")]
    pub target: RulesetTarget,

    /// `active` (default): enforced; `evaluate`: only reported (Enterprise); `disabled`.
    #[serde(default, skip_serializing_if = "Enforcement::is_active")]
    pub enforcement: Enforcement,

    /// The refs it applies to: names and globs as GitHub's UI shows them (`main`,
    /// `release/**/*`), `~DEFAULT_BRANCH` or `~ALL`. Required and non-empty for `branch` and
    /// `tag` rulesets; `push` rulesets have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<Pattern>,

    /// Refs excluded from `include`, in the same form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<Pattern>,

    /// Who may bypass the rules, by name. Omitted: nobody.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bypass: Vec<BypassActor>,

    /// The rules.
    #[serde(default, skip_serializing_if = "Rules::is_empty")]
    pub rules: Rules,
}

/// What a ruleset protects.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RulesetTarget {
    /// Branches (`refs/heads/…`).
    #[default]
    Branch,
    /// Tags (`refs/tags/…`).
    Tag,
    /// Pushes (file paths, sizes; no ref conditions).
    Push,
    /// A target GitHub sent that gh-policy does not know, as written: it protects nothing
    /// gh-policy can tell, so it never counts toward a requirement and is never in sync
    /// with a known target. A policy cannot write it (the schema lists the known ones).
    #[serde(untagged)]
    #[schemars(skip)]
    Unknown(String),
}

impl RulesetTarget {
    /// Returns true for the default, `branch`.
    pub fn is_branch(&self) -> bool {
        *self == Self::Branch
    }

    /// Returns the name GitHub uses.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Branch => "branch",
            Self::Tag => "tag",
            Self::Push => "push",
            Self::Unknown(name) => name,
        }
    }
}

/// Whether a ruleset is enforced.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Enforcement {
    /// Enforced.
    #[default]
    Active,
    /// Reported but not enforced.
    Evaluate,
    /// Off.
    Disabled,
    /// A value GitHub sent that gh-policy does not know, as written: never counted as
    /// enforced, never in sync with a known value. A policy cannot write it (the schema
    /// lists the known values only).
    #[serde(untagged)]
    #[schemars(skip)]
    Unknown(String),
}

impl Enforcement {
    /// Returns true for the default, `active`.
    pub fn is_active(&self) -> bool {
        *self == Self::Active
    }

    /// Returns the name GitHub uses.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Active => "active",
            Self::Evaluate => "evaluate",
            Self::Disabled => "disabled",
            Self::Unknown(name) => name,
        }
    }
}

/// The rules of a ruleset, each absent unless set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Require a pull request before merging (`pull_request`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<PullRequestRule>,
    /// Require status checks (`required_status_checks`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_checks: Option<StatusChecksRule>,
    /// Environments that must be deployed to successfully first (`required_deployments`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_deployments: Vec<EnvironmentName>,
    /// Block force pushes (`non_fast_forward`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub block_force_pushes: bool,
    /// Restrict deletions (`deletion`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub restrict_deletions: bool,
    /// Restrict creations (`creation`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub restrict_creations: bool,
    /// Restrict updates (`update`): `true`, or `{allow_fetch_and_merge: true}`.
    #[serde(default, skip_serializing_if = "RestrictUpdates::is_off")]
    pub restrict_updates: RestrictUpdates,
    /// No merge commits (`required_linear_history`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_linear_history: bool,
    /// Signed commits only (`required_signatures`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_signatures: bool,
    /// Any other rule type, verbatim: `[{type, parameters}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<OtherRule>,
}

impl Rules {
    /// Returns true when no rule is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The `pull_request` rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PullRequestRule {
    /// Approving reviews required, 0 to 10.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[schemars(range(min = 0, max = 10))]
    pub required_approvals: u8,
    /// New commits dismiss approvals.
    #[serde(default, skip_serializing_if = "is_false")]
    pub dismiss_stale_reviews: bool,
    /// A code owner must approve.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_code_owner_reviews: bool,
    /// The last push must be approved by someone else.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_last_push_approval: bool,
    /// Review conversations resolved before merging.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required_conversation_resolution: bool,
    /// The merge methods allowed (a set); default all three.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub allowed_merge_methods: Option<Vec<MergeMethod>>,
}

impl MergeMethod {
    /// The merge methods GitHub allows when none are chosen: all three.
    pub const ALL: [Self; 3] = [Self::Merge, Self::Squash, Self::Rebase];
}

/// A merge method.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MergeMethod {
    /// Merge commits.
    Merge,
    /// Squash merges.
    Squash,
    /// Rebase merges.
    Rebase,
}

/// The `required_status_checks` rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChecksRule {
    /// The branch must be up to date before merging.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,
    /// Allow creating refs a check would otherwise block.
    #[serde(default, skip_serializing_if = "is_false")]
    pub do_not_enforce_on_create: bool,
    /// The checks that must pass; a set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<RequiredCheck>,
}

/// `restrict_updates`: off, on, or on with fetch-and-merge allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RestrictUpdates {
    /// `true` or `false`.
    Flag(bool),
    /// `{allow_fetch_and_merge: BOOL}`: on, with that parameter.
    With {
        /// The branch may pull changes from its upstream repository.
        allow_fetch_and_merge: bool,
    },
}

impl Default for RestrictUpdates {
    fn default() -> Self {
        Self::Flag(false)
    }
}

impl RestrictUpdates {
    /// Returns whether the rule is on, and if so `update_allows_fetch_and_merge`.
    pub fn on(&self) -> Option<bool> {
        match self {
            Self::Flag(true) => Some(false),
            Self::With {
                allow_fetch_and_merge,
            } => Some(*allow_fetch_and_merge),
            Self::Flag(false) => None,
        }
    }

    /// Returns true when the rule is off.
    pub fn is_off(&self) -> bool {
        self.on().is_none()
    }

    /// Returns the setting for a live rule with this parameter (`None`: no rule).
    pub fn from_parameter(allow_fetch_and_merge: Option<bool>) -> Self {
        match allow_fetch_and_merge {
            None => Self::Flag(false),
            Some(false) => Self::Flag(true),
            Some(true) => Self::With {
                allow_fetch_and_merge: true,
            },
        }
    }
}

/// GitHub's rule types (a rule's `type`), each modelled one with the key of `rules`
/// that writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleType {
    /// `pull_request`.
    PullRequest,
    /// `required_status_checks`.
    RequiredStatusChecks,
    /// `required_deployments`.
    RequiredDeployments,
    /// `non_fast_forward`.
    NonFastForward,
    /// `deletion`.
    Deletion,
    /// `creation`.
    Creation,
    /// `update`.
    Update,
    /// `required_linear_history`.
    RequiredLinearHistory,
    /// `required_signatures`.
    RequiredSignatures,
    /// A type gh-policy does not model (`merge_queue`, one GitHub adds later …), as
    /// written: kept verbatim in `rules.other`, it counts toward nothing.
    #[serde(untagged)]
    Unknown(String),
}

impl RuleType {
    /// The types gh-policy models, each with the key of `rules` that writes it: any other
    /// type goes in `other`, and one of these there would be written twice.
    pub const MODELLED: [(Self, &'static str); 9] = [
        (Self::PullRequest, "pull_request"),
        (Self::RequiredStatusChecks, "status_checks"),
        (Self::RequiredDeployments, "required_deployments"),
        (Self::NonFastForward, "block_force_pushes"),
        (Self::Deletion, "restrict_deletions"),
        (Self::Creation, "restrict_creations"),
        (Self::Update, "restrict_updates"),
        (Self::RequiredLinearHistory, "required_linear_history"),
        (Self::RequiredSignatures, "required_signatures"),
    ];

    /// Returns the type GitHub names so, an unknown one kept as written.
    pub fn parse(name: &str) -> Self {
        Self::MODELLED
            .into_iter()
            .map(|(kind, _)| kind)
            .find(|kind| kind.as_str() == name)
            .unwrap_or_else(|| Self::Unknown(name.to_owned()))
    }

    /// Returns the name GitHub uses.
    pub fn as_str(&self) -> &str {
        match self {
            Self::PullRequest => "pull_request",
            Self::RequiredStatusChecks => "required_status_checks",
            Self::RequiredDeployments => "required_deployments",
            Self::NonFastForward => "non_fast_forward",
            Self::Deletion => "deletion",
            Self::Creation => "creation",
            Self::Update => "update",
            Self::RequiredLinearHistory => "required_linear_history",
            Self::RequiredSignatures => "required_signatures",
            Self::Unknown(name) => name,
        }
    }

    /// Returns the key of `rules` that writes the type; `None` for a type only `other` holds.
    pub fn policy_key(&self) -> Option<&'static str> {
        Self::MODELLED
            .iter()
            .find(|(kind, _)| kind == self)
            .map(|(_, key)| *key)
    }
}

/// A rule type gh-policy does not model, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherRule {
    /// GitHub's rule type, e.g. `merge_queue`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its parameters; a parameter left out keeps its live value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Map<String, Value>>,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
fn is_zero(value: &u8) -> bool {
    *value == 0
}
