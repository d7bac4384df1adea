//! What GitHub fills in on a ruleset it stores ([`Realism::fill_defaults`]) and how it
//! writes an organisation admin bypass actor ([`Realism::organization_admin_actor_id`]).

use serde_json::{Map, Value, json};

use crate::seed::{OrgAdminActorId, Realism};

/// Fills what GitHub adds to a rule it stores.
fn fill_rule(rule: &mut Value, realism: &Realism) {
    let Some(kind) = rule.get("type").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    let defaults: Vec<(&str, Value)> = match kind.as_str() {
        "pull_request" => vec![
            (
                "allowed_merge_methods",
                json!(["merge", "squash", "rebase"]),
            ),
            ("dismiss_stale_reviews_on_push", json!(false)),
            ("require_code_owner_review", json!(false)),
            ("require_last_push_approval", json!(false)),
            ("required_approving_review_count", json!(0)),
            ("required_review_thread_resolution", json!(false)),
        ],
        "required_status_checks" => vec![
            ("do_not_enforce_on_create", json!(false)),
            ("strict_required_status_checks_policy", json!(false)),
            ("required_status_checks", json!([])),
        ],
        _ => return,
    };
    let Some(obj) = rule.as_object_mut() else {
        return;
    };
    let params = obj
        .entry("parameters")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(p) = params.as_object_mut() else {
        return;
    };
    for (k, v) in defaults {
        p.entry(k).or_insert(v);
    }
    if kind == "required_status_checks"
        && let Some(Value::Array(checks)) = p.get_mut("required_status_checks")
    {
        for c in checks {
            let ctx = c.get("context").and_then(Value::as_str).map(str::to_owned);
            if let (Some(ctx), Some(o)) = (ctx, c.as_object_mut())
                && !o.contains_key("integration_id")
                && let Some(app) = realism.check_integrations.get(&ctx)
            {
                o.insert("integration_id".into(), json!(app));
            }
        }
    }
}

/// Fills `include`/`exclude` (and `protected`) in one condition object.
fn fill_condition(c: &mut Value, keys: &[&str]) {
    if let Some(o) = c.as_object_mut() {
        for k in keys {
            let default = if *k == "protected" {
                json!(false)
            } else {
                json!([])
            };
            o.entry(*k).or_insert(default);
        }
    }
}

/// Applies the realism switches to the bypass actors of a ruleset about to be stored.
pub(super) fn fill_bypass_actors(actors: &mut [Value], realism: &Realism) {
    for a in actors {
        let kind = a.get("actor_type").and_then(Value::as_str).unwrap_or("");
        let admin = kind == "OrganizationAdmin";
        let deploy_key = kind == "DeployKey";
        let Some(o) = a.as_object_mut() else { continue };
        if realism.fill_defaults {
            o.entry("bypass_mode").or_insert(json!("always"));
            if deploy_key {
                o.entry("actor_id").or_insert(Value::Null);
            }
        }
        if admin {
            match realism.organization_admin_actor_id {
                OrgAdminActorId::Null => drop(o.insert("actor_id".into(), Value::Null)),
                OrgAdminActorId::Zero => drop(o.insert("actor_id".into(), json!(0))),
                OrgAdminActorId::One => drop(o.insert("actor_id".into(), json!(1))),
                OrgAdminActorId::AsSent => {}
            }
        }
    }
}

/// Fills what GitHub adds to the rules and conditions of a ruleset about to be stored
/// (`target` is its target; `repo_level`, whether it is a repository's own).
pub(super) fn fill_defaults(
    rules: &mut [Value],
    conditions: &mut Option<Value>,
    target: &str,
    repo_level: bool,
    realism: &Realism,
) {
    if !realism.fill_defaults {
        return;
    }
    for r in rules {
        fill_rule(r, realism);
    }
    if repo_level && conditions.is_none() && target != "push" {
        // A repository ruleset without targets reads back with an empty ref_name condition.
        *conditions = Some(json!({"ref_name": {"include": [], "exclude": []}}));
    }
    if let Some(c) = conditions.as_mut().and_then(Value::as_object_mut) {
        if let Some(r) = c.get_mut("ref_name") {
            fill_condition(r, &["include", "exclude"]);
        }
        if let Some(r) = c.get_mut("repository_name") {
            fill_condition(r, &["include", "exclude", "protected"]);
        }
        if let Some(r) = c.get_mut("repository_property") {
            fill_condition(r, &["include", "exclude"]);
            for k in ["include", "exclude"] {
                if let Some(Value::Array(specs)) = r.get_mut(k) {
                    for s in specs.iter_mut().filter_map(Value::as_object_mut) {
                        s.entry("source").or_insert(json!("custom"));
                    }
                }
            }
        }
    }
}
