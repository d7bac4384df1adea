//! What `apply` writes for a change: typed, resolved, complete.
//!
//! A target holds everything the writes need and nothing a person reads: numeric ids of
//! reviewers, apps and deployment patterns (resolved when the plan was made), which
//! sub-resources to clear, which keys of an environment to send, and the name of the
//! variable a secret's value comes from (checked before any write).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::{Branch, BypassMode, DeploymentPattern, Rules, Ruleset};

/// The write a change stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Classic protection of one branch.
    BranchProtection {
        /// The branch name.
        branch: String,
        /// What to write.
        write: ProtectionWrite,
    },
    /// An environment's own settings (its patterns, secrets and variables are changes of
    /// their own).
    Environment {
        /// The environment's name as the policy writes it (GitHub matches it without case).
        name: String,
        /// What to write.
        write: EnvironmentWrite,
    },
    /// One custom deployment branch or tag pattern.
    DeploymentPattern {
        /// The environment.
        environment: String,
        /// What to write.
        write: PatternWrite,
    },
    /// One environment secret.
    Secret {
        /// The environment.
        environment: String,
        /// The secret's name.
        name: String,
        /// What to write.
        write: SecretWrite,
    },
    /// One repository ruleset.
    Ruleset {
        /// The ruleset's name.
        name: String,
        /// What to write.
        write: RulesetWrite,
    },
    /// The repository's merge settings (`PATCH /repos/{o}/{r}`).
    RepositorySettings(super::switches::SettingsWrite),
    /// The repository's security features, each through its own endpoint.
    Security(super::switches::SecurityWrite),
    /// The repository's Actions permissions.
    Actions(super::switches::ActionsWrite),
    /// One environment variable.
    Variable {
        /// The environment.
        environment: String,
        /// The variable's name.
        name: String,
        /// What to write.
        write: VariableWrite,
    },
}

/// Classic protection: set it whole, or remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtectionWrite {
    /// PUT the whole protection, then the sub-resources the PUT does not carry.
    Put(Box<ProtectionPut>),
    /// DELETE the protection; with a handover, only once GitHub enforces on the branch what
    /// the rulesets written before it take over.
    Remove {
        /// The rulesets that protect the branch once the protection is gone, if any.
        handover: Option<Box<Handover>>,
    },
}

/// The rulesets that protect a branch whose classic protection a plan removes: those the
/// plan writes, which `apply` writes first, then reads the branch's rules back and removes
/// the protection only when GitHub enforces all of them (DESIGN §14); and those in force
/// that the plan leaves as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    /// The rulesets the plan writes first, by name, in plan order (none: the removal waits
    /// for no write).
    pub rulesets: Vec<String>,
    /// Their rules, each required check pinned by the app id it is written with (`app_id`
    /// only, no slug), as `rules/branches/{branch}` will show them.
    pub rules: Vec<Rules>,
    /// The rulesets in force on the branch that the plan leaves as they are, as sources
    /// (`ruleset "x" (organization acme)`): they protect it after apply as they do today.
    pub in_force: Vec<String>,
    /// What the classic protection provides that all of them do not (a setting of the effective
    /// protection, the lock, no bypass, who may push): empty when they replace it whole, and
    /// the removal then lowers nothing.
    pub lacks: Vec<String>,
}

impl Handover {
    /// Returns true when the rulesets provide everything the classic protection does.
    pub fn complete(&self) -> bool {
        self.lacks.is_empty()
    }
}

/// Everything a protected branch's writes need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionPut {
    /// The protection, in policy terms (the PUT takes logins and slugs).
    pub settings: Branch,
    /// The checks with their apps' ids, when any check is pinned to an app (a PATCH after
    /// the PUT, which takes check names only).
    pub pinned_checks: Option<Vec<ResolvedCheck>>,
    /// Live dismissal restrictions to turn off (sent as `{}`).
    pub clear_dismissal_restrictions: bool,
    /// Live bypass allowances to clear (sent as empty lists).
    pub clear_bypass: bool,
    /// Signed commits to switch on (`Some(true)`) or off (`Some(false)`); `None` leaves
    /// them (they have their own endpoint).
    pub signatures: Option<bool>,
}

/// A required check with its app's id (`None`: any app).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResolvedCheck {
    /// The check's name.
    pub context: String,
    /// The app that must report it.
    pub app_id: Option<u64>,
}

/// An environment: create or update it, or delete it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvironmentWrite {
    /// PUT the environment.
    Put(EnvironmentPut),
    /// DELETE it.
    Delete,
}

/// The keys of an environment's PUT. A key that is `None` is left out of the body, which
/// keeps its live value (GitHub refuses some rules on some plans even at their defaults,
/// so they are sent only when the policy sets them or a live value must be reset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentPut {
    /// Minutes to wait.
    pub wait_timer: Option<u32>,
    /// The person who triggered a deployment cannot approve it.
    pub prevent_self_review: Option<bool>,
    /// The reviewers; `Some(empty)` clears them.
    pub reviewers: Option<Vec<ReviewerId>>,
    /// Which refs may deploy (always sent).
    pub deployment_branches: DeploymentMode,
    /// Administrators may bypass.
    pub can_admins_bypass: Option<bool>,
}

/// A reviewer by kind and numeric id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReviewerId {
    /// A user or a team.
    pub kind: ReviewerKind,
    /// The id.
    pub id: u64,
}

/// Users and teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReviewerKind {
    /// A user.
    User,
    /// A team.
    Team,
}

/// The deployment branch mode of an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentMode {
    /// Any ref.
    All,
    /// Protected branches.
    Protected,
    /// Custom patterns.
    Custom,
}

/// One deployment pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternWrite {
    /// POST it.
    Create(DeploymentPattern),
    /// DELETE the live pattern with this id.
    Delete {
        /// The live pattern's id.
        id: u64,
    },
}

/// One secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretWrite {
    /// Create it from the value of this environment variable.
    Create {
        /// The variable holding the value.
        from_env: String,
    },
    /// Delete it.
    Delete,
}

/// One variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableWrite {
    /// POST it with this value.
    Create(String),
    /// PATCH it to this value.
    Update(String),
    /// DELETE it.
    Delete,
}

/// A repository ruleset: create it, replace it whole, or delete it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesetWrite {
    /// POST it.
    Create(Box<RulesetPut>),
    /// PUT it whole over the live ruleset with this id.
    Update {
        /// The live ruleset's id (always a repository's own).
        id: u64,
        /// What to write.
        put: Box<RulesetPut>,
    },
    /// DELETE the live ruleset with this id (always a repository's own).
    Delete {
        /// The live ruleset's id.
        id: u64,
    },
}

/// Everything a ruleset's POST or PUT needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesetPut {
    /// The ruleset in policy terms (target, enforcement, rules).
    pub settings: Ruleset,
    /// `include`, qualified (`refs/heads/…`, `refs/tags/…`) as GitHub stores it.
    pub include: Vec<String>,
    /// `exclude`, qualified.
    pub exclude: Vec<String>,
    /// The bypass actors with their ids; empty clears them.
    pub bypass: Vec<ResolvedActor>,
    /// The required checks with their apps' ids.
    pub checks: Vec<ResolvedIntegrationCheck>,
    /// Live parameters the policy format does not model, by rule type: sent back unchanged.
    pub kept: BTreeMap<String, Map<String, Value>>,
}

/// A bypass actor by GitHub's type and id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResolvedActor {
    /// GitHub's actor type.
    pub kind: ActorKind,
    /// The id (`None` for organisation admins and deploy keys).
    pub id: Option<u64>,
    /// When it may bypass.
    pub mode: BypassMode,
}

/// GitHub's bypass actor types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActorKind {
    /// A repository role.
    RepositoryRole,
    /// A team.
    Team,
    /// A GitHub App.
    Integration,
    /// A user.
    User,
    /// The organisation's administrators.
    OrganizationAdmin,
    /// Deploy keys.
    DeployKey,
}

impl ActorKind {
    /// Returns GitHub's name of the type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RepositoryRole => "RepositoryRole",
            Self::Team => "Team",
            Self::Integration => "Integration",
            Self::User => "User",
            Self::OrganizationAdmin => "OrganizationAdmin",
            Self::DeployKey => "DeployKey",
        }
    }

    /// Returns the type GitHub names so.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "RepositoryRole" => Self::RepositoryRole,
            "Team" => Self::Team,
            "Integration" => Self::Integration,
            "User" => Self::User,
            "OrganizationAdmin" => Self::OrganizationAdmin,
            "DeployKey" => Self::DeployKey,
            _ => return None,
        })
    }
}

/// A ruleset's required check with its app's id (`integration_id`; `None`: any app).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResolvedIntegrationCheck {
    /// The check's name.
    pub context: String,
    /// The app that must report it.
    pub integration_id: Option<u64>,
}
