//! What `issue` and `comment` share: the plan files they read, the client that writes
//! issues, comments and labels (and nothing else), the labels they make, and bodies that
//! fit in what GitHub takes.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{RemoteArgs, WritePaceArgs};
use crate::commands::console::Console;
use crate::commands::remote;
use crate::error::Error;
use crate::github::api::content;
use crate::github::client::WriteClient;
use crate::github::wire::issue::LabelRequest;
use crate::github::{ApiError, RestContent};
use crate::model::names::RepoName;
use crate::output::untrusted::quote;
use crate::plan::file::{self, PlanFile, Plans, Weakening};
use crate::plan::{OrgPlan, Plan};
use crate::render;

/// The most characters GitHub keeps in an issue's or a comment's body.
pub const MAX_BODY_CHARS: usize = 65_536;

/// A label gh-policy makes where it is missing.
pub struct LabelSpec {
    /// Its name.
    pub name: &'static str,
    /// Six hexadecimal digits.
    pub color: &'static str,
    /// What it means.
    pub description: &'static str,
}

/// Reads the plan files: one, or the organisation plans of one run's shards, merged.
pub fn read_plans(paths: &[PathBuf]) -> Result<PlanFile, Error> {
    let mut files = Vec::new();
    for path in paths {
        files.push(file::read(path).map_err(|err| {
            Error::new(err.to_string())
                .with_hint("write the plan with `gh-policy plan --format json > FILE`")
        })?);
    }
    let mut files = files.into_iter();
    let Some(first) = files.next() else {
        return Err(Error::new("no plan file given").with_hint("pass --plan FILE"));
    };
    files.try_fold(first, merge)
}

/// Merges the plan of another shard into an organisation's plan.
fn merge(mut into: PlanFile, other: PlanFile) -> Result<PlanFile, Error> {
    let (Plans::Organization(merged), Plans::Organization(shard)) = (&mut into.plans, other.plans)
    else {
        return Err(Error::new(
            "several plan files are the shards of one organisation run; one repository's plan comes alone",
        ));
    };
    if !merged
        .organization
        .eq_ignore_ascii_case(&shard.organization)
    {
        return Err(Error::new(format!(
            "the plan files are of two organisations, {} and {}",
            quote(&merged.organization),
            quote(&shard.organization)
        )));
    }
    let OrgPlan { plans, errors, .. } = shard;
    merged.plans.extend(plans);
    merged.errors.extend(errors);
    merged.plans.sort_by(|a, b| a.repository.cmp(&b.repository));
    merged
        .errors
        .sort_by(|a, b| a.repository.cmp(&b.repository));
    into.weakening = Weakening {
        count: into.weakening.count + other.weakening.count,
        changes: into
            .weakening
            .changes
            .into_iter()
            .chain(other.weakening.changes)
            .collect(),
    };
    Ok(into)
}

/// Parses a repository a plan names.
pub fn plan_repository(text: &str) -> Result<RepoName, Error> {
    RepoName::parse(text).map_err(|reason| {
        Error::new(format!(
            "the plan's repository {} is not OWNER/NAME: {reason}",
            quote(text)
        ))
        .with_hint(
            "plan with --repo OWNER/NAME (a plan from --state without a repository names none)",
        )
    })
}

/// The client that writes issues, comments and labels, as `owner`'s App installation (or
/// the one that reaches `repository`) or the token; and the runtime it runs in.
pub fn connect(
    remote_args: &RemoteArgs,
    pace: &WritePaceArgs,
    owner: &str,
    repository: Option<&str>,
    console: &Console<'_>,
) -> Result<(RestContent, tokio::runtime::Runtime), Error> {
    let mut config = remote::client_config(remote_args, owner, repository, console.verbose())?;
    config.write_pace = Duration::from_millis(pace.write_delay_ms);
    Ok((
        RestContent::new(WriteClient::new(config)),
        remote::runtime()?,
    ))
}

/// Makes the label in the repository unless it has one of that name (GitHub would make it
/// grey, without a description, when an issue names it). Returns whether it was made.
pub async fn ensure_label(
    github: &RestContent,
    repo: &RepoName,
    label: &LabelSpec,
) -> Result<bool, ApiError> {
    let labels = github.read(content::labels(repo)).await?;
    if labels
        .iter()
        .any(|existing| existing.name.eq_ignore_ascii_case(label.name))
    {
        return Ok(false);
    }
    let request = LabelRequest {
        name: label.name.to_owned(),
        color: label.color.to_owned(),
        description: label.description.to_owned(),
    };
    github.write(content::create_label(repo, &request)).await?;
    Ok(true)
}

/// The Markdown plan of a plan file, as `plan --format markdown` prints it.
pub fn markdown(plans: &Plans) -> Result<String, Error> {
    match plans {
        Plans::Repository(plan) => repository_markdown(plan),
        Plans::Organization(org) => organization_markdown(org),
    }
}

/// One repository's Markdown plan.
pub fn repository_markdown(plan: &Plan) -> Result<String, Error> {
    let mut out = Vec::new();
    render::render(plan, render::Format::Markdown, false, &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// An organisation's Markdown plan: its table, then each drifting repository.
pub fn organization_markdown(org: &OrgPlan) -> Result<String, Error> {
    let mut out = Vec::new();
    render::org::render(org, render::Format::Markdown, false, &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Returns the body whole when GitHub takes it, else cut at a line with a note saying so.
pub fn fit(body: String) -> String {
    let total = body.chars().count();
    if total <= MAX_BODY_CHARS {
        return body;
    }
    let note = format!(
        "\n\n*The plan is too long for GitHub ({total} characters): run `gh-policy plan` to see it whole.*\n"
    );
    let keep = MAX_BODY_CHARS - note.chars().count();
    let cut: String = body.chars().take(keep).collect();
    let cut = cut.rfind('\n').map_or(cut.as_str(), |at| &cut[..at]);
    format!("{cut}{note}")
}

/// Writes one line of what was done, naming where.
pub fn report(out: &mut dyn Write, place: &str, what: &str) -> Result<(), Error> {
    let escape = crate::output::untrusted::escape;
    writeln!(out, "{}: {}", escape(place), escape(what))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn a_body_too_long_for_github_is_cut_at_a_line_and_says_so() {
        let short = "### plan\n\nsmall\n".to_owned();
        assert_eq!(fit(short.clone()), short);
        let long = (0..20_000).fold(String::new(), |mut text, i| {
            let _ = writeln!(text, "line {i}");
            text
        });
        let fitted = fit(long.clone());
        assert!(fitted.chars().count() <= MAX_BODY_CHARS);
        assert!(fitted.ends_with(&format!(
            "*The plan is too long for GitHub ({} characters): run `gh-policy plan` to see it whole.*\n",
            long.chars().count()
        )));
        let kept = fitted.split("\n\n*The plan").next().unwrap();
        assert!(
            long.starts_with(kept) && kept.ends_with(char::is_numeric),
            "cut at a line"
        );
    }
}
