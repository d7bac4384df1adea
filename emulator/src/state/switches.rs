//! A repository's merge settings, security features and Actions permissions (github-api/QUIRKS.md
//! 58–61): what each endpoint answers, what a write changes, and what GitHub refuses for the
//! repository's plan, visibility or an organisation policy.

use serde_json::{Map, Value, json};

use super::{Reply, Repo, Res, docs, error};
use crate::render::Ctx;
use crate::seed::SettingsSeed;

/// The merge keys `PATCH /repos/{o}/{r}` may change, as booleans.
const MERGE_FLAGS: [&str; 7] = [
    "allow_merge_commit",
    "allow_squash_merge",
    "allow_rebase_merge",
    "allow_auto_merge",
    "delete_branch_on_merge",
    "allow_update_branch",
    "web_commit_signoff_required",
];

/// The merge keys `PATCH /repos/{o}/{r}` may change, as GitHub's enum strings.
const MERGE_TEXTS: [&str; 4] = [
    "squash_merge_commit_title",
    "squash_merge_commit_message",
    "merge_commit_title",
    "merge_commit_message",
];

fn flag<'a>(s: &'a mut SettingsSeed, key: &str) -> Option<&'a mut bool> {
    Some(match key {
        "allow_merge_commit" => &mut s.allow_merge_commit,
        "allow_squash_merge" => &mut s.allow_squash_merge,
        "allow_rebase_merge" => &mut s.allow_rebase_merge,
        "allow_auto_merge" => &mut s.allow_auto_merge,
        "delete_branch_on_merge" => &mut s.delete_branch_on_merge,
        "allow_update_branch" => &mut s.allow_update_branch,
        "web_commit_signoff_required" => &mut s.web_commit_signoff_required,
        "secret_scanning" => &mut s.secret_scanning,
        "secret_scanning_push_protection" => &mut s.push_protection,
        _ => return None,
    })
}

fn text<'a>(s: &'a mut SettingsSeed, key: &str) -> Option<&'a mut String> {
    Some(match key {
        "squash_merge_commit_title" => &mut s.squash_merge_commit_title,
        "squash_merge_commit_message" => &mut s.squash_merge_commit_message,
        "merge_commit_title" => &mut s.merge_commit_title,
        "merge_commit_message" => &mut s.merge_commit_message,
        _ => return None,
    })
}

/// The seed key of a `security_and_analysis` feature, for `unavailable`.
fn seed_key(feature: &str) -> &str {
    match feature {
        "secret_scanning_push_protection" => "push_protection",
        other => other,
    }
}

fn status(on: bool) -> Value {
    json!({ "status": if on { "enabled" } else { "disabled" } })
}

impl Repo {
    fn offers(&self, key: &str) -> bool {
        !self.repo.settings.unavailable.iter().any(|k| k == key)
    }

    /// Adds the merge settings, and for admins `security_and_analysis` (only the features
    /// the repository's plan and visibility offer), to `full-repository`.
    pub(crate) fn add_switches(&self, v: &mut Value, admin: bool) {
        let mut s = self.repo.settings.clone();
        let Some(o) = v.as_object_mut() else {
            return;
        };
        for key in MERGE_FLAGS {
            if let Some(on) = flag(&mut s, key) {
                o.insert(key.to_owned(), Value::Bool(*on));
            }
        }
        for key in MERGE_TEXTS {
            if let Some(t) = text(&mut s, key) {
                o.insert(key.to_owned(), Value::String(t.clone()));
            }
        }
        if admin {
            let mut analysis = Map::new();
            for (key, on) in [
                ("secret_scanning", s.secret_scanning),
                ("secret_scanning_push_protection", s.push_protection),
            ] {
                if self.offers(seed_key(key)) {
                    analysis.insert(key.to_owned(), status(on));
                }
            }
            o.insert("security_and_analysis".to_owned(), Value::Object(analysis));
        }
    }

    /// `PATCH /repos/{o}/{r}`: only the keys sent change; a security feature the repository
    /// does not offer is refused (422) and nothing changes.
    pub(crate) fn patch_repository(&mut self, body: &Value) -> Result<(), Reply> {
        let mut next = self.repo.settings.clone();
        let o = body.as_object().cloned().unwrap_or_default();
        for (key, value) in &o {
            if let (Some(slot), Some(on)) = (flag(&mut next, key), value.as_bool()) {
                *slot = on;
            } else if let (Some(slot), Some(t)) = (text(&mut next, key), value.as_str()) {
                t.clone_into(slot);
            }
        }
        if let Some(Value::Object(analysis)) = o.get("security_and_analysis") {
            for (feature, value) in analysis {
                let on = value.get("status").and_then(Value::as_str) == Some("enabled");
                if !self.offers(seed_key(feature)) {
                    return Err(error(
                        422,
                        &format!(
                            "{} is not available for this repository.",
                            feature.replace('_', " ")
                        ),
                        docs::REST,
                    ));
                }
                if let Some(slot) = flag(&mut next, feature) {
                    *slot = on;
                }
            }
        }
        if !(next.allow_merge_commit || next.allow_squash_merge || next.allow_rebase_merge) {
            return Err(error(
                422,
                "Validation Failed: at least one merge method must be allowed",
                docs::REST,
            ));
        }
        self.repo.settings = next;
        Ok(())
    }

    /// The security endpoints with their own shapes (github-api/QUIRKS.md 60).
    pub(crate) fn security_switch(&mut self, segment: &str, method: &str) -> Res {
        let s = &mut self.repo.settings;
        let unavailable = |key: &str| s.unavailable.iter().any(|k| k == key);
        match (segment, method) {
            ("vulnerability-alerts", "GET") if s.dependabot_alerts => Ok(Reply::empty(204)),
            ("vulnerability-alerts", "GET") => Err(error(404, "Not Found", docs::REST)),
            ("vulnerability-alerts", on) => {
                s.dependabot_alerts = on == "PUT";
                if !s.dependabot_alerts {
                    s.dependabot_security_updates = false;
                }
                Ok(Reply::empty(204))
            }
            ("automated-security-fixes", "GET") if s.dependabot_alerts => Ok(Reply::json(
                200,
                json!({"enabled": s.dependabot_security_updates, "paused": false}),
            )),
            ("automated-security-fixes", "GET") => Err(error(404, "Not Found", docs::REST)),
            ("automated-security-fixes", "PUT") if !s.dependabot_alerts => Err(error(
                422,
                "Vulnerability alerts must be enabled to enable automated security fixes.",
                docs::REST,
            )),
            ("automated-security-fixes", on) => {
                s.dependabot_security_updates = on == "PUT";
                Ok(Reply::empty(204))
            }
            ("private-vulnerability-reporting", _)
                if unavailable("private_vulnerability_reporting") =>
            {
                Err(error(
                    422,
                    "Private vulnerability reporting is not available for this repository.",
                    docs::REST,
                ))
            }
            ("private-vulnerability-reporting", "GET") => Ok(Reply::json(
                200,
                json!({"enabled": s.private_vulnerability_reporting}),
            )),
            ("private-vulnerability-reporting", on) => {
                s.private_vulnerability_reporting = on == "PUT";
                Ok(Reply::empty(204))
            }
            ("immutable-releases", "GET") if s.immutable_releases => Ok(Reply::json(
                200,
                json!({"enabled": true, "enforced_by_owner": s.immutable_releases_enforced}),
            )),
            ("immutable-releases", "GET") => Err(error(404, "Not Found", docs::REST)),
            ("immutable-releases", "DELETE") if s.immutable_releases_enforced => Err(error(
                409,
                "Immutable releases are enforced by the repository owner.",
                docs::REST,
            )),
            ("immutable-releases", on) => {
                s.immutable_releases = on == "PUT";
                Ok(Reply::empty(204))
            }
            _ => Err(error(404, "Not Found", docs::REST)),
        }
    }

    /// `GET …/code-security-configuration`: 204 when none is attached.
    pub(crate) fn configuration_json(&self, ctx: &Ctx) -> Reply {
        let Some(name) = &self.repo.settings.code_security_configuration else {
            return Reply::empty(204);
        };
        let owner = &self.repo.owner;
        Reply::json(
            200,
            json!({
                "status": "attached",
                "configuration": {
                    "id": 1325,
                    "target_type": "organization",
                    "name": name,
                    "description": format!("{name} of {owner}"),
                    "enforcement": "enforced",
                    "url": format!("{}/orgs/{owner}/code-security/configurations/1325", ctx.api),
                    "html_url": format!("https://github.com/organizations/{owner}/settings/security_products/configurations/edit/1325"),
                    "created_at": self.created,
                    "updated_at": self.created,
                }
            }),
        )
    }
}
