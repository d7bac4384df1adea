//! Rulesets of a repository and of the organisation, their history, and a branch's
//! effective rules.

use serde_json::{Value, json};

use super::paging::Paging;
use super::routes::{
    Route, T_HISTORY, T_ORG_RULESET, T_ORG_RULESETS, T_RULES, T_RULESET, T_RULESETS, T_VERSION,
};
use crate::auth::{self, Principal};
use crate::render::Ctx;
use crate::seed::Role;
use crate::state::rulesets::{Core, DOC, ORG_DOC, Source};
use crate::state::rulesets_json::Viewer;
use crate::state::{Reply, Res, World, error};

/// Returns `current_user_can_bypass` for the caller: an admin token bypasses through an
/// `OrganizationAdmin` actor or the admin repository role (`RepositoryRole` 5), an
/// installation token through its app's `Integration` actor; anyone else never.
fn can_bypass(p: &Principal, core: &Core) -> String {
    let mode = core.bypass_actors.iter().find_map(|a| {
        let kind = a.get("actor_type").and_then(Value::as_str)?;
        let id = a.get("actor_id").and_then(Value::as_u64);
        let hit = match p {
            Principal::Token {
                role: Role::Admin, ..
            } => kind == "OrganizationAdmin" || (kind == "RepositoryRole" && id == Some(5)),
            Principal::Installation { app_id, .. } => kind == "Integration" && id == Some(*app_id),
            _ => false,
        };
        hit.then(|| {
            a.get("bypass_mode")
                .and_then(Value::as_str)
                .unwrap_or("always")
        })
    });
    match mode {
        Some("pull_request") => "pull_requests_only",
        Some("exempt") => "exempt",
        Some(_) => "always",
        None => "never",
    }
    .to_owned()
}

fn not_found(doc: &str) -> Reply {
    error(404, "Not Found", doc)
}

fn targets(pg: &Paging<'_>) -> Option<Vec<String>> {
    pg.param("targets")
        .map(|t| t.split(',').map(|s| s.trim().to_owned()).collect())
}

fn wanted(targets: Option<&Vec<String>>, core: &Core) -> bool {
    targets.is_none_or(|t| t.contains(&core.target))
}

/// Serves the repository ruleset operations and `rules/branches/{branch}`.
#[expect(
    clippy::too_many_arguments,
    reason = "the request's parts, passed on as they are"
)]
pub(crate) fn repo_dispatch(
    w: &mut World,
    idx: usize,
    ctx: &Ctx,
    method: &str,
    rt: &Route,
    body: &Value,
    pg: &Paging<'_>,
    who: &Principal,
) -> Res {
    let src = Source::Repo(idx);
    let parents = pg.param("includes_parents").as_deref() != Some("false");
    let id = rt.a.parse::<u64>().ok();
    let viewer = |core: &Core| Viewer {
        sees_bypass: who.role() >= Role::Write,
        can_bypass: Some(can_bypass(who, core)),
    };
    // An organisation ruleset's bypass actors show only to whoever may edit it.
    let org_viewer = |w: &World, core: &Core| Viewer {
        sees_bypass: auth::edits_org_rulesets(w, who),
        can_bypass: Some(can_bypass(who, core)),
    };
    // An organisation ruleset that applies here, readable through the repository path.
    let org_core = |w: &World, id: u64| {
        w.org_rulesets
            .get(&id)
            .filter(|r| parents && w.org_ruleset_applies(&r.core, idx))
            .map(|r| r.core.clone())
    };
    match (rt.template, method) {
        (T_RULESETS, "GET") => {
            let t = targets(pg);
            let mut items: Vec<(u64, Value)> = w
                .rulesets(src)
                .values()
                .filter(|r| wanted(t.as_ref(), &r.core))
                .map(|r| (r.core.id, w.ruleset_summary(ctx, src, &r.core)))
                .collect();
            if parents {
                let own = format!("{}/rulesets", w.repos[idx].repo_url(ctx));
                for r in w.org_rulesets.values() {
                    if wanted(t.as_ref(), &r.core) && w.org_ruleset_applies(&r.core, idx) {
                        let mut v = w.ruleset_summary(ctx, Source::Org, &r.core);
                        v["_links"]["self"]["href"] = json!(format!("{own}/{}", r.core.id));
                        items.push((r.core.id, v));
                    }
                }
            }
            items.sort_by_key(|(id, _)| *id);
            Ok(pg.list(items.into_iter().map(|(_, v)| v).collect()))
        }
        (T_RULESETS, _) => {
            let id = w.create_ruleset(src, body, None, who.actor(w))?;
            let core = w.rulesets(src)[&id].core.clone();
            Ok(Reply::json(
                201,
                w.ruleset_json(ctx, src, &core, &viewer(&core)),
            ))
        }
        (T_RULESET, m) => {
            let id = id.ok_or_else(|| not_found(DOC))?;
            let own = w.rulesets(src).get(&id).map(|r| r.core.clone());
            match (m, own) {
                ("GET", Some(core)) => Ok(Reply::json(
                    200,
                    w.ruleset_json(ctx, src, &core, &viewer(&core)),
                )),
                ("GET", None) => {
                    let core = org_core(w, id).ok_or_else(|| not_found(DOC))?;
                    let who = org_viewer(w, &core);
                    Ok(Reply::json(
                        200,
                        w.ruleset_json(ctx, Source::Org, &core, &who),
                    ))
                }
                ("PUT", Some(_)) => {
                    w.update_ruleset(src, id, body, who.actor(w))?;
                    let core = w.rulesets(src)[&id].core.clone();
                    Ok(Reply::json(
                        200,
                        w.ruleset_json(ctx, src, &core, &viewer(&core)),
                    ))
                }
                ("DELETE", Some(_)) => w.delete_ruleset(src, id),
                // Organisation rulesets are managed at /orgs/{org}/rulesets only.
                _ => Err(not_found(DOC)),
            }
        }
        (T_HISTORY, _) => {
            let r = id
                .and_then(|id| w.rulesets(src).get(&id))
                .ok_or_else(|| not_found(DOC))?;
            Ok(pg.list(w.history_json(ctx, src, r)))
        }
        (T_VERSION, _) => {
            let r = id
                .and_then(|id| w.rulesets(src).get(&id))
                .ok_or_else(|| not_found(DOC))?;
            let v =
                rt.b.parse::<u64>()
                    .ok()
                    .and_then(|vid| r.versions.iter().find(|v| v.id == vid))
                    .ok_or_else(|| not_found(DOC))?;
            let who = viewer(&v.core);
            Ok(Reply::json(200, w.version_json(ctx, src, v, Some(&who))))
        }
        (T_RULES, _) => Ok(pg.list(w.effective_rules(idx, &rt.a))),
        _ => Err(not_found(DOC)),
    }
}

/// Serves `/orgs/{org}/rulesets[/{id}]`.
pub(crate) fn org_dispatch(
    w: &mut World,
    ctx: &Ctx,
    method: &str,
    rt: &Route,
    body: &Value,
    pg: &Paging<'_>,
    who: &Principal,
) -> Res {
    if w.dir.org_named(&rt.a).is_none() {
        return Err(not_found(ORG_DOC));
    }
    let src = Source::Org;
    let viewer = Viewer {
        sees_bypass: auth::edits_org_rulesets(w, who),
        can_bypass: None,
    };
    match (rt.template, method) {
        (T_ORG_RULESETS, "GET") => {
            let t = targets(pg);
            let items = w
                .org_rulesets
                .values()
                .filter(|r| wanted(t.as_ref(), &r.core))
                .map(|r| w.ruleset_summary(ctx, src, &r.core))
                .collect();
            Ok(pg.list(items))
        }
        (T_ORG_RULESETS, _) => {
            let id = w.create_ruleset(src, body, None, who.actor(w))?;
            let core = w.org_rulesets[&id].core.clone();
            Ok(Reply::json(201, w.ruleset_json(ctx, src, &core, &viewer)))
        }
        (T_ORG_RULESET, m) => {
            let id =
                rt.b.parse::<u64>()
                    .ok()
                    .filter(|id| w.org_rulesets.contains_key(id))
                    .ok_or_else(|| not_found(ORG_DOC))?;
            match m {
                "GET" => {}
                "PUT" => w.update_ruleset(src, id, body, who.actor(w))?,
                _ => return w.delete_ruleset(src, id),
            }
            let core = w.org_rulesets[&id].core.clone();
            Ok(Reply::json(200, w.ruleset_json(ctx, src, &core, &viewer)))
        }
        _ => Err(not_found(ORG_DOC)),
    }
}
