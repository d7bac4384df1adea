//! Reading what findings need (DESIGN §13), and nothing more (`findings::Needs`): per
//! repository the people with write access, the merge methods and the branch names; per
//! branch at most 4 reads — its CODEOWNERS errors, the last merged pull request into it, and
//! that pull request's head commit's check runs and statuses (emulator/github-api/QUIRKS.md 62–64).
//!
//! A read the token may not make (403, or a field GitHub hides) is skipped with a note
//! naming the permission; the finding that needs it is not judged, never guessed.

use std::collections::BTreeSet;

use futures::future::try_join_all;

use crate::github::api::{findings as api, reads};
use crate::github::error::{ApiError, ApiErrorKind, Permission};
use crate::github::rest::RestReader;
use crate::model::MergeMethod;
use crate::model::names::RepoName;
use crate::protection::findings::{
    BranchFacts, Codeowners, CodeownersError, Facts, Needs, Reported, ReportedRun,
};

/// Reads the facts the findings need.
pub async fn read_facts(
    github: &RestReader,
    repo: &RepoName,
    needs: &Needs,
) -> Result<Facts, ApiError> {
    let mut facts = Facts::default();
    let writers = async {
        if !needs.writers {
            return Ok(None);
        }
        skipped(github.read(api::writers(repo)).await).map(|found| {
            Some(found.map(|people| people.into_iter().map(|c| c.login).collect::<Vec<_>>()))
        })
    };
    let methods = async {
        if !needs.merge_methods {
            return Ok(None);
        }
        github
            .read(reads::repository_settings(repo))
            .await
            .map(|r| {
                match (
                    r.switches.allow_merge_commit,
                    r.switches.allow_squash_merge,
                    r.switches.allow_rebase_merge,
                ) {
                    (Some(merge), Some(squash), Some(rebase)) => Some(
                        [
                            (merge, MergeMethod::Merge),
                            (squash, MergeMethod::Squash),
                            (rebase, MergeMethod::Rebase),
                        ]
                        .into_iter()
                        .filter(|(on, _)| *on)
                        .map(|(_, method)| method)
                        .collect::<BTreeSet<_>>(),
                    ),
                    _ => None,
                }
            })
    };
    let branches = async {
        if !needs.branches {
            return Ok(None);
        }
        skipped(github.read(api::branch_names(repo)).await)
            .map(|found| Some(found.map(|names| names.into_iter().collect::<BTreeSet<_>>())))
    };
    let judged: BTreeSet<&String> = needs.codeowners.iter().chain(&needs.checks).collect();
    let per_branch = try_join_all(
        judged
            .into_iter()
            .map(|branch| branch_facts(github, repo, branch, needs)),
    );
    let (writers, methods, branches, per_branch) =
        futures::try_join!(writers, methods, branches, per_branch)?;
    match writers {
        None => {}
        Some(Ok(people)) => facts.writers = Some(people),
        Some(Err(permission)) => facts.notes.push(format!(
            "`not-enough-reviewers` was not judged: GitHub lists who has write access only to tokens with push access to the repository (\"{}\" on a token of a writer)",
            permission.label()
        )),
    }
    facts.merge_methods = methods;
    if needs.merge_methods && facts.merge_methods.is_none() {
        facts.notes.push(
            "`linear-history-merge-only` was not judged on the repository's merge methods: GitHub shows them only to tokens with push access".to_owned(),
        );
    }
    match branches {
        None => {}
        Some(Ok(names)) => facts.branches = Some(names),
        Some(Err(permission)) => facts.notes.push(format!(
            "`pattern-matches-nothing` was not judged: the branches could not be listed (the token needs \"{}\")",
            permission.label()
        )),
    }
    for (branch, (found, notes)) in per_branch {
        facts.per_branch.insert(branch, found);
        facts.notes.extend(notes);
    }
    Ok(facts)
}

/// A read's answer, or the permission the token lacks for it (a 403 is skipped, never
/// guessed); any other failure is an error.
fn skipped<T>(result: Result<T, ApiError>) -> Result<Result<T, Permission>, ApiError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(err) if err.kind == ApiErrorKind::Permission => {
            Ok(Err(err.needs.unwrap_or(Permission::MetadataRead)))
        }
        Err(err) => Err(err),
    }
}

/// Reads one branch's facts: its CODEOWNERS file when code-owner review is required, and
/// what reported on the last merged pull request when checks are required.
async fn branch_facts(
    github: &RestReader,
    repo: &RepoName,
    branch: &String,
    needs: &Needs,
) -> Result<(String, (BranchFacts, Vec<String>)), ApiError> {
    let target = format!("branches.{branch}");
    let mut found = BranchFacts::default();
    let mut notes = Vec::new();
    let codeowners = async {
        if !needs.codeowners.contains(branch) {
            return Ok(None);
        }
        skipped(github.read(api::codeowners_errors(repo, branch)).await).map(Some)
    };
    let reported = async {
        if !needs.checks.contains(branch) {
            return Ok(None);
        }
        last_merged(github, repo, branch).await.map(Some)
    };
    let (codeowners, reported) = futures::try_join!(codeowners, reported)?;
    match codeowners {
        Some(Ok(None)) => found.codeowners = Some(Codeowners::Missing),
        Some(Ok(Some(errors))) => {
            found.codeowners = Some(Codeowners::Present(
                errors
                    .into_iter()
                    .map(|e| CodeownersError {
                        path: e.path,
                        line: e.line,
                        kind: e.kind,
                    })
                    .collect(),
            ));
        }
        Some(Err(permission)) => notes.push(format!(
            "{target}: its CODEOWNERS file was not checked (the token needs \"{}\")",
            permission.label()
        )),
        None => {}
    }
    match reported {
        Some(Ok(last)) => found.last_merged = Some(last),
        Some(Err(permission)) => notes.push(format!(
            "{target}: its required checks were not held against what reports them (the token needs \"{}\")",
            permission.label()
        )),
        None => {}
    }
    Ok((branch.clone(), (found, notes)))
}

/// The last merged pull request into the branch, and what reported on its head commit:
/// `Ok(None)` when none was merged yet.
async fn last_merged(
    github: &RestReader,
    repo: &RepoName,
    branch: &str,
) -> Result<Result<Option<Reported>, Permission>, ApiError> {
    let pulls = match skipped(github.read(api::closed_pulls(repo, branch)).await)? {
        Ok(pulls) => pulls,
        Err(permission) => return Ok(Err(permission)),
    };
    // Closed without merging has no `merged_at`; ISO 8601 times in UTC sort as text.
    let Some(pull) = pulls
        .into_iter()
        .filter(|p| p.merged_at.is_some())
        .max_by(|a, b| a.merged_at.cmp(&b.merged_at))
    else {
        return Ok(Ok(None));
    };
    let sha = pull.head.sha;
    let (runs, statuses) = futures::try_join!(
        async { skipped(github.read(reads::check_runs(repo, &sha)).await) },
        async { skipped(github.read(api::commit_statuses(repo, &sha)).await) },
    )?;
    let (runs, statuses) = match (runs, statuses) {
        (Ok(runs), Ok(statuses)) => (runs, statuses),
        (Err(permission), _) | (_, Err(permission)) => return Ok(Err(permission)),
    };
    Ok(Ok(Some(Reported {
        number: pull.number,
        sha,
        check_runs: runs
            .into_iter()
            .map(|run| ReportedRun {
                name: run.name,
                app_id: run.app.as_ref().map(|app| app.id),
                app: run.app.and_then(|app| app.slug).map(|s| s.to_lowercase()),
            })
            .collect(),
        statuses,
    })))
}
