//! What the commands share about findings (DESIGN §13): `validate`'s offline ones, located
//! at their policy line; the branches a plan judges, and the findings of a plan against
//! GitHub or a state file, with the exceptions that accept them.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::findings::{self, Facts, Finding, Findings, Severity, Subject};
use crate::github::api::GithubRead;
use crate::github::error::ApiError;
use crate::github::read::read_facts;
use crate::live::LiveState;
use crate::model::{Environment, RepoSettings};
use crate::names::RepoName;
use crate::plan::Plan;
use crate::policy::SourceMap;

/// Writes the findings the policy alone shows on `err`, each at the policy line it is about,
/// with the exceptions that accept them applied; returns how many fail (errors no active
/// exception accepts).
pub fn report_offline(
    settings: &RepoSettings,
    map: &SourceMap,
    display: &str,
    now: time::OffsetDateTime,
    err: &mut dyn Write,
) -> io::Result<usize> {
    let mut found = Findings {
        findings: findings::offline::findings(settings),
        ..Findings::default()
    };
    found.sort();
    // Validate says nothing of stale exceptions for findings: only plan sees them all.
    let _ = findings::accept::accept(&mut found, settings, now);
    for finding in &found.findings {
        let place = locate(finding, map).map_or_else(
            || display.to_owned(),
            |(line, column)| format!("{display}:{line}:{column}"),
        );
        let level = match (finding.severity, &finding.excepted) {
            (Severity::Error, None) => "error",
            _ => "warning",
        };
        let accepted = finding.excepted.as_ref().map_or(String::new(), |note| {
            format!(
                " (accepted until {}: {})",
                note.expires,
                crate::untrusted::escape(&note.reason)
            )
        });
        writeln!(
            err,
            "{level}: {place}: [{}] {}: {}; {}{accepted}",
            finding.id, finding.target, finding.message, finding.fix
        )?;
    }
    Ok(found.failing())
}

/// Returns the line of the policy a finding is about: its target, else the requirement of
/// the same branch.
fn locate(finding: &Finding, map: &SourceMap) -> Option<(usize, usize)> {
    let setting = match finding.id {
        findings::FindingId::SoleReviewerSelfReview => {
            format!("{}.prevent_self_review", finding.target)
        }
        _ => finding.target.clone(),
    };
    if map.contains(&setting) {
        return map.locate(&setting);
    }
    let branch = finding.target.strip_prefix("branches.")?;
    let requirement = format!("requirements.{branch}");
    map.contains(&requirement)
        .then(|| map.locate(&requirement))
        .flatten()
}

/// The branches whose findings a plan judges: those its requirements name, those it
/// protects and those its rulesets name outright, each as `apply` leaves it.
pub fn subjects(desired: &RepoSettings, live: &LiveState, plan: &Plan) -> Vec<Subject> {
    let mut branches: BTreeMap<String, bool> = BTreeMap::new();
    for (key, requirement) in &desired.requirements {
        *branches.entry(live.branch_of(key).to_owned()).or_default() |= requirement.no_bypass;
    }
    for (name, branch) in &desired.branches {
        if branch.protected {
            branches.entry(name.clone()).or_default();
        }
    }
    // The branches the policy's rulesets name outright (a pattern may match none yet).
    for ruleset in desired.rulesets.values() {
        if ruleset.target != crate::model::RulesetTarget::Branch {
            continue;
        }
        for include in &ruleset.include {
            let branch = match include.as_str() {
                "~DEFAULT_BRANCH" => live.branch_of(include),
                "~ALL" => continue,
                literal if !literal.contains(['*', '?', '[', '\\']) => {
                    literal.strip_prefix("refs/heads/").unwrap_or(literal)
                }
                _ => continue,
            };
            branches.entry(branch.to_owned()).or_default();
        }
    }
    branches
        .into_iter()
        .map(|(branch, no_bypass)| Subject {
            evidence: crate::diff::predicted_evidence(desired, live, &plan.changes, &branch),
            no_bypass,
        })
        .collect()
}

/// The environments `apply` leaves: the policy's listed ones, the others as they are live.
fn environments(desired: &RepoSettings, live: &LiveState) -> BTreeMap<String, Environment> {
    let mut out = live.settings.environments.clone();
    out.extend(desired.environments.clone());
    out
}

/// Judges the findings of a plan against GitHub, reading only what they need (at most 4
/// reads per branch, and the writers, merge methods and branch names once).
pub async fn judge_live(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
    live: &LiveState,
    plan: &Plan,
) -> Result<Findings, ApiError> {
    let subjects = subjects(desired, live, plan);
    let needs = findings::needs(&subjects, desired, &live.ids);
    let facts = read_facts(github, repo, &needs).await?;
    Ok(findings::findings(
        &subjects,
        desired,
        &environments(desired, live),
        &facts,
        &live.ids,
        live.branch_of("~DEFAULT_BRANCH"),
    ))
}

/// Judges what a state file shows: nothing is read, so the findings that need GitHub's
/// answers are not judged, and a note says so.
pub fn judge_state(desired: &RepoSettings, live: &LiveState, plan: &Plan) -> Findings {
    let subjects = subjects(desired, live, plan);
    let needs = findings::needs(&subjects, desired, &live.ids);
    let mut found = findings::findings(
        &subjects,
        desired,
        &environments(desired, live),
        &Facts::default(),
        &live.ids,
        live.branch_of("~DEFAULT_BRANCH"),
    );
    if needs != findings::Needs::default() {
        found.notes.push(
            "a state file has no collaborators, CODEOWNERS file, pull requests or branch list: the findings that need them were not judged".to_owned(),
        );
    }
    found
}

/// Puts the findings in the plan, marking those active exceptions accept, and adds the
/// warnings about those exceptions.
pub fn attach(
    plan: &mut Plan,
    mut found: Findings,
    desired: &RepoSettings,
    now: time::OffsetDateTime,
) {
    let warnings = findings::accept::accept(&mut found, desired, now);
    plan.warnings.extend(warnings);
    plan.findings = found;
}
