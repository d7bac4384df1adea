//! `gh-policy issue --plan FILE`: one open issue per drifting repository (title
//! `Protection drift: OWNER/NAME`, label `gh-policy-drift`, the Markdown plan as its body),
//! updated in place while the drift lasts and closed (`completed`) once the repository is in
//! sync. With `--summary`, one issue for a whole organisation in the repository `--repo`
//! names. It writes issues and that label only.
//!
//! The issue is found among the open issues carrying the label, by its exact title (pull
//! requests, which GitHub lists too, are skipped); a body that would not change is not
//! written again. A repository that could not be planned is left as it is: nothing is known
//! about it.

use std::io::Write;

use futures::stream::{self, StreamExt};

use crate::cli::IssueArgs;
use crate::commands::console::Console;
use crate::commands::content::{self, LabelSpec};
use crate::commands::{Context, remote};
use crate::error::{Error, ExitStatus};
use crate::github::api::content as ops;
use crate::github::wire::issue::{Issue, IssueRequest, IssueUpdate};
use crate::github::{ApiError, RestContent};
use crate::model::names::RepoName;
use crate::output::untrusted::escape;
use crate::plan::file::Plans;
use crate::plan::{OrgPlan, Plan};

/// The label of drift issues.
pub const DRIFT_LABEL: LabelSpec = LabelSpec {
    name: "gh-policy-drift",
    color: "d93f0b",
    description: "Protection differs from the policy (gh-policy keeps this issue up to date)",
};

/// What became of one repository's issue.
enum Outcome {
    /// Drift, and no issue was open: one was opened.
    Opened(Issue),
    /// Drift, and the open issue's body changed.
    Updated(Issue),
    /// Drift, and the open issue already says it.
    Unchanged(Issue),
    /// In sync, and the open issue was closed.
    Closed(Issue),
    /// In sync, and no issue was open.
    NothingOpen,
}

/// Runs `issue`: exit 0 when every issue is as the plan says, 1 on any error.
pub fn run(
    args: &IssueArgs,
    ctx: &Context,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    let file = content::read_plans(&args.plan)?;
    match (file.plans, args.summary) {
        (Plans::Repository(plan), false) => repository_issue(args, &plan, console),
        (Plans::Repository(_), true) => Err(Error::new(
            "--summary keeps one issue for an organisation's plan; this plan is one repository's",
        )
        .with_hint("leave --summary out: the repository's drift issue is in that repository")),
        (Plans::Organization(org), true) => summary_issue(args, &org, ctx, console),
        (Plans::Organization(org), false) => repositories_issues(args, &org, console),
    }
}

/// One repository's plan: its issue, in that repository.
fn repository_issue(
    args: &IssueArgs,
    plan: &Plan,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    if args.remote.repo.is_some() {
        return Err(Error::new(
            "--repo names the repository of an organisation's summary issue (--summary); a repository's drift issue is in that repository",
        ));
    }
    let repo = content::plan_repository(&plan.repository)?;
    let (github, runtime) = content::connect(
        &args.remote,
        &args.pace,
        &repo.owner,
        Some(&repo.name),
        console,
    )?;
    let body = content::fit(content::repository_markdown(plan)?);
    let title = title_of(&repo.to_string());
    let outcome = runtime.block_on(keep(&github, &repo, &title, &body, plan.in_sync()))?;
    say(console.out(), &repo.to_string(), &outcome)?;
    Ok(ExitStatus::Success)
}

/// An organisation's plan, `--summary`: one issue, in the repository `--repo` names; in sync
/// only when no repository drifts and none failed.
fn summary_issue(
    args: &IssueArgs,
    org: &OrgPlan,
    ctx: &Context,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    let repo = remote::resolve_repo(args.remote.repo.as_deref(), None, &ctx.cwd)?;
    let (github, runtime) = content::connect(
        &args.remote,
        &args.pace,
        &repo.owner,
        Some(&repo.name),
        console,
    )?;
    let title = title_of(&format!("{} (organisation)", org.organization));
    let body = content::fit(content::organization_markdown(org)?);
    let outcome = runtime.block_on(keep(&github, &repo, &title, &body, org.in_sync()))?;
    say(console.out(), &repo.to_string(), &outcome)?;
    Ok(ExitStatus::Success)
}

/// An organisation's plan: each planned repository's issue, in that repository; a
/// repository that could not be planned is left as it is.
fn repositories_issues(
    args: &IssueArgs,
    org: &OrgPlan,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    if args.remote.repo.is_some() {
        return Err(Error::new(
            "--repo names the repository of the summary issue; without --summary each repository's issue is in that repository",
        )
        .with_hint("add --summary for one issue in the admin repository"));
    }
    let (github, runtime) =
        content::connect(&args.remote, &args.pace, &org.organization, None, console)?;
    for error in &org.errors {
        writeln!(
            console.err(),
            "note: {} could not be planned; its drift issue is left as it is",
            escape(&error.repository)
        )?;
    }
    let concurrency = args.remote.repositories_at_once();
    let results = runtime.block_on(each_repository(&github, &org.plans, concurrency));
    let mut failed = 0;
    for (repository, result) in results {
        match result {
            Ok(outcome) => say(console.out(), &repository, &outcome)?,
            Err(error) => {
                failed += 1;
                writeln!(
                    console.err(),
                    "error: {}: the drift issue could not be written",
                    escape(&repository)
                )?;
                error.report(console.err())?;
            }
        }
    }
    Ok(if failed == 0 {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// Keeps the issue of every planned repository, `concurrency` at a time (the client writes
/// one at a time); one repository's failure does not stop the others.
async fn each_repository(
    github: &RestContent,
    plans: &[Plan],
    concurrency: usize,
) -> Vec<(String, Result<Outcome, Error>)> {
    let mut results: Vec<(String, Result<Outcome, Error>)> = stream::iter(plans)
        .map(|plan| async move {
            let result = async {
                let repo = content::plan_repository(&plan.repository)?;
                let body = content::fit(content::repository_markdown(plan)?);
                keep(
                    github,
                    &repo,
                    &title_of(&repo.to_string()),
                    &body,
                    plan.in_sync(),
                )
                .await
                .map_err(Error::from)
            }
            .await;
            (plan.repository.clone(), result)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}

/// The title of a drift issue.
fn title_of(what: &str) -> String {
    format!("Protection drift: {what}")
}

/// Opens, updates or closes the one drift issue of `repo` titled `title`.
async fn keep(
    github: &RestContent,
    repo: &RepoName,
    title: &str,
    body: &str,
    in_sync: bool,
) -> Result<Outcome, ApiError> {
    let open = github
        .read(ops::open_issues_labelled(repo, DRIFT_LABEL.name))
        .await?
        .into_iter()
        .filter(|issue| issue.pull_request.is_none() && issue.title == title)
        .min_by_key(|issue| issue.number);
    match (open, in_sync) {
        (None, true) => Ok(Outcome::NothingOpen),
        (None, false) => {
            content::ensure_label(github, repo, &DRIFT_LABEL).await?;
            let request = IssueRequest {
                title: title.to_owned(),
                body: body.to_owned(),
                labels: vec![DRIFT_LABEL.name.to_owned()],
            };
            Ok(Outcome::Opened(
                github.write(ops::create_issue(repo, &request)).await?,
            ))
        }
        (Some(issue), false) if issue.body.as_deref() == Some(body) => {
            Ok(Outcome::Unchanged(issue))
        }
        (Some(issue), false) => {
            let update = IssueUpdate {
                body: Some(body.to_owned()),
                ..IssueUpdate::default()
            };
            Ok(Outcome::Updated(
                github
                    .write(ops::update_issue(repo, issue.number, &update))
                    .await?,
            ))
        }
        (Some(issue), true) => {
            let update = IssueUpdate {
                body: Some(body.to_owned()),
                state: Some("closed".to_owned()),
                state_reason: Some("completed".to_owned()),
                labels: None,
            };
            Ok(Outcome::Closed(
                github
                    .write(ops::update_issue(repo, issue.number, &update))
                    .await?,
            ))
        }
    }
}

fn say(out: &mut dyn Write, repository: &str, outcome: &Outcome) -> Result<(), Error> {
    let line = match outcome {
        Outcome::Opened(issue) => {
            format!("drift: opened issue #{} {}", issue.number, issue.html_url)
        }
        Outcome::Updated(issue) => {
            format!("drift: updated issue #{} {}", issue.number, issue.html_url)
        }
        Outcome::Unchanged(issue) => format!(
            "drift: issue #{} already says so {}",
            issue.number, issue.html_url
        ),
        Outcome::Closed(issue) => {
            format!("in sync: closed issue #{} {}", issue.number, issue.html_url)
        }
        Outcome::NothingOpen => "in sync: no drift issue open".to_owned(),
    };
    content::report(out, repository, &line)
}
