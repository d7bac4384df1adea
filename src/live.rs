//! What the reader observed: the live settings in the model's terms, plus the few facts the
//! policy format cannot say (a listed branch that does not exist, the numeric ids of the
//! users, teams and apps the policy names).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::RepoSettings;

/// The live side of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveState {
    /// The live settings. Branches that exist without protection appear as
    /// `protected: false` or not at all; environments appear when they exist.
    pub settings: RepoSettings,
    /// Branches the policy lists that do not exist in the repository.
    pub missing_branches: BTreeSet<String>,
    /// Ids of the users, teams and apps the policy names, for writes that need ids.
    pub ids: Identities,
}

impl LiveState {
    /// Returns a live state made of settings alone, as read from a `--state` file: every
    /// branch exists, and no ids are known.
    pub fn from_settings(settings: RepoSettings) -> Self {
        Self {
            settings,
            missing_branches: BTreeSet::new(),
            ids: Identities::default(),
        }
    }
}

/// Numeric ids by lowercase login or slug.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identities {
    /// User ids by login.
    pub users: BTreeMap<String, i64>,
    /// Team ids by slug.
    pub teams: BTreeMap<String, i64>,
    /// App ids by slug.
    pub apps: BTreeMap<String, i64>,
}

impl Identities {
    /// Returns the id of the app with this slug, if known.
    pub fn app(&self, slug: &str) -> Option<i64> {
        self.apps.get(&slug.to_lowercase()).copied()
    }
}
