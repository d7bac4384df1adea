//! What pull requests meet beyond protection (DESIGN §13), answered as the API data says:
//! `GET …/collaborators` (filtered by `permission`), `GET …/codeowners/errors` (404 without a
//! CODEOWNERS file, github-api/QUIRKS.md 62), `GET …/pulls` (`state`, `base`, `sort`,
//! `direction`) and `GET …/commits/{ref}/status` (the combined legacy statuses,
//! github-api/QUIRKS.md 63).

use serde_json::{Value, json};

use super::{Reply, Repo, Res, docs, error};
use crate::render::{self, Ctx};
use crate::seed::{CollaboratorSeed, PullRequestSeed, Role};

/// The official example of one pull request, the shape every rendered one keeps.
const PULL_EXAMPLE: &str = include_str!("../../github-api/examples/pulls-list.200.json");

/// The permission levels, lowest first: a filter keeps those at or above it.
const LEVELS: [&str; 5] = ["read", "triage", "write", "maintain", "admin"];

/// Why a caller without push access may not list the collaborators (REST and GraphQL).
pub(crate) const COLLABORATORS_FORBIDDEN: &str =
    "Must have push access to view repository collaborators.";

fn level(permission: &str) -> usize {
    let permission = match permission {
        "pull" => "read",
        "push" => "write",
        other => other,
    };
    LEVELS.iter().position(|l| *l == permission).unwrap_or(0)
}

impl Repo {
    /// Returns true when the repository allows the merge method (`merge`, `squash`, `rebase`).
    pub(crate) fn allows_merge(&self, method: &str) -> bool {
        let settings = &self.repo.settings;
        match method {
            "merge" => settings.allow_merge_commit,
            "squash" => settings.allow_squash_merge,
            "rebase" => settings.allow_rebase_merge,
            _ => false,
        }
    }

    /// The collaborators: the seeded ones, else the seed's users (write access or read).
    fn collaborators(&self) -> Vec<CollaboratorSeed> {
        self.repo.activity.collaborators.clone().unwrap_or_else(|| {
            self.dir
                .users
                .iter()
                .map(|u| CollaboratorSeed {
                    login: u.login.clone(),
                    permission: if u.write_access { "write" } else { "read" }.to_owned(),
                })
                .collect()
        })
    }

    fn account_id(&self, login: &str) -> u64 {
        self.dir
            .user(login)
            .map_or_else(|| render::account_id(login), |u| u.id)
    }

    /// The collaborators as GraphQL's `RepositoryCollaboratorEdge` names them: login,
    /// account id and permission (`ADMIN`, `MAINTAIN`, `WRITE`, `TRIAGE` or `READ`), the
    /// same levels `GET …/collaborators` filters by.
    pub(crate) fn collaborator_permissions(&self) -> Vec<(String, u64, String)> {
        self.collaborators()
            .into_iter()
            .map(|c| {
                let id = self.account_id(&c.login);
                let permission = LEVELS[level(&c.permission)].to_uppercase();
                (c.login, id, permission)
            })
            .collect()
    }

    /// `GET …/collaborators`: only callers with push access may list them
    /// ([`COLLABORATORS_FORBIDDEN`]).
    pub(crate) fn collaborators_json(
        &self,
        ctx: &Ctx,
        role: Role,
        permission: Option<&str>,
    ) -> Result<Vec<Value>, Reply> {
        if role < Role::Write {
            return Err(error(
                403,
                COLLABORATORS_FORBIDDEN,
                "https://docs.github.com/rest/collaborators/collaborators#list-repository-collaborators",
            ));
        }
        let floor = permission.map_or(0, level);
        Ok(self
            .collaborators()
            .iter()
            .filter(|c| level(&c.permission) >= floor)
            .map(|c| {
                let id = self.account_id(&c.login);
                let mut v = render::simple_user(ctx, &c.login, id, "User");
                let at = level(&c.permission);
                v["permissions"] = json!({
                    "pull": true, "triage": at >= 1, "push": at >= 2, "maintain": at >= 3, "admin": at >= 4
                });
                v["role_name"] = json!(c.permission);
                v
            })
            .collect())
    }

    /// `GET …/codeowners/errors`: 404 without a CODEOWNERS file.
    pub(crate) fn codeowners_json(&self) -> Res {
        let Some(file) = &self.repo.activity.codeowners else {
            return Err(error(404, "Not Found", docs::REST));
        };
        let errors: Vec<Value> = file
            .errors
            .iter()
            .map(|e| {
                json!({
                    "line": e.line, "column": 1, "kind": e.kind, "source": e.source,
                    "suggestion": null, "path": file.path,
                    "message": format!("{} on line {}:\n\n  {}\n  ^", e.kind, e.line, e.source)
                })
            })
            .collect();
        Ok(Reply::json(200, json!({ "errors": errors })))
    }

    /// `GET …/pulls`, filtered by `state` (default `open`) and `base`, sorted by `sort`
    /// (`created` or `updated`, both following seed order) and `direction`.
    pub(crate) fn pulls_json(
        &self,
        ctx: &Ctx,
        state: Option<&str>,
        base: Option<&str>,
        ascending: bool,
    ) -> Vec<Value> {
        let state = state.unwrap_or("open");
        let mut items: Vec<Value> = self
            .repo
            .activity
            .pull_requests
            .iter()
            .enumerate()
            .filter(|(_, p)| state == "all" || p.state == state)
            .filter(|(_, p)| base.is_none_or(|b| b == p.base))
            .map(|(i, p)| self.pull_json(ctx, i, p))
            .collect();
        if !ascending {
            items.reverse();
        }
        items
    }

    fn pull_json(&self, ctx: &Ctx, index: usize, pull: &PullRequestSeed) -> Value {
        let number = 1000 + u64::try_from(index).unwrap_or(0) + 1;
        let full = self.full_name();
        let u = format!("{}/repos/{full}/pulls/{number}", ctx.api);
        let time = render::iso(u64::try_from(index).unwrap_or(0) * 3600 + 86_400);
        let mut v: Value = serde_json::from_str::<Value>(PULL_EXAMPLE)
            .ok()
            .and_then(|list| list.get(0).cloned())
            .unwrap_or(Value::Null);
        let closed = pull.state == "closed";
        for (key, value) in [
            ("url", json!(u)),
            ("id", json!(self.repo_id * 10_000 + number)),
            ("number", json!(number)),
            ("state", json!(pull.state)),
            (
                "html_url",
                json!(format!("https://github.com/{full}/pull/{number}")),
            ),
            ("created_at", json!(time)),
            ("updated_at", json!(time)),
            ("closed_at", if closed { json!(time) } else { Value::Null }),
            (
                "merged_at",
                if pull.merged {
                    json!(time)
                } else {
                    Value::Null
                },
            ),
            // The example's teams lack the `type` their schema requires (github-api/QUIRKS.md 49).
            ("requested_teams", json!([])),
            ("requested_reviewers", json!([])),
        ] {
            v[key] = value;
        }
        v["head"]["sha"] = json!(pull.head_sha);
        v["head"]["ref"] = json!(format!("pr-{number}"));
        v["base"]["ref"] = json!(pull.base);
        v["base"]["sha"] = json!(render::sha_for(&pull.base));
        v
    }

    /// `GET …/commits/{ref}/status`: the seeded statuses of that commit, all successful.
    pub(crate) fn status_json(&self, ctx: &Ctx, reference: &str, role: Role) -> Value {
        let full = self.full_name();
        let contexts = self
            .repo
            .activity
            .commits
            .get(reference)
            .map(|c| c.statuses.clone())
            .unwrap_or_default();
        let statuses: Vec<Value> = contexts
            .iter()
            .enumerate()
            .map(|(i, context)| {
                let id = self.repo_id * 100 + u64::try_from(i).unwrap_or(0) + 1;
                json!({
                    "url": format!("{}/repos/{full}/statuses/{reference}", ctx.api),
                    "avatar_url": null, "id": id, "node_id": render::node_id("SC", id),
                    "state": "success", "description": null, "target_url": null,
                    "context": context, "created_at": render::EPOCH, "updated_at": render::EPOCH
                })
            })
            .collect();
        json!({
            "state": if statuses.is_empty() { "pending" } else { "success" },
            "statuses": statuses,
            "sha": reference,
            "total_count": contexts.len(),
            "repository": self.minimal_json(ctx, role),
            "commit_url": format!("{}/repos/{full}/commits/{reference}", ctx.api),
            "url": format!("{}/repos/{full}/commits/{reference}/status", ctx.api),
        })
    }
}
