//! Organisation mode of `plan` and `apply` (DESIGN §10): which mode a policy file and the
//! flags ask for, and the run over the organisation's selected repositories.
//!
//! Reads go concurrently across repositories within the one bound the client holds; writes
//! go one at a time for the whole run, paced by the client. One repository's failure never
//! stops the others: it gets its row, and the run exits 1.

use std::io::Write;
use std::path::Path;

use crate::ci::actions;
use crate::cli::{OrgArgs, PlanArgs, PlanFormat, RemoteArgs};
use crate::commands::apply::{self, Applied, ProcessSecrets, Reviewed};
use crate::commands::plan::{invalid_policy, show};
use crate::commands::{Context, budget, remote};
use crate::diff;
use crate::error::{Error, ExitStatus};
use crate::github::GithubRead;
use crate::github::client::{ReadClient, WriteClient};
use crate::github::read::OrgRulesets;
use crate::github::{RestReader, RestWriter};
use crate::model::{OrgPolicy, PolicyBody, RepoSettings};
use crate::names::RepoName;
use crate::org::run::{self, Planned, Scope, Selection, Target};
use crate::plan::{OrgPlan, Plan, RepositoryError};
use crate::policy::{self, PolicyFile, SourceMap};
use crate::progress::with_spinner;
use crate::render;
use crate::untrusted::quote;

/// What a command works on, decided by the policy file and `--org`.
pub enum Mode {
    /// One repository's policy.
    Repository(Box<RepoSettings>, SourceMap),
    /// Every selected repository of an organisation.
    Organization(Box<OrgPolicy>),
}

/// Loads the policy file and decides the mode: an organisation policy (`organization:`), or
/// `--org`, which applies a repository policy to every repository of the organisation.
pub fn load(path: &Path, org_flag: Option<&str>) -> Result<Mode, Error> {
    let (file, map) = policy::load_any(path).map_err(|err| invalid_policy(path, &err))?;
    match (file, org_flag) {
        (PolicyFile::Repository(settings), None) => Ok(Mode::Repository(Box::new(settings), map)),
        (PolicyFile::Repository(settings), Some(org)) => {
            if let Some(repository) = &settings.repository {
                return Err(Error::new(format!(
                    "the policy {} is for the repository {}, and --org asks for every repository of {}",
                    path.display(),
                    quote(repository),
                    quote(org)
                ))
                .with_hint("remove `repository:` to apply the policy to every repository, or write an organisation policy (`organization:`)"));
            }
            Ok(Mode::Organization(Box::new(OrgPolicy {
                version: settings.version,
                organization: org.to_owned(),
                defaults: PolicyBody::from(settings),
                groups: indexmap::IndexMap::default(),
                repositories: std::collections::BTreeMap::default(),
                exclude: Vec::new(),
                written: serde_json::Value::Null,
            })))
        }
        (PolicyFile::Organization(policy), Some(org))
            if !policy.organization.eq_ignore_ascii_case(org) =>
        {
            Err(Error::new(format!(
                "--org {} does not match the policy's organization {}",
                quote(org),
                quote(&policy.organization)
            ))
            .with_hint("leave --org out: an organisation policy names its organisation"))
        }
        (PolicyFile::Organization(policy), _) => Ok(Mode::Organization(policy)),
    }
}

/// Refuses the organisation flags where there is no organisation.
pub fn refuse_org_flags(args: &OrgArgs) -> Result<(), Error> {
    if args.shard.is_some() {
        return Err(Error::new("--shard shares out the repositories of an organisation; this policy is for one repository")
            .with_hint("pass --org ORG, or use an organisation policy (`organization:`)"));
    }
    Ok(())
}

/// The repositories a run covers: `--repo` (NAME, or OWNER/NAME of this organisation) and
/// `--shard`.
fn scope<'a>(
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

/// The selected repositories, listed, then checked against the rate limit left.
async fn targets(
    github: &dyn GithubRead,
    policy: &OrgPolicy,
    scope: Scope<'_>,
    force: bool,
) -> Result<Selection, Error> {
    let selection = run::targets(github, policy, scope).await?;
    if let Some(only) = scope.only
        && selection.targets.is_empty()
    {
        if let Some((_, reason)) = selection.unmergeable.first() {
            return Err(Error::new(reason.clone()));
        }
        return Err(Error::new(format!(
            "the policy does not select {} in {}",
            quote(only),
            quote(&policy.organization)
        ))
        .with_hint("a repository that is excluded, archived or a fork is selected only by a `repositories` entry"));
    }
    budget::check(github, &selection.targets, force).await?;
    Ok(selection)
}

/// The plans, and the repositories that could not be planned, as one report.
fn org_plan(
    organization: &str,
    planned: &[Planned],
    unmergeable: &[(RepoName, String)],
) -> OrgPlan {
    let mut plans = Vec::new();
    let mut errors: Vec<RepositoryError> = unmergeable
        .iter()
        .map(|(repo, reason)| RepositoryError {
            repository: repo.to_string(),
            error: reason.clone(),
        })
        .collect();
    for (target, result) in planned {
        match result {
            Ok(plan) => plans.push(plan.clone()),
            Err(error) => errors.push(RepositoryError {
                repository: target.repo.to_string(),
                error: one_report(error),
            }),
        }
    }
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

/// Exit 1 if any repository failed, else 2 if any drifted, else 0.
fn status_of(plan: &OrgPlan) -> ExitStatus {
    if !plan.errors.is_empty() {
        ExitStatus::Failure
    } else if plan.in_sync() {
        ExitStatus::Success
    } else {
        ExitStatus::Drift
    }
}

fn format_of(format: PlanFormat) -> render::Format {
    match format {
        PlanFormat::Text => render::Format::Text,
        PlanFormat::Json => render::Format::Json,
        PlanFormat::Markdown => render::Format::Markdown,
    }
}

fn context_for(settings: &RepoSettings) -> diff::Context {
    diff::Context {
        sources: diff::SecretSources::from_process(settings),
        now: crate::exceptions::now().unwrap_or_else(|_| time::OffsetDateTime::now_utc()),
    }
}

/// Runs `plan` over the organisation.
pub fn plan(
    args: &PlanArgs,
    policy: &OrgPolicy,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    if args.state.is_some() {
        return Err(Error::new(
            "--state holds one repository's settings; it does not go with an organisation",
        )
        .with_hint("plan one repository with --repo OWNER/NAME and a repository policy"));
    }
    crate::exceptions::now().map_err(Error::new)?;
    let scope = scope(policy, &args.remote, &args.org)?;
    let (config, runtime) = remote::connect_org(&args.remote, &policy.organization, ctx)?;
    let github = RestReader::new(ReadClient::new(config));
    let concurrency = usize::from(args.remote.concurrency);
    let (planned, unmergeable) = runtime.block_on(with_spinner(
        format!("planning the repositories of {}…", policy.organization),
        ctx.verbose,
        async {
            let Selection {
                targets,
                unmergeable,
            } = targets(&github, policy, scope, args.org.force).await?;
            let org_rulesets =
                run::org_rulesets_for(&github, &policy.organization, &targets).await?;
            let planned =
                run::plan_all(&github, targets, &org_rulesets, &context_for, concurrency).await;
            Ok::<_, Error>((planned, unmergeable))
        },
    ))?;
    if scope.only.is_some() {
        // One repository: its own plan, exactly as a repository policy would show it.
        let Some((_, result)) = planned.into_iter().next() else {
            return Err(Error::new("no repository was planned"));
        };
        let plan = result?;
        show(&plan, args.format, ctx, out)?;
        warn(&plan, err)?;
        return Ok(if plan.in_sync() {
            ExitStatus::Success
        } else {
            ExitStatus::Drift
        });
    }
    let report = org_plan(&policy.organization, &planned, &unmergeable);
    render::org::render(&report, format_of(args.format), ctx.color, out)?;
    for plan in &report.plans {
        warn(plan, err)?;
    }
    if actions::in_actions() {
        actions::append_org_step_summary(&report)
            .map_err(|err| Error::new("failed to write $GITHUB_STEP_SUMMARY").caused_by(err))?;
    }
    Ok(status_of(&report))
}

fn warn(plan: &Plan, err: &mut dyn Write) -> Result<(), Error> {
    for warning in &plan.warnings {
        writeln!(err, "warning: {}: {warning}", plan.repository)?;
    }
    Ok(())
}

/// Runs `apply` over the organisation: one plan for the run, one confirmation, then each
/// repository in turn, each verified by reading it back.
pub fn apply(
    args: &crate::cli::ApplyArgs,
    policy: &OrgPolicy,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    crate::exceptions::now().map_err(Error::new)?;
    let scope = scope(policy, &args.remote, &args.org)?;
    let (mut config, runtime) = remote::connect_org(&args.remote, &policy.organization, ctx)?;
    config.write_pace = std::time::Duration::from_millis(args.write_delay_ms);
    let github = RestWriter::new(WriteClient::new(config));
    let concurrency = usize::from(args.remote.concurrency);
    runtime.block_on(async {
        let (planned, unmergeable, org_rulesets) = with_spinner(
            format!("planning the repositories of {}…", policy.organization),
            ctx.verbose,
            async {
                let Selection {
                    targets,
                    unmergeable,
                } = targets(&github, policy, scope, args.org.force).await?;
                let org_rulesets =
                    run::org_rulesets_for(&github, &policy.organization, &targets).await?;
                let planned =
                    run::plan_all(&github, targets, &org_rulesets, &context_for, concurrency).await;
                Ok::<_, Error>((planned, unmergeable, org_rulesets))
            },
        )
        .await?;
        let report = org_plan(&policy.organization, &planned, &unmergeable);
        render::org::render(&report, render::Format::Text, ctx.color, out)?;
        for plan in &report.plans {
            warn(plan, err)?;
        }
        let to_apply: Vec<(&Target, &Plan)> = planned
            .iter()
            .filter_map(|(target, result)| result.as_ref().ok().map(|plan| (target, plan)))
            .filter(|(_, plan)| plan.changes.iter().any(|c| c.applicable && !c.excepted))
            .collect();
        let count: usize = to_apply
            .iter()
            .map(|(_, plan)| {
                plan.changes
                    .iter()
                    .filter(|c| c.applicable && !c.excepted)
                    .count()
            })
            .sum();
        if count == 0 {
            if !report.in_sync() && report.errors.is_empty() {
                writeln!(
                    out,
                    "\nNothing apply can change: the drift above needs a person."
                )?;
            }
            return Ok(status_of(&report));
        }
        if args.require_secret_values {
            for (_, plan) in &to_apply {
                apply::refuse_missing_secret_values(plan)?;
            }
        }
        let values =
            ProcessSecrets::read(&to_apply.iter().map(|(_, plan)| *plan).collect::<Vec<_>>());
        if !args.yes {
            out.flush()?;
            let what = format!("{} repositories of {}", to_apply.len(), policy.organization);
            apply::confirm(&what, count, err)?;
            github.restart_deadline();
        }
        let outcomes =
            apply_each(&to_apply, &github, &org_rulesets, &values, ctx, out, err).await?;
        summarise(&report, &outcomes, out)
    })
}

/// How the repositories of an `apply --org` ended.
#[derive(Default)]
struct Outcomes {
    matching: Vec<String>,
    drifting: Vec<String>,
    failed: Vec<String>,
}

/// Applies each repository's plan in turn; a failure is reported and the next goes on.
async fn apply_each(
    to_apply: &[(&Target, &Plan)],
    github: &RestWriter,
    org_rulesets: &OrgRulesets,
    values: &ProcessSecrets,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcomes, Error> {
    let mut outcomes = Outcomes::default();
    for (target, plan) in to_apply {
        writeln!(out, "\n── {} ──", target.repo)?;
        let context = context_for(&target.settings);
        let reviewed = Reviewed {
            repo: &target.repo,
            desired: &target.settings,
            plan,
            context: &context,
            org_rulesets,
        };
        match apply::execute_and_verify(&reviewed, github, values, ctx, out, err).await {
            Ok(Applied { status, message }) => {
                writeln!(out, "{message}")?;
                if status == ExitStatus::Success {
                    outcomes.matching.push(target.repo.to_string());
                } else {
                    outcomes.drifting.push(target.repo.to_string());
                }
            }
            Err(error) if error.is_output_closed() => return Err(error),
            Err(error) => {
                error.report(&mut *out)?;
                outcomes.failed.push(target.repo.to_string());
            }
        }
    }
    Ok(outcomes)
}

/// The run's last lines, and its exit status: 1 if any repository failed (to plan or to
/// apply), else 2 if drift apply cannot fix remains, else 0.
fn summarise(
    report: &OrgPlan,
    outcomes: &Outcomes,
    out: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    writeln!(
        out,
        "\nApplied to {} repositories: {} match the policy, {} keep drift apply cannot fix, {} failed.",
        outcomes.matching.len() + outcomes.drifting.len() + outcomes.failed.len(),
        outcomes.matching.len(),
        outcomes.drifting.len(),
        outcomes.failed.len(),
    )?;
    let failed: Vec<&str> = outcomes
        .failed
        .iter()
        .map(String::as_str)
        .chain(report.errors.iter().map(|e| e.repository.as_str()))
        .collect();
    if !failed.is_empty() {
        return Err(Error::new(format!(
            "{} repositories failed: {}",
            failed.len(),
            failed.join(", ")
        ))
        .with_hint("fix the causes above and run apply again; it plans afresh and converges"));
    }
    let inapplicable = report
        .plans
        .iter()
        .any(|p| p.changes.iter().any(|c| !c.applicable && !c.excepted));
    Ok(if outcomes.drifting.is_empty() && !inapplicable {
        ExitStatus::Success
    } else {
        ExitStatus::Drift
    })
}
