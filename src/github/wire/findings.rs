//! What findings read beyond protection (DESIGN §13): collaborators, CODEOWNERS errors,
//! pull requests and commit statuses.

use serde::Deserialize;

/// One collaborator (`GET …/collaborators`): only the login counts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Collaborator {
    /// The login.
    pub login: String,
}

/// `GET …/codeowners/errors`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CodeownersErrors {
    /// The syntax errors.
    pub errors: Vec<CodeownersError>,
}

/// One syntax error of the CODEOWNERS file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CodeownersError {
    /// The line, 1-based.
    pub line: u64,
    /// GitHub's kind, e.g. `Invalid owner`.
    pub kind: String,
    /// The file.
    pub path: String,
}

/// One pull request of `GET …/pulls`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PullRequest {
    /// Its number.
    pub number: u64,
    /// When it was merged; `null` for one closed without merging.
    pub merged_at: Option<String>,
    /// Its head.
    pub head: Head,
}

/// A pull request's head.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Head {
    /// The head commit.
    pub sha: String,
}

/// `GET …/commits/{ref}/status`: the combined legacy statuses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CombinedStatus {
    /// The latest status of each context.
    pub statuses: Vec<Status>,
}

/// One commit status.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Status {
    /// The context a required check names.
    pub context: String,
}
