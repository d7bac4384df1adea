//! HTTP: authentication, headers, `ETag`s, faults, limits, validation and the log; the
//! operations themselves are in the submodules.

mod issue_ops;
mod org_ops;
mod paging;
mod repo_ops;
pub(crate) mod routes;
mod ruleset_ops;
mod serve;

use std::collections::BTreeMap;
use std::hash::{Hash as _, Hasher as _};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::Value;

use crate::auth::Minted;
use crate::faults::{Fault, FaultKind, echo_reply, fault_reply, take_fault};
use crate::limits::Limiter;
use crate::render::Ctx;
use crate::seed::TokenSeed;
use crate::state::{Reply, World};
use crate::sync::lock;
use crate::{LoggedRequest, Violation};

/// Everything the handlers share.
pub(crate) struct Shared {
    pub state: Mutex<World>,
    pub log: Mutex<Vec<LoggedRequest>>,
    pub request_violations: Mutex<Vec<Violation>>,
    pub response_violations: Mutex<Vec<Violation>>,
    pub faults: Mutex<Vec<Fault>>,
    pub latency: Mutex<Duration>,
    pub used: Mutex<u64>,
    /// GraphQL points spent (a budget of its own, as on GitHub).
    pub graphql_used: Mutex<u64>,
    /// GraphQL points per hour.
    pub graphql_budget: u64,
    pub reset: u64,
    /// The builder's admin token.
    pub token: String,
    /// Tokens with roles the builder added.
    pub extra_tokens: Vec<TokenSeed>,
    /// Installation tokens minted so far.
    pub minted: Mutex<BTreeMap<String, Minted>>,
    pub token_ttl: Mutex<Duration>,
    pub limiter: Limiter,
    pub primary_limit: u64,
    pub prefix: String,
    pub max_per_page: u64,
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

fn header(req: &Request<Incoming>, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// One request, as the handlers need it.
pub(crate) struct Call<'a> {
    pub method: &'a str,
    pub raw_path: &'a str,
    pub query: Option<&'a str>,
    pub host: &'a str,
    pub parsed: Option<&'a Result<Value, ()>>,
    pub cred: Option<&'a str>,
    pub in_flight: usize,
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
        caller: None,
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
    let cred = auth.as_deref().and_then(|a| {
        a.strip_prefix("Bearer ")
            .or_else(|| a.strip_prefix("token "))
            .or_else(|| a.strip_prefix("bearer "))
    });
    // Counted in flight from here to the answer, latency and delays included.
    let (_in_flight, in_flight) = shared.limiter.enter(cred.unwrap_or(""));

    let latency = *lock(&shared.latency);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    // Faults fire before anything else; Delay and TruncatedBody then let the request through.
    let mut truncate = false;
    let mut rewritten_status = None;
    let mut repeat_first = false;
    let mut rewritten = None;
    let mut reply = None;
    let operation = routes::template_of(&shared.prefix, &raw_path);
    match take_fault(&shared.faults, &method, &raw_path, operation) {
        Some(FaultKind::CloseConnection) => {
            logged.caller = serve::caller(&shared, cred);
            logged.authorized = logged.caller.is_some();
            lock(&shared.log).push(logged);
            return Err(Dropped);
        }
        Some(FaultKind::Delay(d)) => tokio::time::sleep(d).await,
        Some(FaultKind::TruncatedBody) => truncate = true,
        Some(FaultKind::RewriteStatus(status)) => rewritten_status = Some(status),
        Some(FaultKind::RepeatFirstItem) => repeat_first = true,
        Some(FaultKind::EchoAuthorization { status, shape }) => {
            reply = Some(echo_reply(status, shape, auth.as_deref().unwrap_or("")));
        }
        Some(FaultKind::Rewrite { pointer, value }) => rewritten = Some((pointer, value)),
        Some(kind) => reply = Some(fault_reply(&kind)),
        None => {}
    }

    let ctx = Ctx {
        api: format!("http://{host}{}", shared.prefix),
    };
    let mut template = None;
    // GraphQL has its own budget, whatever answers the request.
    let mut counted = raw_path != crate::graphql::path(&shared.prefix);
    let mut reply = if let Some(r) = reply {
        logged.caller = serve::caller(&shared, cred);
        logged.authorized = logged.caller.is_some();
        r
    } else {
        let call = Call {
            method: &method,
            raw_path: &raw_path,
            query: query.as_deref(),
            host: &host,
            parsed: parsed.as_ref(),
            cred,
            in_flight,
        };
        let out = serve::serve(&shared, &ctx, &call);
        template = out.template;
        logged.authorized = out.caller.is_some();
        logged.caller = out.caller;
        counted = counted && template != Some(routes::T_RATE);
        out.reply
    };
    if let (Some((pointer, value)), Some(body)) = (&rewritten, reply.body.as_mut()) {
        crate::faults::rewrite(body, pointer, value.clone());
    }

    if repeat_first
        && let Some(Value::Array(items)) = &mut reply.body
        && let Some(first) = items.first().cloned()
    {
        items.push(first);
    }

    // ETag / If-None-Match on successful GETs: a 304 does not count against the rate limit.
    let mut etag = None;
    if method == "GET"
        && reply.status == 200
        && let Some(body) = &reply.body
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
    if reply.status != 304 && counted {
        *lock(&shared.used) += 1;
    }

    // Every 2xx body the emulator sends is checked against the documented response schema.
    if (200..300).contains(&reply.status)
        && rewritten.is_none()
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

    if let Some(status) = rewritten_status {
        reply.status = status;
    }
    logged.status = reply.status;
    lock(&shared.log).push(logged);
    Ok(build_response(&shared, &reply, etag, truncate))
}

/// Builds the HTTP answer: GitHub's headers, the rate-limit headers and the body.
fn build_response(
    shared: &Shared,
    reply: &Reply,
    etag: Option<String>,
    truncate: bool,
) -> Response<Full<Bytes>> {
    let used = *lock(&shared.used);
    let mut b = Response::builder()
        .status(reply.status)
        .header(
            "content-type",
            if reply.text.is_some() {
                "text/html; charset=utf-8"
            } else {
                "application/json; charset=utf-8"
            },
        )
        .header("x-github-media-type", "github.v3; format=json")
        .header("x-github-api-version-selected", "2022-11-28")
        .header("x-github-request-id", format!("EMU:{used:08X}"));
    let own_rate = reply
        .headers
        .iter()
        .any(|(k, _)| k == "x-ratelimit-remaining");
    if !own_rate {
        b = b
            .header("x-ratelimit-limit", shared.primary_limit.to_string())
            .header(
                "x-ratelimit-remaining",
                shared.primary_limit.saturating_sub(used).to_string(),
            )
            .header("x-ratelimit-reset", shared.reset.to_string())
            .header("x-ratelimit-used", used.to_string())
            .header("x-ratelimit-resource", "core");
    }
    if let Some(t) = etag {
        b = b.header("etag", t);
    }
    for (k, v) in &reply.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    let mut body = match (&reply.text, &reply.body) {
        (Some(text), _) => text.as_bytes().to_vec(),
        (None, Some(json)) => json.to_string().into_bytes(),
        (None, None) => Vec::new(),
    };
    if truncate {
        body.truncate(body.len() / 2);
    }
    b.body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}
