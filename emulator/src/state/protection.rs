//! Classic branch protection: the stored shape and every write to it.

use serde_json::{Map, Value, json};

use super::{Reply, Repo, Res, bool_at, docs, error, invalid_simple, strings};

/// Users, teams and apps named by a PUT body.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Actors {
    pub users: Vec<String>,
    pub teams: Vec<String>,
    pub apps: Vec<String>,
}

impl Actors {
    fn is_empty(&self) -> bool {
        self.users.is_empty() && self.teams.is_empty() && self.apps.is_empty()
    }
}

/// Required status checks: strict flag and `(context, app_id)`; `None` means any app.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatusChecks {
    pub strict: bool,
    pub checks: Vec<(String, Option<i64>)>,
}

/// Required pull request reviews.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reviews {
    pub dismiss_stale: bool,
    pub code_owners: bool,
    pub count: u64,
    pub last_push: bool,
    pub dismissal: Option<Actors>,
    pub bypass: Option<Actors>,
}

/// Classic branch protection as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Protection {
    pub status_checks: Option<StatusChecks>,
    pub enforce_admins: bool,
    pub reviews: Option<Reviews>,
    pub restrictions: Option<Actors>,
    pub linear_history: bool,
    pub force_pushes: bool,
    pub deletions: bool,
    pub block_creations: bool,
    pub conversation_resolution: bool,
    pub lock_branch: bool,
    pub fork_syncing: bool,
    pub signatures: bool,
}

/// A branch.
#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub sha: String,
    pub protection: Option<Protection>,
}

impl Repo {
    /// Returns the branch or the "Branch not found" 404.
    pub(crate) fn branch(&self, name: &str) -> Result<&Branch, Reply> {
        self.branches
            .get(name)
            .ok_or_else(|| error(404, "Branch not found", docs::BRANCH))
    }

    /// Returns the branch's protection or the right 404.
    pub(crate) fn protection(&self, name: &str) -> Result<&Protection, Reply> {
        self.branch(name)?
            .protection
            .as_ref()
            .ok_or_else(|| error(404, "Branch not protected", docs::PROTECTION))
    }

    fn protection_mut(&mut self, name: &str) -> Result<&mut Protection, Reply> {
        let b = self
            .branches
            .get_mut(name)
            .ok_or_else(|| error(404, "Branch not found", docs::BRANCH))?;
        b.protection
            .as_mut()
            .ok_or_else(|| error(404, "Branch not protected", docs::PROTECTION))
    }

    /// Resolves logins/slugs; unknown names give 422, users without write access are dropped
    /// when `drop_readers`.
    fn actors(&self, v: Option<&Value>, drop_readers: bool) -> Result<Actors, Reply> {
        let Some(o) = v.and_then(Value::as_object) else {
            return Ok(Actors::default());
        };
        let mut out = Actors::default();
        let mut bad = Vec::new();
        for login in strings(o.get("users")) {
            match self.user(&login) {
                Some(u) if u.write_access || !drop_readers => out.users.push(u.login.clone()),
                Some(_) => {}
                None => bad.push(format!("User {login} does not exist")),
            }
        }
        for slug in strings(o.get("teams")) {
            match self.team(&slug) {
                Some(t) => out.teams.push(t.slug.clone()),
                None => bad.push(format!("Team {slug} does not exist")),
            }
        }
        for slug in strings(o.get("apps")) {
            match self.app(&slug) {
                Some(a) => out.apps.push(a.slug.clone()),
                None => bad.push(format!("App {slug} does not exist")),
            }
        }
        if bad.is_empty() {
            Ok(out)
        } else {
            Err(invalid_simple(
                "Validation Failed",
                &bad,
                docs::UPDATE_PROTECTION,
            ))
        }
    }

    fn status_checks_from(o: &Map<String, Value>, strict_default: bool) -> StatusChecks {
        let strict = o
            .get("strict")
            .and_then(Value::as_bool)
            .unwrap_or(strict_default);
        let checks = if let Some(Value::Array(cs)) = o.get("checks") {
            cs.iter()
                .filter_map(|c| {
                    let ctx = c.get("context")?.as_str()?.to_owned();
                    // -1 means any app; omitted means "auto-select": kept simple as any app.
                    let app = c
                        .get("app_id")
                        .and_then(Value::as_i64)
                        .filter(|id| *id >= 0);
                    Some((ctx, app))
                })
                .collect()
        } else {
            strings(o.get("contexts"))
                .into_iter()
                .map(|c| (c, None))
                .collect()
        };
        StatusChecks { strict, checks }
    }

    fn reviews_from(&self, o: &Map<String, Value>) -> Result<Reviews, Reply> {
        let count = o
            .get("required_approving_review_count")
            .and_then(Value::as_u64)
            .unwrap_or(1);
        if count > 6 {
            return Err(invalid_simple(
                "Invalid request.\n\nrequired_approving_review_count must be between 0 and 6.",
                &["required_approving_review_count must be between 0 and 6".to_owned()],
                docs::UPDATE_PROTECTION,
            ));
        }
        let dismissal_raw = o.get("dismissal_restrictions");
        if !self.is_org()
            && dismissal_raw.and_then(Value::as_object).is_some_and(|d| {
                !strings(d.get("users")).is_empty() || !strings(d.get("teams")).is_empty()
            })
        {
            return Err(invalid_simple(
                "Validation Failed",
                &[
                    "Only organization repositories can have users and team restrictions"
                        .to_owned(),
                ],
                docs::UPDATE_PROTECTION,
            ));
        }
        let dismissal = self.actors(dismissal_raw, false)?;
        let bypass = self.actors(o.get("bypass_pull_request_allowances"), false)?;
        Ok(Reviews {
            dismiss_stale: bool_at(o, "dismiss_stale_reviews"),
            code_owners: bool_at(o, "require_code_owner_reviews"),
            count,
            last_push: bool_at(o, "require_last_push_approval"),
            dismissal: (!dismissal.is_empty()).then_some(dismissal),
            bypass: (!bypass.is_empty()).then_some(bypass),
        })
    }

    /// `PUT .../branches/{branch}/protection` with a schema-valid body.
    pub(crate) fn put_protection(&mut self, branch: &str, body: &Value) -> Result<(), Reply> {
        let previous = self.branch(branch)?.protection.clone();
        let o = body.as_object().cloned().unwrap_or_default();
        let status_checks = match o.get("required_status_checks") {
            Some(Value::Object(r)) => {
                let has = |k| r.get(k).is_some();
                if has("contexts") && has("checks") {
                    return Err(one_of_error(true));
                }
                if !has("contexts") && !has("checks") {
                    return Err(one_of_error(false));
                }
                Some(Self::status_checks_from(r, false))
            }
            _ => None,
        };
        let reviews = match o.get("required_pull_request_reviews") {
            Some(Value::Object(r)) => Some(self.reviews_from(r)?),
            _ => None,
        };
        let restrictions =
            match o.get("restrictions") {
                Some(v @ Value::Object(_)) => {
                    if !self.is_org() {
                        return Err(invalid_simple(
                        "Validation Failed",
                        &["Only organization repositories can have users and team restrictions"
                            .to_owned()],
                        docs::UPDATE_PROTECTION,
                    ));
                    }
                    Some(self.actors(Some(v), true)?)
                }
                _ => None,
            };
        let p = Protection {
            status_checks,
            enforce_admins: bool_at(&o, "enforce_admins"),
            reviews,
            restrictions,
            linear_history: bool_at(&o, "required_linear_history"),
            force_pushes: bool_at(&o, "allow_force_pushes"),
            deletions: bool_at(&o, "allow_deletions"),
            block_creations: bool_at(&o, "block_creations"),
            conversation_resolution: bool_at(&o, "required_conversation_resolution"),
            lock_branch: bool_at(&o, "lock_branch"),
            fork_syncing: bool_at(&o, "allow_fork_syncing"),
            // PUT does not carry required_signatures: an existing setting is kept.
            signatures: previous.is_some_and(|p| p.signatures),
        };
        if let Some(b) = self.branches.get_mut(branch) {
            b.protection = Some(p);
        }
        Ok(())
    }

    /// `DELETE .../protection`.
    pub(crate) fn delete_protection(&mut self, branch: &str) -> Res {
        self.protection(branch)?;
        if let Some(b) = self.branches.get_mut(branch) {
            b.protection = None;
        }
        Ok(Reply::empty(204))
    }

    /// `PATCH .../protection/required_status_checks`.
    pub(crate) fn patch_status_checks(&mut self, branch: &str, body: &Value) -> Result<(), Reply> {
        let p = self.protection_mut(branch)?;
        let o = body.as_object().cloned().unwrap_or_default();
        let current = p.status_checks.clone().unwrap_or(StatusChecks {
            strict: false,
            checks: Vec::new(),
        });
        let mut next = Self::status_checks_from(&o, current.strict);
        if !o.contains_key("checks") && !o.contains_key("contexts") {
            next.checks = current.checks;
        }
        p.status_checks = Some(next);
        Ok(())
    }

    /// `DELETE .../protection/required_status_checks`.
    pub(crate) fn delete_status_checks(&mut self, branch: &str) -> Res {
        self.protection_mut(branch)?.status_checks = None;
        Ok(Reply::empty(204))
    }

    /// `PATCH .../protection/required_pull_request_reviews`.
    pub(crate) fn patch_reviews(&mut self, branch: &str, body: &Value) -> Result<(), Reply> {
        let current = self.protection(branch)?.reviews.clone();
        let mut merged = Map::new();
        if let Some(r) = &current {
            merged.insert("dismiss_stale_reviews".into(), json!(r.dismiss_stale));
            merged.insert("require_code_owner_reviews".into(), json!(r.code_owners));
            merged.insert("required_approving_review_count".into(), json!(r.count));
            merged.insert("require_last_push_approval".into(), json!(r.last_push));
            for (k, a) in [
                ("dismissal_restrictions", &r.dismissal),
                ("bypass_pull_request_allowances", &r.bypass),
            ] {
                if let Some(a) = a {
                    merged.insert(
                        k.into(),
                        json!({"users": a.users, "teams": a.teams, "apps": a.apps}),
                    );
                }
            }
        }
        if let Some(o) = body.as_object() {
            for (k, v) in o {
                merged.insert(k.clone(), v.clone());
            }
        }
        let reviews = self.reviews_from(&merged)?;
        self.protection_mut(branch)?.reviews = Some(reviews);
        Ok(())
    }

    /// `DELETE .../protection/required_pull_request_reviews`.
    pub(crate) fn delete_reviews(&mut self, branch: &str) -> Res {
        let p = self.protection_mut(branch)?;
        if p.reviews.take().is_none() {
            return Err(error(
                404,
                "Required pull request reviews not enabled",
                docs::PROTECTION,
            ));
        }
        Ok(Reply::empty(204))
    }

    /// `POST`/`DELETE .../protection/enforce_admins`.
    pub(crate) fn set_enforce_admins(&mut self, branch: &str, on: bool) -> Result<(), Reply> {
        let p = self.protection_mut(branch)?;
        if !on && !p.enforce_admins {
            return Err(error(404, "Enforce admins not enabled", docs::PROTECTION));
        }
        p.enforce_admins = on;
        Ok(())
    }

    /// `POST`/`DELETE .../protection/required_signatures`.
    pub(crate) fn set_signatures(&mut self, branch: &str, on: bool) -> Result<(), Reply> {
        self.protection_mut(branch)?.signatures = on;
        Ok(())
    }
}

/// Returns the live 422 for the `contexts`/`checks` rule (github-api/QUIRKS.md 22).
pub(crate) fn one_of_error(both: bool) -> Reply {
    let m = if both {
        "Invalid request.\n\nMore than one subschema in \"oneOf\" matched."
    } else {
        "Invalid request.\n\nNo subschema in \"oneOf\" matched."
    };
    let e = m.trim_start_matches("Invalid request.\n\n").to_owned();
    invalid_simple(m, &[e], docs::UPDATE_PROTECTION)
}
