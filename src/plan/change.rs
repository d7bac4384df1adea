//! One change of a plan: the resource it is about, what differs, and what becomes of it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Address, ExceptionNote, SettingPath, Target};

/// One resource that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The resource, e.g. `branches.main` or `environments.production.secrets.SSH_HOST`;
    /// it says the kind of resource too (`kind`).
    pub address: Address,
    /// What `apply` does to it.
    pub action: Action,
    /// The settings that differ. Empty for creations and deletions that have nothing
    /// further to say (a secret, a deployment pattern).
    pub diffs: Vec<FieldDiff>,
    /// Whether `apply` makes it, and how.
    pub disposition: Disposition,
    /// A note for people (where a secret's value comes from). Not a setting.
    pub note: Option<String>,
}

/// What becomes of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// `apply` makes it with this write; `None` when it has nothing of its own to write (a
    /// requirement the other changes meet) or the plan resolved no ids (one from a state
    /// file).
    Applicable(Option<Target>),
    /// `apply` makes it, and it lowers protection (DESIGN §11): it is asked for apart, and
    /// `apply --yes` refuses it without `--allow-weakening`. While a plan is being made, the
    /// diff marks so the changes that lower protection as a whole (a deletion of
    /// protection, a wider deployment); `weakening::settle` decides the rest.
    Weakening(Option<Target>),
    /// `apply` cannot make it, and why.
    Inapplicable(Refusal),
    /// Active exceptions accept all of it: counted apart, it does not fail the gate and
    /// `apply` leaves it alone.
    Excepted {
        /// The exception that names it whole, for a change without settings to carry it (a
        /// secret); shown by the text and Markdown plans.
        whole: Option<ExceptionNote>,
        /// Why `apply` could not make it anyway, if it could not.
        refused: Option<Refusal>,
    },
}

/// Why `apply` cannot make a change: `None` when no reason is known (a plan file that gives
/// none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub Option<String>);

impl Refusal {
    /// Returns the reason, or words that say none is known.
    pub fn words(&self) -> &str {
        self.0.as_deref().unwrap_or("no reason given")
    }
}

impl Change {
    /// Returns the kind of resource the change is about.
    pub fn kind(&self) -> ResourceKind {
        self.address.kind()
    }

    /// Returns true when `apply` makes this change (neither excepted nor inapplicable).
    pub fn applies(&self) -> bool {
        matches!(
            self.disposition,
            Disposition::Applicable(_) | Disposition::Weakening(_)
        )
    }

    /// Returns true when active exceptions accept all of this change.
    pub fn excepted(&self) -> bool {
        matches!(self.disposition, Disposition::Excepted { .. })
    }

    /// Returns true when `apply` would make this change and it weakens protection.
    pub fn weakens(&self) -> bool {
        matches!(self.disposition, Disposition::Weakening(_))
    }

    /// Returns what `apply` writes, if it makes the change and has something to write.
    pub fn target(&self) -> Option<&Target> {
        match &self.disposition {
            Disposition::Applicable(target) | Disposition::Weakening(target) => target.as_ref(),
            _ => None,
        }
    }

    /// Returns the write, to change it in place (see [`Self::target`]).
    pub fn target_mut(&mut self) -> Option<&mut Target> {
        match &mut self.disposition {
            Disposition::Applicable(target) | Disposition::Weakening(target) => target.as_mut(),
            _ => None,
        }
    }

    /// Returns why `apply` cannot make this change (an excepted change included), if it
    /// cannot.
    pub fn refusal(&self) -> Option<&Refusal> {
        match &self.disposition {
            Disposition::Inapplicable(refusal) => Some(refusal),
            Disposition::Excepted { refused, .. } => refused.as_ref(),
            _ => None,
        }
    }

    /// Returns the reason `apply` cannot make this change, when it cannot and says why.
    pub fn reason(&self) -> Option<&str> {
        self.refusal().and_then(|refusal| refusal.0.as_deref())
    }

    /// Marks the change as one `apply` cannot make, and why; its write is dropped. An
    /// excepted change stays excepted, and says why too.
    pub fn refuse(&mut self, reason: impl Into<String>) {
        let refusal = Refusal(Some(reason.into()));
        match &mut self.disposition {
            Disposition::Excepted { refused, .. } => *refused = Some(refusal),
            _ => self.disposition = Disposition::Inapplicable(refusal),
        }
    }

    /// Returns the exception that accepts the change: the one naming it whole, or that of
    /// its first accepted setting.
    pub fn accepted_by(&self) -> Option<&ExceptionNote> {
        match &self.disposition {
            Disposition::Excepted {
                whole: Some(note), ..
            } => Some(note),
            _ => self.diffs.iter().find_map(|diff| diff.excepted.as_ref()),
        }
    }

    /// Returns the exception that names the change whole, if one accepts it so.
    pub fn accepted_whole(&self) -> Option<&ExceptionNote> {
        match &self.disposition {
            Disposition::Excepted { whole, .. } => whole.as_ref(),
            _ => None,
        }
    }
}

/// One setting that differs, with both values as JSON (`null` for absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldDiff {
    /// The setting, from the resource, in policy terms, e.g. `pull_request.required_approvals`.
    pub path: SettingPath,
    /// The live value.
    pub live: Value,
    /// The value the policy asks for.
    pub policy: Value,
    /// For a requirement: the sources of the live (effective) value, `[]` when nothing
    /// provides it; absent for every other kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
    /// What a person should know about this difference (a source that would provide it but
    /// is only evaluated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The exception that accepts this difference, while it is active.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excepted: Option<ExceptionNote>,
    /// The exception that accepted this difference until it expired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception_expired: Option<ExceptionNote>,
    /// True when this difference, applied, lowers protection; whether it counts is
    /// `weakening`'s to say (the JSON plan writes it as `weakens`).
    #[serde(skip)]
    pub lowers: bool,
}

impl FieldDiff {
    /// Returns a difference with nothing but its path and values.
    pub fn new(path: impl Into<SettingPath>, live: Value, policy: Value) -> Self {
        Self {
            path: path.into(),
            live,
            policy,
            sources: None,
            note: None,
            excepted: None,
            exception_expired: None,
            lowers: false,
        }
    }
}

/// The kinds of resource a plan can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    /// Classic protection of one branch.
    BranchProtection,
    /// A deployment environment and its protection rules.
    Environment,
    /// One custom deployment branch or tag pattern of an environment.
    DeploymentBranchPolicy,
    /// One environment secret.
    Secret,
    /// One environment variable.
    Variable,
    /// One repository ruleset.
    Ruleset,
    /// A requirement on a branch's effective protection.
    Requirement,
    /// The repository's merge settings (`settings`).
    RepositorySettings,
    /// The repository's security features (`security`).
    Security,
    /// The repository's Actions permissions (`actions`).
    Actions,
}

/// What happens to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// It does not exist and will be created.
    Create,
    /// It exists and will be changed.
    Update,
    /// It exists and will be deleted.
    Delete,
}
