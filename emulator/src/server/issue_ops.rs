//! The operations on a repository's issues, pull request comments and labels.

use serde_json::Value;

use super::paging::Paging;
use super::routes::{Route, T_COMMENT, T_ISSUE, T_ISSUE_COMMENTS, T_ISSUES, T_LABELS};
use crate::render::Ctx;
use crate::state::{Comment, Issue, Reply, Repo, Res, docs, error};

/// Serves one call; `login` is who writes.
pub(crate) fn dispatch(
    st: &mut Repo,
    ctx: &Ctx,
    method: &str,
    rt: &Route,
    body: &Value,
    pg: &Paging<'_>,
    login: &str,
) -> Res {
    match (rt.template, method) {
        (T_ISSUES, "GET") => Ok(list_issues(st, ctx, pg)),
        (T_ISSUES, _) => {
            let number = st.create_issue(body, login)?;
            let issue = st.issue(&number.to_string())?;
            Ok(Reply::json(201, st.issue_json(ctx, issue)))
        }
        (T_ISSUE, "GET") => {
            let issue = st.issue(&rt.a)?;
            Ok(Reply::json(200, st.issue_json(ctx, issue)))
        }
        (T_ISSUE, _) => {
            let number = st.issue(&rt.a)?.number;
            st.update_issue(number, body)?;
            let issue = st.issue(&rt.a)?;
            Ok(Reply::json(200, st.issue_json(ctx, issue)))
        }
        (T_ISSUE_COMMENTS, "GET") => {
            let number = st.issue(&rt.a)?.number;
            let comments: Vec<&Comment> = st
                .issues
                .comments
                .iter()
                .filter(|c| c.issue == number)
                .collect();
            Ok(pg.list_of(&comments, |c| st.comment_json(ctx, c)))
        }
        (T_ISSUE_COMMENTS, _) => {
            let number = st.issue(&rt.a)?.number;
            let id = st.create_comment(number, body, login)?;
            let comment = comment(st, id)?;
            Ok(Reply::json(201, st.comment_json(ctx, comment)))
        }
        (T_COMMENT, _) => {
            let id = st.update_comment(&rt.a, body)?;
            let comment = comment(st, id)?;
            Ok(Reply::json(200, st.comment_json(ctx, comment)))
        }
        (T_LABELS, "GET") => Ok(pg.list_of(&st.issues.labels, |l| st.label_json(ctx, l))),
        (T_LABELS, _) => {
            let index = st.create_label(body)?;
            Ok(Reply::json(
                201,
                st.label_json(ctx, &st.issues.labels[index]),
            ))
        }
        _ => Err(error(404, "Not Found", docs::REST)),
    }
}

fn comment(st: &Repo, id: u64) -> Result<&Comment, Reply> {
    st.issues
        .comments
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| error(404, "Not Found", docs::REST))
}

/// `GET …/issues`: issues and pull requests alike (github-api/QUIRKS.md 65), filtered by
/// `state` (default `open`) and `labels` (comma-separated names, every one required), newest
/// first unless `direction=asc`.
fn list_issues(st: &Repo, ctx: &Ctx, pg: &Paging<'_>) -> Reply {
    let state = pg.param("state").unwrap_or_else(|| "open".into());
    let wanted: Vec<String> = pg
        .param("labels")
        .map(|labels| {
            labels
                .split(',')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut issues: Vec<&Issue> = st
        .issues
        .items
        .iter()
        .filter(|i| state == "all" || i.state == state)
        .filter(|i| {
            wanted
                .iter()
                .all(|w| i.labels.iter().any(|l| l.eq_ignore_ascii_case(w)))
        })
        .collect();
    if pg.param("direction").as_deref() != Some("asc") {
        issues.reverse();
    }
    pg.list_of(&issues, |i| st.issue_json(ctx, i))
}
