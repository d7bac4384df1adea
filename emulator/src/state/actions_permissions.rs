//! A repository's GitHub Actions permissions (github-api/QUIRKS.md 61):
//! `…/actions/permissions`, its `selected-actions` (only while `allowed_actions` is
//! `selected`) and `workflow`. An organisation policy can forbid a value: 409, nothing
//! changed.

use serde_json::{Value, json};

use super::{Reply, Repo, Res, docs, error};
use crate::render::Ctx;

const DOC: &str = "https://docs.github.com/rest/actions/permissions";

impl Repo {
    /// Refuses a body that sets a value the organisation forbids.
    fn forbidden_by_org(&self, body: &Value) -> Result<(), Reply> {
        let Some(o) = body.as_object() else {
            return Ok(());
        };
        for (key, value) in o {
            let written = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            if self
                .repo
                .settings
                .org_forbids
                .iter()
                .any(|f| *f == format!("{key}={written}"))
            {
                return Err(error(
                    409,
                    &format!(
                        "Conflict: the organization's policy does not allow {key} `{written}` for this repository."
                    ),
                    DOC,
                ));
            }
        }
        Ok(())
    }

    /// The Actions permission endpoints.
    pub(crate) fn actions_permissions(
        &mut self,
        ctx: &Ctx,
        part: &str,
        method: &str,
        body: &Value,
    ) -> Res {
        if method == "PUT" {
            self.forbidden_by_org(body)?;
        }
        let s = &mut self.repo.settings;
        let selected = s.allowed_actions == "selected";
        match (part, method) {
            ("", "GET") => {
                let mut v = json!({
                    "enabled": s.actions_enabled,
                    "sha_pinning_required": s.sha_pinning_required,
                });
                if s.actions_enabled {
                    v["allowed_actions"] = json!(s.allowed_actions);
                }
                if s.actions_enabled && selected {
                    v["selected_actions_url"] = json!(format!(
                        "{}/repos/{}/{}/actions/permissions/selected-actions",
                        ctx.api, self.repo.owner, self.repo.name
                    ));
                }
                Ok(Reply::json(200, v))
            }
            ("", _) => {
                if let Some(on) = body.get("enabled").and_then(Value::as_bool) {
                    s.actions_enabled = on;
                }
                if let Some(a) = body.get("allowed_actions").and_then(Value::as_str) {
                    a.clone_into(&mut s.allowed_actions);
                }
                if let Some(on) = body.get("sha_pinning_required").and_then(Value::as_bool) {
                    s.sha_pinning_required = on;
                }
                Ok(Reply::empty(204))
            }
            ("selected-actions", _) if !selected => Err(error(
                409,
                "Conflict: allowed actions must be set to selected first.",
                DOC,
            )),
            ("selected-actions", "GET") => Ok(Reply::json(
                200,
                json!({
                    "github_owned_allowed": s.github_owned_allowed,
                    "verified_allowed": s.verified_allowed,
                    "patterns_allowed": s.patterns_allowed,
                }),
            )),
            ("selected-actions", _) => {
                if let Some(on) = body.get("github_owned_allowed").and_then(Value::as_bool) {
                    s.github_owned_allowed = on;
                }
                if let Some(on) = body.get("verified_allowed").and_then(Value::as_bool) {
                    s.verified_allowed = on;
                }
                if body.get("patterns_allowed").is_some() {
                    s.patterns_allowed = super::strings(body.get("patterns_allowed"));
                }
                Ok(Reply::empty(204))
            }
            ("workflow", "GET") => Ok(Reply::json(
                200,
                json!({
                    "default_workflow_permissions": s.default_workflow_permissions,
                    "can_approve_pull_request_reviews": s.can_approve_pull_request_reviews,
                }),
            )),
            ("workflow", _) => {
                if let Some(p) = body
                    .get("default_workflow_permissions")
                    .and_then(Value::as_str)
                {
                    p.clone_into(&mut s.default_workflow_permissions);
                }
                if let Some(on) = body
                    .get("can_approve_pull_request_reviews")
                    .and_then(Value::as_bool)
                {
                    s.can_approve_pull_request_reviews = on;
                }
                Ok(Reply::empty(204))
            }
            _ => Err(error(404, "Not Found", docs::REST)),
        }
    }
}
