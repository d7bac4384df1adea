//! What the reader observed: the live settings in the model's terms, plus the facts the
//! policy format cannot say — a listed branch that does not exist, the numeric ids of the
//! users, teams, apps and deployment patterns that writes refer to, and what protects each
//! branch (the evidence `effective` weighs).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::model::ref_pattern::DEFAULT_BRANCH;
use crate::model::{
    Account, Branch, BypassActor, DeploymentPattern, Directory, RepoSettings, Rules,
};

/// The live side of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveState {
    /// The live settings. Branches that exist without protection appear as
    /// `protected: false` or not at all; environments appear when they exist.
    pub settings: RepoSettings,
    /// Branches the policy lists that do not exist in the repository.
    pub missing_branches: BTreeSet<String>,
    /// Ids of the users, teams and apps the policy and the live settings name.
    pub ids: Identities,
    /// Ids of live deployment patterns, by lower-case environment name and pattern.
    pub pattern_ids: BTreeMap<(String, DeploymentPattern), u64>,
    /// What the model of a live repository ruleset cannot say, by name.
    pub rulesets: BTreeMap<String, LiveRuleset>,
    /// The repository's default branch, when it was read.
    pub default_branch: Option<String>,
    /// What protects each branch the policy's requirements name, by branch name.
    pub evidence: BTreeMap<String, BranchEvidence>,
    /// What the token could not read of what the policy manages, each named.
    pub gaps: Vec<crate::plan::Gap>,
    /// What GitHub said of the security features besides their values.
    pub switches: SwitchFacts,
}

/// What decides whether `apply` can change a security feature (DESIGN §12).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwitchFacts {
    /// The code security configuration attached to the repository, by name: it governs
    /// every security feature but immutable releases (emulator/github-api/QUIRKS.md 59).
    pub configuration: Option<String>,
    /// Features GitHub does not offer this repository (its plan or visibility), with its
    /// message.
    pub unavailable: BTreeMap<crate::model::SecurityFeature, String>,
    /// Features the repository's owner enforces.
    pub enforced: BTreeSet<crate::model::SecurityFeature>,
}

/// A live repository ruleset's id, and the parameters it has that the policy format does
/// not model (kept by `apply`, never drift).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveRuleset {
    /// The ruleset's id.
    pub id: u64,
    /// Parameters by rule type: of modelled rules, those gh-policy does not model; of other
    /// rule types, all of them.
    pub kept: BTreeMap<String, Map<String, Value>>,
    /// False when GitHub hid the bypass actors from the token: they are not compared, and
    /// never written over.
    pub bypass_visible: bool,
}

impl LiveState {
    /// Returns a live state made of settings alone, as read from a `--state` file: every
    /// branch exists, and no ids are known.
    pub fn from_settings(settings: RepoSettings) -> Self {
        Self {
            settings,
            missing_branches: BTreeSet::new(),
            ids: Identities {
                offline: true,
                ..Identities::default()
            },
            pattern_ids: BTreeMap::new(),
            rulesets: BTreeMap::new(),
            default_branch: None,
            evidence: BTreeMap::new(),
            gaps: Vec::new(),
            switches: SwitchFacts::default(),
        }
    }

    /// Returns the branch a requirement key names: `~DEFAULT_BRANCH` is the default branch
    /// (`main` when it was not read, as with a state file).
    pub fn branch_of<'a>(&'a self, key: &'a str) -> &'a str {
        if key == DEFAULT_BRANCH {
            self.default_branch()
        } else {
            key
        }
    }

    /// Returns the repository's default branch (`main` when it was not read, as with a state
    /// file).
    pub fn default_branch(&self) -> &str {
        self.default_branch.as_deref().unwrap_or("main")
    }

    /// Returns the id of a live deployment pattern.
    pub fn pattern_id(&self, environment: &str, pattern: &DeploymentPattern) -> Option<u64> {
        self.pattern_ids
            .get(&(environment.to_lowercase(), pattern.clone()))
            .copied()
    }
}

/// Numeric ids by lower-case login or slug (GitHub matches names without case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identities {
    /// User ids by login.
    pub users: BTreeMap<String, u64>,
    /// Team ids by slug.
    pub teams: BTreeMap<String, u64>,
    /// App ids by slug.
    pub apps: BTreeMap<String, u64>,
    /// True for a live side read from a state file: no name was looked up, so a missing
    /// id says nothing about whether `apply` could write.
    pub offline: bool,
}

impl Identities {
    /// Returns the id of the user with this login, if known.
    pub fn user(&self, login: &str) -> Option<u64> {
        self.users.get(&login.to_lowercase()).copied()
    }

    /// Returns the id of the team with this slug, if known.
    pub fn team(&self, slug: &str) -> Option<u64> {
        self.teams.get(&slug.to_lowercase()).copied()
    }

    /// Returns the id of the app with this slug, if known.
    pub fn app(&self, slug: &str) -> Option<u64> {
        self.apps.get(&slug.to_lowercase()).copied()
    }

    /// Returns the login of the user with this id, if known.
    pub fn user_login(&self, id: u64) -> Option<&str> {
        self.users
            .iter()
            .find(|(_, u)| **u == id)
            .map(|(login, _)| login.as_str())
    }

    /// Returns the slug of the team with this id, if known.
    pub fn team_slug(&self, id: u64) -> Option<&str> {
        self.teams
            .iter()
            .find(|(_, t)| **t == id)
            .map(|(slug, _)| slug.as_str())
    }

    /// Returns the slug of the app with this id, if known.
    pub fn app_slug(&self, id: u64) -> Option<&str> {
        self.apps
            .iter()
            .find(|(_, app)| **app == id)
            .map(|(slug, _)| slug.as_str())
    }
}

impl Directory for Identities {
    fn id_of(&self, account: Account, name: &str) -> Option<u64> {
        match account {
            Account::User => self.user(name),
            Account::Team => self.team(name),
            Account::App => self.app(name),
        }
    }

    fn name_of(&self, account: Account, id: u64) -> Option<&str> {
        match account {
            Account::User => self.user_login(id),
            Account::Team => self.team_slug(id),
            Account::App => self.app_slug(id),
        }
    }
}

/// A repository of an organisation as the organisation lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRepository {
    /// Its name.
    pub name: String,
    /// Archived repositories are read-only.
    pub archived: bool,
    /// A fork.
    pub fork: bool,
}

/// An organisation's custom properties: the ones it defines, and each repository's values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgProperties {
    /// The properties the organisation defines, by name.
    pub defined: BTreeMap<String, PropertyDefinition>,
    /// Each repository's values, by lower-case repository name: property name → values
    /// (one for a single-select property, none for a property without a value). A
    /// repository missing here is one whose values could not be read.
    pub values: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// A custom property an organisation defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyDefinition {
    /// GitHub's type: `string`, `single_select`, `multi_select`, `true_false` or `url`.
    pub value_type: String,
    /// The values it may take, for the types that have a list of them.
    pub allowed: Option<Vec<String>>,
}

impl OrgProperties {
    /// Returns a repository's values, or `None` when they could not be read.
    pub fn of(&self, repository: &str) -> Option<&BTreeMap<String, Vec<String>>> {
        self.values.get(&repository.to_lowercase())
    }
}

/// Where a setting comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// The branch's classic protection.
    Classic,
    /// A ruleset, the repository's (`organization: None`) or an organisation's.
    Ruleset {
        /// The ruleset's name.
        name: String,
        /// The organisation it belongs to, for an organisation ruleset.
        organization: Option<String>,
    },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Classic => f.write_str("classic"),
            Self::Ruleset {
                name,
                organization: None,
            } => write!(f, "ruleset \"{}\"", crate::output::untrusted::escape(name)),
            Self::Ruleset {
                name,
                organization: Some(org),
            } => write!(
                f,
                "ruleset \"{}\" (organization {})",
                crate::output::untrusted::escape(name),
                crate::output::untrusted::escape(org)
            ),
        }
    }
}

/// Classic protection as it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classic {
    /// None: the branch is unprotected (or does not exist).
    None,
    /// This protection.
    Protected(Box<Branch>),
    /// The token cannot read it.
    Unreadable,
}

/// A ruleset that applies to a branch, with the rules it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRuleset {
    /// Its id, when it exists on GitHub (a ruleset the policy would create has none).
    pub id: Option<u64>,
    /// Where it comes from (never `Classic`).
    pub source: Source,
    /// True when enforced; false for `evaluate` (reported, never enforced).
    pub active: bool,
    /// The rules that apply to the branch.
    pub rules: Rules,
    /// Who may bypass; `None` when the token cannot see them.
    pub bypass: Option<Vec<BypassActor>>,
}

/// What protects one branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchEvidence {
    /// The branch's name.
    pub branch: String,
    /// False when the branch does not exist (yet).
    pub exists: bool,
    /// Its classic protection.
    pub classic: Classic,
    /// Every active or evaluate-mode ruleset that applies to it.
    pub rulesets: Vec<AppliedRuleset>,
}
