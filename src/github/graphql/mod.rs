//! Reading an organisation at GitHub's floor (DESIGN §16): what GraphQL serves in bulk —
//! each repository's name, flags and default branch, its classic branch protection, its
//! rulesets, and for findings its branches' names and the people with write access — is
//! read for 25 repositories per query before the run plans them; everything else (and
//! whatever GraphQL did not answer whole) is read through REST as before.
//!
//! - `query`: the one query, checked against GitHub's schema by a test;
//! - `answer`, `rulesets`, `page`: its answer, typed, and each part as the REST answer it
//!   stands for;
//! - `known`: what a repository's part told whole, and why the rest goes through REST.
//!
//! `read::bulk` sends the queries. A `RestReader` made `with_bulk` answers from what was
//! read in bulk the reads declared answerable from it (a repository, a branch's classic
//! protection, the list of rulesets, a ruleset, the branches' names, the people with write
//! access) and sends every other read to REST, so the rest of the reader is unchanged and
//! both ways give the same live model (a test holds them to it on every emulator world).
//!
//! Fail safe: a repository GraphQL answers with an error (a field nulled for lack of
//! permission, a repository it cannot see), a part that does not read, a list longer than
//! one page, or a server without GraphQL (`404`, an old GHES) is read through REST —
//! never taken as empty. GraphQL's own points are watched through `rateLimit`: queries stop
//! before they would spend what is left, and the rest is read through REST.

mod answer;
mod known;
mod page;
pub mod query;
mod rulesets;

use std::collections::BTreeMap;

use serde_json::Value;

use super::wire::account::Repository;
use super::wire::protection::Protection;
use super::wire::ruleset::{Ruleset, RulesetSummary, SourceType};
use crate::model::names::RepoName;
use answer::{RateLimit, RepositoryNode};
use known::Known;

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
    /// When GraphQL's points are next reset (`rateLimit.resetAt`).
    pub reset_at: Option<String>,
    /// What is read through REST instead, and why: `repositories: part: why`, once each.
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

    /// Returns the repository's list of rulesets (with the organisation's that apply) when
    /// GraphQL answered it whole.
    pub fn ruleset_summaries(&self, repo: &RepoName) -> Option<&[RulesetSummary]> {
        let rulesets = self.known.get(&key(repo))?.rulesets.as_ref()?;
        Some(&rulesets.summaries)
    }

    /// Returns the id of the repository's own ruleset named `name`, when GraphQL listed it.
    pub fn ruleset_id(&self, repo: &RepoName, name: &str) -> Option<u64> {
        self.ruleset_summaries(repo)?
            .iter()
            .find(|s| s.name == name && s.source_type == Some(SourceType::Repository))
            .map(|s| s.id)
    }

    /// Returns one of the repository's own rulesets when GraphQL showed it whole.
    pub fn ruleset(&self, repo: &RepoName, id: u64) -> Option<&Ruleset> {
        self.known
            .get(&key(repo))?
            .rulesets
            .as_ref()?
            .whole
            .get(&id)
    }

    /// Returns every branch's name (findings) when GraphQL answered them whole.
    pub fn branch_names(&self, repo: &RepoName) -> Option<&[String]> {
        self.known.get(&key(repo))?.branches.as_deref()
    }

    /// Returns the logins of the people with write access (findings) when GraphQL answered
    /// them whole.
    pub fn writers(&self, repo: &RepoName) -> Option<&[String]> {
        self.known.get(&key(repo))?.writers.as_deref()
    }

    /// Returns true when nothing was learnt (every read goes through REST).
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Notes what is read through REST instead, and why, once.
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
            self.reset_at = rate.reset_at.or(self.reset_at.take());
        }
        let errors = answer.get("errors").and_then(Value::as_array);
        for (i, repo) in repos.iter().enumerate() {
            let alias = format!("r{i}");
            // An error in one of the parts that stand alone (`known::PARTS`) makes that part unknown; anywhere else in the repository's part, all of it.
            let mut in_part: Vec<(&str, String)> = Vec::new();
            let mut elsewhere = None;
            for error in errors.into_iter().flatten() {
                let first = error.pointer("/path/0").and_then(Value::as_str);
                if first.is_some_and(|first| first != alias) {
                    continue;
                }
                let field = error.pointer("/path/1").and_then(Value::as_str);
                match known::PARTS.iter().find(|(f, _)| Some(*f) == field) {
                    Some((field, _)) => in_part.push((field, message_of(error))),
                    None => elsewhere = elsewhere.or(Some(error)),
                }
            }
            let part = answer.pointer(&format!("/data/{alias}"));
            let node = part
                .filter(|_| elsewhere.is_none())
                .and_then(|v| serde_json::from_value::<RepositoryNode>(v.clone()).ok());
            let Some(node) = node else {
                // A part that cannot be null, nulled for an error, nulls the repository.
                let message = elsewhere
                    .map(message_of)
                    .or_else(|| in_part.first().map(|(_, m)| m.clone()));
                let why = match message {
                    Some(message) => format!("GraphQL answered with an error{message}"),
                    None if part.is_none_or(Value::is_null) => {
                        "GraphQL nulled the repository".to_owned()
                    }
                    None => "GraphQL's answer is not the shape asked".to_owned(),
                };
                self.fall_back(format!("{repo}: every part: {why}"));
                continue;
            };
            let (known, gaps) = known::known(&node, &in_part);
            for gap in gaps {
                self.fall_back(format!("{repo}: {gap}"));
            }
            self.known.insert(key(repo), known);
        }
    }
}

fn message_of(error: &Value) -> String {
    error
        .get("message")
        .and_then(Value::as_str)
        .map(|m| format!(": {}", crate::output::untrusted::escape(m)))
        .unwrap_or_default()
}

/// The first of GraphQL's error messages, escaped, as `: message` (or nothing).
pub(crate) fn first_message(errors: Option<&Vec<Value>>) -> String {
    errors
        .and_then(|e| e.first())
        .map(message_of)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
