//! The findings of a plan: the branches it judges, the reads they need through the seam
//! (`github::read::read_facts`), then the pure judgement on what `apply` leaves, with the
//! exceptions that accept them.

use std::collections::BTreeMap;

use super::{Facts, Findings, Subject, accept, findings, needs};
use crate::github::error::ApiError;
use crate::github::read::{Read, read_facts};
use crate::github::rest::RestReader;
use crate::model::live::LiveState;
use crate::model::names::{EnvironmentName, RepoName};
use crate::model::{Environment, RepoSettings};
use crate::plan::Plan;

/// The branches whose findings a plan judges: those its requirements name, those it
/// protects and those its rulesets name outright, each as `apply` leaves it.
pub fn subjects(desired: &RepoSettings, live: &LiveState, plan: &Plan) -> Vec<Subject> {
    let mut branches: BTreeMap<String, bool> = BTreeMap::new();
    for (key, requirement) in &desired.requirements {
        *branches.entry(live.branch_of(key).to_owned()).or_default() |= requirement.no_bypass;
    }
    for (name, branch) in &desired.branches {
        if branch.protected {
            branches.entry(name.to_string()).or_default();
        }
    }
    // The branches the policy's rulesets name outright (a pattern may match none yet).
    for ruleset in desired.rulesets.values() {
        let default_branch = live.default_branch();
        for include in &ruleset.include {
            if let Some(branch) = ruleset.target.branch_named(include, default_branch) {
                branches.entry(branch.to_owned()).or_default();
            }
        }
    }
    branches
        .into_iter()
        .map(|(branch, no_bypass)| Subject {
            evidence: crate::plan::diff::predicted_evidence(desired, live, &plan.changes, &branch),
            no_bypass,
        })
        .collect()
}

/// The environments `apply` leaves: the policy's listed ones, the others as they are live.
fn environments(
    desired: &RepoSettings,
    live: &LiveState,
) -> BTreeMap<EnvironmentName, Environment> {
    let mut out = live.settings.environments.clone();
    out.extend(desired.environments.clone());
    out
}

/// Judges the findings of a plan against GitHub, reading only what they need (at most 4
/// reads per branch, and the writers, merge methods and branch names once).
pub async fn judge_live(
    github: &RestReader,
    repo: &RepoName,
    desired: &RepoSettings,
    live: &LiveState,
    plan: &Plan,
) -> Result<Findings, ApiError> {
    let subjects = subjects(desired, live, plan);
    let needs = needs(&subjects, desired, &live.ids);
    let facts = read_facts(github, repo, &needs).await?;
    Ok(findings(
        &subjects,
        desired,
        &environments(desired, live),
        &facts,
        &live.ids,
        live.default_branch(),
    ))
}

/// Judges what a state file shows: nothing is read, so only the findings the settings
/// alone show are judged (those that need collaborators, the CODEOWNERS file, pull requests
/// or the branch list are not).
pub fn judge_state(desired: &RepoSettings, live: &LiveState, plan: &Plan) -> Findings {
    let subjects = subjects(desired, live, plan);
    findings(
        &subjects,
        desired,
        &environments(desired, live),
        &Facts::default(),
        &live.ids,
        live.default_branch(),
    )
}

/// Puts the findings in the plan, marking those active exceptions accept, and adds the
/// warnings about those exceptions.
pub fn attach(
    plan: &mut Plan,
    mut found: Findings,
    desired: &RepoSettings,
    now: time::OffsetDateTime,
) {
    let warnings = accept::accept(&mut found, desired, now);
    plan.warnings.extend(warnings);
    plan.findings = found;
}

/// The reads a plan's findings make on a repository in sync with its policy, for the
/// rate-budget estimate of an organisation run (DESIGN §11): the reader's decisions in
/// `github::read::findings`, judged on the policy's own protection (a merged pull request's
/// check runs and statuses are not counted: in sync there may be none).
pub fn reads_in_sync(desired: &RepoSettings) -> Vec<Read> {
    let live = LiveState::from_settings(RepoSettings::empty());
    let plan = Plan {
        repository: String::new(),
        changes: Vec::new(),
        requirements: Vec::new(),
        warnings: Vec::new(),
        contradictions: Vec::new(),
        gaps: Vec::new(),
        findings: Findings::default(),
    };
    let subjects: Vec<Subject> = subjects(desired, &live, &plan)
        .into_iter()
        .map(|subject| Subject {
            evidence: crate::plan::diff::policy_evidence(
                desired,
                &subject.evidence.branch,
                live.default_branch(),
            ),
            ..subject
        })
        .collect();
    let needs = needs(&subjects, desired, &live.ids);
    let mut reads = Vec::new();
    if needs.writers {
        reads.push(Read::Writers);
    }
    if needs.merge_methods {
        reads.push(Read::Repository);
    }
    if needs.branches {
        reads.push(Read::BranchNames);
    }
    reads.extend(needs.codeowners.into_iter().map(Read::Codeowners));
    reads.extend(needs.checks.into_iter().map(Read::ClosedPulls));
    reads
}

/// Adds to `explain`'s report, per branch, whether a pull request can merge and what it
/// must have, with the findings about the branch (judged on the live protection).
pub async fn explain(
    github: &RestReader,
    repo: &RepoName,
    desired: &RepoSettings,
    live: &LiveState,
    explanation: &mut crate::protection::effective::explain::Explanation,
) -> Result<(), ApiError> {
    let subjects: Vec<Subject> = live
        .evidence
        .values()
        .map(|evidence| Subject {
            evidence: evidence.clone(),
            no_bypass: desired
                .requirements
                .iter()
                .any(|(key, r)| r.no_bypass && live.branch_of(key) == evidence.branch),
        })
        .collect();
    let needs = needs(&subjects, desired, &live.ids);
    let facts = read_facts(github, repo, &needs).await?;
    let found = findings(
        &subjects,
        desired,
        &BTreeMap::new(),
        &facts,
        &live.ids,
        live.default_branch(),
    );
    for branch in &mut explanation.branches {
        let target = format!("branches.{}", branch.branch);
        let about: Vec<super::Finding> = found
            .findings
            .iter()
            .filter(|f| f.target == target)
            .cloned()
            .collect();
        let Some(evidence) = live.evidence.get(&branch.branch) else {
            continue;
        };
        let (enforced, _) = crate::protection::effective::contributions(evidence, &live.ids);
        let settings = crate::protection::effective::settings(&enforced);
        branch.pull_request = Some(super::merge::answer(&branch.branch, &settings, &about));
        branch.findings = about;
    }
    explanation.finding_notes = found.notes;
    Ok(())
}
