//! The operations on one repository's branches, protection and environments.

use serde_json::{Value, json};

use super::paging::Paging;
use super::routes::{
    Route, T_ACT, T_ACT_SEL, T_ACT_WF, T_ADM, T_ASF, T_BRANCH, T_BRANCHES, T_CHECK_RUNS,
    T_CODEOWNERS, T_COLLABS, T_CSC, T_ENV, T_ENVS, T_IMMUTABLE, T_POL, T_POLS, T_PROT, T_PUBKEY,
    T_PULLS, T_PVR, T_REPO, T_RPR, T_RSC, T_SECRET, T_SECRETS, T_SIG, T_STATUS, T_VAR, T_VARS,
    T_VULN,
};
use crate::render::{self, Ctx};
use crate::seed::Role;
use crate::state::{self, Policy, Reply, Repo, Res, docs, error};

#[expect(
    clippy::too_many_lines,
    clippy::many_single_char_names,
    reason = "one flat match over the operations reads best; a and b are the two path parameters"
)]
pub(crate) fn dispatch(
    st: &mut Repo,
    ctx: &Ctx,
    method: &str,
    rt: &Route,
    body: &Value,
    pg: &Paging<'_>,
    role: Role,
) -> Res {
    let (a, b) = (rt.a.as_str(), rt.b.as_str());
    let ok = |v: Value| Ok(Reply::json(200, v));
    match (rt.template, method) {
        (T_REPO, "PATCH") => {
            st.patch_repository(body)?;
            ok(st.full_json(ctx, role))
        }
        (T_REPO, _) => ok(st.full_json(ctx, role)),
        (T_VULN | T_ASF | T_PVR | T_IMMUTABLE, _) => {
            let segment = rt.template.rsplit('/').next().unwrap_or_default();
            st.security_switch(segment, method)
        }
        (T_CSC, _) => Ok(st.configuration_json(ctx)),
        (T_ACT, _) => st.actions_permissions(ctx, "", method, body),
        (T_ACT_SEL, _) => st.actions_permissions(ctx, "selected-actions", method, body),
        (T_ACT_WF, _) => st.actions_permissions(ctx, "workflow", method, body),
        (T_CHECK_RUNS, _) => ok(st.check_runs_json(ctx, a, pg.param("check_name").as_deref())),
        (T_STATUS, _) => ok(st.status_json(ctx, a, role)),
        (T_COLLABS, _) => {
            Ok(pg.list(st.collaborators_json(ctx, role, pg.param("permission").as_deref())?))
        }
        (T_CODEOWNERS, _) => st.codeowners_json(),
        (T_PULLS, _) => {
            let ascending = pg.param("direction").as_deref() == Some("asc");
            Ok(pg.list(st.pulls_json(
                ctx,
                pg.param("state").as_deref(),
                pg.param("base").as_deref(),
                ascending,
            )))
        }
        (T_BRANCHES, _) => {
            let filter = pg.param("protected").map(|v| v == "true" || v == "1");
            let items = st
                .branches
                .iter()
                .filter(|(_, br)| filter.is_none_or(|f| br.protection.is_some() == f))
                .map(|(n, br)| st.short_branch_json(ctx, n, br))
                .collect();
            Ok(pg.list(items))
        }
        (T_BRANCH, _) => {
            let br = st.branch(a)?;
            ok(st.branch_json(ctx, a, br))
        }
        (T_PROT, "GET") => {
            let p = st.protection(a)?;
            ok(st.protection_json(ctx, a, p))
        }
        (T_PROT, "PUT") => {
            st.put_protection(a, body)?;
            let p = st.protection(a)?;
            ok(st.protection_json(ctx, a, p))
        }
        (T_PROT, _) => st.delete_protection(a),
        (T_RSC, "GET") => {
            let p = st.protection(a)?;
            let s = p.status_checks.as_ref().ok_or_else(|| {
                error(404, "Required status checks not enabled", docs::PROTECTION)
            })?;
            ok(st.status_checks_json(ctx, a, s))
        }
        (T_RSC, "PATCH") => {
            st.patch_status_checks(a, body)?;
            let p = st.protection(a)?;
            let s = p
                .status_checks
                .as_ref()
                .ok_or_else(|| error(404, "Not Found", docs::REST))?;
            ok(st.status_checks_json(ctx, a, s))
        }
        (T_RSC, _) => st.delete_status_checks(a),
        (T_RPR, "GET") => {
            let p = st.protection(a)?;
            let r = p.reviews.as_ref().ok_or_else(|| {
                error(
                    404,
                    "Required pull request reviews not enabled",
                    docs::PROTECTION,
                )
            })?;
            ok(st.reviews_json(ctx, a, r))
        }
        (T_RPR, "PATCH") => {
            st.patch_reviews(a, body)?;
            let p = st.protection(a)?;
            let r = p
                .reviews
                .as_ref()
                .ok_or_else(|| error(404, "Not Found", docs::REST))?;
            ok(st.reviews_json(ctx, a, r))
        }
        (T_RPR, _) => st.delete_reviews(a),
        (T_ADM, "GET") => {
            let on = st.protection(a)?.enforce_admins;
            ok(st.flag_json(ctx, a, "enforce_admins", on))
        }
        (T_ADM, "POST") => {
            st.set_enforce_admins(a, true)?;
            ok(st.flag_json(ctx, a, "enforce_admins", true))
        }
        (T_ADM, _) => {
            st.set_enforce_admins(a, false)?;
            Ok(Reply::empty(204))
        }
        (T_SIG, "GET") => {
            let on = st.protection(a)?.signatures;
            ok(st.flag_json(ctx, a, "required_signatures", on))
        }
        (T_SIG, "POST") => {
            st.set_signatures(a, true)?;
            ok(st.flag_json(ctx, a, "required_signatures", true))
        }
        (T_SIG, _) => {
            st.set_signatures(a, false)?;
            Ok(Reply::empty(204))
        }
        (T_ENVS, _) => {
            let items: Vec<Value> = st.envs.values().map(|e| st.env_json(ctx, e)).collect();
            let total = items.len();
            let mut r = Reply::json(200, Value::Null);
            let page = pg.page(items, 30, 100, &mut r.headers);
            r.body = Some(json!({"total_count": total, "environments": page}));
            Ok(r)
        }
        (T_ENV, "GET") => {
            let e = st.env(a)?;
            ok(st.env_json(ctx, e))
        }
        (T_ENV, "PUT") => {
            st.put_environment(a, Some(body))?;
            let e = st.env(a)?;
            ok(st.env_json(ctx, e))
        }
        (T_ENV, _) => st.delete_environment(a),
        (T_POLS, "GET") => {
            let e = st.env(a)?;
            let items: Vec<Value> = e.policies.iter().map(policy_json).collect();
            let total = items.len();
            let mut r = Reply::json(200, Value::Null);
            let page = pg.page(items, 30, 100, &mut r.headers);
            r.body = Some(json!({"total_count": total, "branch_policies": page}));
            Ok(r)
        }
        (T_POLS, _) => {
            let name = body.get("name").and_then(Value::as_str).unwrap_or("");
            let kind = body.get("type").and_then(Value::as_str).unwrap_or("branch");
            match st.create_policy(a, name, kind) {
                Ok(id) => ok(policy_json(st.policy(a, id)?)),
                Err(mut r) if r.status == 303 => {
                    let id = r.headers.pop().map(|h| h.1).unwrap_or_default();
                    let url = format!(
                        "{}/environments/{}/deployment-branch-policies/{id}",
                        st.repo_url(ctx),
                        state::pct(a)
                    );
                    r.headers.push(("location".into(), url));
                    Err(r)
                }
                Err(r) => Err(r),
            }
        }
        (T_POL, m) => {
            let id: u64 = b
                .parse()
                .map_err(|_| error(404, "Not Found", docs::POLICIES))?;
            match m {
                "GET" => ok(policy_json(st.policy(a, id)?)),
                "PUT" => {
                    let name = body.get("name").and_then(Value::as_str).unwrap_or("");
                    st.rename_policy(a, id, name)?;
                    ok(policy_json(st.policy(a, id)?))
                }
                _ => st.delete_policy(a, id),
            }
        }
        (T_SECRETS, _) => {
            let e = st.env(a)?;
            let items: Vec<Value> = e
                .secrets
                .iter()
                .map(|(n, s)| json!({"name": n, "created_at": s.created, "updated_at": s.updated}))
                .collect();
            let total = items.len();
            let mut r = Reply::json(200, Value::Null);
            let page = pg.page(items, 30, 100, &mut r.headers);
            r.body = Some(json!({"total_count": total, "secrets": page}));
            Ok(r)
        }
        (T_PUBKEY, _) => {
            use base64::Engine as _;
            let e = st.env(a)?;
            let key =
                base64::engine::general_purpose::STANDARD.encode(e.key.public_key().as_bytes());
            ok(json!({"key_id": e.key_id, "key": key}))
        }
        (T_SECRET, "GET") => {
            let e = st.env(a)?;
            let s = e
                .secrets
                .get(&b.to_ascii_uppercase())
                .ok_or_else(|| error(404, "Not Found", docs::SECRETS))?;
            ok(
                json!({"name": b.to_ascii_uppercase(), "created_at": s.created, "updated_at": s.updated}),
            )
        }
        (T_SECRET, "PUT") => {
            let v = body
                .get("encrypted_value")
                .and_then(Value::as_str)
                .unwrap_or("");
            let k = body.get("key_id").and_then(Value::as_str).unwrap_or("");
            st.put_secret(a, b, v, k)
        }
        (T_SECRET, _) => st.delete_secret(a, b),
        (T_VARS, "GET") => {
            let e = st.env(a)?;
            let items: Vec<Value> = e
                .variables
                .iter()
                .map(|(n, v)| {
                    json!({"name": n, "value": v.value, "created_at": v.created, "updated_at": v.updated})
                })
                .collect();
            let total = items.len();
            let mut r = Reply::json(200, Value::Null);
            let page = pg.page(items, 10, 30, &mut r.headers);
            r.body = Some(json!({"total_count": total, "variables": page}));
            Ok(r)
        }
        (T_VARS, _) => {
            let name = body.get("name").and_then(Value::as_str).unwrap_or("");
            let value = body.get("value").and_then(Value::as_str).unwrap_or("");
            st.create_variable(a, name, value)
        }
        (T_VAR, "GET") => {
            let e = st.env(a)?;
            let n = b.to_ascii_uppercase();
            let v = e
                .variables
                .get(&n)
                .ok_or_else(|| error(404, "Not Found", docs::VARIABLES))?;
            ok(
                json!({"name": n, "value": v.value, "created_at": v.created, "updated_at": v.updated}),
            )
        }
        (T_VAR, "PATCH") => st.update_variable(a, b, body),
        (T_VAR, _) => st.delete_variable(a, b),
        _ => Err(error(404, "Not Found", docs::REST)),
    }
}

fn policy_json(p: &Policy) -> Value {
    json!({"id": p.id, "node_id": render::node_id("DBP", p.id), "name": p.name, "type": p.kind})
}
