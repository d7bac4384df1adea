//! The plan: the value `diff` produces, the renderers show and `apply` executes.
//!
//! A `Plan` is a list of `Change`s, one per resource (a branch's protection, an environment,
//! a deployment pattern, a secret, a variable), each at its typed `Address`. Each change
//! says what differs, for people (`FieldDiff`: `SettingPath`s and values in policy terms),
//! and what becomes of it (`Disposition`: applicable with the `Target` — the complete
//! instruction `apply` executes, typed and resolved —, weakening, inapplicable with the
//! reason, or excepted). The diff and the target are built side by side from the same
//! comparison, and nothing that writes ever reads a `FieldDiff`. Nothing here knows HTTP
//! or YAML.

mod address;
pub mod apply;
mod change;
pub mod diff;
pub mod exceptions;
pub mod file;
pub mod saved;
mod switches;
mod target;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::model::ExceptionNote;
pub use address::{Address, SettingPath};
pub use change::{Action, Change, Disposition, FieldDiff, Refusal, ResourceKind};
pub use switches::{ActionsWrite, PermissionsPut, SecurityWrite, SettingsWrite, WorkflowPut};
pub use target::{
    DeploymentMode, EnvironmentPut, EnvironmentWrite, Handover, PatternWrite, ProtectionPut,
    ProtectionWrite, ResolvedActor, ResolvedCheck, ResolvedIntegrationCheck, ReviewerId,
    ReviewerKind, RulesetPut, RulesetWrite, SecretWrite, Target, VariableWrite,
};

/// The difference between a policy and a live repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The repository as `OWNER/NAME`.
    pub repository: String,
    /// The changes, in the order `apply` executes them (dependencies first).
    pub changes: Vec<Change>,
    /// Every requirement as judged on the live repository, met or not, with its sources.
    pub requirements: Vec<RequirementReport>,
    /// What a person should know that is not a change (exceptions about to expire or
    /// matching nothing). Shown on stderr, not part of the plan's formats.
    pub warnings: Vec<String>,
    /// Requirements met live that `apply` would break: the policy contradicts itself, and
    /// the plan is an error (DESIGN §11).
    pub contradictions: Vec<Contradiction>,
    /// What the token could not read of what the policy manages: not compared, never
    /// guessed, never written over.
    pub gaps: Vec<Gap>,
    /// Rules that can never be met, or protect nothing (DESIGN §13), judged on what `apply`
    /// leaves; error findings fail the gate like drift.
    pub findings: crate::protection::findings::Findings,
}

/// Something the policy manages that the token cannot read (a ruleset's bypass actors,
/// which GitHub shows only to tokens that can edit the ruleset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The resource, e.g. `rulesets.protect-main`.
    pub address: Address,
    /// What of it.
    pub what: Unread,
    /// The permission that would let the token read it, e.g. `Administration: write`.
    pub permission: String,
}

/// What of a resource the token cannot read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unread {
    /// A ruleset's bypass actors (`bypass`).
    Bypass,
}

impl Unread {
    /// Returns what it is, as people say it.
    pub fn words(self) -> &'static str {
        match self {
            Self::Bypass => "bypass actors",
        }
    }
}

/// A requirement met live that the state `apply` would leave no longer meets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contradiction {
    /// The requirement's address, e.g. `requirements.main`.
    pub address: Address,
    /// The branch it is judged on.
    pub branch: String,
    /// The requirement key, e.g. `required_approvals`.
    pub setting: String,
    /// The floor the policy sets.
    pub floor: Value,
    /// The effective value now (it meets the floor).
    pub live: Value,
    /// The effective value after `apply` (it does not).
    pub after: Value,
    /// The policy settings that lower it, each a path into the policy.
    #[serde(serialize_with = "dotted_paths")]
    pub lowered_by: Vec<Vec<crate::policy::Segment>>,
}

impl Contradiction {
    /// Names what lowers the requirement: the policy's settings as code spans joined by
    /// `separator`, or the managed resources as a whole when no one setting does.
    pub fn lowered_by_words(&self, separator: &str) -> String {
        if self.lowered_by.is_empty() {
            return "the branches and rulesets the policy manages".to_owned();
        }
        self.lowered_by
            .iter()
            .map(|path| format!("`{}`", crate::policy::Dotted(path)))
            .collect::<Vec<_>>()
            .join(separator)
    }
}

fn dotted_paths<S: serde::Serializer>(
    paths: &[Vec<crate::policy::Segment>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(
        paths
            .iter()
            .map(|path| crate::policy::Dotted(path).to_string()),
    )
}

/// The requirements of one branch, judged on its effective protection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementReport {
    /// The requirement's address, e.g. `requirements.~DEFAULT_BRANCH`.
    pub address: String,
    /// The branch it was judged on.
    pub branch: String,
    /// Each requirement the policy sets.
    pub settings: Vec<JudgedSetting>,
}

/// One requirement, judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgedSetting {
    /// The requirement key, e.g. `required_approvals`.
    pub setting: String,
    /// True when the effective protection meets it.
    pub met: bool,
    /// The effective value.
    pub value: Value,
    /// The floor the policy sets.
    pub floor: Value,
    /// Met: the sources that meet it; unmet: the sources of the effective value.
    pub sources: Vec<String>,
}

impl Plan {
    /// Returns true when the repository matches the policy, but for drift active
    /// exceptions accept.
    pub fn in_sync(&self) -> bool {
        self.changes.iter().all(Change::excepted)
    }

    /// Returns how many changes have each action, applicable or not; excepted changes are
    /// counted apart.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for change in &self.changes {
            if change.excepted() {
                summary.excepted += 1;
                continue;
            }
            match change.action {
                Action::Create => summary.create += 1,
                Action::Update => summary.update += 1,
                Action::Delete => summary.delete += 1,
            }
        }
        summary
    }

    /// Returns true when the plan passes the gate: in sync, and no error finding that no
    /// exception accepts (warnings never count).
    pub fn passes(&self) -> bool {
        self.in_sync() && self.findings.failing() == 0
    }

    /// Returns how many changes weaken protection (DESIGN §11; see `weakening`).
    pub fn weakening(&self) -> usize {
        self.changes
            .iter()
            .filter(|change| change.weakens())
            .count()
    }

    /// Returns the changes that `apply` cannot make (excepted ones aside).
    pub fn inapplicable(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|change| matches!(change.disposition, Disposition::Inapplicable(_)))
    }
}

/// Counts of changes by action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Resources to create.
    pub create: usize,
    /// Resources to update.
    pub update: usize,
    /// Resources to delete.
    pub delete: usize,
    /// Changes active exceptions accept (left alone by `apply`).
    #[serde(skip_serializing_if = "is_zero")]
    pub excepted: usize,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes &T"
)]
fn is_zero(value: &usize) -> bool {
    *value == 0
}

/// The plans of many repositories of an organisation, and the repositories that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPlan {
    /// The organisation's login.
    pub organization: String,
    /// One plan per repository planned, by repository name.
    pub plans: Vec<Plan>,
    /// The repositories that could not be planned.
    pub errors: Vec<RepositoryError>,
}

/// A repository that could not be planned (or applied), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepositoryError {
    /// `OWNER/NAME`.
    pub repository: String,
    /// The error and its causes, one line each.
    pub error: String,
}

impl OrgPlan {
    /// Returns true when no repository drifts and none failed.
    pub fn in_sync(&self) -> bool {
        self.errors.is_empty() && self.plans.iter().all(Plan::in_sync)
    }

    /// Returns true when the run passes the gate: no repository failed, drifts, or has an
    /// error finding no exception accepts.
    pub fn passes(&self) -> bool {
        self.errors.is_empty() && self.plans.iter().all(Plan::passes)
    }
}
