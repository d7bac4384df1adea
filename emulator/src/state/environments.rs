//! Deployment environments, their branch policies, secrets and variables.

use std::collections::BTreeMap;

use crypto_box::SecretKey;
use serde_json::{Map, Value, json};

use super::{Reply, Repo, Res, bool_at, docs, error, not_found, pct};
use crate::render::{self, Ctx};

/// A custom deployment branch policy.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    pub id: u64,
    pub name: String,
    pub kind: String,
}

/// A stored secret: the sealed box as sent, and timestamps.
#[derive(Debug, Clone)]
pub(crate) struct Secret {
    pub sealed: Vec<u8>,
    pub created: String,
    pub updated: String,
}

/// A stored variable.
#[derive(Debug, Clone)]
pub(crate) struct Variable {
    pub value: String,
    pub created: String,
    pub updated: String,
}

/// A deployment environment.
pub(crate) struct Env {
    pub id: u64,
    pub name: String,
    pub created: String,
    pub updated: String,
    pub wait_timer: u64,
    pub prevent_self_review: bool,
    /// `("User" | "Team", id)`.
    pub reviewers: Vec<(String, u64)>,
    pub can_admins_bypass: bool,
    pub dbp: Option<(bool, bool)>,
    pub policies: Vec<Policy>,
    pub secrets: BTreeMap<String, Secret>,
    pub variables: BTreeMap<String, Variable>,
    pub key: SecretKey,
    pub key_id: String,
}

impl Repo {
    /// Returns the stored name of an environment (names are case-insensitive).
    pub(crate) fn env_key(&self, name: &str) -> Option<String> {
        self.envs
            .keys()
            .find(|k| k.eq_ignore_ascii_case(name))
            .cloned()
    }

    /// Returns the environment or 404.
    pub(crate) fn env(&self, name: &str) -> Result<&Env, Reply> {
        self.env_key(name)
            .and_then(|k| self.envs.get(&k))
            .ok_or_else(not_found)
    }

    pub(crate) fn env_mut(&mut self, name: &str) -> Result<&mut Env, Reply> {
        let k = self.env_key(name).ok_or_else(not_found)?;
        self.envs.get_mut(&k).ok_or_else(not_found)
    }

    /// `PUT .../environments/{name}` with a schema-valid body (or none). Omitted keys keep
    /// their value; `null` clears reviewers and the deployment branch policy.
    pub(crate) fn put_environment(
        &mut self,
        name: &str,
        body: Option<&Value>,
    ) -> Result<(), Reply> {
        let o = body.and_then(Value::as_object).cloned().unwrap_or_default();
        let bad = |m: &str| error(422, m, docs::ENV);
        if name.is_empty() || name.len() > 255 {
            return Err(bad("Validation Failed: name is invalid"));
        }
        let wait_timer = match o.get("wait_timer") {
            Some(v) => {
                let w = v.as_u64().filter(|w| *w <= 43_200);
                Some(w.ok_or_else(|| {
                    bad("Validation Failed: wait_timer must be an integer between 0 and 43200")
                })?)
            }
            None => None,
        };
        let reviewers = match o.get("reviewers") {
            None => None,
            Some(Value::Null) => Some(Vec::new()),
            Some(Value::Array(rs)) => {
                if rs.len() > 6 {
                    return Err(bad(
                        "Validation Failed: reviewers: a maximum of 6 reviewers is allowed",
                    ));
                }
                let mut out = Vec::new();
                for r in rs {
                    let kind = r.get("type").and_then(Value::as_str).unwrap_or("");
                    let id = r.get("id").and_then(Value::as_u64).unwrap_or(0);
                    let known = match kind {
                        "User" => self.dir.users.iter().any(|u| u.id == id),
                        "Team" => self.dir.teams.iter().any(|t| t.id == id),
                        _ => false,
                    };
                    if !known {
                        return Err(bad(&format!(
                            "Validation Failed: reviewer {kind} {id} does not exist or has no access"
                        )));
                    }
                    if !out.contains(&(kind.to_owned(), id)) {
                        out.push((kind.to_owned(), id));
                    }
                }
                Some(out)
            }
            Some(_) => return Err(bad("Validation Failed: reviewers must be an array")),
        };
        let dbp = match o.get("deployment_branch_policy") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(d) => {
                let p = bool_at(d.as_object().unwrap_or(&Map::new()), "protected_branches");
                let c = d
                    .get("custom_branch_policies")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if p == c {
                    return Err(bad(
                        "Validation Failed: protected_branches and custom_branch_policies cannot have the same value",
                    ));
                }
                Some(Some((p, c)))
            }
        };
        let now = render::now_iso();
        let key = if let Some(k) = self.env_key(name) {
            k
        } else {
            let id = self.next();
            let env = self.new_env(id, name, &now);
            self.envs.insert(name.to_owned(), env);
            name.to_owned()
        };
        let Some(e) = self.envs.get_mut(&key) else {
            return Err(not_found());
        };
        if let Some(w) = wait_timer {
            e.wait_timer = w;
        }
        if let Some(b) = o.get("prevent_self_review").and_then(Value::as_bool) {
            e.prevent_self_review = b;
        }
        if let Some(b) = o.get("can_admins_bypass").and_then(Value::as_bool) {
            e.can_admins_bypass = b;
        }
        if let Some(r) = reviewers {
            e.reviewers = r;
        }
        if let Some(d) = dbp {
            e.dbp = d;
            if !matches!(d, Some((_, true))) {
                // Policies exist only while custom_branch_policies is true.
                e.policies.clear();
            }
        }
        e.updated = now;
        Ok(())
    }

    fn new_env(&mut self, id: u64, name: &str, now: &str) -> Env {
        let key = SecretKey::generate(&mut crypto_box::aead::OsRng);
        let key_id = format!(
            "{}",
            3_380_204_578_043_523_366_u64.wrapping_add(self.next())
        );
        Env {
            id,
            name: name.to_owned(),
            created: now.to_owned(),
            updated: now.to_owned(),
            wait_timer: 0,
            prevent_self_review: false,
            reviewers: Vec::new(),
            can_admins_bypass: true,
            dbp: None,
            policies: Vec::new(),
            secrets: BTreeMap::new(),
            variables: BTreeMap::new(),
            key,
            key_id,
        }
    }

    /// `DELETE .../environments/{name}`.
    pub(crate) fn delete_environment(&mut self, name: &str) -> Res {
        let k = self.env_key(name).ok_or_else(not_found)?;
        self.envs.remove(&k);
        Ok(Reply::empty(204))
    }

    /// Renders `environment` (with the undocumented `can_admins_bypass`, github-api/QUIRKS.md 31).
    pub(crate) fn env_json(&self, ctx: &Ctx, e: &Env) -> Value {
        let mut rules = Vec::new();
        if e.wait_timer > 0 {
            rules.push(
                json!({"id": e.id * 10 + 1, "node_id": render::node_id("GA", e.id * 10 + 1),
                "type": "wait_timer", "wait_timer": e.wait_timer}),
            );
        }
        if !e.reviewers.is_empty() {
            let reviewers: Vec<Value> = e
                .reviewers
                .iter()
                .filter_map(|(kind, id)| {
                    let reviewer = if kind == "User" {
                        let u = self.dir.users.iter().find(|u| u.id == *id)?;
                        render::simple_user(ctx, &u.login, u.id, "User")
                    } else {
                        let t = self.dir.teams.iter().find(|t| t.id == *id)?;
                        render::team(ctx, &self.dir.org_account(), t)
                    };
                    Some(json!({"type": kind, "reviewer": reviewer}))
                })
                .collect();
            rules.push(
                json!({"id": e.id * 10 + 2, "node_id": render::node_id("GA", e.id * 10 + 2),
                "type": "required_reviewers", "prevent_self_review": e.prevent_self_review,
                "reviewers": reviewers}),
            );
        }
        if e.dbp.is_some() {
            rules.push(
                json!({"id": e.id * 10 + 3, "node_id": render::node_id("GA", e.id * 10 + 3),
                "type": "branch_policy"}),
            );
        }
        json!({
            "id": e.id,
            "node_id": render::node_id("EN", e.id),
            "name": e.name,
            "url": format!("{}/environments/{}", self.repo_url(ctx), pct(&e.name)),
            "html_url": format!("https://github.com/{}/{}/deployments/activity_log?environments_filter={}",
                self.repo.owner, self.repo.name, pct(&e.name)),
            "created_at": e.created,
            "updated_at": e.updated,
            "can_admins_bypass": e.can_admins_bypass,
            "protection_rules": rules,
            "deployment_branch_policy": e.dbp.map(|(p, c)| json!({
                "protected_branches": p, "custom_branch_policies": c})),
        })
    }

    /// `POST .../deployment-branch-policies`: 200, 303 for a duplicate, 404 when custom
    /// policies are off.
    pub(crate) fn create_policy(
        &mut self,
        env: &str,
        name: &str,
        kind: &str,
    ) -> Result<u64, Reply> {
        let e = self.env(env)?;
        if !matches!(e.dbp, Some((_, true))) {
            return Err(not_found());
        }
        if let Some(p) = e.policies.iter().find(|p| p.name == name && p.kind == kind) {
            let mut r = Reply::empty(303);
            r.headers
                .push(("x-existing-policy-id".into(), p.id.to_string()));
            return Err(r);
        }
        let id = self.next();
        let e = self.env_mut(env)?;
        e.policies.push(Policy {
            id,
            name: name.to_owned(),
            kind: kind.to_owned(),
        });
        Ok(id)
    }

    /// Finds a policy by id.
    pub(crate) fn policy(&self, env: &str, id: u64) -> Result<&Policy, Reply> {
        self.env(env)?
            .policies
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(not_found)
    }

    /// `PUT .../deployment-branch-policies/{id}`.
    pub(crate) fn rename_policy(&mut self, env: &str, id: u64, name: &str) -> Result<(), Reply> {
        let e = self.env_mut(env)?;
        let p = e
            .policies
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(not_found)?;
        name.clone_into(&mut p.name);
        Ok(())
    }

    /// `DELETE .../deployment-branch-policies/{id}`.
    pub(crate) fn delete_policy(&mut self, env: &str, id: u64) -> Res {
        let e = self.env_mut(env)?;
        let before = e.policies.len();
        e.policies.retain(|p| p.id != id);
        if e.policies.len() == before {
            return Err(not_found());
        }
        Ok(Reply::empty(204))
    }
}
