//! The fingerprints of what a plan was made from: one digest per thing the reader observed
//! (a branch's protection, an environment, a ruleset, what protects a branch, …), so that a
//! saved plan can tell, when it is applied, exactly what changed on GitHub since.
//!
//! A fingerprint digests the reader's model of the answers (`LiveState`), not the bytes of
//! the answers: the model is everything the diff and the writes are made from, and nothing
//! else (a new `updated_at` on an environment refuses nothing). The digest is of the model's
//! `Debug` form, which every part of it derives; it is compared only by the gh-policy
//! version that wrote it (the saved plan checks the version first), so it never needs to be
//! stable across versions.

use std::collections::BTreeMap;
use std::fmt::Debug;

use sha2::{Digest, Sha256};

use crate::model::RepoSettings;
use crate::model::live::LiveState;
use crate::model::names::BranchName;

/// What was read, by what it is (`branches.main`, `rulesets.protect-main`,
/// `rules on branch main`, …): the hex SHA-256 of its model.
pub type Fingerprints = BTreeMap<String, String>;

/// How one thing read differs between the plan and now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// It differs.
    Changed(String),
    /// It is there now and was not when the plan was made.
    Appeared(String),
    /// It was there when the plan was made and is not now.
    Gone(String),
}

impl std::fmt::Display for Changed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Changed(what) => write!(f, "{what} changed since the plan"),
            Self::Appeared(what) => write!(f, "{what} appeared since the plan"),
            Self::Gone(what) => write!(f, "{what} is gone since the plan"),
        }
    }
}

/// Returns the fingerprints of everything the live state holds.
pub fn fingerprints(live: &LiveState) -> Fingerprints {
    // Every field by name: a field added to `LiveState` does not compile here until it is
    // fingerprinted, so nothing a plan is made from can escape the check.
    let LiveState {
        settings,
        missing_branches,
        ids,
        pattern_ids,
        rulesets,
        default_branch,
        evidence,
        gaps,
        switches,
    } = live;
    let mut prints = Fingerprints::new();
    let branches = settings
        .branches
        .keys()
        .map(BranchName::as_str)
        .chain(missing_branches.iter().map(String::as_str))
        .collect::<std::collections::BTreeSet<_>>();
    for name in branches {
        let read = (settings.branches.get(name), missing_branches.contains(name));
        prints.insert(format!("branches.{name}"), digest(&read));
    }
    for (name, environment) in &settings.environments {
        let key = name.to_lowercase();
        let patterns: Vec<_> = pattern_ids
            .iter()
            .filter(|((env, _), _)| *env == key)
            .collect();
        prints.insert(
            format!("environments.{name}"),
            digest(&(environment, patterns)),
        );
    }
    // Pattern ids of an environment not in the settings (none today): kept on their own.
    for ((environment, pattern), id) in pattern_ids {
        if !settings
            .environments
            .keys()
            .any(|name| name.to_lowercase() == *environment)
        {
            prints.insert(
                format!("environments.{environment}.deployment_branch_policies"),
                digest(&(pattern, id)),
            );
        }
    }
    let names = settings
        .rulesets
        .keys()
        .map(crate::model::names::Text::as_str)
        .chain(rulesets.keys().map(String::as_str))
        .collect::<std::collections::BTreeSet<_>>();
    for name in names {
        let read = (settings.rulesets.get(name), rulesets.get(name));
        prints.insert(format!("rulesets.{name}"), digest(&read));
    }
    for (branch, read) in evidence {
        prints.insert(format!("rules on branch {branch}"), digest(read));
    }
    prints.insert("the default branch".to_owned(), digest(default_branch));
    prints.insert(
        "the ids of the users, teams and apps named".to_owned(),
        digest(ids),
    );
    prints.insert("what the token cannot read".to_owned(), digest(gaps));
    prints.insert(
        "what GitHub says of the security features".to_owned(),
        digest(switches),
    );
    prints.insert(
        "the repository's other settings".to_owned(),
        digest(&without_resources(settings)),
    );
    prints
}

/// The settings without what has a fingerprint of its own.
fn without_resources(settings: &RepoSettings) -> RepoSettings {
    RepoSettings {
        branches: BTreeMap::new(),
        environments: BTreeMap::new(),
        rulesets: BTreeMap::new(),
        ..settings.clone()
    }
}

/// Returns what differs between the fingerprints a plan was made from and those of now,
/// in the order of their names.
pub fn compare(planned: &Fingerprints, now: &Fingerprints) -> Vec<Changed> {
    let mut changed = Vec::new();
    for (what, print) in planned {
        match now.get(what) {
            Some(current) if current == print => {}
            Some(_) => changed.push(Changed::Changed(what.clone())),
            None => changed.push(Changed::Gone(what.clone())),
        }
    }
    for what in now.keys().filter(|what| !planned.contains_key(*what)) {
        changed.push(Changed::Appeared(what.clone()));
    }
    changed.sort_by(|a, b| name(a).cmp(name(b)));
    changed
}

fn name(changed: &Changed) -> &str {
    match changed {
        Changed::Changed(what) | Changed::Appeared(what) | Changed::Gone(what) => what,
    }
}

/// Returns the hex SHA-256 of a value's `Debug` form.
pub fn digest(value: &impl Debug) -> String {
    hex(&Sha256::digest(format!("{value:?}").as_bytes()))
}

/// Returns bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}
