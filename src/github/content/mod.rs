//! The seam for what `issue` and `comment` write: issues, pull request comments and labels,
//! one method per REST operation, in GitHub's own shapes.
//!
//! It is apart from [`super::GithubRead`] and [`super::GithubWrite`]: only `issue` and
//! `comment` hold a [`GithubContent`] (`rest::RestContent`), which cannot touch a
//! repository's settings, and nothing else can write an issue or a comment. Every write
//! goes through [`pace::ContentPace`], within GitHub's limit on creating content.

pub mod pace;

use async_trait::async_trait;

use super::error::ApiError;
use super::wire::issue::{
    Comment, CommentRequest, Issue, IssueRequest, IssueUpdate, Label, LabelRequest,
};
use crate::names::RepoName;

/// Issues, comments and labels.
#[async_trait]
pub trait GithubContent: Send + Sync {
    /// GET `…/issues?state=open&labels=LABEL`, every page: the open issues carrying the
    /// label, pull requests included (as GitHub lists them).
    async fn open_issues_labelled(
        &self,
        repo: &RepoName,
        label: &str,
    ) -> Result<Vec<Issue>, ApiError>;

    /// GET `…/issues/{issue_number}` (a pull request's number too).
    async fn issue(&self, repo: &RepoName, number: u64) -> Result<Issue, ApiError>;

    /// POST `…/issues`.
    async fn create_issue(&self, repo: &RepoName, body: &IssueRequest) -> Result<Issue, ApiError>;

    /// PATCH `…/issues/{issue_number}`.
    async fn update_issue(
        &self,
        repo: &RepoName,
        number: u64,
        body: &IssueUpdate,
    ) -> Result<Issue, ApiError>;

    /// GET `…/issues/{issue_number}/comments`, every page, oldest first.
    async fn comments(&self, repo: &RepoName, number: u64) -> Result<Vec<Comment>, ApiError>;

    /// POST `…/issues/{issue_number}/comments`.
    async fn create_comment(
        &self,
        repo: &RepoName,
        number: u64,
        body: &CommentRequest,
    ) -> Result<Comment, ApiError>;

    /// PATCH `…/issues/comments/{comment_id}`.
    async fn update_comment(
        &self,
        repo: &RepoName,
        id: u64,
        body: &CommentRequest,
    ) -> Result<Comment, ApiError>;

    /// GET `…/labels`, every page.
    async fn labels(&self, repo: &RepoName) -> Result<Vec<Label>, ApiError>;

    /// POST `…/labels`.
    async fn create_label(&self, repo: &RepoName, body: &LabelRequest) -> Result<Label, ApiError>;
}
