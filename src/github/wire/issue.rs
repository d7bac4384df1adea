//! Issues, comments and labels (`issue`, `issue-comment`, `label`), and the bodies that write
//! them: what a drift issue and a pull request comment need. Only the fields gh-policy reads
//! are declared; GitHub sends many more.

use serde::{Deserialize, Serialize};

/// An issue, or a pull request as the issues API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Issue {
    /// Its number in the repository.
    pub number: u64,
    /// Title.
    pub title: String,
    /// Body (`null` when empty).
    #[serde(default)]
    pub body: Option<String>,
    /// `open` or `closed`.
    pub state: String,
    /// Its labels.
    #[serde(default)]
    pub labels: Vec<IssueLabel>,
    /// Present on a pull request (the issues list returns both).
    #[serde(default)]
    pub pull_request: Option<serde_json::Value>,
    /// The page on github.com.
    pub html_url: String,
}

/// A label on an issue: GitHub documents a name or an object.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum IssueLabel {
    /// A label object.
    Object {
        /// Its name.
        name: String,
    },
    /// A bare name.
    Name(String),
}

impl IssueLabel {
    /// Returns the label's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Object { name } | Self::Name(name) => name,
        }
    }
}

/// `POST …/issues`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueRequest {
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Label names.
    pub labels: Vec<String>,
}

/// `PATCH …/issues/{issue_number}`: only the fields set are sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IssueUpdate {
    /// The new body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// `open` or `closed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Why it is closed: `completed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<String>,
    /// The whole set of label names (replaces the issue's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
}

/// A comment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Comment {
    /// Its id.
    pub id: u64,
    /// Body.
    #[serde(default)]
    pub body: Option<String>,
    /// The page on github.com.
    pub html_url: String,
}

/// `POST …/issues/{issue_number}/comments` and `PATCH …/issues/comments/{comment_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentRequest {
    /// Body.
    pub body: String,
}

/// A repository's label.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Label {
    /// Its name.
    pub name: String,
}

/// `POST …/labels`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelRequest {
    /// Name.
    pub name: String,
    /// Six hexadecimal digits, without `#`.
    pub color: String,
    /// What it means (at most 100 characters).
    pub description: String,
}
