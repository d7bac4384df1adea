//! Issues, comments and labels over HTTP: [`RestContent`], the one implementation of
//! [`GithubContent`], which `issue` and `comment` build and nothing else does.

use async_trait::async_trait;
use http::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::{PER_PAGE, parse, repo_path, repository_missing};
use crate::github::client::WriteClient;
use crate::github::content::GithubContent;
use crate::github::content::pace::{ContentPace, PER_HOUR};
use crate::github::error::{ApiError, ApiErrorKind, Permission};
use crate::github::path::ApiPath;
use crate::github::wire::issue::{
    Comment, CommentRequest, Issue, IssueRequest, IssueUpdate, Label, LabelRequest,
};
use crate::names::RepoName;

/// Issues, comments and labels over HTTP, paced within GitHub's content limit. It reads and
/// writes nothing else.
pub struct RestContent {
    client: WriteClient,
    pace: ContentPace,
}

impl RestContent {
    /// Wraps a client; writes are paced by it (one at a time, `write_pace` apart) and by
    /// GitHub's content limit.
    pub fn new(client: WriteClient) -> Self {
        Self::with_pace(client, ContentPace::default())
    }

    /// Wraps a client with another content pace (tests).
    pub fn with_pace(client: WriteClient, pace: ContentPace) -> Self {
        Self { client, pace }
    }

    fn issues_path(repo: &RepoName) -> ApiPath {
        repo_path(repo).lit("issues")
    }

    async fn get_one<T: DeserializeOwned>(
        &self,
        path: &ApiPath,
        repo: &RepoName,
    ) -> Result<T, ApiError> {
        let call = path.call(Method::GET);
        let response = self.client.reader().get(path).await?;
        if response.status == StatusCode::OK {
            parse(&response, &call)
        } else {
            Err(repository_missing(
                ApiError::from_status(&response, call),
                repo,
            ))
        }
    }

    async fn get_all<T: DeserializeOwned>(
        &self,
        path: &ApiPath,
        repo: &RepoName,
    ) -> Result<Vec<T>, ApiError> {
        self.client
            .reader()
            .get_all(path, None)
            .await
            .map_err(|err| repository_missing(err, repo))
    }

    /// Sends one content-creating write, once the content limit lets it through.
    async fn write<B: serde::Serialize + Sync, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &ApiPath,
        body: &B,
        ok: StatusCode,
        needs: Permission,
    ) -> Result<T, ApiError> {
        let call = path.call(method.clone());
        if let Err(spent) = self.pace.admit().await {
            return Err(ApiError::new(ApiErrorKind::RateLimited, call).with_detail(format!(
                "GitHub allows about {PER_HOUR} issues, comments and labels an hour, and this run has written as many; one more fits in {} minutes",
                spent.wait.as_secs().div_ceil(60)
            )));
        }
        let response = self.client.send(method, path, body).await?;
        if response.status == ok {
            parse(&response, &call)
        } else {
            Err(ApiError::from_status(&response, call).needing(needs))
        }
    }
}

#[async_trait]
impl GithubContent for RestContent {
    async fn open_issues_labelled(
        &self,
        repo: &RepoName,
        label: &str,
    ) -> Result<Vec<Issue>, ApiError> {
        let path = Self::issues_path(repo)
            .query("state", "open")
            .query("labels", label)
            .query("per_page", PER_PAGE);
        self.get_all(&path, repo).await
    }

    async fn issue(&self, repo: &RepoName, number: u64) -> Result<Issue, ApiError> {
        self.get_one(&Self::issues_path(repo).id(number), repo)
            .await
    }

    async fn create_issue(&self, repo: &RepoName, body: &IssueRequest) -> Result<Issue, ApiError> {
        let path = Self::issues_path(repo);
        self.write(
            Method::POST,
            &path,
            body,
            StatusCode::CREATED,
            Permission::IssuesWrite,
        )
        .await
    }

    async fn update_issue(
        &self,
        repo: &RepoName,
        number: u64,
        body: &IssueUpdate,
    ) -> Result<Issue, ApiError> {
        let path = Self::issues_path(repo).id(number);
        self.write(
            Method::PATCH,
            &path,
            body,
            StatusCode::OK,
            Permission::IssuesWrite,
        )
        .await
    }

    async fn comments(&self, repo: &RepoName, number: u64) -> Result<Vec<Comment>, ApiError> {
        let path = Self::issues_path(repo)
            .id(number)
            .lit("comments")
            .query("per_page", PER_PAGE);
        self.get_all(&path, repo).await
    }

    async fn create_comment(
        &self,
        repo: &RepoName,
        number: u64,
        body: &CommentRequest,
    ) -> Result<Comment, ApiError> {
        let path = Self::issues_path(repo).id(number).lit("comments");
        self.write(
            Method::POST,
            &path,
            body,
            StatusCode::CREATED,
            Permission::PullRequestsWrite,
        )
        .await
    }

    async fn update_comment(
        &self,
        repo: &RepoName,
        id: u64,
        body: &CommentRequest,
    ) -> Result<Comment, ApiError> {
        let path = Self::issues_path(repo).lit("comments").id(id);
        self.write(
            Method::PATCH,
            &path,
            body,
            StatusCode::OK,
            Permission::PullRequestsWrite,
        )
        .await
    }

    async fn labels(&self, repo: &RepoName) -> Result<Vec<Label>, ApiError> {
        let path = repo_path(repo).lit("labels").query("per_page", PER_PAGE);
        self.get_all(&path, repo).await
    }

    async fn create_label(&self, repo: &RepoName, body: &LabelRequest) -> Result<Label, ApiError> {
        let path = repo_path(repo).lit("labels");
        self.write(
            Method::POST,
            &path,
            body,
            StatusCode::CREATED,
            Permission::IssuesWrite,
        )
        .await
    }
}
