//! Issues, pull request comments and labels, one declaration each: what `issue` and
//! `comment` read and write through `RestContent`, and nothing else does.

use http::{Method, StatusCode};

use super::{Read, Write, repo_path};
use crate::github::error::Permission;
use crate::github::path::ApiPath;
use crate::github::wire::issue::{
    Comment, CommentRequest, Issue, IssueRequest, IssueUpdate, Label, LabelRequest,
};
use crate::model::names::RepoName;

/// GitHub's largest page.
const PER_PAGE: u32 = 100;
const OK: &[StatusCode] = &[StatusCode::OK];
const CREATED: &[StatusCode] = &[StatusCode::CREATED];

/// A content operation: the only kind `RestContent` sends, so what holds one cannot touch
/// a repository's settings. Only this module makes them.
pub struct Content<Op>(pub(crate) Op);

/// `/repos/{owner}/{repo}/issues`.
fn issues_path(repo: &RepoName) -> ApiPath {
    repo_path(repo).lit("issues")
}

/// GET `…/issues?state=open&labels=LABEL`, every page: the open issues carrying the label,
/// pull requests included (as GitHub lists them).
pub fn open_issues_labelled(repo: &RepoName, label: &str) -> Content<Read<Vec<Issue>>> {
    let path = issues_path(repo)
        .query("state", "open")
        .query("labels", label)
        .query("per_page", PER_PAGE);
    Content(Read::list(path, None).in_repository(repo))
}

/// GET `…/issues/{issue_number}` (a pull request's number too).
pub fn issue(repo: &RepoName, number: u64) -> Content<Read<Issue>> {
    Content(Read::one(issues_path(repo).id(number)).in_repository(repo))
}

/// POST `…/issues`.
pub fn create_issue<'a>(
    repo: &RepoName,
    body: &'a IssueRequest,
) -> Content<Write<'a, IssueRequest, Issue>> {
    Content(
        Write::new(
            Method::POST,
            issues_path(repo),
            CREATED,
            Permission::IssuesWrite,
        )
        .body(body)
        .answer(),
    )
}

/// PATCH `…/issues/{issue_number}`.
pub fn update_issue<'a>(
    repo: &RepoName,
    number: u64,
    body: &'a IssueUpdate,
) -> Content<Write<'a, IssueUpdate, Issue>> {
    let path = issues_path(repo).id(number);
    Content(
        Write::new(Method::PATCH, path, OK, Permission::IssuesWrite)
            .body(body)
            .answer(),
    )
}

/// GET `…/issues/{issue_number}/comments`, every page, oldest first.
pub fn comments(repo: &RepoName, number: u64) -> Content<Read<Vec<Comment>>> {
    let path = issues_path(repo)
        .id(number)
        .lit("comments")
        .query("per_page", PER_PAGE);
    Content(Read::list(path, None).in_repository(repo))
}

/// POST `…/issues/{issue_number}/comments`.
pub fn create_comment<'a>(
    repo: &RepoName,
    number: u64,
    body: &'a CommentRequest,
) -> Content<Write<'a, CommentRequest, Comment>> {
    let path = issues_path(repo).id(number).lit("comments");
    Content(
        Write::new(Method::POST, path, CREATED, Permission::PullRequestsWrite)
            .body(body)
            .answer(),
    )
}

/// PATCH `…/issues/comments/{comment_id}`.
pub fn update_comment<'a>(
    repo: &RepoName,
    id: u64,
    body: &'a CommentRequest,
) -> Content<Write<'a, CommentRequest, Comment>> {
    let path = issues_path(repo).lit("comments").id(id);
    Content(
        Write::new(Method::PATCH, path, OK, Permission::PullRequestsWrite)
            .body(body)
            .answer(),
    )
}

/// GET `…/labels`, every page.
pub fn labels(repo: &RepoName) -> Content<Read<Vec<Label>>> {
    let path = repo_path(repo).lit("labels").query("per_page", PER_PAGE);
    Content(Read::list(path, None).in_repository(repo))
}

/// POST `…/labels`.
pub fn create_label<'a>(
    repo: &RepoName,
    body: &'a LabelRequest,
) -> Content<Write<'a, LabelRequest, Label>> {
    let path = repo_path(repo).lit("labels");
    Content(
        Write::new(Method::POST, path, CREATED, Permission::IssuesWrite)
            .body(body)
            .answer(),
    )
}
