//! Users, teams, apps and branches: the names and ids the other operations refer to.

use serde::Deserialize;

/// A user (`GET /users/{username}`), by its login and id.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    /// The login.
    pub login: String,
    /// The numeric id.
    pub id: u64,
}

/// A team of an organisation (`GET /orgs/{org}/teams/{team_slug}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Team {
    /// The slug.
    pub slug: String,
    /// The numeric id.
    pub id: u64,
}

/// A GitHub App (`GET /apps/{app_slug}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct App {
    /// The numeric id (the `app_id` of a status check).
    pub id: u64,
    /// The slug, when GitHub sends it.
    #[serde(default)]
    pub slug: Option<String>,
}

/// One item of `GET /repos/{o}/{r}/branches`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BranchItem {
    /// The branch name.
    pub name: String,
}

/// One item of `GET /repos/{o}/{r}/branches?protected=true`: a branch whose protection a
/// policy may name, so its name keeps the branch rule (an answer against it is malformed).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProtectedBranchItem {
    /// The branch name.
    pub name: crate::model::names::BranchName,
}

/// A repository (`GET /repos/{owner}/{repo}`, or an item of `GET /orgs/{org}/repos`): what
/// gh-policy needs of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Repository {
    /// The name.
    pub name: String,
    /// `owner/name`.
    #[serde(default)]
    pub full_name: Option<String>,
    /// The default branch.
    #[serde(default)]
    pub default_branch: Option<String>,
    /// Archived repositories are read-only.
    #[serde(default)]
    pub archived: bool,
    /// A fork.
    #[serde(default)]
    pub fork: bool,
    /// The merge settings and security features (`GET /repos/{o}/{r}` only).
    #[serde(flatten)]
    pub switches: super::switches::MergeSettings,
}
