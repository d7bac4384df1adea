//! Reading an organisation at GitHub's floor (DESIGN §16): what GraphQL serves in bulk —
//! each repository's name, flags and default branch, and its classic branch protection —
//! is read for 25 repositories per query before the run plans them; everything else (and
//! whatever GraphQL did not answer whole) is read through REST as before.
//!
//! - `query`: the one query, checked against GitHub's schema by a test;
//! - `answer`: its answer, typed, and each part as the REST answer it stands for.
//!
//! `read::bulk` sends the queries. A `RestReader` made `with_bulk` answers from what was read in bulk the reads declared
//! answerable from it (a repository, a branch's classic protection) and sends every other
//! read to REST, so the rest of the reader is unchanged and both ways give the same live
//! model (a test holds them to it on every emulator world).
//!
//! Fail safe: a repository GraphQL answers with an error (a field nulled for lack of
//! permission, a repository it cannot see), a part that does not read, a list longer than
//! one page, or a server without GraphQL (`404`, an old GHES) is read through REST —
//! never taken as empty. GraphQL's own points are watched through `rateLimit`: queries stop
//! before they would spend what is left, and the rest is read through REST.

mod answer;
pub mod query;

use std::collections::BTreeMap;

use serde_json::Value;

use super::wire::account::Repository;
use super::wire::protection::Protection;
use crate::names::RepoName;
use answer::{RateLimit, RepositoryNode};

/// What one repository's part of a query told.
#[derive(Debug, Clone, Default)]
struct Known {
    /// The repository (`None`: read through REST).
    repository: Option<Repository>,
    /// Each rule's protection (`None` where part of it was not known) and the branches it
    /// protects; `None` when the rules are not known whole.
    rules: Option<Vec<(Option<Protection>, Vec<String>)>>,
}

/// What the organisation's repositories told through GraphQL, and what it cost.
#[derive(Debug, Default)]
pub struct Bulk {
    known: BTreeMap<String, Known>,
    /// Queries sent.
    pub queries: usize,
    /// GraphQL points they cost (`rateLimit.cost`).
    pub points: u64,
    /// Points left after the last (`rateLimit.remaining`).
    pub remaining: Option<u64>,
    /// Why some or all repositories are read through REST instead, once each.
    pub fallbacks: Vec<String>,
}

fn key(repo: &RepoName) -> String {
    repo.to_string().to_lowercase()
}

impl Bulk {
    /// Returns the repository when GraphQL answered it.
    pub fn repository(&self, repo: &RepoName) -> Option<&Repository> {
        self.known.get(&key(repo))?.repository.as_ref()
    }

    /// Returns a branch's classic protection when GraphQL answered it whole: the one rule
    /// that protects it. `None` (read through REST) when the rules are not known whole,
    /// when no rule protects it (GraphQL cannot tell an unprotected branch from a missing
    /// one), or when more than one does (GitHub decides which applies).
    pub fn protection(&self, repo: &RepoName, branch: &str) -> Option<&Protection> {
        let rules = self.known.get(&key(repo))?.rules.as_ref()?;
        let mut matching = rules
            .iter()
            .filter(|(_, refs)| refs.iter().any(|r| r == branch));
        let (protection, _) = matching.next()?;
        if matching.next().is_some() {
            return None;
        }
        protection.as_ref()
    }

    /// Returns true when nothing was learnt (every read goes through REST).
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Notes why some repositories are read through REST, once.
    pub(crate) fn fall_back(&mut self, why: String) {
        if !self.fallbacks.contains(&why) {
            self.fallbacks.push(why);
        }
    }

    /// Takes in one query's answer for `repos` (in alias order).
    pub(crate) fn take(&mut self, repos: &[&RepoName], answer: &Value) {
        self.queries += 1;
        if let Some(rate) = answer
            .pointer("/data/rateLimit")
            .and_then(|v| serde_json::from_value::<RateLimit>(v.clone()).ok())
        {
            self.points += rate.cost;
            self.remaining = Some(
                self.remaining
                    .map_or(rate.remaining, |r| r.min(rate.remaining)),
            );
        }
        let errors = answer.get("errors").and_then(Value::as_array);
        for (i, repo) in repos.iter().enumerate() {
            let alias = format!("r{i}");
            // An error anywhere in a repository's part makes the whole part unknown.
            let erred = errors.is_some_and(|errors| {
                errors.iter().any(|e| {
                    e.pointer("/path/0")
                        .is_none_or(|first| first.as_str() == Some(&alias))
                })
            });
            let part = answer.pointer(&format!("/data/{alias}"));
            let node = part
                .filter(|_| !erred)
                .and_then(|v| serde_json::from_value::<RepositoryNode>(v.clone()).ok());
            let Some(node) = node else {
                self.fall_back(format!(
                    "GraphQL did not answer {repo} whole{}",
                    first_message(errors)
                ));
                continue;
            };
            self.known.insert(key(repo), known(&node));
        }
    }
}

/// The first of GraphQL's error messages, escaped, as `: message` (or nothing).
pub(crate) fn first_message(errors: Option<&Vec<Value>>) -> String {
    errors
        .and_then(|e| e.first())
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map(|m| format!(": {}", crate::untrusted::escape(m)))
        .unwrap_or_default()
}

fn known(node: &RepositoryNode) -> Known {
    let rules = node
        .sees_protection()
        .then(|| node.branch_protection_rules.whole())
        .flatten()
        .and_then(|rules| {
            rules
                .into_iter()
                .map(|rule| {
                    let refs = rule.matching_refs.whole()?;
                    Some((
                        rule.protection(),
                        refs.into_iter().map(|r| r.name.clone()).collect(),
                    ))
                })
                .collect::<Option<Vec<_>>>()
        });
    Known {
        repository: node.repository(),
        rules,
    }
}

#[cfg(test)]
mod tests;
