//! Organisation mode of `plan` and `apply` (DESIGN §10): the run over the organisation's
//! selected repositories (`plan.rs`, `apply.rs`).
//!
//! Reads go concurrently across repositories within the one bound the client holds; writes
//! go one at a time for the whole run, paced by the client. One repository's failure never
//! stops the others: it gets its row, and the run exits 1.

use crate::cli::{OrgArgs, RemoteArgs};
use crate::commands::console::Console;
use crate::commands::{guard, process};
use crate::error::{Error, ExitStatus};
use crate::github::client::ClientConfig;
use crate::model::{OrgPolicy, RepoSettings};
use crate::org::run::{Planned, Scope};
use crate::output::untrusted::quote;
use crate::plan::diff;
use crate::plan::{OrgPlan, Plan, RepositoryError};
use crate::policy::Located;

/// The repositories a run covers: `--repo` (NAME, or OWNER/NAME of this organisation) and
/// `--shard`.
pub(super) fn scope<'a>(
    policy: &OrgPolicy,
    remote: &'a RemoteArgs,
    org: &OrgArgs,
) -> Result<Scope<'a>, Error> {
    let only = match remote.repo.as_deref() {
        None => None,
        Some(text) => match text.split_once('/') {
            None => Some(text),
            Some((owner, name)) if owner.eq_ignore_ascii_case(&policy.organization) => Some(name),
            Some(_) => {
                return Err(Error::new(format!(
                    "--repo {} is not a repository of the organisation {}",
                    quote(text),
                    quote(&policy.organization)
                )));
            }
        },
    };
    Ok(Scope {
        only,
        shard: org.shard,
    })
}

/// Gives a shard its share of each endpoint's points: the jobs of a matrix run at once on
/// the same credentials, and GitHub counts their requests together.
pub(super) fn share_points(config: &mut ClientConfig, scope: Scope<'_>) {
    if let Some((_, count)) = scope.shard {
        config.points_per_minute = (config.points_per_minute / count).max(1);
    }
}

/// The plans, and the repositories that could not be planned, as one report. A plan whose
/// policy contradicts the repository's requirements is that repository's error.
pub(super) fn org_plan(
    organization: &str,
    planned: &[Planned],
    refused: &[(String, String)],
    located: &Located,
) -> OrgPlan {
    let mut plans = Vec::new();
    let mut errors: Vec<RepositoryError> = refused
        .iter()
        .map(|(repo, reason)| RepositoryError {
            repository: repo.clone(),
            error: reason.clone(),
        })
        .collect();
    for (target, result) in planned {
        match result {
            Ok(plan) if !plan.contradictions.is_empty() => {
                let lines = guard::lines(plan, &target.layers, located, false);
                if let Some(error) = guard::error(lines) {
                    errors.push(RepositoryError {
                        repository: target.repo.to_string(),
                        error: one_report(&error),
                    });
                }
            }
            Ok(plan) => plans.push(plan.clone()),
            Err(error) => errors.push(RepositoryError {
                repository: target.repo.to_string(),
                error: one_report(error),
            }),
        }
    }
    errors.sort_by(|a, b| a.repository.cmp(&b.repository));
    OrgPlan {
        organization: organization.to_owned(),
        plans,
        errors,
    }
}

/// An error as its report's lines, without the leading `error: `.
fn one_report(error: &Error) -> String {
    let mut text = Vec::new();
    let _ = error.report(&mut text);
    let text = String::from_utf8_lossy(&text);
    text.trim_end()
        .strip_prefix("error: ")
        .unwrap_or(&text)
        .to_owned()
}

/// Exit 1 if any repository failed, else 2 if any drifted or has an error finding, else 0.
pub(super) fn status_of(plan: &OrgPlan) -> ExitStatus {
    if !plan.errors.is_empty() {
        ExitStatus::Failure
    } else if plan.passes() {
        ExitStatus::Success
    } else {
        ExitStatus::Drift
    }
}

pub(super) fn context_for(settings: &RepoSettings) -> diff::Context {
    diff::Context {
        sources: process::sources_for(settings),
        now: crate::plan::exceptions::now().unwrap_or_else(|_| time::OffsetDateTime::now_utc()),
    }
}

/// Prints a repository's plan warnings, naming it.
pub(super) fn warn(plan: &Plan, console: &mut Console<'_>) -> Result<(), Error> {
    for warning in &plan.warnings {
        console.warn(format_args!("{}: {warning}", plan.repository))?;
    }
    Ok(())
}

mod apply;
mod plan;
mod planning;

pub use apply::apply;
pub use plan::plan;
use planning::{Planning, plan_run};
