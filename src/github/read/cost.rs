//! The reads planning a repository makes when it is in sync with its policy: the reader's
//! own count, for the rate-budget check of an organisation run (DESIGN §11). Each entry
//! follows one decision of the reader — `environments.rs`, `protection.rs`, `rulesets.rs`,
//! `names.rs`, `evidence.rs` — and a test holds the count to what the reader does. What
//! depends on the repository beyond its policy (a second page of a long list, rulesets the
//! policy does not manage) is not counted: in sync, there is none of it.

use std::collections::BTreeSet;

use crate::github::api::Read;
use crate::model::{RepoSettings, Reviewer};

/// Returns the reads planning a repository in sync with `desired` makes, once each.
pub fn reads_in_sync(desired: &RepoSettings) -> Vec<Read> {
    let mut reads = BTreeSet::new();
    // protection.rs: each listed branch, and the protected ones when pruning.
    for branch in desired.branches.keys() {
        reads.insert(Read::Protection(branch.clone()));
    }
    if desired.prune.branch_protection {
        reads.insert(Read::ProtectedBranches);
    }
    // environments.rs: the list always; patterns where custom; secrets and variables where
    // the policy compares them.
    reads.insert(Read::Environments);
    for (name, environment) in &desired.environments {
        if matches!(
            environment.deployment_branches,
            crate::model::DeploymentBranches::Custom(_)
        ) {
            reads.insert(Read::Patterns(name.clone()));
        }
        if !environment.secrets.is_empty() || desired.prune.secrets {
            reads.insert(Read::Secrets(name.clone()));
        }
        if !environment.variables.is_empty() || desired.prune.variables {
            reads.insert(Read::Variables(name.clone()));
        }
    }
    // rulesets.rs: the list, then each ruleset the policy lists.
    if !desired.rulesets.is_empty() || desired.prune.rulesets || !desired.requirements.is_empty() {
        reads.insert(Read::Rulesets);
        reads.extend(desired.rulesets.keys().cloned().map(Read::Ruleset));
    }
    // evidence.rs: the default branch, and each requirement branch's effective rules and
    // (unless the policy lists it) its classic protection. The rulesets those rules come
    // from are the policy's (read above) or the organisation's (read once for the run).
    if !desired.requirements.is_empty() {
        reads.insert(Read::Repository);
        for key in desired.requirements.keys() {
            // `~DEFAULT_BRANCH` is counted as `main` when the policy lists no such branch.
            let branch = if key == "~DEFAULT_BRANCH" {
                "main"
            } else {
                key
            };
            reads.insert(Read::BranchRules(branch.to_owned()));
            reads.insert(Read::Protection(branch.to_owned()));
        }
    }
    // names.rs: in sync, what the policy names is seen live; ids still needed are looked up.
    reads.extend(lookups(desired));
    reads.into_iter().collect()
}

/// The names whose ids a plan in sync still looks up: users and teams a ruleset lets
/// bypass (an environment's reviewers come with their ids), and apps by slug.
fn lookups(desired: &RepoSettings) -> Vec<Read> {
    let reviewers: BTreeSet<String> = desired
        .environments
        .values()
        .flat_map(|e| &e.reviewers)
        .map(|reviewer| match reviewer {
            Reviewer::User(login) | Reviewer::Team(login) => login.to_lowercase(),
        })
        .collect();
    let mut reads = Vec::new();
    for actor in desired.rulesets.values().flat_map(|r| &r.bypass) {
        if let Some(login) = &actor.user
            && !reviewers.contains(&login.to_lowercase())
        {
            reads.push(Read::User(login.to_lowercase()));
        }
        if let Some(slug) = &actor.team
            && !reviewers.contains(&slug.to_lowercase())
        {
            reads.push(Read::Team(slug.to_lowercase()));
        }
        if let Some(slug) = &actor.app {
            reads.push(Read::App(slug.to_lowercase()));
        }
    }
    let checks = desired
        .branches
        .values()
        .filter_map(|b| b.status_checks.as_ref())
        .flat_map(|c| &c.required)
        .chain(
            desired
                .rulesets
                .values()
                .filter_map(|r| r.rules.status_checks.as_ref())
                .flat_map(|c| &c.required),
        );
    for check in checks {
        if let (Some(slug), None) = (&check.app, check.app_id) {
            reads.push(Read::App(slug.to_lowercase()));
        }
    }
    reads
}
