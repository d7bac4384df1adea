//! Issues, pull requests, their comments and the repository's labels, as a seed writes them.
//!
//! Issues and pull requests share one numbering, as on GitHub: the first item of `issues` is
//! number 1. A pull request is an issue with `pull_request: true` (the issues list returns
//! both, github-api/QUIRKS.md 65).

use serde::{Deserialize, Serialize};

use super::is_false;

/// An issue or a pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueSeed {
    /// Title.
    pub title: String,
    /// Body (Markdown).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body: String,
    /// `open` (default) or `closed`.
    #[serde(default = "open", skip_serializing_if = "is_open")]
    pub state: String,
    /// Why it was closed (or reopened): `completed`, `not_planned`, `duplicate`, `reopened`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<String>,
    /// Label names (labels the repository does not have yet are created).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// A pull request rather than an issue.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pull_request: bool,
    /// Who opened it (a login; default `octocat`).
    #[serde(default = "octocat")]
    pub user: String,
    /// Its comments, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<CommentSeed>,
}

impl IssueSeed {
    /// Returns an open issue by `octocat`.
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            body: String::new(),
            state: open(),
            state_reason: None,
            labels: Vec::new(),
            pull_request: false,
            user: octocat(),
            comments: Vec::new(),
        }
    }

    /// Returns an open pull request by `octocat`.
    pub fn pull_request(title: &str) -> Self {
        Self {
            pull_request: true,
            ..Self::new(title)
        }
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: &str) -> Self {
        body.clone_into(&mut self.body);
        self
    }

    /// Adds a label.
    #[must_use]
    pub fn label(mut self, name: &str) -> Self {
        self.labels.push(name.to_owned());
        self
    }

    /// Adds a comment by `user`.
    #[must_use]
    pub fn comment(mut self, user: &str, body: &str) -> Self {
        self.comments.push(CommentSeed {
            user: user.to_owned(),
            body: body.to_owned(),
        });
        self
    }
}

/// A comment on an issue or pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentSeed {
    /// Who wrote it (a login).
    pub user: String,
    /// Body (Markdown).
    pub body: String,
}

/// A label of the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSeed {
    /// Name (unique without regard to case).
    pub name: String,
    /// Six hexadecimal digits, without `#` (default `ededed`, GitHub's for a label made on
    /// the fly).
    #[serde(default = "grey")]
    pub color: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn open() -> String {
    "open".into()
}

fn is_open(state: &str) -> bool {
    state == "open"
}

fn octocat() -> String {
    "octocat".into()
}

/// The colour GitHub gives a label made without one (or on the fly, by naming it on an
/// issue).
pub(crate) const DEFAULT_LABEL_COLOR: &str = "ededed";

fn grey() -> String {
    DEFAULT_LABEL_COLOR.into()
}
