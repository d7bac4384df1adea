//! Rulesets of repositories and of the organisation: validation, partial updates and the
//! version history.
//!
//! A ruleset is stored as sent, plus what GitHub adds when
//! [`crate::seed::Realism::fill_defaults`] is on (see `rulesets_defaults.rs`);
//! [`crate::seed::Realism::order`] is applied when it is rendered (see `rulesets_json.rs`).

use serde_json::{Value, json};

use super::rulesets_defaults::{fill_bypass_actors, fill_defaults};
use super::{Reply, Res, World, error};
use crate::render;

/// Documentation link of ruleset errors.
pub(crate) const DOC: &str = "https://docs.github.com/rest/repos/rules";
/// Documentation link of organisation ruleset errors.
pub(crate) const ORG_DOC: &str = "https://docs.github.com/rest/orgs/rules";

/// Where a ruleset lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// A repository, by index in [`World::repos`].
    Repo(usize),
    /// The organisation.
    Org,
}

/// The fields of a ruleset at one moment.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    pub id: u64,
    pub name: String,
    pub target: String,
    pub enforcement: String,
    pub bypass_actors: Vec<Value>,
    pub conditions: Option<Value>,
    pub rules: Vec<Value>,
    pub created: String,
    pub updated: String,
}

/// One entry of a ruleset's history.
#[derive(Debug, Clone)]
pub(crate) struct Version {
    pub id: u64,
    /// `(id, type)` of who wrote it.
    pub actor: (u64, String),
    pub updated: String,
    pub core: Core,
}

/// A stored ruleset and its versions, oldest first.
#[derive(Debug, Clone)]
pub(crate) struct Ruleset {
    pub core: Core,
    pub versions: Vec<Version>,
}

impl Ruleset {
    /// Returns the ruleset as a seed entry: the POST body with its `id`.
    pub(crate) fn to_seed(&self) -> Value {
        let c = &self.core;
        let mut v = json!({
            "id": c.id,
            "name": c.name,
            "target": c.target,
            "enforcement": c.enforcement,
            "bypass_actors": c.bypass_actors,
            "rules": c.rules,
        });
        if let Some(cond) = &c.conditions {
            v["conditions"] = cond.clone();
        }
        v
    }
}

/// Rule types that only push rulesets take (and push rulesets take only these).
const PUSH_RULES: [&str; 4] = [
    "file_path_restriction",
    "max_file_path_length",
    "file_extension_restriction",
    "max_file_size",
];
/// Actor types whose `actor_id` is required.
const NEEDS_ID: [&str; 4] = ["Integration", "RepositoryRole", "Team", "User"];

fn invalid(doc: &str, errors: &[String]) -> Reply {
    Reply::json(
        422,
        json!({"message": "Validation Failed", "errors": errors, "documentation_url": doc,
               "status": "422"}),
    )
}

fn arr(v: Option<&Value>) -> Vec<Value> {
    v.and_then(Value::as_array).cloned().unwrap_or_default()
}

impl World {
    /// Returns the rulesets of a source.
    pub(crate) fn rulesets(&self, src: Source) -> &std::collections::BTreeMap<u64, Ruleset> {
        match src {
            Source::Repo(i) => &self.repos[i].rulesets,
            Source::Org => &self.org_rulesets,
        }
    }

    fn rulesets_mut(&mut self, src: Source) -> &mut std::collections::BTreeMap<u64, Ruleset> {
        match src {
            Source::Repo(i) => &mut self.repos[i].rulesets,
            Source::Org => &mut self.org_rulesets,
        }
    }

    /// Returns the next id from the shared counter.
    pub(crate) fn next_id(&self) -> u64 {
        self.ids.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
    }

    /// Checks what the schema cannot: unique names, actor ids, rule types per target.
    fn check(&self, src: Source, core: &Core) -> Result<(), Reply> {
        let doc = if src == Source::Org { ORG_DOC } else { DOC };
        let mut errs = Vec::new();
        if core.name.trim().is_empty() {
            errs.push("Name can't be blank".to_owned());
        }
        if self
            .rulesets(src)
            .values()
            .any(|r| r.core.id != core.id && r.core.name.eq_ignore_ascii_case(&core.name))
        {
            errs.push("Name must be unique".to_owned());
        }
        let personal = matches!(src, Source::Repo(i) if !self.repos[i].is_org());
        for a in &core.bypass_actors {
            let kind = a.get("actor_type").and_then(Value::as_str).unwrap_or("");
            let mode = a
                .get("bypass_mode")
                .and_then(Value::as_str)
                .unwrap_or("always");
            if NEEDS_ID.contains(&kind) && !a.get("actor_id").is_some_and(Value::is_i64) {
                errs.push(format!("Actor ID is required for actor type {kind}"));
            }
            if kind == "OrganizationAdmin" && personal {
                errs.push("OrganizationAdmin is not applicable for personal repositories".into());
            }
            if mode == "pull_request" && (kind == "DeployKey" || core.target != "branch") {
                errs.push(format!(
                    "Bypass mode pull_request is not applicable for {kind} actors on {} rulesets",
                    core.target
                ));
            }
        }
        for r in &core.rules {
            let kind = r.get("type").and_then(Value::as_str).unwrap_or("");
            let push_rule = PUSH_RULES.contains(&kind);
            if push_rule != (core.target == "push") {
                errs.push(format!(
                    "Invalid rule '{kind}': not supported for {} rulesets",
                    core.target
                ));
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(invalid(doc, &errs))
        }
    }

    /// Stores a new version of `core` (validated, normalised) under its id.
    fn store(&mut self, src: Source, mut core: Core, actor: (u64, String)) -> Result<(), Reply> {
        self.check(src, &core)?;
        fill_bypass_actors(&mut core.bypass_actors, &self.realism);
        fill_defaults(
            &mut core.rules,
            &mut core.conditions,
            &core.target,
            src != Source::Org,
            &self.realism,
        );
        let version = Version {
            id: self.next_id(),
            actor,
            updated: core.updated.clone(),
            core: core.clone(),
        };
        let set = self.rulesets_mut(src);
        let entry = set.entry(core.id).or_insert_with(|| Ruleset {
            core: core.clone(),
            versions: Vec::new(),
        });
        entry.core = core;
        entry.versions.push(version);
        Ok(())
    }

    /// `POST .../rulesets` with a schema-valid body: returns the new id.
    pub(crate) fn create_ruleset(
        &mut self,
        src: Source,
        body: &Value,
        id: Option<u64>,
        actor: (u64, String),
    ) -> Result<u64, Reply> {
        let now = render::now_iso();
        let id = id.unwrap_or_else(|| self.next_id());
        let core = Core {
            id,
            name: body["name"].as_str().unwrap_or_default().to_owned(),
            target: body
                .get("target")
                .and_then(Value::as_str)
                .unwrap_or("branch")
                .to_owned(),
            enforcement: body["enforcement"]
                .as_str()
                .unwrap_or("disabled")
                .to_owned(),
            bypass_actors: arr(body.get("bypass_actors")),
            conditions: body.get("conditions").filter(|c| !c.is_null()).cloned(),
            rules: arr(body.get("rules")),
            created: now.clone(),
            updated: now,
        };
        self.store(src, core, actor)?;
        Ok(id)
    }

    /// `PUT .../rulesets/{id}`: fields absent from the body are kept; arrays and `conditions`
    /// given replace the stored ones.
    pub(crate) fn update_ruleset(
        &mut self,
        src: Source,
        id: u64,
        body: &Value,
        actor: (u64, String),
    ) -> Result<(), Reply> {
        let doc = if src == Source::Org { ORG_DOC } else { DOC };
        let mut core = self
            .rulesets(src)
            .get(&id)
            .map(|r| r.core.clone())
            .ok_or_else(|| error(404, "Not Found", doc))?;
        let s = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
        if let Some(v) = s("name") {
            core.name = v;
        }
        if let Some(v) = s("target") {
            core.target = v;
        }
        if let Some(v) = s("enforcement") {
            core.enforcement = v;
        }
        if let Some(v) = body.get("bypass_actors") {
            core.bypass_actors = arr(Some(v));
        }
        if let Some(v) = body.get("rules") {
            core.rules = arr(Some(v));
        }
        if let Some(v) = body.get("conditions") {
            core.conditions = Some(v.clone()).filter(|c| !c.is_null());
        }
        core.updated = render::now_iso();
        self.store(src, core, actor)
    }

    /// `DELETE .../rulesets/{id}`.
    pub(crate) fn delete_ruleset(&mut self, src: Source, id: u64) -> Res {
        let doc = if src == Source::Org { ORG_DOC } else { DOC };
        self.rulesets_mut(src)
            .remove(&id)
            .map(|_| Reply::empty(204))
            .ok_or_else(|| error(404, "Not Found", doc))
    }

    /// Adds a seeded ruleset: the POST body (validated against the POST schema), optionally
    /// with an `"id"`.
    pub(crate) fn seed_ruleset(&mut self, src: Source, body: &Value) -> Result<(), String> {
        let mut body = body.clone();
        let id = body
            .as_object_mut()
            .and_then(|o| o.remove("id"))
            .and_then(|v| v.as_u64());
        let template = match src {
            Source::Repo(_) => "/repos/{owner}/{repo}/rulesets",
            Source::Org => "/orgs/{org}/rulesets",
        };
        crate::schema::validate_request("POST", template, &body).map_err(|e| e.join("; "))?;
        if let Some(id) = id
            && (self.repos.iter().any(|r| r.rulesets.contains_key(&id))
                || self.org_rulesets.contains_key(&id))
        {
            return Err(format!("ruleset id {id} is used twice"));
        }
        if let Some(id) = id {
            // Ids the API hands out later stay clear of seeded ones.
            self.ids.fetch_max(id, std::sync::atomic::Ordering::Relaxed);
        }
        self.create_ruleset(src, &body, id, (0, "User".into()))
            .map(|_| ())
            .map_err(|r| r.body.map(|b| b.to_string()).unwrap_or_default())
    }
}
