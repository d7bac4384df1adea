//! Rulesets as GitHub renders them: the full object, the list summary and the history, in
//! the order [`Realism::order`] asks for.

use serde_json::{Value, json};

use super::World;
use super::rulesets::{Core, Ruleset, Source, Version};
use crate::render::{self, Ctx};
use crate::seed::{Realism, ReturnOrder};

/// Who is asking: whether bypass actors are shown, and `current_user_can_bypass`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Viewer {
    /// Whether the caller has write access (bypass actors are shown).
    pub sees_bypass: bool,
    /// `current_user_can_bypass`, only set on the repository-level endpoints.
    pub can_bypass: Option<String>,
}

fn order<T: Clone>(items: &[T], o: ReturnOrder, key: impl Fn(&T) -> String) -> Vec<T> {
    let mut v = items.to_vec();
    match o {
        ReturnOrder::AsSent => {}
        ReturnOrder::Reversed => v.reverse(),
        ReturnOrder::Sorted => v.sort_by_key(key),
    }
    v
}

fn string_key(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

fn order_array(v: &mut Value, o: ReturnOrder, key: impl Fn(&Value) -> String) {
    if let Some(a) = v.as_array() {
        *v = Value::Array(order(a, o, key));
    }
}

/// Returns the rules in rendering order, their status checks ordered too.
pub(crate) fn ordered_rules(core: &Core, realism: &Realism) -> Vec<Value> {
    let o = realism.order;
    let mut rules = order(&core.rules, o, |r| string_key(&r["type"]));
    for r in &mut rules {
        if let Some(checks) = r.pointer_mut("/parameters/required_status_checks") {
            order_array(checks, o, |c| string_key(&c["context"]));
        }
    }
    rules
}

/// Returns the bypass actors in rendering order.
pub(crate) fn ordered_bypass(core: &Core, realism: &Realism) -> Vec<Value> {
    order(&core.bypass_actors, realism.order, |a| {
        format!(
            "{}:{:020}",
            string_key(&a["actor_type"]),
            a["actor_id"].as_u64().unwrap_or(0)
        )
    })
}

/// Returns the conditions in rendering order.
pub(crate) fn ordered_conditions(c: &Value, o: ReturnOrder) -> Value {
    let mut c = c.clone();
    for key in ["ref_name", "repository_name", "repository_property"] {
        for side in ["include", "exclude"] {
            if let Some(a) = c.get_mut(key).and_then(|x| x.get_mut(side)) {
                order_array(a, o, |p| {
                    p.get("name").map_or_else(|| string_key(p), string_key)
                });
            }
        }
    }
    if let Some(ids) = c.pointer_mut("/repository_id/repository_ids") {
        order_array(ids, o, |i| format!("{:020}", i.as_u64().unwrap_or(0)));
    }
    c
}

impl World {
    /// Returns `(source_type, source, self href, html href)` of a ruleset.
    fn source_of(&self, ctx: &Ctx, src: Source, id: u64) -> (&'static str, String, String, String) {
        match src {
            Source::Repo(i) => {
                let r = &self.repos[i];
                (
                    "Repository",
                    r.full_name(),
                    format!("{}/rulesets/{id}", r.repo_url(ctx)),
                    format!("https://github.com/{}/rules/{id}", r.full_name()),
                )
            }
            Source::Org => {
                let login = self
                    .dir
                    .org
                    .as_ref()
                    .map(|o| o.login.clone())
                    .unwrap_or_default();
                (
                    "Organization",
                    login.clone(),
                    format!("{}/orgs/{login}/rulesets/{id}", ctx.api),
                    format!("https://github.com/organizations/{login}/settings/rules/{id}"),
                )
            }
        }
    }

    /// Renders a full `repository-ruleset`.
    pub(crate) fn ruleset_json(&self, ctx: &Ctx, src: Source, core: &Core, who: &Viewer) -> Value {
        let (source_type, source, href, html) = self.source_of(ctx, src, core.id);
        let o = self.realism.order;
        let mut v = json!({
            "id": core.id,
            "name": core.name,
            "target": core.target,
            "source_type": source_type,
            "source": source,
            "enforcement": core.enforcement,
            "node_id": render::node_id("RRS", core.id),
            "_links": {"self": {"href": href}, "html": {"href": html}},
            "conditions": core.conditions.as_ref().map(|c| ordered_conditions(c, o)),
            "rules": ordered_rules(core, &self.realism),
            "created_at": core.created,
            "updated_at": core.updated,
        });
        if who.sees_bypass {
            v["bypass_actors"] = json!(ordered_bypass(core, &self.realism));
        }
        if let Some(c) = &who.can_bypass {
            v["current_user_can_bypass"] = json!(c);
        }
        v
    }

    /// Renders the list summary of a ruleset (no rules, conditions or bypass actors).
    pub(crate) fn ruleset_summary(&self, ctx: &Ctx, src: Source, core: &Core) -> Value {
        let (source_type, source, href, html) = self.source_of(ctx, src, core.id);
        json!({
            "id": core.id,
            "name": core.name,
            "source_type": source_type,
            "source": source,
            "enforcement": core.enforcement,
            "node_id": render::node_id("RRS", core.id),
            "_links": {"self": {"href": href}, "html": {"href": html}},
            "created_at": core.created,
            "updated_at": core.updated,
        })
    }

    /// Renders a `ruleset-version` (with `state` when `with_state`).
    pub(crate) fn version_json(
        &self,
        ctx: &Ctx,
        src: Source,
        v: &Version,
        with_state: Option<&Viewer>,
    ) -> Value {
        let mut out = json!({
            "version_id": v.id,
            "actor": {"id": v.actor.0, "type": v.actor.1},
            "updated_at": v.updated,
        });
        if let Some(who) = with_state {
            out["state"] = self.ruleset_json(ctx, src, &v.core, who);
        }
        out
    }

    /// Renders the history, newest first.
    pub(crate) fn history_json(&self, ctx: &Ctx, src: Source, r: &Ruleset) -> Vec<Value> {
        r.versions
            .iter()
            .rev()
            .map(|v| self.version_json(ctx, src, v, None))
            .collect()
    }
}
