//! What GitHub told about the repository beyond its protection: what findings are judged
//! on. `None` means not known — not needed, or not readable (then a note says which
//! permission would read it) — and a finding that needs it is not judged, never guessed.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::MergeMethod;

/// The facts of one repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Logins of the people with write access (`collaborators?permission=push`).
    pub writers: Option<Vec<String>>,
    /// The merge methods the repository allows (its settings, predicted or live).
    pub merge_methods: Option<BTreeSet<MergeMethod>>,
    /// The names of the branches that exist.
    pub branches: Option<BTreeSet<String>>,
    /// The facts of each branch judged, by name.
    pub per_branch: BTreeMap<String, BranchFacts>,
    /// What the reads could not learn, each saying why.
    pub notes: Vec<String>,
}

/// The facts of one branch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BranchFacts {
    /// The CODEOWNERS file pull requests into the branch use.
    pub codeowners: Option<Codeowners>,
    /// What reported the checks of the last merged pull request into the branch: `Some(None)`
    /// when no pull request was ever merged into it.
    pub last_merged: Option<Option<Reported>>,
}

/// The CODEOWNERS file, as `GET …/codeowners/errors` tells it (emulator/github-api/QUIRKS.md 62).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codeowners {
    /// No CODEOWNERS file (404): code-owner review requires nothing.
    Missing,
    /// A file, with these syntax errors (none: a valid file).
    Present(Vec<CodeownersError>),
}

/// One syntax error of a CODEOWNERS file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeownersError {
    /// The file (`.github/CODEOWNERS`).
    pub path: String,
    /// The line, 1-based.
    pub line: u64,
    /// GitHub's kind of error (`Invalid owner`).
    pub kind: String,
}

/// What reported on the head commit of a merged pull request (emulator/github-api/QUIRKS.md 63).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// The pull request's number.
    pub number: u64,
    /// Its head commit.
    pub sha: String,
    /// The check runs, each with its app.
    pub check_runs: Vec<ReportedRun>,
    /// The contexts of the commit statuses (legacy statuses have no app).
    pub statuses: Vec<String>,
}

/// One check run and the app that reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedRun {
    /// The check's name.
    pub name: String,
    /// The app's id.
    pub app_id: Option<u64>,
    /// The app's slug.
    pub app: Option<String>,
}
