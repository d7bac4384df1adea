//! `POST /graphql` (on GHES, `/api/graphql`): the subset of GitHub's GraphQL API gh-policy
//! queries, answered from the same world as the REST operations.
//!
//! A query is parsed (`syntax`), checked against GitHub's published schema (`sdl`,
//! `validate`: unknown fields and arguments are errors and nothing runs), costed in points
//! from its own hourly budget (`exec::cost`, reported through `rateLimit`), then run
//! (`exec`, `resolve` over `objects`). Answers are GitHub's: 200 with `data`, and `errors` beside it for a
//! field nulled (a repository the caller cannot see, protection a reader may not read).

mod exec;
mod lex;
mod objects;
mod resolve;
mod rulesets;
mod sdl;
mod syntax;
mod validate;

use serde_json::{Map, Value, json};

use crate::render;
use crate::seed::Role;
use crate::state::{Reply, World, docs, error};

/// The endpoint's template in the log and the statistics.
pub(crate) const TEMPLATE: &str = "/graphql";

/// The GraphQL points one token has per hour (a personal token's, as on GitHub), unless
/// the builder sets another.
pub(crate) const BUDGET: u64 = 5000;
/// The most nodes one query may ask for.
pub(crate) const MAX_NODES: u64 = 500_000;

/// Returns the GraphQL endpoint's path for an API path prefix: `/graphql` beside the REST
/// root on github.com, `/api/graphql` beside `/api/v3` on GHES.
pub(crate) fn path(prefix: &str) -> String {
    match prefix.strip_suffix("/v3") {
        Some(api) => format!("{api}/graphql"),
        None => format!("{prefix}/graphql"),
    }
}

/// Checks a query document against the vendored schema without running it: the messages
/// of every problem (empty when GitHub would accept it). For tests of the queries a client
/// sends.
pub fn check_query(query: &str) -> Vec<String> {
    let schema = match sdl::schema() {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    match syntax::parse(query) {
        Err((m, l, c)) => vec![format!("{m} at [{l}, {c}]")],
        Ok(op) => validate::check(schema, &op)
            .iter()
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect(),
    }
}

/// The caller, as the GraphQL handler needs it.
pub(crate) struct Caller<'a> {
    pub role: Role,
    pub reaches: &'a dyn Fn(&str, &str) -> bool,
    /// Whether the caller may edit the organisation's rulesets.
    pub edits_org_rulesets: bool,
}

fn errors_only(errors: Vec<Value>) -> Reply {
    let mut body = Map::new();
    body.insert("errors".into(), Value::Array(errors));
    Reply::json(200, Value::Object(body))
}

fn rate_headers(used: u64, budget: u64, reset: u64) -> Vec<(String, String)> {
    vec![
        ("x-ratelimit-limit".into(), budget.to_string()),
        (
            "x-ratelimit-remaining".into(),
            budget.saturating_sub(used).to_string(),
        ),
        ("x-ratelimit-used".into(), used.to_string()),
        ("x-ratelimit-reset".into(), reset.to_string()),
        ("x-ratelimit-resource".into(), "graphql".into()),
    ]
}

/// Answers one `POST /graphql`; `used` is the caller's GraphQL points so far, updated, of
/// its `budget` this hour.
pub(crate) fn serve(
    world: &World,
    caller: &Caller<'_>,
    body: Option<&Result<Value, ()>>,
    (used, budget): (&mut u64, u64),
    reset: u64,
) -> Reply {
    let body = match body {
        Some(Ok(b)) => b,
        Some(Err(())) => return error(400, "Problems parsing JSON", docs::REST),
        None => &Value::Null,
    };
    let Some(text) = body.get("query").and_then(Value::as_str) else {
        return errors_only(vec![
            json!({"message": "A query attribute must be specified and must be a string."}),
        ]);
    };
    let empty = Map::new();
    let variables = match body.get("variables") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(v)) => v,
        Some(_) => {
            return errors_only(vec![json!({"message": "Variables are invalid JSON."})]);
        }
    };
    let schema = match sdl::schema() {
        Ok(s) => s,
        Err(e) => return error(500, &e, docs::REST),
    };
    let op = match syntax::parse(text) {
        Ok(op) => op,
        Err((message, line, column)) => {
            return errors_only(vec![json!({
                "message": format!("{message} at [{line}, {column}]"),
                "locations": [{"line": line, "column": column}],
            })]);
        }
    };
    let problems = validate::check(schema, &op);
    if !problems.is_empty() {
        return errors_only(problems);
    }
    let (cost, nodes) = exec::cost(variables, &op.selection);
    if nodes > MAX_NODES {
        return errors_only(vec![json!({
            "type": "MAX_NODE_LIMIT_EXCEEDED",
            "message": format!("This query requests up to {nodes} possible nodes which exceeds the maximum limit of {MAX_NODES}."),
        })]);
    }
    if *used + cost > budget {
        let mut reply = errors_only(vec![json!({
            "type": "RATE_LIMITED",
            "message": "API rate limit exceeded for this token.",
        })]);
        reply.headers = rate_headers(*used, budget, reset);
        return reply;
    }
    *used += cost;
    let scope = objects::Scope {
        world,
        role: caller.role,
        reaches: caller.reaches,
        edits_org_rulesets: caller.edits_org_rulesets,
        rate: (cost, budget - *used, *used, budget, render::iso(reset)),
    };
    let mut run = exec::Run {
        schema,
        variables,
        scope: &scope,
        errors: Vec::new(),
    };
    let data = run
        .select(&objects::Obj::Query, &op.selection, &mut Vec::new())
        .map_or(Value::Null, Value::Object);
    let mut answer = json!({ "data": data });
    if !run.errors.is_empty() {
        answer["errors"] = Value::Array(run.errors);
    }
    let mut reply = Reply::json(200, answer);
    reply.headers = rate_headers(*used, budget, reset);
    reply
}
