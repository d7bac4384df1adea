//! HTTP: routing, authentication, headers, pagination, `ETag`s, faults, validation and the log.

use std::hash::{Hash as _, Hasher as _};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::{Value, json};

use crate::render::{self, Ctx};
use crate::state::{self, Reply, Res, State, docs, error};
use crate::{Fault, FaultKind, LoggedRequest, Violation};

/// Everything the handlers share.
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub log: Mutex<Vec<LoggedRequest>>,
    pub request_violations: Mutex<Vec<Violation>>,
    pub response_violations: Mutex<Vec<Violation>>,
    pub faults: Mutex<Vec<Fault>>,
    pub latency: Mutex<Duration>,
    pub used: Mutex<u64>,
    pub reset: u64,
    pub token: String,
    pub prefix: String,
    pub max_per_page: u64,
}

/// Locks a mutex, ignoring poisoning (a panicking test must not hide the log).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The error that makes hyper drop a connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}
impl std::error::Error for Dropped {}

const LIMIT: u64 = 5000;

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn header(req: &Request<Incoming>, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Serves one request.
#[expect(
    clippy::too_many_lines,
    reason = "the request's life in order reads best in one place"
)]
pub(crate) async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let method = req.method().as_str().to_owned();
    let raw_path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let host = header(&req, "host").unwrap_or_else(|| "127.0.0.1".into());
    let auth = header(&req, "authorization");
    let mut logged = LoggedRequest {
        method: method.clone(),
        path: raw_path.clone(),
        query: query.clone(),
        body: None,
        status: 0,
        accept: header(&req, "accept"),
        api_version: header(&req, "x-github-api-version"),
        user_agent: header(&req, "user-agent"),
        if_none_match: header(&req, "if-none-match"),
        content_type: header(&req, "content-type"),
        authorized: false,
    };
    let bytes = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Err(Dropped),
    };
    let parsed: Option<Result<Value, ()>> = if bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(serde_json::from_slice(&bytes).map_err(|_| ()))
    };
    if let Some(Ok(v)) = &parsed {
        logged.body = Some(v.clone());
    }
    let token = auth.as_deref().and_then(|a| {
        a.strip_prefix("Bearer ")
            .or_else(|| a.strip_prefix("token "))
            .or_else(|| a.strip_prefix("bearer "))
    });
    logged.authorized = token == Some(shared.token.as_str());

    let latency = *lock(&shared.latency);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    // Faults fire before anything else; Delay and TruncatedBody then let the request through.
    let mut truncate = false;
    let fault = take_fault(&shared, &method, &raw_path);
    let mut reply = None;
    match fault {
        Some(FaultKind::CloseConnection) => {
            lock(&shared.log).push(logged);
            return Err(Dropped);
        }
        Some(FaultKind::Delay(d)) => tokio::time::sleep(d).await,
        Some(FaultKind::TruncatedBody) => truncate = true,
        Some(kind) => reply = Some(fault_reply(&kind)),
        None => {}
    }

    let ctx = Ctx {
        api: format!("http://{host}{}", shared.prefix),
    };
    let mut template = None;
    let mut reply = match reply {
        Some(r) => r,
        None => {
            if token.is_none() {
                error(401, "Requires authentication", docs::REST)
            } else if !logged.authorized {
                error(401, "Bad credentials", docs::REST)
            } else {
                let (t, r) = serve(
                    &shared,
                    &ctx,
                    &method,
                    &raw_path,
                    query.as_deref(),
                    &host,
                    parsed.as_ref(),
                );
                template = t;
                r
            }
        }
    };

    // ETag / If-None-Match on successful GETs: a 304 does not count against the rate limit.
    let mut etag = None;
    if method == "GET"
        && reply.status == 200
        && let Some(body) = &reply.body
    {
        {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            body.to_string().hash(&mut h);
            let tag = format!("W/\"{:016x}\"", h.finish());
            let matches = logged.if_none_match.as_deref().is_some_and(|inm| {
                inm.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == tag.trim_start_matches("W/"))
            });
            if matches {
                reply = Reply::empty(304);
            }
            etag = Some(tag);
        }
    }
    if reply.status != 304 {
        *lock(&shared.used) += 1;
    }

    // Every 2xx body the emulator sends is checked against the documented response schema.
    if (200..300).contains(&reply.status)
        && let (Some(t), Some(body)) = (template, &reply.body)
        && let Ok(api) = crate::schema::api()
        && let Some(errs) = api.check_response(&method, t, reply.status, body)
        && !errs.is_empty()
    {
        lock(&shared.response_violations).push(Violation {
            method: method.clone(),
            path: raw_path.clone(),
            errors: errs,
        });
    }

    logged.status = reply.status;
    lock(&shared.log).push(logged);
    Ok(build_response(&shared, &reply, etag, truncate))
}

fn take_fault(shared: &Shared, method: &str, path: &str) -> Option<FaultKind> {
    let mut faults = lock(&shared.faults);
    let i = faults.iter().position(|f| {
        f.times > 0
            && f.method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && path.contains(&f.path_contains)
    })?;
    faults[i].times -= 1;
    let kind = faults[i].kind.clone();
    if faults[i].times == 0 {
        faults.remove(i);
    }
    Some(kind)
}

fn fault_reply(kind: &FaultKind) -> Reply {
    match kind {
        FaultKind::Status(code) => {
            let message = match code {
                500 => "Server Error",
                502 => "Bad Gateway",
                503 => "Service Unavailable",
                504 => "Gateway Timeout",
                404 => "Not Found",
                403 => "Forbidden",
                _ => "Error",
            };
            error(*code, message, docs::REST)
        }
        FaultKind::PrimaryRateLimit { reset_in } => {
            let mut r = error(
                403,
                "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.",
                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit",
            );
            r.headers.push(("x-ratelimit-remaining".into(), "0".into()));
            r.headers
                .push(("x-ratelimit-used".into(), LIMIT.to_string()));
            r.headers.push((
                "x-ratelimit-reset".into(),
                (now_secs() + reset_in.as_secs()).to_string(),
            ));
            r
        }
        FaultKind::SecondaryRateLimit { retry_after } => {
            let mut r = error(
                403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            );
            if let Some(s) = retry_after {
                r.headers.push(("retry-after".into(), s.to_string()));
            }
            r
        }
        FaultKind::Forbidden {
            accepted_permissions,
        } => {
            let mut r = error(
                403,
                "Resource not accessible by personal access token",
                docs::REST,
            );
            r.headers.push((
                "x-accepted-github-permissions".into(),
                accepted_permissions.clone(),
            ));
            r
        }
        // Handled by the caller.
        FaultKind::TruncatedBody | FaultKind::CloseConnection | FaultKind::Delay(_) => {
            error(500, "Server Error", docs::REST)
        }
    }
}

fn build_response(
    shared: &Shared,
    reply: &Reply,
    etag: Option<String>,
    truncate: bool,
) -> Response<Full<Bytes>> {
    let used = *lock(&shared.used);
    let mut b = Response::builder()
        .status(reply.status)
        .header("content-type", "application/json; charset=utf-8")
        .header("x-github-media-type", "github.v3; format=json")
        .header("x-github-api-version-selected", "2022-11-28")
        .header("x-github-request-id", format!("EMU:{used:08X}"));
    let own_rate = reply
        .headers
        .iter()
        .any(|(k, _)| k == "x-ratelimit-remaining");
    b = b.header("x-ratelimit-limit", LIMIT.to_string());
    if !own_rate {
        b = b
            .header(
                "x-ratelimit-remaining",
                LIMIT.saturating_sub(used).to_string(),
            )
            .header("x-ratelimit-reset", shared.reset.to_string())
            .header("x-ratelimit-used", used.to_string());
    }
    b = b.header("x-ratelimit-resource", "core");
    if let Some(t) = etag {
        b = b.header("etag", t);
    }
    for (k, v) in &reply.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    let mut body = reply
        .body
        .as_ref()
        .map(|v| v.to_string().into_bytes())
        .unwrap_or_default();
    if truncate {
        body.truncate(body.len() / 2);
    }
    b.body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

// -------------------------------------------------------------------------- routing

const T_REPO: &str = "/repos/{owner}/{repo}";
const T_BRANCHES: &str = "/repos/{owner}/{repo}/branches";
const T_BRANCH: &str = "/repos/{owner}/{repo}/branches/{branch}";
const T_PROT: &str = "/repos/{owner}/{repo}/branches/{branch}/protection";
const T_RSC: &str = "/repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks";
const T_RPR: &str =
    "/repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews";
const T_ADM: &str = "/repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins";
const T_SIG: &str = "/repos/{owner}/{repo}/branches/{branch}/protection/required_signatures";
const T_ENVS: &str = "/repos/{owner}/{repo}/environments";
const T_ENV: &str = "/repos/{owner}/{repo}/environments/{environment_name}";
const T_POLS: &str =
    "/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies";
const T_POL: &str = "/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}";
const T_SECRETS: &str = "/repos/{owner}/{repo}/environments/{environment_name}/secrets";
const T_PUBKEY: &str = "/repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key";
const T_SECRET: &str =
    "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
const T_VARS: &str = "/repos/{owner}/{repo}/environments/{environment_name}/variables";
const T_VAR: &str = "/repos/{owner}/{repo}/environments/{environment_name}/variables/{name}";
const T_RULESETS: &str = "/repos/{owner}/{repo}/rulesets";
const T_RULES: &str = "/repos/{owner}/{repo}/rules/branches/{branch}";
const T_USER: &str = "/users/{username}";
const T_TEAM: &str = "/orgs/{org}/teams/{team_slug}";
const T_APP: &str = "/apps/{app_slug}";

/// A matched route: the operation's path template and its decoded parameters.
struct Route {
    template: &'static str,
    /// branch, environment, or login/slug.
    a: String,
    /// policy id, secret or variable name.
    b: String,
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn route(segs: &[&str]) -> Option<Route> {
    let r = |template, a: String, b: String| Some(Route { template, a, b });
    let d = |s: &str| decode(s);
    match segs {
        ["users", u] => r(T_USER, d(u), String::new()),
        ["orgs", o, "teams", t] => r(T_TEAM, d(o), d(t)),
        ["apps", a] => r(T_APP, d(a), String::new()),
        ["repos", _, _] => r(T_REPO, String::new(), String::new()),
        ["repos", _, _, "branches"] => r(T_BRANCHES, String::new(), String::new()),
        ["repos", _, _, "rulesets"] => r(T_RULESETS, String::new(), String::new()),
        ["repos", _, _, "rules", "branches", rest @ ..] if !rest.is_empty() => {
            r(T_RULES, join(rest), String::new())
        }
        ["repos", _, _, "branches", rest @ ..] if !rest.is_empty() => branch_route(rest),
        ["repos", _, _, "environments"] => r(T_ENVS, String::new(), String::new()),
        ["repos", _, _, "environments", e] => r(T_ENV, d(e), String::new()),
        [
            "repos",
            _,
            _,
            "environments",
            e,
            "deployment-branch-policies",
        ] => r(T_POLS, d(e), String::new()),
        [
            "repos",
            _,
            _,
            "environments",
            e,
            "deployment-branch-policies",
            id,
        ] => r(T_POL, d(e), d(id)),
        ["repos", _, _, "environments", e, "secrets"] => r(T_SECRETS, d(e), String::new()),
        ["repos", _, _, "environments", e, "secrets", "public-key"] => {
            r(T_PUBKEY, d(e), String::new())
        }
        ["repos", _, _, "environments", e, "secrets", s] => r(T_SECRET, d(e), d(s)),
        ["repos", _, _, "environments", e, "variables"] => r(T_VARS, d(e), String::new()),
        ["repos", _, _, "environments", e, "variables", v] => r(T_VAR, d(e), d(v)),
        _ => None,
    }
}

fn join(segs: &[&str]) -> String {
    segs.iter().map(|s| decode(s)).collect::<Vec<_>>().join("/")
}

/// Splits `{branch}[/protection[/sub]]`, where the branch may span several segments.
fn branch_route(rest: &[&str]) -> Option<Route> {
    let n = rest.len();
    let sub = |s: &str| match s {
        "required_status_checks" => Some(T_RSC),
        "required_pull_request_reviews" => Some(T_RPR),
        "enforce_admins" => Some(T_ADM),
        "required_signatures" => Some(T_SIG),
        _ => None,
    };
    let (template, branch) = if n >= 3 && rest[n - 2] == "protection" && sub(rest[n - 1]).is_some()
    {
        (sub(rest[n - 1])?, &rest[..n - 2])
    } else if n >= 2 && rest[n - 1] == "protection" {
        (T_PROT, &rest[..n - 1])
    } else {
        (T_BRANCH, rest)
    };
    Some(Route {
        template,
        a: join(branch),
        b: String::new(),
    })
}

/// Which methods each template answers.
fn allowed(template: &str, method: &str) -> bool {
    let m = method;
    match template {
        T_REPO | T_BRANCHES | T_BRANCH | T_ENVS | T_SECRETS | T_PUBKEY | T_USER | T_TEAM
        | T_APP | T_RULESETS | T_RULES => m == "GET",
        T_PROT | T_ENV | T_SECRET => matches!(m, "GET" | "PUT" | "DELETE"),
        T_RSC | T_RPR | T_VAR => matches!(m, "GET" | "PATCH" | "DELETE"),
        T_ADM | T_SIG => matches!(m, "GET" | "POST" | "DELETE"),
        T_POLS | T_VARS => matches!(m, "GET" | "POST"),
        T_POL => matches!(m, "GET" | "PUT" | "DELETE"),
        _ => false,
    }
}

fn serve(
    shared: &Shared,
    ctx: &Ctx,
    method: &str,
    raw_path: &str,
    query: Option<&str>,
    host: &str,
    parsed: Option<&Result<Value, ()>>,
) -> (Option<&'static str>, Reply) {
    let Some(path) = raw_path.strip_prefix(shared.prefix.as_str()) else {
        return (None, error(404, "Not Found", docs::REST));
    };
    // A trailing slash or an empty segment is a 404, as on GitHub.
    let segs: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return (None, error(404, "Not Found", docs::REST));
    }
    let Some(rt) = route(&segs).filter(|r| allowed(r.template, method)) else {
        return (None, error(404, "Not Found", docs::REST));
    };
    let template = rt.template;

    let mut st = lock(&shared.state);
    if segs[0] == "repos"
        && (!segs[1].eq_ignore_ascii_case(&st.repo.owner)
            || !segs[2].eq_ignore_ascii_case(&st.repo.name))
    {
        return (Some(template), error(404, "Not Found", docs::REST));
    }

    // The request body: 400 for broken JSON or a non-object, 422 for a schema violation.
    let body = match parsed {
        Some(Err(())) => {
            return (
                Some(template),
                error(400, "Problems parsing JSON", docs::REST),
            );
        }
        Some(Ok(v)) => v.clone(),
        None => Value::Null,
    };
    let api = crate::schema::api().ok();
    let writes = matches!(method, "PUT" | "POST" | "PATCH");
    if writes && let Some(api) = api {
        let optional = api.body_optional(method, template);
        let checked = !(body.is_null() && optional);
        if checked && !body.is_null() && !body.is_object() {
            return (
                Some(template),
                error(400, "Body should be a JSON object", docs::REST),
            );
        }
        if checked
            && let Some(errs) = api.check_request(method, template, &body)
            && !errs.is_empty()
        {
            {
                lock(&shared.request_violations).push(Violation {
                    method: method.to_owned(),
                    path: raw_path.to_owned(),
                    errors: errs.clone(),
                });
                if template == T_PROT
                    && let Some(Value::Object(r)) = body.get("required_status_checks")
                {
                    let both = r.contains_key("contexts") && r.contains_key("checks");
                    let neither = !r.contains_key("contexts") && !r.contains_key("checks");
                    if both || neither {
                        return (Some(template), state::one_of_error(both));
                    }
                }
                let message = format!("Invalid request.\n\n{}", errs.join("\n"));
                let reply = if template == T_PROT {
                    state::invalid_simple(&message, &errs, docs::UPDATE_PROTECTION)
                } else {
                    error(422, &message, docs::REST)
                };
                return (Some(template), reply);
            }
        }
    }

    let page = Paging {
        link_base: format!("http://{host}{raw_path}"),
        query: query.unwrap_or(""),
        cap: shared.max_per_page,
    };
    let reply = dispatch(&mut st, ctx, method, &rt, &body, &page).unwrap_or_else(|e| e);
    (Some(template), reply)
}

struct Paging<'a> {
    link_base: String,
    query: &'a str,
    cap: u64,
}

impl Paging<'_> {
    fn param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then(|| decode(v))
        })
    }

    /// Cuts one page out of `items` and adds the `Link` header when there is more than one.
    fn page(
        &self,
        items: Vec<Value>,
        default: u64,
        max: u64,
        reply_headers: &mut Vec<(String, String)>,
    ) -> Vec<Value> {
        let per_page = self
            .param("per_page")
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|v| *v > 0)
            .unwrap_or(default)
            .min(max)
            .min(self.cap)
            .max(1);
        let page = self
            .param("page")
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|v| *v > 0)
            .unwrap_or(1);
        let total = items.len() as u64;
        let last = total.div_ceil(per_page).max(1);
        if last > 1 {
            let link = |p: u64| {
                let mut q: Vec<String> = self
                    .query
                    .split('&')
                    .filter(|kv| {
                        !kv.is_empty() && !kv.starts_with("page=") && !kv.starts_with("per_page=")
                    })
                    .map(str::to_owned)
                    .collect();
                q.push(format!("per_page={per_page}"));
                q.push(format!("page={p}"));
                format!("<{}?{}>", self.link_base, q.join("&"))
            };
            let mut parts = Vec::new();
            if page > 1 {
                parts.push(format!("{}; rel=\"prev\"", link(page.min(last + 1) - 1)));
            }
            if page < last {
                parts.push(format!("{}; rel=\"next\"", link(page + 1)));
                parts.push(format!("{}; rel=\"last\"", link(last)));
            }
            if page > 1 {
                parts.push(format!("{}; rel=\"first\"", link(1)));
            }
            reply_headers.push(("link".into(), parts.join(", ")));
        }
        let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let n = usize::try_from(per_page).unwrap_or(usize::MAX);
        items.into_iter().skip(start).take(n).collect()
    }
}

#[expect(
    clippy::too_many_lines,
    clippy::many_single_char_names,
    reason = "one flat match over the operations reads best; a and b are the two path parameters"
)]
fn dispatch(
    st: &mut State,
    ctx: &Ctx,
    method: &str,
    rt: &Route,
    body: &Value,
    pg: &Paging<'_>,
) -> Res {
    let (a, b) = (rt.a.as_str(), rt.b.as_str());
    let ok = |v: Value| Ok(Reply::json(200, v));
    match (rt.template, method) {
        (T_USER, _) => {
            let u = st
                .user(a)
                .ok_or_else(|| error(404, "Not Found", docs::REST))?;
            ok(render::public_user(ctx, &u.login, u.id))
        }
        (T_TEAM, _) => {
            let t = st
                .team(b)
                .filter(|_| {
                    a.eq_ignore_ascii_case(&st.repo.owner) && st.repo.owner_type == "Organization"
                })
                .ok_or_else(|| error(404, "Not Found", docs::REST))?;
            ok(render::team_full(ctx, &st.repo, t))
        }
        (T_APP, _) => {
            let app = st
                .app(a)
                .ok_or_else(|| error(404, "Not Found", docs::REST))?;
            ok(render::app(ctx, &st.repo, app))
        }
        (T_REPO, _) => ok(render::repository(ctx, &st.repo, st.repo_id)),
        (T_RULESETS | T_RULES, _) => ok(json!([])),
        (T_BRANCHES, _) => {
            let filter = pg.param("protected").map(|v| v == "true" || v == "1");
            let items = st
                .branches
                .iter()
                .filter(|(_, br)| filter.is_none_or(|f| br.protection.is_some() == f))
                .map(|(n, br)| st.short_branch_json(ctx, n, br))
                .collect();
            let mut r = Reply::json(200, Value::Null);
            r.body = Some(Value::Array(pg.page(items, 30, 100, &mut r.headers)));
            Ok(r)
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

fn policy_json(p: &state::Policy) -> Value {
    json!({"id": p.id, "node_id": render::node_id("DBP", p.id), "name": p.name, "type": p.kind})
}
