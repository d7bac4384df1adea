//! The findings about one branch's effective protection, one function per id.

use std::collections::BTreeSet;

use super::merge_methods::{self, allowed_on};
use super::{BranchFacts, Codeowners, Finding, FindingId, Reported};
use crate::model::live::{AppliedRuleset, BranchEvidence};
use crate::model::{Actor, BypassMode, MergeMethod, RepositoryRole};
use crate::protection::effective::{Check, Contribution};

/// `not-enough-reviewers`: N approvals need N+1 writers, as an author cannot approve their
/// own pull request (emulator/github-api/QUIRKS.md 64: only writers' approvals count).
pub fn not_enough_reviewers(
    target: &str,
    enforced: &[Contribution],
    writers: &[String],
) -> Option<Finding> {
    let approvals = enforced.iter().map(|c| c.approvals).max().unwrap_or(0);
    let needed = usize::from(approvals) + 1;
    if approvals == 0 || writers.len() >= needed {
        return None;
    }
    let sources = enforced
        .iter()
        .filter(|c| c.approvals == approvals)
        .map(|c| c.source.to_string())
        .collect();
    Some(Finding::new(
        FindingId::NotEnoughReviewers,
        target,
        format!(
            "{approvals} approving review{} required, but only {} {} write access: an author cannot approve their own pull request, so {needed} are needed",
            plural(usize::from(approvals)),
            writers.len(),
            if writers.len() == 1 {
                "person has"
            } else {
                "people have"
            },
        ),
        sources,
        format!(
            "give write access to {} more {}, or require at most {} approval{}",
            needed - writers.len(),
            if needed - writers.len() == 1 {
                "person"
            } else {
                "people"
            },
            writers.len().saturating_sub(1),
            plural(writers.len().saturating_sub(1)),
        ),
    ))
}

/// `check-app-mismatch` and `check-not-reported`: each required check against what the
/// head commit of the last merged pull request reported.
pub fn checks(target: &str, enforced: &[Contribution], reported: &Reported) -> Vec<Finding> {
    let mut required: Vec<(&Check, Vec<String>)> = Vec::new();
    for contribution in enforced {
        for check in &contribution.checks {
            match required.iter_mut().find(|(c, _)| *c == check) {
                Some((_, sources)) => sources.push(contribution.source.to_string()),
                None => required.push((check, vec![contribution.source.to_string()])),
            }
        }
    }
    let mut out = Vec::new();
    for (check, sources) in required {
        let runs: Vec<_> = reported
            .check_runs
            .iter()
            .filter(|run| run.name == check.context)
            .collect();
        let by_status = reported.statuses.contains(&check.context);
        if runs.is_empty() && !by_status {
            out.push(Finding::new(
                FindingId::CheckNotReported,
                target,
                format!(
                    "required check `{}` was not reported on the head commit ({}) of pull request #{}, the last merged into the branch: a pull request waits for it forever",
                    check.context,
                    short(&reported.sha),
                    reported.number
                ),
                sources,
                "rename it to a check your workflows report, or remove it",
            ));
            continue;
        }
        let pinned = check.app_id.is_some() || check.app.is_some();
        let by_app = runs.iter().any(|run| {
            check.app_id.is_some() && check.app_id == run.app_id
                || check
                    .app
                    .as_deref()
                    .zip(run.app.as_deref())
                    .is_some_and(|(want, have)| want.eq_ignore_ascii_case(have))
        });
        if pinned && !by_app {
            let mut reporters: BTreeSet<String> = runs
                .iter()
                .map(|run| match (&run.app, run.app_id) {
                    (Some(slug), _) => format!("app `{slug}`"),
                    (None, Some(id)) => format!("app {id}"),
                    (None, None) => "an unknown app".to_owned(),
                })
                .collect();
            if by_status {
                reporters.insert("a commit status".to_owned());
            }
            let want = check.app.clone().map_or_else(
                || format!("app {}", check.app_id.unwrap_or(0)),
                |slug| format!("app `{slug}`"),
            );
            out.push(Finding::new(
                FindingId::CheckAppMismatch,
                target,
                format!(
                    "required check `{}` is pinned to {want}, but on pull request #{} (the last merged) it was reported by {} only: no pull request can pass it",
                    check.context,
                    reported.number,
                    reporters.into_iter().collect::<Vec<_>>().join(", ")
                ),
                sources,
                format!("pin `{}` to the app that reports it, or unpin it", check.context),
            ));
        }
    }
    out
}

/// `linear-history-merge-only`: linear history required, and merge commits the only method
/// a pull request may use.
pub fn linear_history_merge_only(
    target: &str,
    linear: Vec<String>,
    evidence: &BranchEvidence,
    repository: Option<&BTreeSet<MergeMethod>>,
) -> Option<Finding> {
    if linear.is_empty() {
        return None;
    }
    let (allowed, method_sources) = allowed_on(repository, evidence)?;
    if allowed.contains(&MergeMethod::Squash) || allowed.contains(&MergeMethod::Rebase) {
        return None;
    }
    let methods: Vec<&str> = allowed.iter().map(|m| merge_methods::name(*m)).collect();
    let mut sources = linear;
    sources.extend(method_sources);
    sources.dedup();
    Some(Finding::new(
        FindingId::LinearHistoryMergeOnly,
        target,
        format!(
            "linear history is required, but the only merge method{} allowed {} [{}]: a merge commit breaks linear history, so no pull request can merge",
            if methods.len() == 1 { "" } else { "s" },
            if methods.len() == 1 { "is" } else { "are" },
            methods.join(", ")
        ),
        sources,
        "allow squash or rebase merging, or stop requiring linear history",
    ))
}

/// The sources that require linear history.
pub fn linear_sources(enforced: &[Contribution]) -> Vec<String> {
    enforced
        .iter()
        .filter(|c| c.flags.contains(&"required_linear_history"))
        .map(|c| c.source.to_string())
        .collect()
}

/// `codeowners-missing` and `codeowners-errors`, for a branch that requires code-owner review.
pub fn codeowners(target: &str, enforced: &[Contribution], facts: &BranchFacts) -> Vec<Finding> {
    let sources: Vec<String> = enforced
        .iter()
        .filter(|c| c.flags.contains(&"require_code_owner_reviews"))
        .map(|c| c.source.to_string())
        .collect();
    if sources.is_empty() {
        return Vec::new();
    }
    match &facts.codeowners {
        Some(Codeowners::Missing) => vec![Finding::new(
            FindingId::CodeownersMissing,
            target,
            "code-owner review is required, but the branch has no CODEOWNERS file (.github/, the root or docs/): GitHub then requires no code owner's review",
            sources,
            "add a CODEOWNERS file to the branch, or stop requiring code-owner review",
        )],
        Some(Codeowners::Present(errors)) if !errors.is_empty() => {
            let listed: Vec<String> = errors
                .iter()
                .map(|e| format!("{}:{} {}", e.path, e.line, e.kind))
                .collect();
            vec![Finding::new(
                FindingId::CodeownersErrors,
                target,
                format!(
                    "code-owner review is required, and the CODEOWNERS file has {} syntax error{} (GitHub ignores those lines): {}",
                    errors.len(),
                    plural(errors.len()),
                    listed.join("; ")
                ),
                sources,
                "fix the CODEOWNERS lines listed",
            )]
        }
        _ => Vec::new(),
    }
}

/// `bypass-by-everyone`: an enforced ruleset that every writer may bypass, or that every
/// admin may always bypass while the branch's requirement asks `no_bypass`.
pub fn bypass_by_everyone(
    target: &str,
    evidence: &BranchEvidence,
    no_bypass: bool,
) -> Vec<Finding> {
    evidence
        .rulesets
        .iter()
        .filter(|r| r.active)
        .filter_map(|ruleset| everyone(ruleset, no_bypass).map(|who| (ruleset, who)))
        .map(|(ruleset, who)| {
            Finding::new(
                FindingId::BypassByEveryone,
                target,
                format!(
                    "{} may be bypassed by {who}: it protects nothing against them",
                    ruleset.source
                ),
                vec![ruleset.source.to_string()],
                "name the few people, teams or apps that may bypass, or none",
            )
        })
        .collect()
}

/// Says who, when a ruleset's bypass list lets in a role every writer holds (or every admin,
/// always, while `no_bypass` is asked).
fn everyone(ruleset: &AppliedRuleset, no_bypass: bool) -> Option<&'static str> {
    let actors = ruleset.bypass.as_ref()?;
    // A built-in role, however the policy or GitHub wrote it.
    let role = |actor: &crate::model::BypassActor| match actor.actor() {
        Some(Actor::Role(role)) => Some(role),
        Some(Actor::RoleId(id)) => RepositoryRole::from_id(id),
        _ => None,
    };
    if actors.iter().any(|a| {
        matches!(
            role(a),
            Some(RepositoryRole::Write | RepositoryRole::Maintain)
        )
    }) {
        return Some("the write or maintain role, which every writer holds");
    }
    let all_admins = actors.iter().any(|a| {
        a.mode == BypassMode::Always
            && (role(a) == Some(RepositoryRole::Admin) || a.actor() == Some(Actor::OrgAdmins))
    });
    (no_bypass && all_admins).then_some("every admin, always, while `no_bypass` is asked")
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
