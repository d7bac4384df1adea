//! A repository's issues (pull requests among them), their comments, and its labels: what
//! a drift issue and a pull request comment need (github-api/QUIRKS.md 65).
//!
//! Issues and pull requests share one numbering. Setting a label the repository does not
//! have creates it (colour `ededed`, no description), as GitHub does for a caller with push
//! access. Closing sets `closed_at` and a `state_reason` (`completed` unless given);
//! reopening clears `closed_at` and sets `reopened`; a `state_reason` without a change of
//! `state` is ignored.

use serde_json::{Map, Value, json};

use super::{Reply, Repo, error};
use crate::render;
use crate::seed::{DEFAULT_LABEL_COLOR, IssueSeed, LabelSeed};

/// Everything about a repository's issues.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    /// By number: `items[n - 1]` is number `n`.
    pub items: Vec<Issue>,
    /// The repository's labels.
    pub labels: Vec<Label>,
    /// Every comment, oldest first.
    pub comments: Vec<Comment>,
}

/// An issue or a pull request.
#[derive(Debug, Clone)]
pub(crate) struct Issue {
    pub number: u64,
    pub id: u64,
    pub title: String,
    pub body: Option<String>,
    /// `open` or `closed`.
    pub state: String,
    pub state_reason: Option<String>,
    /// Label names, as the labels are spelled.
    pub labels: Vec<String>,
    pub pull_request: bool,
    /// Who opened it.
    pub user: String,
    pub created: String,
    pub updated: String,
    pub closed: Option<String>,
}

/// A comment on an issue or pull request.
#[derive(Debug, Clone)]
pub(crate) struct Comment {
    pub id: u64,
    pub issue: u64,
    pub user: String,
    pub body: String,
    pub created: String,
    pub updated: String,
}

/// A label.
#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub id: u64,
    pub name: String,
    pub color: String,
    pub description: Option<String>,
}

const ISSUES_DOC: &str = "https://docs.github.com/rest/issues/issues";
const COMMENTS_DOC: &str = "https://docs.github.com/rest/issues/comments";
const LABELS_DOC: &str = "https://docs.github.com/rest/issues/labels";

/// GitHub's `validation-error` answer for one field.
fn invalid(resource: &str, code: &str, field: &str, doc: &str) -> Reply {
    Reply::json(
        422,
        json!({
            "message": "Validation Failed",
            "errors": [{"resource": resource, "code": code, "field": field}],
            "documentation_url": doc,
            "status": "422"
        }),
    )
}

impl Repo {
    /// Fills labels, then issues and their comments, from a seed.
    pub(crate) fn load_issues(
        &mut self,
        labels: &[LabelSeed],
        issues: &[IssueSeed],
    ) -> Result<(), String> {
        for label in labels {
            let body =
                json!({"name": label.name, "color": label.color, "description": label.description});
            self.create_label(&body)
                .map_err(|r| format!("invalid seed (label {}): {:?}", label.name, r.body))?;
        }
        for seed in issues {
            let mut body = json!({"title": seed.title, "body": seed.body, "labels": seed.labels});
            let number = self
                .create_issue(&body, &seed.user)
                .map_err(|r| format!("invalid seed (issue {}): {:?}", seed.title, r.body))?;
            self.issues.items[index(number)].pull_request = seed.pull_request;
            if seed.state != "open" || seed.state_reason.is_some() {
                body = json!({"state": seed.state, "state_reason": seed.state_reason});
                self.update_issue(number, &body)
                    .map_err(|r| format!("invalid seed (issue {}): {:?}", seed.title, r.body))?;
            }
            for comment in &seed.comments {
                self.create_comment(number, &json!({"body": comment.body}), &comment.user)
                    .map_err(|r| format!("invalid seed (comment): {:?}", r.body))?;
            }
        }
        Ok(())
    }

    /// Returns the issue (or pull request) numbered `number`.
    pub(crate) fn issue(&self, number: &str) -> Result<&Issue, Reply> {
        number
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .and_then(|n| self.issues.items.get(index(n)))
            .ok_or_else(|| error(404, "Not Found", ISSUES_DOC))
    }

    /// `POST …/issues`: returns the new issue's number.
    pub(crate) fn create_issue(&mut self, body: &Value, user: &str) -> Result<u64, Reply> {
        let title = title(body)
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| invalid("Issue", "missing_field", "title", ISSUES_DOC))?;
        let labels = self.label_names(body.get("labels"))?;
        let number = self.issues.items.len() as u64 + 1;
        let now = render::now_iso();
        let issue = Issue {
            number,
            id: self.next(),
            title,
            body: body.get("body").and_then(Value::as_str).map(str::to_owned),
            state: "open".into(),
            state_reason: None,
            labels,
            pull_request: false,
            user: user.to_owned(),
            created: now.clone(),
            updated: now,
            closed: None,
        };
        self.issues.items.push(issue);
        Ok(number)
    }

    /// `PATCH …/issues/{issue_number}`.
    pub(crate) fn update_issue(&mut self, number: u64, body: &Value) -> Result<(), Reply> {
        let Some(fields) = body.as_object() else {
            return Ok(());
        };
        let labels = match fields.get("labels") {
            Some(list) => Some(self.label_names(Some(list))?),
            None => None,
        };
        let title = match fields.get("title") {
            Some(Value::Null) | None => None,
            Some(_) => Some(
                title(body)
                    .filter(|t| !t.trim().is_empty())
                    .ok_or_else(|| invalid("Issue", "missing_field", "title", ISSUES_DOC))?,
            ),
        };
        let issue = self
            .issues
            .items
            .get_mut(index(number))
            .ok_or_else(|| error(404, "Not Found", ISSUES_DOC))?;
        if let Some(title) = title {
            issue.title = title;
        }
        if let Some(text) = fields.get("body") {
            issue.body = text.as_str().map(str::to_owned);
        }
        if let Some(labels) = labels {
            issue.labels = labels;
        }
        let now = render::now_iso();
        change_state(issue, fields, &now);
        issue.updated = now;
        Ok(())
    }

    /// `POST …/issues/{issue_number}/comments`: returns the new comment's id.
    pub(crate) fn create_comment(
        &mut self,
        number: u64,
        body: &Value,
        user: &str,
    ) -> Result<u64, Reply> {
        if self.issues.items.get(index(number)).is_none() {
            return Err(error(404, "Not Found", COMMENTS_DOC));
        }
        let text = comment_body(body)?;
        let id = self.next();
        let now = render::now_iso();
        self.issues.comments.push(Comment {
            id,
            issue: number,
            user: user.to_owned(),
            body: text,
            created: now.clone(),
            updated: now,
        });
        Ok(id)
    }

    /// `PATCH …/issues/comments/{comment_id}`.
    pub(crate) fn update_comment(&mut self, id: &str, body: &Value) -> Result<u64, Reply> {
        let text = comment_body(body)?;
        let comment = id
            .parse::<u64>()
            .ok()
            .and_then(|id| self.issues.comments.iter_mut().find(|c| c.id == id))
            .ok_or_else(|| error(404, "Not Found", COMMENTS_DOC))?;
        comment.body = text;
        comment.updated = render::now_iso();
        Ok(comment.id)
    }

    /// `POST …/labels`: returns the new label's index.
    pub(crate) fn create_label(&mut self, body: &Value) -> Result<usize, Reply> {
        let name = body
            .get("name")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| invalid("Label", "missing_field", "name", LABELS_DOC))?
            .to_owned();
        if self.find_label(&name).is_some() {
            return Err(invalid("Label", "already_exists", "name", LABELS_DOC));
        }
        let color = match body.get("color").and_then(Value::as_str) {
            None => DEFAULT_LABEL_COLOR.to_owned(),
            Some(c) => {
                let c = c.trim_start_matches('#');
                if c.len() != 6 || !c.chars().all(|ch| ch.is_ascii_hexdigit()) {
                    return Err(invalid("Label", "invalid", "color", LABELS_DOC));
                }
                c.to_ascii_lowercase()
            }
        };
        let description = body
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 100)
        {
            return Err(invalid("Label", "invalid", "description", LABELS_DOC));
        }
        let id = self.next();
        self.issues.labels.push(Label {
            id,
            name,
            color,
            description,
        });
        Ok(self.issues.labels.len() - 1)
    }

    /// Returns the label named `name` (without regard to case).
    pub(crate) fn find_label(&self, name: &str) -> Option<&Label> {
        self.issues
            .labels
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
    }

    /// The label names of a `labels` array (strings, or objects with a `name`), each as the
    /// repository spells it; a label the repository lacks is created.
    fn label_names(&mut self, list: Option<&Value>) -> Result<Vec<String>, Reply> {
        let mut names: Vec<String> = Vec::new();
        for item in list.and_then(Value::as_array).into_iter().flatten() {
            let Some(name) = item
                .as_str()
                .or_else(|| item.get("name").and_then(Value::as_str))
            else {
                return Err(invalid("Label", "invalid", "labels", ISSUES_DOC));
            };
            if self.find_label(name).is_none() {
                self.create_label(&json!({ "name": name }))?;
            }
            let spelled = self
                .find_label(name)
                .map(|l| l.name.clone())
                .unwrap_or_default();
            if !names.contains(&spelled) {
                names.push(spelled);
            }
        }
        Ok(names)
    }
}

/// Applies a change of `state` (and its reason); a reason alone changes nothing.
fn change_state(issue: &mut Issue, fields: &Map<String, Value>, now: &str) {
    let Some(state) = fields.get("state").and_then(Value::as_str) else {
        return;
    };
    if state == issue.state {
        return;
    }
    let reason = fields
        .get("state_reason")
        .and_then(Value::as_str)
        .map(str::to_owned);
    state.clone_into(&mut issue.state);
    if state == "closed" {
        issue.closed = Some(now.to_owned());
        issue.state_reason = Some(reason.unwrap_or_else(|| "completed".into()));
    } else {
        issue.closed = None;
        issue.state_reason = Some("reopened".into());
    }
}

fn index(number: u64) -> usize {
    usize::try_from(number.saturating_sub(1)).unwrap_or(usize::MAX)
}

/// The title: a string, or an integer written as one (the schema allows both).
fn title(body: &Value) -> Option<String> {
    match body.get("title")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn comment_body(body: &Value) -> Result<String, Reply> {
    body.get("body")
        .and_then(Value::as_str)
        .filter(|b| !b.trim().is_empty())
        .map(str::to_owned)
        .ok_or_else(|| invalid("IssueComment", "missing_field", "body", COMMENTS_DOC))
}

/// Writes issues, labels and comments back in the seed format.
impl Issues {
    pub(crate) fn to_seed(&self) -> (Vec<IssueSeed>, Vec<LabelSeed>) {
        let issues = self
            .items
            .iter()
            .map(|issue| IssueSeed {
                title: issue.title.clone(),
                body: issue.body.clone().unwrap_or_default(),
                state: issue.state.clone(),
                state_reason: issue.state_reason.clone(),
                labels: issue.labels.clone(),
                pull_request: issue.pull_request,
                user: issue.user.clone(),
                comments: self
                    .comments
                    .iter()
                    .filter(|c| c.issue == issue.number)
                    .map(|c| crate::seed::CommentSeed {
                        user: c.user.clone(),
                        body: c.body.clone(),
                    })
                    .collect(),
            })
            .collect();
        let labels = self
            .labels
            .iter()
            .map(|l| LabelSeed {
                name: l.name.clone(),
                color: l.color.clone(),
                description: l.description.clone(),
            })
            .collect();
        (issues, labels)
    }
}
