//! Branch protection and branch objects as GitHub renders them.

use serde_json::{Value, json};

use super::Repo;
use super::protection::{Branch, Protection, Reviews, StatusChecks};
use crate::render::{self, Ctx};

impl Repo {
    fn user_objs(&self, ctx: &Ctx, logins: &[String]) -> Vec<Value> {
        logins
            .iter()
            .filter_map(|l| self.user(l))
            .map(|u| render::simple_user(ctx, &u.login, u.id, "User"))
            .collect()
    }
    fn team_objs(&self, ctx: &Ctx, slugs: &[String]) -> Vec<Value> {
        slugs
            .iter()
            .filter_map(|s| self.team(s))
            .map(|t| render::team(ctx, &self.dir.org_account(), t))
            .collect()
    }
    fn app_objs(&self, ctx: &Ctx, slugs: &[String]) -> Vec<Value> {
        slugs
            .iter()
            .filter_map(|s| self.app(s))
            .map(|a| render::app(ctx, &self.dir.org_account(), a))
            .collect()
    }

    fn protection_url(&self, ctx: &Ctx, branch: &str) -> String {
        format!("{}/branches/{branch}/protection", self.repo_url(ctx))
    }

    /// Renders `status-check-policy`.
    pub(crate) fn status_checks_json(&self, ctx: &Ctx, branch: &str, s: &StatusChecks) -> Value {
        let url = format!(
            "{}/required_status_checks",
            self.protection_url(ctx, branch)
        );
        json!({
            "url": url,
            "strict": s.strict,
            "contexts": s.checks.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
            "contexts_url": format!("{url}/contexts"),
            "checks": s.checks.iter().map(|(c, a)| json!({"context": c, "app_id": a})).collect::<Vec<_>>(),
        })
    }

    /// Renders `protected-branch-pull-request-review`.
    pub(crate) fn reviews_json(&self, ctx: &Ctx, branch: &str, r: &Reviews) -> Value {
        let url = format!(
            "{}/required_pull_request_reviews",
            self.protection_url(ctx, branch)
        );
        let mut v = json!({
            "url": url,
            "dismiss_stale_reviews": r.dismiss_stale,
            "require_code_owner_reviews": r.code_owners,
            "required_approving_review_count": r.count,
            "require_last_push_approval": r.last_push,
        });
        if let Some(d) = &r.dismissal {
            let durl = format!(
                "{}/dismissal_restrictions",
                self.protection_url(ctx, branch)
            );
            v["dismissal_restrictions"] = json!({
                "url": durl,
                "users_url": format!("{durl}/users"),
                "teams_url": format!("{durl}/teams"),
                "users": self.user_objs(ctx, &d.users),
                "teams": self.team_objs(ctx, &d.teams),
                "apps": self.app_objs(ctx, &d.apps),
            });
        }
        if let Some(b) = &r.bypass {
            v["bypass_pull_request_allowances"] = json!({
                "users": self.user_objs(ctx, &b.users),
                "teams": self.team_objs(ctx, &b.teams),
                "apps": self.app_objs(ctx, &b.apps),
            });
        }
        v
    }

    /// Renders `{url, enabled}` for `enforce_admins` or `required_signatures`.
    pub(crate) fn flag_json(&self, ctx: &Ctx, branch: &str, which: &str, on: bool) -> Value {
        json!({"url": format!("{}/{which}", self.protection_url(ctx, branch)), "enabled": on})
    }

    /// Renders the GET (`branch-protection`) and PUT (`protected-branch`) shape: disabled
    /// sections are omitted.
    pub(crate) fn protection_json(&self, ctx: &Ctx, branch: &str, p: &Protection) -> Value {
        let purl = self.protection_url(ctx, branch);
        let mut v = json!({
            "url": purl,
            "required_signatures": self.flag_json(ctx, branch, "required_signatures", p.signatures),
            "enforce_admins": self.flag_json(ctx, branch, "enforce_admins", p.enforce_admins),
            "required_linear_history": {"enabled": p.linear_history},
            "allow_force_pushes": {"enabled": p.force_pushes},
            "allow_deletions": {"enabled": p.deletions},
            "block_creations": {"enabled": p.block_creations},
            "required_conversation_resolution": {"enabled": p.conversation_resolution},
            "lock_branch": {"enabled": p.lock_branch},
            "allow_fork_syncing": {"enabled": p.fork_syncing},
        });
        if let Some(s) = &p.status_checks {
            v["required_status_checks"] = self.status_checks_json(ctx, branch, s);
        }
        if let Some(r) = &p.reviews {
            v["required_pull_request_reviews"] = self.reviews_json(ctx, branch, r);
        }
        if let Some(r) = &p.restrictions {
            let rurl = format!("{purl}/restrictions");
            v["restrictions"] = json!({
                "url": rurl,
                "users_url": format!("{rurl}/users"),
                "teams_url": format!("{rurl}/teams"),
                "apps_url": format!("{rurl}/apps"),
                "users": self.user_objs(ctx, &r.users),
                "teams": self.team_objs(ctx, &r.teams),
                "apps": self.app_objs(ctx, &r.apps),
            });
        }
        v
    }

    /// Renders the summary `protection` carried by branch objects.
    pub(crate) fn protection_summary(b: &Branch) -> Value {
        let Some(p) = &b.protection else {
            return json!({"enabled": false, "required_status_checks": {
                "enforcement_level": "off", "contexts": [], "checks": []}});
        };
        let (contexts, checks): (Vec<_>, Vec<_>) = p
            .status_checks
            .as_ref()
            .map(|s| {
                s.checks
                    .iter()
                    .map(|(c, a)| (json!(c), json!({"context": c, "app_id": a})))
                    .unzip()
            })
            .unwrap_or_default();
        let level = match (&p.status_checks, p.enforce_admins) {
            (None, _) => "off",
            (Some(_), true) => "everyone",
            (Some(_), false) => "non_admins",
        };
        json!({"enabled": true, "required_status_checks": {
            "enforcement_level": level, "contexts": contexts, "checks": checks}})
    }

    /// Renders `short-branch`.
    pub(crate) fn short_branch_json(&self, ctx: &Ctx, name: &str, b: &Branch) -> Value {
        json!({
            "name": name,
            "commit": {"sha": b.sha, "url": format!("{}/commits/{}", self.repo_url(ctx), b.sha)},
            "protected": b.protection.is_some(),
            "protection": Self::protection_summary(b),
            "protection_url": self.protection_url(ctx, name),
        })
    }

    /// Renders `branch-with-protection`.
    pub(crate) fn branch_json(&self, ctx: &Ctx, name: &str, b: &Branch) -> Value {
        let mut v = json!({
            "name": name,
            "commit": render::commit(ctx, &self.repo, &b.sha),
            "_links": {
                "self": format!("{}/branches/{name}", self.repo_url(ctx)),
                "html": format!("https://github.com/{}/{}/tree/{name}", self.repo.owner, self.repo.name),
            },
            "protected": b.protection.is_some(),
            "protection": Self::protection_summary(b),
            "protection_url": self.protection_url(ctx, name),
        });
        if let Some(r) = b.protection.as_ref().and_then(|p| p.reviews.as_ref()) {
            v["required_approving_review_count"] = json!(r.count);
        }
        v
    }
}
