//! Accounts, the organisation's repositories, teams and custom properties, GitHub App
//! installations and their tokens, and `/rate_limit`.

use std::time::Duration;

use serde_json::{Value, json};

use super::paging::Paging;
use super::routes::{
    Route, T_APP, T_INST_REPOS, T_ORG_INST, T_ORG_REPOS, T_ORG_SCHEMA, T_ORG_VALUES, T_RATE,
    T_REPO_INST, T_REPO_PROPS, T_TEAM, T_TEAMS, T_TOKENS, T_USER, T_USER_ID, T_USER_REPOS,
};
use super::{Shared, lock};
use crate::auth::{self, Principal};
use crate::render::{self, Account, Ctx};
use crate::seed::{InstallationSeed, Role};
use crate::state::{Reply, Repo, Res, World, docs, error};

fn not_found() -> Reply {
    error(404, "Not Found", docs::REST)
}

/// Default permissions of an installation.
fn default_permissions() -> Value {
    json!({"administration": "write", "metadata": "read", "environments": "write",
           "secrets": "write", "organization_administration": "write",
           "organization_custom_properties": "read", "members": "read", "issues": "write",
           "pull_requests": "write"})
}

fn installation_json(w: &World, ctx: &Ctx, inst: &InstallationSeed) -> Value {
    let login = auth::installation_account(w, inst);
    let account = match w.dir.org_named(&login) {
        Some(o) => Account {
            login: o.login.clone(),
            id: o.id,
            kind: "Organization".into(),
        },
        None => Account {
            login: login.clone(),
            id: w
                .dir
                .user(&login)
                .map_or_else(|| render::account_id(&login), |u| u.id),
            kind: "User".into(),
        },
    };
    let app = w.dir.app(&inst.app);
    json!({
        "id": inst.id,
        "account": account.json(ctx),
        "repository_selection": if inst.repositories.is_some() { "selected" } else { "all" },
        "access_tokens_url": format!("{}/app/installations/{}/access_tokens", ctx.api, inst.id),
        "repositories_url": format!("{}/installation/repositories", ctx.api),
        "html_url": format!("https://github.com/organizations/{login}/settings/installations/{}", inst.id),
        "app_id": app.map_or(0, |a| a.id),
        "client_id": format!("Iv1.{:016x}", app.map_or(0, |a| a.id)),
        "target_id": account.id,
        "target_type": account.kind,
        "permissions": inst.permissions.clone().unwrap_or_else(default_permissions),
        "events": [],
        "created_at": render::EPOCH,
        "updated_at": render::EPOCH,
        "single_file_name": null,
        "app_slug": inst.app,
        "suspended_by": null,
        "suspended_at": null
    })
}

/// Returns the repositories `who` reaches among `repos`.
fn visible<'a>(repos: impl Iterator<Item = &'a Repo>, who: &Principal) -> Vec<&'a Repo> {
    repos
        .filter(|r| who.reaches(&r.repo.owner, &r.repo.name))
        .collect()
}

fn sort_repos(list: &mut Vec<&Repo>, pg: &Paging<'_>, default_sort: &str) {
    let sort = pg.param("sort").unwrap_or_else(|| default_sort.to_owned());
    let by_name = sort == "full_name";
    if by_name {
        list.sort_by_key(|r| r.full_name().to_ascii_lowercase());
    } else {
        list.sort_by(|a, b| a.created.cmp(&b.created));
    }
    let asc = pg.param("direction").map_or(by_name, |d| d == "asc");
    if !asc {
        list.reverse();
    }
}

fn property_list(r: &Repo) -> Vec<Value> {
    r.property_values()
        .into_iter()
        .map(|(k, v)| json!({"property_name": k, "value": v}))
        .collect()
}

/// Serves the operations that are not on one repository's branches or environments.
#[expect(
    clippy::too_many_arguments,
    clippy::too_many_lines,
    reason = "one flat match over the operations, given the request's parts as they are"
)]
pub(crate) fn dispatch(
    sh: &Shared,
    w: &mut World,
    repo: Option<usize>,
    ctx: &Ctx,
    rt: &Route,
    body: &Value,
    pg: &Paging<'_>,
    who: &Principal,
) -> Res {
    let a = rt.a.as_str();
    let ok = |v: Value| Ok(Reply::json(200, v));
    let org = || w.dir.org_named(a).ok_or_else(not_found);
    match rt.template {
        T_USER => {
            let u = w.dir.user(a).ok_or_else(not_found)?;
            ok(render::public_user(ctx, &u.login, u.id))
        }
        T_USER_ID => {
            let id: u64 = a.parse().map_err(|_| not_found())?;
            let u = w
                .dir
                .users
                .iter()
                .find(|u| u.id == id)
                .ok_or_else(not_found)?;
            ok(render::public_user(ctx, &u.login, u.id))
        }
        T_USER_REPOS => {
            let owned = w.repos.iter().filter(|r| {
                r.repo.owner.eq_ignore_ascii_case(a)
                    && r.repo.owner_type == "User"
                    && !r.repo.private
            });
            let mut list = visible(owned, who);
            if list.is_empty() && w.dir.user(a).is_none() {
                return Err(not_found());
            }
            sort_repos(&mut list, pg, "full_name");
            Ok(pg.list_of(&list, |r| r.minimal_json(ctx, who.role())))
        }
        T_TEAMS => {
            org()?;
            let account = w.dir.org_account();
            let items = w
                .dir
                .teams
                .iter()
                .map(|t| render::team(ctx, &account, t))
                .collect();
            Ok(pg.list(items))
        }
        T_TEAM => {
            org()?;
            let t = w.dir.team(&rt.b).ok_or_else(not_found)?;
            ok(render::team_full(ctx, &w.dir.org_account(), t))
        }
        T_APP => {
            let app = w.dir.app(a).ok_or_else(not_found)?;
            ok(render::app(ctx, &w.dir.org_account(), app))
        }
        T_ORG_REPOS => {
            let login = org()?.login.clone();
            let kind = pg.param("type").unwrap_or_else(|| "all".into());
            let owned = w.repos.iter().filter(|r| {
                r.repo.owner.eq_ignore_ascii_case(&login)
                    && match kind.as_str() {
                        "public" => !r.repo.private,
                        "private" => r.repo.private,
                        "forks" => r.repo.fork,
                        "sources" => !r.repo.fork,
                        _ => true,
                    }
            });
            let mut list = visible(owned, who);
            sort_repos(&mut list, pg, "created");
            Ok(pg.list_of(&list, |r| r.minimal_json(ctx, who.role())))
        }
        T_ORG_SCHEMA => {
            let o = org()?;
            let items = o
                .property_defs
                .iter()
                .map(|d| {
                    let mut d = d.clone();
                    let name = d["property_name"].as_str().unwrap_or_default().to_owned();
                    d["url"] = json!(format!(
                        "{}/orgs/{}/properties/schema/{name}",
                        ctx.api, o.login
                    ));
                    d["source_type"] = json!("organization");
                    d
                })
                .collect();
            ok(Value::Array(items))
        }
        T_ORG_VALUES => {
            // `repository_query` is not evaluated: every repository is listed.
            let login = org()?.login.clone();
            let owned = w
                .repos
                .iter()
                .filter(|r| r.repo.owner.eq_ignore_ascii_case(&login));
            Ok(pg.list_of(&visible(owned, who), |r| {
                json!({"repository_id": r.repo_id, "repository_name": r.repo.name,
                       "repository_full_name": r.full_name(), "properties": property_list(r)})
            }))
        }
        T_REPO_PROPS => {
            let r = repo.map(|i| &w.repos[i]).ok_or_else(not_found)?;
            ok(Value::Array(property_list(r)))
        }
        T_ORG_INST | T_REPO_INST => {
            let Principal::App { app_id } = who else {
                return Err(not_found());
            };
            let (owner, name) = match repo {
                Some(i) => (
                    w.repos[i].repo.owner.clone(),
                    Some(w.repos[i].repo.name.clone()),
                ),
                None => (org()?.login.clone(), None),
            };
            let inst = w
                .installations
                .iter()
                .find(|i| {
                    w.dir.app(&i.app).is_some_and(|x| x.id == *app_id)
                        && auth::installation_account(w, i).eq_ignore_ascii_case(&owner)
                        && name.as_ref().is_none_or(|n| {
                            i.repositories
                                .as_ref()
                                .is_none_or(|l| l.iter().any(|x| x.eq_ignore_ascii_case(n)))
                        })
                })
                .ok_or_else(not_found)?;
            ok(installation_json(w, ctx, inst))
        }
        T_TOKENS => mint(sh, w, ctx, a, body, who),
        T_INST_REPOS => {
            let Principal::Installation { id, .. } = who else {
                return Err(error(
                    403,
                    "You must authenticate with an installation access token in order to list repositories for an installation.",
                    docs::REST,
                ));
            };
            let list = visible(w.repos.iter(), who);
            let total = list.len();
            let selection = w
                .installations
                .iter()
                .find(|i| i.id == *id)
                .map_or("all", |i| {
                    if i.repositories.is_some() {
                        "selected"
                    } else {
                        "all"
                    }
                });
            let mut reply = Reply::json(200, Value::Null);
            let (start, len) = pg.window(total, 30, 100, &mut reply.headers);
            let page: Vec<Value> = list
                .iter()
                .skip(start)
                .take(len)
                .map(|repo| {
                    let mut v = repo.repository_json(ctx, Role::Admin);
                    if repo.is_org() {
                        v["custom_properties"] = repo.properties_object();
                    }
                    v
                })
                .collect();
            reply.body = Some(json!({"total_count": total, "repositories": page,
                                 "repository_selection": selection}));
            Ok(reply)
        }
        T_RATE => {
            let used = *lock(&sh.used);
            let core = json!({"limit": sh.primary_limit, "used": used,
                              "remaining": sh.primary_limit.saturating_sub(used), "reset": sh.reset});
            let idle = |limit: u64| json!({"limit": limit, "used": 0, "remaining": limit, "reset": sh.reset});
            ok(json!({
                "resources": {"core": core, "search": idle(30), "graphql": idle(5000),
                              "code_search": idle(10), "integration_manifest": idle(5000)},
                "rate": core
            }))
        }
        _ => Err(not_found()),
    }
}

/// `POST /app/installations/{id}/access_tokens` (JWT of the installation's app).
fn mint(sh: &Shared, w: &World, ctx: &Ctx, id: &str, body: &Value, who: &Principal) -> Res {
    let Principal::App { app_id } = who else {
        return Err(not_found());
    };
    let inst = id
        .parse::<u64>()
        .ok()
        .and_then(|id| w.installations.iter().find(|i| i.id == id))
        .filter(|i| w.dir.app(&i.app).is_some_and(|a| a.id == *app_id))
        .ok_or_else(not_found)?;
    let account = auth::installation_account(w, inst);
    let reachable = |r: &&Repo| {
        r.repo.owner.eq_ignore_ascii_case(&account)
            && inst
                .repositories
                .as_ref()
                .is_none_or(|l| l.iter().any(|x| x.eq_ignore_ascii_case(&r.repo.name)))
    };
    let mut narrow: Option<Vec<String>> = None;
    let names: Vec<&str> = body
        .get("repositories")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let ids: Vec<u64> = body
        .get("repository_ids")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    if !names.is_empty() || !ids.is_empty() {
        let mut picked = Vec::new();
        for r in w.repos.iter().filter(reachable) {
            if names.iter().any(|n| n.eq_ignore_ascii_case(&r.repo.name))
                || ids.contains(&r.repo_id)
            {
                picked.push(r.repo.name.clone());
            }
        }
        if picked.len() < names.len() + ids.len() {
            return Err(error(
                422,
                "There is at least one repository that does not exist or is not accessible to the parent installation.",
                docs::REST,
            ));
        }
        narrow = Some(picked);
    }
    let ttl: Duration = *lock(&sh.token_ttl);
    let (token, expires) = auth::mint(&mut lock(&sh.minted), inst.id, narrow.clone(), ttl);
    let selected = narrow.is_some() || inst.repositories.is_some();
    let mut v = json!({
        "token": token,
        "expires_at": auth::expires_at(expires),
        "permissions": body.get("permissions").cloned()
            .unwrap_or_else(|| inst.permissions.clone().unwrap_or_else(default_permissions)),
        "repository_selection": if selected { "selected" } else { "all" },
    });
    if selected {
        let list: Vec<Value> = w
            .repos
            .iter()
            .filter(reachable)
            .filter(|r| narrow.as_ref().is_none_or(|n| n.contains(&r.repo.name)))
            .map(|r| r.repository_json(ctx, Role::Admin))
            .collect();
        v["repositories"] = Value::Array(list);
    }
    Ok(Reply::json(201, v))
}
