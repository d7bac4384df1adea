//! One request from credential to answer: authentication, routing, limits, access, the body
//! check, and the operation.

use serde_json::Value;

use super::paging::Paging;
use super::routes::{
    self, Route, T_ORG_INST, T_ORG_RULESET, T_ORG_RULESETS, T_ORG_SCHEMA, T_ORG_VALUES, T_PROT,
    T_RATE, T_REPO_INST, T_REPO_PROPS, T_RULESET, T_RULESETS, T_TOKENS,
};
use super::{Call, Shared, issue_ops, lock, org_ops, repo_ops, ruleset_ops};
use crate::Violation;
use crate::auth::{self, Principal};
use crate::faults::{primary_limit_reply, secondary_limit_reply};
use crate::limits::points;
use crate::render::Ctx;
use crate::seed::Role;
use crate::state::rulesets::{DOC, ORG_DOC};
use crate::state::{self, Reply, docs, error};

/// What [`serve`] decided.
pub(crate) struct Served {
    /// The operation's path template, when the path matched one.
    pub template: Option<&'static str>,
    /// The caller's label when the credential was valid.
    pub caller: Option<String>,
    pub reply: Reply,
}

/// Operations only a GitHub App's JWT may call.
const APP_ONLY: [&str; 3] = [T_ORG_INST, T_REPO_INST, T_TOKENS];

fn forbidden(message: &str, accepted: &str) -> Reply {
    let mut r = error(403, message, docs::REST);
    r.headers
        .push(("x-accepted-github-permissions".into(), accepted.to_owned()));
    r
}

/// Resolves a credential: an app JWT, or a token (the builder's, one with a role, or a minted
/// installation token).
fn authenticate(sh: &Shared, world: &state::World, cred: &str) -> Result<Principal, Reply> {
    if auth::looks_like_jwt(cred) {
        return auth::verify_jwt(world, cred).map(|app_id| Principal::App { app_id });
    }
    auth::resolve_token(world, &sh.token, &sh.extra_tokens, &lock(&sh.minted), cred)
        .ok_or_else(|| error(401, "Bad credentials", docs::REST))
}

/// Returns the caller's label when a credential is valid (for the log of a request a fault
/// answered).
pub(crate) fn caller(sh: &Shared, cred: Option<&str>) -> Option<String> {
    let c = cred?;
    authenticate(sh, &lock(&sh.state), c)
        .ok()
        .map(|p| p.label())
}

/// Serves one request that no fault answered.
pub(crate) fn serve(sh: &Shared, ctx: &Ctx, call: &Call<'_>) -> Served {
    let fail = |template, caller: Option<String>, reply| Served {
        template,
        caller,
        reply,
    };
    let Some(cred) = call.cred else {
        return fail(
            None,
            None,
            error(401, "Requires authentication", docs::REST),
        );
    };
    let mut world = super::lock(&sh.state);
    let principal = match authenticate(sh, &world, cred) {
        Ok(p) => p,
        Err(r) => return fail(None, None, r),
    };

    if call.raw_path == crate::graphql::path(&sh.prefix) && call.method == "POST" {
        return graphql(sh, &world, &principal, call);
    }
    let Some(path) = call.raw_path.strip_prefix(sh.prefix.as_str()) else {
        return fail(
            None,
            Some(principal.label()),
            error(404, "Not Found", docs::REST),
        );
    };
    // A trailing slash or an empty segment is a 404, as on GitHub.
    let segs: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return fail(
            None,
            Some(principal.label()),
            error(404, "Not Found", docs::REST),
        );
    }
    let Some(rt) = routes::route(&segs).filter(|r| routes::allowed(r.template, call.method)) else {
        return fail(
            None,
            Some(principal.label()),
            error(404, "Not Found", docs::REST),
        );
    };
    let t = rt.template;
    let label = principal.label();
    let done = |reply| Served {
        template: Some(t),
        caller: Some(label.clone()),
        reply,
    };

    // Secondary limits (per token), then the primary one; /rate_limit is free.
    let endpoint = format!("{} {t}", call.method);
    if let Err(refusal) = sh.limiter.admit(
        cred,
        &endpoint,
        points(call.method),
        call.in_flight,
        t != T_RATE,
    ) {
        return done(secondary_limit_reply(Some(refusal.retry_after)));
    }
    if t != T_RATE && *lock(&sh.used) >= sh.primary_limit {
        return done(primary_limit_reply(sh.primary_limit, sh.reset));
    }

    // A renamed repository's old name: GitHub redirects to the repository by id.
    if let Some((owner, name)) = &rt.repo
        && let Some(id) = world.moved_to(owner, name)
    {
        let rest: String = segs.iter().skip(3).flat_map(|s| ["/", s]).collect();
        return done(moved(&ctx.api, id, &rest));
    }

    let idx = match access(&world, &principal, &rt, call.method) {
        Ok(i) => i,
        Err(r) => return done(r),
    };

    let body = match check_body(sh, call, t) {
        Ok(b) => b,
        Err(r) => return done(r),
    };
    let page = Paging {
        link_base: format!("http://{}{}", call.host, call.raw_path),
        query: call.query.unwrap_or(""),
        cap: sh.max_per_page,
    };
    let reply = route_call(
        sh,
        &mut world,
        ctx,
        call.method,
        &rt,
        idx,
        &body,
        &page,
        &principal,
    )
    .unwrap_or_else(|e| e);
    done(reply)
}

/// GitHub's answer for a renamed or transferred repository: 301 with `Location` and a
/// `basic-error` body naming the repository by id (github-api/QUIRKS.md 5).
fn moved(api: &str, id: u64, rest: &str) -> Reply {
    let url = format!("{api}/repositories/{id}{rest}");
    let mut r = Reply::json(
        301,
        serde_json::json!({
            "message": "Moved Permanently",
            "url": url,
            "documentation_url": "https://docs.github.com/v3/#http-redirects"
        }),
    );
    r.headers.push(("location".into(), url));
    r
}

/// Serves `POST /graphql`: within the secondary limits (a query costs 1 point, as GitHub
/// counts a GraphQL request without mutations), from its own budget of points.
fn graphql(sh: &Shared, world: &state::World, who: &Principal, call: &Call<'_>) -> Served {
    let endpoint = format!("POST {}", crate::graphql::TEMPLATE);
    let served = |reply| Served {
        template: Some(crate::graphql::TEMPLATE),
        caller: Some(who.label()),
        reply,
    };
    let cred = call.cred.unwrap_or("");
    if let Err(refusal) = sh.limiter.admit(cred, &endpoint, 1, call.in_flight, true) {
        return served(secondary_limit_reply(Some(refusal.retry_after)));
    }
    let reaches = |owner: &str, name: &str| who.reaches(owner, name);
    let caller = crate::graphql::Caller {
        role: who.role(),
        reaches: &reaches,
        edits_org_rulesets: crate::auth::edits_org_rulesets(world, who),
    };
    let mut used = lock(&sh.graphql_used);
    served(crate::graphql::serve(
        world,
        &caller,
        call.parsed,
        (&mut used, sh.graphql_budget),
        sh.reset,
    ))
}

/// Decides who may call what: app-only operations, the repositories a caller reaches, and
/// the role a method needs. Returns the repository's index for `/repos/...` paths.
fn access(
    world: &state::World,
    who: &Principal,
    rt: &Route,
    method: &str,
) -> Result<Option<usize>, Reply> {
    let t = rt.template;
    let is_app = matches!(who, Principal::App { .. });
    if APP_ONLY.contains(&t) != is_app {
        let r = if is_app {
            error(403, who.not_accessible(), docs::REST)
        } else {
            error(401, auth::jwt_messages::UNDECODABLE, docs::REST)
        };
        return Err(r);
    }
    let idx = match &rt.repo {
        Some((owner, name)) => {
            match world
                .repo_index(owner, name)
                .filter(|_| is_app || who.reaches(owner, name))
            {
                Some(i) => Some(i),
                None => return Err(error(404, "Not Found", docs::REST)),
            }
        }
        None => None,
    };
    let role = who.role();
    // Issues, comments and labels need write access (an installation: its `issues`
    // permission, when the seed lists permissions); everything else, administration.
    let writes = if routes::is_content(t) {
        role >= Role::Write && auth::installation_may(world, who, "issues")
    } else {
        role >= Role::Admin
    };
    if method != "GET" && !writes {
        return Err(forbidden(who.not_accessible(), routes::write_permission(t)));
    }
    if method == "GET" && routes::admin_read(t) && role < Role::Write {
        return Err(forbidden(who.not_accessible(), "administration=read"));
    }
    // An installation reaches the organisation's rulesets only with the organisation's
    // "Administration" permission (`organization_administration`).
    if matches!(t, T_ORG_RULESETS | T_ORG_RULESET)
        && !auth::installation_may(world, who, "organization_administration")
    {
        return Err(forbidden(
            who.not_accessible(),
            "organization_administration=read",
        ));
    }

    // The organisation's custom properties need its "Custom properties" permission.
    if matches!(t, T_ORG_VALUES | T_ORG_SCHEMA)
        && !auth::installation_may(world, who, "organization_custom_properties")
    {
        return Err(forbidden(
            who.not_accessible(),
            "organization_custom_properties=read",
        ));
    }
    Ok(idx)
}

#[expect(
    clippy::too_many_arguments,
    reason = "the request's parts, passed on as they are"
)]
fn route_call(
    sh: &Shared,
    world: &mut state::World,
    ctx: &Ctx,
    method: &str,
    rt: &Route,
    idx: Option<usize>,
    body: &Value,
    page: &Paging<'_>,
    who: &Principal,
) -> state::Res {
    use super::routes::{T_HISTORY, T_RULES, T_VERSION};
    let t = rt.template;
    match idx {
        Some(i) if matches!(t, T_RULESETS | T_RULESET | T_HISTORY | T_VERSION | T_RULES) => {
            ruleset_ops::repo_dispatch(world, i, ctx, method, rt, body, page, who)
        }
        Some(_) if matches!(t, T_REPO_PROPS | T_REPO_INST) => {
            org_ops::dispatch(sh, world, idx, ctx, rt, body, page, who)
        }
        Some(i) if routes::is_content(t) => {
            let login = who.login(world);
            issue_ops::dispatch(&mut world.repos[i], ctx, method, rt, body, page, &login)
        }
        Some(i) => repo_ops::dispatch(&mut world.repos[i], ctx, method, rt, body, page, who.role()),
        None if matches!(t, T_ORG_RULESETS | T_ORG_RULESET) => {
            ruleset_ops::org_dispatch(world, ctx, method, rt, body, page, who)
        }
        None => org_ops::dispatch(sh, world, None, ctx, rt, body, page, who),
    }
}

/// Parses and checks the request body: 400 for broken JSON or a non-object, 422 (recorded as
/// a violation) for a body that breaks the operation's request schema.
fn check_body(sh: &Shared, call: &Call<'_>, t: &'static str) -> Result<Value, Reply> {
    let body = match call.parsed {
        Some(Err(())) => return Err(error(400, "Problems parsing JSON", docs::REST)),
        Some(Ok(v)) => v.clone(),
        None => Value::Null,
    };
    let Ok(api) = crate::schema::api() else {
        return Ok(body);
    };
    if !matches!(call.method, "PUT" | "POST" | "PATCH") {
        return Ok(body);
    }
    if body.is_null() && api.body_optional(call.method, t) {
        return Ok(body);
    }
    if !body.is_null() && !body.is_object() {
        return Err(error(400, "Body should be a JSON object", docs::REST));
    }
    let Some(errs) = api.check_request(call.method, t, &body) else {
        return Ok(body);
    };
    if errs.is_empty() {
        return Ok(body);
    }
    lock(&sh.request_violations).push(Violation {
        method: call.method.to_owned(),
        path: call.raw_path.to_owned(),
        errors: errs.clone(),
    });
    if t == T_PROT
        && let Some(Value::Object(r)) = body.get("required_status_checks")
    {
        let both = r.contains_key("contexts") && r.contains_key("checks");
        let neither = !r.contains_key("contexts") && !r.contains_key("checks");
        if both || neither {
            return Err(state::one_of_error(both));
        }
    }
    let message = format!("Invalid request.\n\n{}", errs.join("\n"));
    Err(match t {
        T_PROT => state::invalid_simple(&message, &errs, docs::UPDATE_PROTECTION),
        // Rulesets answer "Validation Failed" with the problems as strings, as GitHub does
        // ("Invalid rule 'required_status_checks': ... Expected context to be present").
        T_RULESETS | T_RULESET => state::invalid_simple("Validation Failed", &errs, DOC),
        T_ORG_RULESETS | T_ORG_RULESET => {
            state::invalid_simple("Validation Failed", &errs, ORG_DOC)
        }
        _ => error(422, &message, docs::REST),
    })
}
