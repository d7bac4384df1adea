//! Repositories as GitHub renders them: `full-repository`, `minimal-repository`,
//! `repository`, and their custom property values.

use serde_json::{Value, json};

use super::Repo;
use crate::render::Ctx;
use crate::seed::Role;

impl Repo {
    /// Renders the fields `full-repository`, `minimal-repository` and `repository` share, with
    /// the permissions of `role`.
    pub(crate) fn repository_json(&self, ctx: &Ctx, role: Role) -> Value {
        let repo = &self.repo;
        let id = self.repo_id;
        let full = format!("{}/{}", repo.owner, repo.name);
        let u = format!("{}/repos/{full}", ctx.api);
        let html = format!("https://github.com/{full}");
        let admin = role == Role::Admin;
        let push = role >= Role::Write;
        json!({
            "id": id,
            "node_id": crate::render::node_id("R", id),
            "name": repo.name,
            "full_name": full,
            "owner": self.owner_account().json(ctx),
            "private": repo.private,
            "visibility": if repo.private { "private" } else { "public" },
            "html_url": html,
            "description": null,
            "fork": repo.fork,
            "url": u,
            "archive_url": format!("{u}/{{archive_format}}{{/ref}}"),
            "assignees_url": format!("{u}/assignees{{/user}}"),
            "blobs_url": format!("{u}/git/blobs{{/sha}}"),
            "branches_url": format!("{u}/branches{{/branch}}"),
            "collaborators_url": format!("{u}/collaborators{{/collaborator}}"),
            "comments_url": format!("{u}/comments{{/number}}"),
            "commits_url": format!("{u}/commits{{/sha}}"),
            "compare_url": format!("{u}/compare/{{base}}...{{head}}"),
            "contents_url": format!("{u}/contents/{{+path}}"),
            "contributors_url": format!("{u}/contributors"),
            "deployments_url": format!("{u}/deployments"),
            "downloads_url": format!("{u}/downloads"),
            "events_url": format!("{u}/events"),
            "forks_url": format!("{u}/forks"),
            "git_commits_url": format!("{u}/git/commits{{/sha}}"),
            "git_refs_url": format!("{u}/git/refs{{/sha}}"),
            "git_tags_url": format!("{u}/git/tags{{/sha}}"),
            "git_url": format!("git://github.com/{full}.git"),
            "issue_comment_url": format!("{u}/issues/comments{{/number}}"),
            "issue_events_url": format!("{u}/issues/events{{/number}}"),
            "issues_url": format!("{u}/issues{{/number}}"),
            "keys_url": format!("{u}/keys{{/key_id}}"),
            "labels_url": format!("{u}/labels{{/name}}"),
            "languages_url": format!("{u}/languages"),
            "merges_url": format!("{u}/merges"),
            "milestones_url": format!("{u}/milestones{{/number}}"),
            "notifications_url": format!("{u}/notifications{{?since,all,participating}}"),
            "pulls_url": format!("{u}/pulls{{/number}}"),
            "releases_url": format!("{u}/releases{{/id}}"),
            "ssh_url": format!("git@github.com:{full}.git"),
            "stargazers_url": format!("{u}/stargazers"),
            "statuses_url": format!("{u}/statuses/{{sha}}"),
            "subscribers_url": format!("{u}/subscribers"),
            "subscription_url": format!("{u}/subscription"),
            "tags_url": format!("{u}/tags"),
            "teams_url": format!("{u}/teams"),
            "trees_url": format!("{u}/git/trees{{/sha}}"),
            "clone_url": format!("{html}.git"),
            "mirror_url": null,
            "hooks_url": format!("{u}/hooks"),
            "svn_url": html,
            "homepage": null,
            "language": null,
            "forks_count": 0,
            "forks": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "watchers": 0,
            "size": 100,
            "default_branch": repo.default_branch,
            "open_issues_count": 0,
            "open_issues": 0,
            "is_template": false,
            "topics": [],
            "has_issues": true,
            "has_projects": true,
            "has_wiki": true,
            "has_pages": false,
            "has_downloads": true,
            "has_discussions": false,
            "archived": repo.archived,
            "disabled": false,
            "pushed_at": self.created,
            "created_at": self.created,
            "updated_at": self.created,
            "permissions": {"admin": admin, "maintain": admin, "push": push, "triage": push, "pull": true},
            "allow_rebase_merge": self.allows_merge("rebase"),
            "allow_squash_merge": self.allows_merge("squash"),
            "allow_merge_commit": self.allows_merge("merge"),
            "allow_auto_merge": false,
            "delete_branch_on_merge": false,
            "allow_forking": true,
            "web_commit_signoff_required": false,
            "license": null,
            "network_count": 0,
            "subscribers_count": 0
        })
    }

    /// Renders `full-repository` (`GET /repos/{owner}/{repo}`).
    pub(crate) fn full_json(&self, ctx: &Ctx, role: Role) -> Value {
        let mut v = self.repository_json(ctx, role);
        self.add_switches(&mut v, role == Role::Admin);
        if self.is_org() {
            v["organization"] = self.owner_account().json(ctx);
            v["custom_properties"] = self.properties_object();
        }
        v
    }

    /// Renders `minimal-repository` (`GET /orgs/{org}/repos`, `GET /users/{username}/repos`)
    /// without `custom_properties`: the schema declares it, but GitHub's lists leave it out
    /// (github-api/QUIRKS.md 57); `GET /orgs/{org}/properties/values` has the values.
    pub(crate) fn minimal_json(&self, ctx: &Ctx, role: Role) -> Value {
        let mut v = self.repository_json(ctx, role);
        if let Some(o) = v.as_object_mut() {
            for k in [
                "allow_rebase_merge",
                "allow_squash_merge",
                "allow_merge_commit",
                "allow_auto_merge",
                "network_count",
                "subscribers_count",
            ] {
                o.remove(k);
            }
        }
        v
    }

    /// Returns the repository's custom property values, defaults of the organisation's
    /// definitions included, as `(name, value)` in definition order (then the rest by name).
    pub(crate) fn property_values(&self) -> Vec<(String, Value)> {
        let mut out: Vec<(String, Value)> = Vec::new();
        if let Some(org) = self.dir.org_named(&self.repo.owner) {
            for d in &org.property_defs {
                let Some(name) = d.get("property_name").and_then(Value::as_str) else {
                    continue;
                };
                let value = self
                    .repo
                    .custom_properties
                    .get(name)
                    .cloned()
                    .or_else(|| d.get("default_value").cloned())
                    .unwrap_or(Value::Null);
                if !value.is_null() {
                    out.push((name.to_owned(), value));
                }
            }
        }
        for (k, v) in &self.repo.custom_properties {
            if !v.is_null() && !out.iter().any(|(n, _)| n == k) {
                out.push((k.clone(), v.clone()));
            }
        }
        out
    }

    /// Returns the property values as a JSON object (`custom_properties` of repository objects).
    pub(crate) fn properties_object(&self) -> Value {
        Value::Object(self.property_values().into_iter().collect())
    }

    /// Returns the value of one property (the system properties `visibility`, `fork`,
    /// `archived` and `name` too), for ruleset conditions.
    pub(crate) fn property(&self, name: &str, system: bool) -> Option<Value> {
        if system {
            return match name {
                "visibility" => Some(json!(if self.repo.private {
                    "private"
                } else {
                    "public"
                })),
                "fork" => Some(json!(self.repo.fork.to_string())),
                "archived" => Some(json!(self.repo.archived.to_string())),
                "name" => Some(json!(self.repo.name)),
                _ => None,
            };
        }
        self.property_values()
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
}
