//! The REST operations gh-policy uses, each declared once, as data: [`reads`] and
//! [`writes`]. A declaration says everything the seam needs to send the request and judge
//! its answer — the method and path, the statuses that mean success, what a 404 means, the
//! permission GitHub's 403 means is missing, the body and the answer's type — and
//! `RestReader::read` / `RestWriter::write` are the one place that acts on it.
//!
//! Adding an operation is its declaration here and the code that uses it.

pub mod content;
pub mod findings;
pub mod reads;
pub mod switches;
pub mod writes;

use http::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::error::Permission;
use super::graphql::Bulk;
use super::path::ApiPath;
use crate::model::names::RepoName;

pub use reads::ProtectionRead;

/// A GET: of one object, or of every page of a list. `W` is the answer's wire shape, `T`
/// what the caller gets from it.
pub struct Read<W, T = W> {
    /// What is requested, query included.
    pub(crate) path: ApiPath,
    /// One object, or every page of a list.
    pub(crate) shape: Shape,
    /// The permission a 403 means the token lacks.
    pub(crate) needs: Option<Permission>,
    /// What a 404 that is an error may mean is missing, for its hint.
    pub(crate) owner: Option<Owner>,
    /// What the caller gets from the answer.
    pub(crate) answer: fn(W) -> T,
    /// What the caller gets from a 404 with this message from GitHub; `None`: an error.
    pub(crate) absent: fn(&str) -> Option<T>,
    /// Where a bulk answer (GraphQL, DESIGN §16) may stand for this read; `None`: never.
    pub(crate) in_bulk: Option<FromBulk<W>>,
    /// What the caller gets from another status that is not 200 (a 204 without a body, a
    /// 422 that says a feature is unavailable), with GitHub's message; `None`: an error.
    pub(crate) otherwise: fn(StatusCode, &str) -> Option<T>,
}

/// Takes a read's answer from what was read in bulk, when the bulk answer has it whole.
pub type FromBulk<W> = Box<dyn Fn(&Bulk) -> Option<W> + Send + Sync>;

/// What a read asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One object.
    One,
    /// Every page of a list: a bare array, or (`field`) the array in a wrapped list such
    /// as `{total_count, environments: [...]}`.
    List {
        /// The field that holds the items, if the list is wrapped.
        field: Option<&'static str>,
    },
}

/// What a 404 may mean is missing altogether (rather than the object asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// The repository, or the token cannot see it.
    Repository(RepoName),
    /// The organisation, or the token cannot see it.
    Organization(String),
}

impl<W: DeserializeOwned> Read<W> {
    /// A GET of one object; any status but 200 is an error.
    pub fn one(path: ApiPath) -> Self {
        Self {
            path,
            shape: Shape::One,
            needs: None,
            owner: None,
            answer: std::convert::identity,
            absent: |_| None,
            in_bulk: None,
            otherwise: |_, _| None,
        }
    }
}

impl<I: DeserializeOwned> Read<Vec<I>> {
    /// A GET of every page of a list: a bare array (`field` `None`) or the array in `field`.
    pub fn list(path: ApiPath, field: Option<&'static str>) -> Self {
        Self {
            shape: Shape::List { field },
            ..Read::one(path)
        }
    }
}

impl<W, T> Read<W, T> {
    /// Names the permission a 403 means the token lacks.
    #[must_use]
    pub fn needs(self, permission: Permission) -> Self {
        Self {
            needs: Some(permission),
            ..self
        }
    }

    /// Says that a 404 may mean the repository is missing or out of the token's sight.
    #[must_use]
    pub fn in_repository(self, repo: &RepoName) -> Self {
        Self {
            owner: Some(Owner::Repository(repo.clone())),
            ..self
        }
    }

    /// Says that a 404 may mean the organisation is missing or out of the token's sight.
    #[must_use]
    pub fn in_organization(self, org: &str) -> Self {
        Self {
            owner: Some(Owner::Organization(org.to_owned())),
            ..self
        }
    }

    /// Gives the caller `answer` of the wire shape, and `absent` of a 404's message.
    pub fn answering<U>(self, answer: fn(W) -> U, absent: fn(&str) -> Option<U>) -> Read<W, U> {
        Read {
            path: self.path,
            shape: self.shape,
            needs: self.needs,
            owner: self.owner,
            answer,
            absent,
            in_bulk: self.in_bulk,
            otherwise: |_, _| None,
        }
    }

    /// Lets what was read in bulk answer this read, where `from` finds it.
    #[must_use]
    pub fn in_bulk(self, from: impl Fn(&Bulk) -> Option<W> + Send + Sync + 'static) -> Self {
        Self {
            in_bulk: Some(Box::new(from)),
            ..self
        }
    }

    /// Gives the caller `otherwise` of a status other than 200 and 404 (see the field).
    #[must_use]
    pub fn otherwise(self, otherwise: fn(StatusCode, &str) -> Option<T>) -> Self {
        Self { otherwise, ..self }
    }
}

impl<W> Read<W> {
    /// Makes a 404 `None`: the object does not exist, which is an answer.
    pub fn or_none(self) -> Read<W, Option<W>> {
        self.answering(Some, |_| Some(None))
    }
}

impl<W: Default> Read<W> {
    /// Makes a 404 the empty answer.
    #[must_use]
    pub fn or_default(self) -> Read<W> {
        self.answering(std::convert::identity, |_| Some(W::default()))
    }
}

/// A write: one request, never retried unless GitHub refused it unprocessed. `B` is the
/// body's type, `T` the answer's (`()` when the answer is not read).
pub struct Write<'a, B, T = ()> {
    /// PUT, PATCH, POST or DELETE.
    pub(crate) method: Method,
    /// What is written to.
    pub(crate) path: ApiPath,
    /// The JSON body, if the request has one.
    pub(crate) body: Option<&'a B>,
    /// The statuses that mean GitHub did it (or that it was already so).
    pub(crate) ok: &'static [StatusCode],
    /// The permission a 403 means the token lacks.
    pub(crate) needs: Permission,
    /// Reads the answer's body (a write whose answer is not read answers `()`).
    pub(crate) answer: fn(&[u8]) -> serde_json::Result<T>,
}

impl Write<'static, ()> {
    /// A write without a body whose answer is not read.
    pub fn new(
        method: Method,
        path: ApiPath,
        ok: &'static [StatusCode],
        needs: Permission,
    ) -> Self {
        Self {
            method,
            path,
            body: None,
            ok,
            needs,
            answer: |_| Ok(()),
        }
    }
}

impl<'a, B, T> Write<'a, B, T> {
    /// Sends `body` as JSON.
    pub fn body<C>(self, body: &C) -> Write<'_, C, T> {
        Write {
            method: self.method,
            path: self.path,
            body: Some(body),
            ok: self.ok,
            needs: self.needs,
            answer: self.answer,
        }
    }

    /// Reads the answer as a `U`.
    pub fn answer<U: DeserializeOwned>(self) -> Write<'a, B, U> {
        Write {
            method: self.method,
            path: self.path,
            body: self.body,
            ok: self.ok,
            needs: self.needs,
            answer: |body| serde_json::from_slice(body),
        }
    }
}

/// `/repos/{owner}/{repo}`.
pub(crate) fn repo_path(repo: &RepoName) -> ApiPath {
    ApiPath::new("repos").value(&repo.owner).value(&repo.name)
}

/// `/repos/{owner}/{repo}/branches/{branch}/protection`.
fn protection_path(repo: &RepoName, branch: &str) -> ApiPath {
    repo_path(repo)
        .lit("branches")
        .value(branch)
        .lit("protection")
}

/// `/repos/{owner}/{repo}/environments/{environment_name}`.
fn environment_path(repo: &RepoName, environment: &str) -> ApiPath {
    repo_path(repo).lit("environments").value(environment)
}
