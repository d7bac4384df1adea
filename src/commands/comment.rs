//! `gh-policy comment --pr N --plan FILE`: one comment on a pull request with the Markdown
//! plan, found again by a hidden marker and updated in place. When the plan weakens
//! protection (DESIGN §11: its `weakens` count), the comment opens with a
//! `⚠ weakens protection` section and the pull request gets the `gh-policy-weakens` label;
//! the label comes off once a later plan weakens nothing. It writes that comment and that
//! label only.

use std::fmt::Write as _;

use crate::cli::CommentArgs;
use crate::commands::console::Console;
use crate::commands::content::{self, LabelSpec};
use crate::commands::{Context, remote};
use crate::error::{Error, ExitStatus};
use crate::github::api::content as ops;
use crate::github::wire::issue::{Comment, CommentRequest, IssueUpdate};
use crate::github::{ApiError, ApiErrorKind, RestContent};
use crate::model::names::RepoName;
use crate::output::untrusted::escape;
use crate::plan::file::{PlanFile, Plans, Weakening};

/// The first line of the comment, by which it is found again.
pub const MARKER: &str = "<!-- gh-policy-plan -->";

/// The label of a pull request whose plan weakens protection.
pub const WEAKENS_LABEL: LabelSpec = LabelSpec {
    name: "gh-policy-weakens",
    color: "b60205",
    description: "⚠ weakens protection: the plan of this pull request lowers a repository's protection",
};

/// Runs `comment`: exit 0 when the comment and the label are as the plan says.
pub fn run(
    args: &CommentArgs,
    ctx: &Context,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    let file = content::read_plans(std::slice::from_ref(&args.plan))?;
    let repo = remote::resolve_repo(args.remote.repo.as_deref(), None, &ctx.cwd)?;
    let body = body_of(&file)?;
    let (github, runtime) = content::connect(
        &args.remote,
        &args.pace,
        &repo.owner,
        Some(&repo.name),
        console,
    )?;
    let place = format!("{repo}#{}", args.pr);
    runtime.block_on(async {
        let pull = github
            .read(ops::issue(&repo, args.pr))
            .await
            .map_err(|err| {
                if err.kind == ApiErrorKind::NotFound {
                    Error::new(format!(
                        "{place} does not exist, or the token cannot see it"
                    ))
                } else {
                    Error::from(err)
                }
            })?;
        if pull.pull_request.is_none() {
            return Err(
                Error::new(format!("{place} is an issue, not a pull request"))
                    .with_hint("pass the number of the pull request the plan is for"),
            );
        }
        let said = keep_comment(&github, &repo, args.pr, &body).await?;
        content::report(console.out(), &place, &said)?;
        let labelled = keep_label(
            &github,
            &repo,
            args.pr,
            &pull.labels,
            file.weakening.count > 0,
        )
        .await?;
        if let Some(said) = labelled {
            content::report(console.out(), &place, &said)?;
        }
        Ok(ExitStatus::Success)
    })
}

/// The comment: the marker, the weakening section when there is one, the Markdown plan.
fn body_of(file: &PlanFile) -> Result<String, Error> {
    let mut body = format!("{MARKER}\n");
    if file.weakening.count > 0 {
        body.push_str(&weakening_section(
            &file.weakening,
            matches!(file.plans, Plans::Organization(_)),
        ));
    }
    body.push_str(&content::markdown(&file.plans)?);
    Ok(content::fit(body))
}

/// `### ⚠ weakens protection`, the count, and each weakening change the plan marks.
fn weakening_section(weakening: &Weakening, many: bool) -> String {
    let count = weakening.count;
    let changes = if count == 1 {
        "change weakens"
    } else {
        "changes weaken"
    };
    let mut text = format!(
        "### ⚠ weakens protection\n\n**{count} {changes} protection**: `apply --yes` refuses {} without `--allow-weakening`. Review {} before merging.\n",
        if count == 1 { "it" } else { "them" },
        if count == 1 { "it" } else { "them" },
    );
    if !weakening.changes.is_empty() {
        text.push('\n');
        for (repository, address) in &weakening.changes {
            if many {
                let _ = writeln!(text, "- `{}`: `{}`", escape(repository), escape(address));
            } else {
                let _ = writeln!(text, "- `{}`", escape(address));
            }
        }
    }
    text.push('\n');
    text
}

/// Creates the comment, or updates the one with the marker (the first, if several); a body
/// that would not change is not written again.
async fn keep_comment(
    github: &RestContent,
    repo: &RepoName,
    pr: u64,
    body: &str,
) -> Result<String, ApiError> {
    let existing: Option<Comment> = github
        .read(ops::comments(repo, pr))
        .await?
        .into_iter()
        .find(|comment| {
            comment
                .body
                .as_deref()
                .is_some_and(|text| text.starts_with(MARKER))
        });
    let request = CommentRequest {
        body: body.to_owned(),
    };
    Ok(match existing {
        Some(comment) if comment.body.as_deref() == Some(body) => {
            format!("the plan comment already says so {}", comment.html_url)
        }
        Some(comment) => {
            let updated = github
                .write(ops::update_comment(repo, comment.id, &request))
                .await?;
            format!("updated the plan comment {}", updated.html_url)
        }
        None => {
            let created = github
                .write(ops::create_comment(repo, pr, &request))
                .await?;
            format!("commented the plan {}", created.html_url)
        }
    })
}

/// Puts the weakening label on the pull request, or takes it off; returns what was done.
async fn keep_label(
    github: &RestContent,
    repo: &RepoName,
    pr: u64,
    labels: &[crate::github::wire::issue::IssueLabel],
    weakens: bool,
) -> Result<Option<String>, ApiError> {
    let names: Vec<String> = labels.iter().map(|l| l.name().to_owned()).collect();
    let has = names
        .iter()
        .any(|name| name.eq_ignore_ascii_case(WEAKENS_LABEL.name));
    let labels = match (weakens, has) {
        (true, false) => {
            content::ensure_label(github, repo, &WEAKENS_LABEL).await?;
            let mut with = names;
            with.push(WEAKENS_LABEL.name.to_owned());
            with
        }
        (false, true) => names
            .into_iter()
            .filter(|name| !name.eq_ignore_ascii_case(WEAKENS_LABEL.name))
            .collect(),
        _ => return Ok(None),
    };
    let update = IssueUpdate {
        labels: Some(labels),
        ..IssueUpdate::default()
    };
    github.write(ops::update_issue(repo, pr, &update)).await?;
    Ok(Some(if weakens {
        format!(
            "labelled {}: the plan weakens protection",
            WEAKENS_LABEL.name
        )
    } else {
        format!(
            "took {} off: the plan no longer weakens protection",
            WEAKENS_LABEL.name
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weakening_section_counts_and_names_the_changes() {
        let weakening = Weakening {
            count: 2,
            changes: vec![
                ("acme/api".into(), "branches.main".into()),
                ("acme/api".into(), "environments.production".into()),
            ],
        };
        assert_eq!(
            weakening_section(&weakening, false),
            "### ⚠ weakens protection\n\n**2 changes weaken protection**: `apply --yes` refuses them without `--allow-weakening`. Review them before merging.\n\n- `branches.main`\n- `environments.production`\n\n"
        );
        assert!(weakening_section(&weakening, true).contains("- `acme/api`: `branches.main`\n"));
        let one = Weakening {
            count: 1,
            changes: Vec::new(),
        };
        assert!(
            weakening_section(&one, false)
                .contains("**1 change weakens protection**: `apply --yes` refuses it")
        );
    }
}
