//! Issues, comments and labels as GitHub returns them (`issue`, `issue-comment`, `label`),
//! built from the response schemas.

use serde_json::{Value, json};

use super::Repo;
use super::issues::{Comment, Issue, Label};
use crate::render::{self, Ctx};

impl Repo {
    /// An `issue` object (with `pull_request` for a pull request).
    pub(crate) fn issue_json(&self, ctx: &Ctx, issue: &Issue) -> Value {
        let repo_url = self.repo_url(ctx);
        let url = format!("{repo_url}/issues/{}", issue.number);
        let web = format!("https://github.com/{}", self.full_name());
        let kind = if issue.pull_request { "pull" } else { "issues" };
        let comments = self
            .issues
            .comments
            .iter()
            .filter(|c| c.issue == issue.number)
            .count();
        let labels: Vec<Value> = issue
            .labels
            .iter()
            .filter_map(|name| self.find_label(name))
            .map(|label| self.label_json(ctx, label))
            .collect();
        let mut value = json!({
            "id": issue.id,
            "node_id": render::node_id("I", issue.id),
            "url": url,
            "repository_url": repo_url,
            "labels_url": format!("{url}/labels{{/name}}"),
            "comments_url": format!("{url}/comments"),
            "events_url": format!("{url}/events"),
            "html_url": format!("{web}/{kind}/{}", issue.number),
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": self.account_json(ctx, &issue.user),
            "labels": labels,
            "assignee": null,
            "assignees": [],
            "milestone": null,
            "locked": false,
            "active_lock_reason": null,
            "comments": comments,
            "closed_at": issue.closed,
            "created_at": issue.created,
            "updated_at": issue.updated,
            "author_association": "MEMBER",
        });
        if issue.pull_request {
            value["pull_request"] = json!({
                "url": format!("{repo_url}/pulls/{}", issue.number),
                "html_url": format!("{web}/pull/{}", issue.number),
                "diff_url": format!("{web}/pull/{}.diff", issue.number),
                "patch_url": format!("{web}/pull/{}.patch", issue.number),
                "merged_at": null,
            });
        }
        value
    }

    /// An `issue-comment` object.
    pub(crate) fn comment_json(&self, ctx: &Ctx, comment: &Comment) -> Value {
        let repo_url = self.repo_url(ctx);
        let kind = match self.issues.items.iter().find(|i| i.number == comment.issue) {
            Some(issue) if issue.pull_request => "pull",
            _ => "issues",
        };
        json!({
            "id": comment.id,
            "node_id": render::node_id("IC", comment.id),
            "url": format!("{repo_url}/issues/comments/{}", comment.id),
            "html_url": format!(
                "https://github.com/{}/{kind}/{}#issuecomment-{}",
                self.full_name(),
                comment.issue,
                comment.id
            ),
            "issue_url": format!("{repo_url}/issues/{}", comment.issue),
            "body": comment.body,
            "user": self.account_json(ctx, &comment.user),
            "created_at": comment.created,
            "updated_at": comment.updated,
            "author_association": "MEMBER",
        })
    }

    /// A `label` object.
    pub(crate) fn label_json(&self, ctx: &Ctx, label: &Label) -> Value {
        json!({
            "id": label.id,
            "node_id": render::node_id("LA", label.id),
            "url": format!("{}/labels/{}", self.repo_url(ctx), super::pct(&label.name)),
            "name": label.name,
            "description": label.description,
            "color": label.color,
            "default": false,
        })
    }

    /// A `simple-user` for a login: a known user's id, else one derived from the login; a
    /// login ending in `[bot]` is a bot.
    fn account_json(&self, ctx: &Ctx, login: &str) -> Value {
        let id = self
            .user(login)
            .map_or_else(|| render::account_id(login), |u| u.id);
        let kind = if login.ends_with("[bot]") {
            "Bot"
        } else {
            "User"
        };
        render::simple_user(ctx, login, id, kind)
    }
}
