//! The reads that findings make (DESIGN §14): who may write, which branches exist, the
//! CODEOWNERS file's errors, and what the last merged pull request's commit reported.

use super::reads::branch_list;
use super::{Read, repo_path};
use crate::github::error::Permission;
use crate::github::wire::account::BranchItem;
use crate::github::wire::findings::{
    CodeownersError, CodeownersErrors, Collaborator, CombinedStatus, PullRequest,
};
use crate::model::names::RepoName;

/// GitHub's largest page.
const PER_PAGE: u32 = 100;
/// The pull requests looked at for the last merged one: closed ones, most recently updated
/// first (a merge updates a pull request).
const CLOSED_PULLS: u32 = 20;

/// GET `/repos/{owner}/{repo}/branches`, every page: the names of every branch.
pub fn branch_names(repo: &RepoName) -> Read<Vec<BranchItem>, Vec<String>> {
    let path = repo_path(repo).lit("branches").query("per_page", PER_PAGE);
    let known = repo.clone();
    branch_list(repo, path).in_bulk(move |bulk| {
        let names = bulk.branch_names(&known)?;
        Some(
            names
                .iter()
                .map(|name| BranchItem { name: name.clone() })
                .collect(),
        )
    })
}

/// GET `…/collaborators?permission=push`, every page: the people with write access
/// (GitHub lists them only to callers with push access).
pub fn writers(repo: &RepoName) -> Read<Vec<Collaborator>> {
    let path = repo_path(repo)
        .lit("collaborators")
        .query("permission", "push")
        .query("per_page", PER_PAGE);
    let known = repo.clone();
    Read::list(path, None)
        .needs(Permission::MetadataRead)
        .in_bulk(move |bulk| {
            let logins = bulk.writers(&known)?;
            Some(
                logins
                    .iter()
                    .map(|login| Collaborator {
                        login: login.clone(),
                    })
                    .collect(),
            )
        })
}

/// GET `…/codeowners/errors?ref={branch}`: the errors of the CODEOWNERS file pull requests
/// into the branch use; `None` when there is no CODEOWNERS file (404, emulator/github-api/QUIRKS.md
/// 62).
pub fn codeowners_errors(
    repo: &RepoName,
    branch: &str,
) -> Read<CodeownersErrors, Option<Vec<CodeownersError>>> {
    let path = repo_path(repo)
        .lit("codeowners")
        .lit("errors")
        .query("ref", branch);
    Read::one(path)
        .needs(Permission::ContentsRead)
        .answering(|found| Some(found.errors), |_| Some(None))
}

/// GET `…/pulls?state=closed&base={branch}&sort=updated&direction=desc`, one page: the pull
/// requests into the branch closed most recently (merged or not).
pub fn closed_pulls(repo: &RepoName, base: &str) -> Read<Vec<PullRequest>> {
    let path = repo_path(repo)
        .lit("pulls")
        .query("state", "closed")
        .query("base", base)
        .query("sort", "updated")
        .query("direction", "desc")
        .query("per_page", CLOSED_PULLS);
    Read::one(path).needs(Permission::PullRequestsRead)
}

/// GET `…/commits/{ref}/status`, one page of 100: the contexts of the commit's statuses.
pub fn commit_statuses(repo: &RepoName, sha: &str) -> Read<CombinedStatus, Vec<String>> {
    let path = repo_path(repo)
        .lit("commits")
        .value(sha)
        .lit("status")
        .query("per_page", PER_PAGE);
    Read::one(path)
        .needs(Permission::CommitStatusesRead)
        .answering(
            |combined| combined.statuses.into_iter().map(|s| s.context).collect(),
            |_| None,
        )
}
