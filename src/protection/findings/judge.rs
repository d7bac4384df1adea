//! Weighing the facts against the protection `apply` leaves: what to read (`needs`), then
//! the findings (`findings`).

use std::collections::{BTreeMap, BTreeSet};

use super::merge_methods::predicted_merge_methods;
use super::{Facts, Findings, branch, offline, patterns};
use crate::model::live::{BranchEvidence, Identities};
use crate::model::names::EnvironmentName;
use crate::model::{Environment, RepoSettings};
use crate::protection::effective::{Contribution, contributions};

/// A branch to judge: its protection as `apply` leaves it, and whether its requirement
/// asks `no_bypass`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The predicted evidence.
    pub evidence: BranchEvidence,
    /// True when the branch's requirement asks that nobody may bypass.
    pub no_bypass: bool,
}

/// What the findings of these branches need read, so that nothing else is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// The people with write access (some branch requires approvals).
    pub writers: bool,
    /// The repository's merge methods (some branch requires linear history, and the policy
    /// does not predict them).
    pub merge_methods: bool,
    /// The branches that exist (the policy has patterns).
    pub branches: bool,
    /// Branches whose CODEOWNERS file matters (they require code-owner review).
    pub codeowners: BTreeSet<String>,
    /// Branches whose required checks are judged against the last merged pull request.
    pub checks: BTreeSet<String>,
}

/// Returns what the findings need read.
pub fn needs(subjects: &[Subject], desired: &RepoSettings, ids: &Identities) -> Needs {
    let mut needs = Needs {
        branches: patterns::has_patterns(desired),
        ..Needs::default()
    };
    let predicted = predicted_merge_methods(desired).is_some();
    for subject in subjects {
        let enforced = enforced(&subject.evidence, ids);
        let branch = &subject.evidence.branch;
        needs.writers |= enforced.iter().any(|c| c.approvals > 0);
        needs.merge_methods |= !predicted && !branch::linear_sources(&enforced).is_empty();
        if has_flag(&enforced, "require_code_owner_reviews") {
            needs.codeowners.insert(branch.clone());
        }
        if enforced.iter().any(|c| !c.checks.is_empty()) {
            needs.checks.insert(branch.clone());
        }
    }
    needs
}

/// Returns the findings about the branches, the environments `apply` leaves and the
/// policy's patterns, with the notes of what could not be judged.
pub fn findings(
    subjects: &[Subject],
    desired: &RepoSettings,
    environments: &BTreeMap<EnvironmentName, Environment>,
    facts: &Facts,
    ids: &Identities,
    default_branch: &str,
) -> Findings {
    let mut out = Findings {
        notes: facts.notes.clone(),
        ..Findings::default()
    };
    let methods = predicted_merge_methods(desired).or_else(|| facts.merge_methods.clone());
    for subject in subjects {
        let evidence = &subject.evidence;
        let name = &evidence.branch;
        let target = format!("branches.{name}");
        let enforced = enforced(evidence, ids);
        if let Some(writers) = &facts.writers {
            out.findings
                .extend(branch::not_enough_reviewers(&target, &enforced, writers));
        }
        let per_branch = facts.per_branch.get(name).cloned().unwrap_or_default();
        // No merged pull request yet: nothing to hold the checks against, and nothing wrong.
        if let Some(Some(reported)) = &per_branch.last_merged {
            out.findings
                .extend(branch::checks(&target, &enforced, reported));
        }
        out.findings.extend(branch::linear_history_merge_only(
            &target,
            branch::linear_sources(&enforced),
            evidence,
            methods.as_ref(),
        ));
        out.findings
            .extend(branch::codeowners(&target, &enforced, &per_branch));
        out.findings.extend(branch::bypass_by_everyone(
            &target,
            evidence,
            subject.no_bypass,
        ));
    }
    out.findings
        .extend(offline::sole_reviewer_self_review(environments));
    if let Some(branches) = &facts.branches {
        out.findings.extend(patterns::findings(
            desired,
            environments,
            branches,
            default_branch,
        ));
    }
    out.sort();
    out
}

fn enforced(evidence: &BranchEvidence, ids: &Identities) -> Vec<Contribution> {
    contributions(evidence, ids).0
}

fn has_flag(enforced: &[Contribution], flag: &str) -> bool {
    enforced.iter().any(|c| c.flags.contains(&flag))
}
