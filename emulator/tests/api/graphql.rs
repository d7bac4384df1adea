//! `POST /graphql`: the subset gh-policy queries, from the same state as the REST answers;
//! unknown fields are errors, fields a token may not read are null with an error beside
//! them, and the points come from a budget of their own.

use crate::common;

use gh_policy_emulator::{Emulator, Role, graphql};
use serde_json::{Value, json};

use common::{call, call_as, get, org_seed};

const RULES: &str = "query($owner: String!, $name: String!) {
  rateLimit { cost remaining used limit resetAt }
  repository(owner: $owner, name: $name) {
    nameWithOwner isArchived isFork viewerPermission defaultBranchRef { name }
    branchProtectionRules(first: 10) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes {
        pattern isAdminEnforced requiresStatusChecks requiresStrictStatusChecks
        requiredStatusChecks { context app { slug databaseId } }
        requiresApprovingReviews requiredApprovingReviewCount restrictsPushes
        matchingRefs(first: 10) { nodes { name } }
        pushAllowances(first: 10) { nodes { actor { __typename ... on User { login } ... on Team { slug } ... on App { slug } } } }
      }
    }
  }
}";

fn query(emu: &Emulator, token: Option<&str>, text: &str, variables: &Value) -> common::Resp {
    let body = json!({"query": text, "variables": variables});
    match token {
        None => call(emu, "POST", "/graphql", Some(body)),
        Some(t) => call_as(emu, t, "POST", "/graphql", Some(body)),
    }
}

#[test]
fn reads_repositories_and_their_protection_from_the_rest_state() {
    let emu = Emulator::start(org_seed());
    let r = query(&emu, None, RULES, &json!({"owner": "acme", "name": "api"}));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-ratelimit-resource"), Some("graphql"));
    let body = r.json();
    assert!(body.get("errors").is_none(), "{body}");
    let repo = &body["data"]["repository"];
    assert_eq!(repo["nameWithOwner"], "acme/api");
    assert_eq!(repo["defaultBranchRef"]["name"], "main");
    assert_eq!(repo["viewerPermission"], "ADMIN");
    let rules = &repo["branchProtectionRules"];
    assert_eq!(rules["totalCount"], 1);
    let rule = &rules["nodes"][0];
    // The same protection GET …/branches/main/protection answers.
    let rest = get(&emu, "/repos/acme/api/branches/main/protection").json();
    assert_eq!(rule["pattern"], "main");
    assert_eq!(rule["matchingRefs"]["nodes"], json!([{"name": "main"}]));
    assert_eq!(rule["isAdminEnforced"], rest["enforce_admins"]["enabled"]);
    assert_eq!(
        rule["requiresStrictStatusChecks"],
        rest["required_status_checks"]["strict"]
    );
    assert_eq!(
        rule["requiredStatusChecks"],
        json!([{"context": "ci", "app": null}])
    );
    assert_eq!(rule["requiresApprovingReviews"], false);
    assert_eq!(rule["restrictsPushes"], false);
    assert_eq!(body["data"]["rateLimit"]["cost"], 1);
    // GraphQL points are their own budget: the REST one is untouched by the query.
    assert_eq!(body["data"]["rateLimit"]["used"], 1);
    assert_eq!(emu.rate_limit_used(), 1, "only the REST GET above counts");
    let archived = query(&emu, None, RULES, &json!({"owner": "acme", "name": "old"})).json();
    assert_eq!(archived["data"]["repository"]["isArchived"], true);
    let web = query(&emu, None, RULES, &json!({"owner": "acme", "name": "web"})).json();
    assert_eq!(
        web["data"]["repository"]["defaultBranchRef"]["name"],
        "trunk"
    );
}

#[test]
fn unknown_fields_are_errors_and_nothing_runs() {
    let emu = Emulator::start(org_seed());
    let r = query(
        &emu,
        None,
        "{ repository(owner: \"acme\", name: \"api\") { nameWithOwner branchRules } }",
        &json!({}),
    );
    assert_eq!(r.status, 200);
    let body = r.json();
    assert!(body.get("data").is_none());
    assert_eq!(body["errors"][0]["extensions"]["code"], "undefinedField");
    assert_eq!(
        body["errors"][0]["message"],
        "Field 'branchRules' doesn't exist on type 'Repository'"
    );
    let syntax = query(&emu, None, "{ repository(owner: ", &json!({})).json();
    assert!(
        syntax["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at [1,")
    );
    let wide = query(&emu, None, "{ repository(owner: \"acme\", name: \"api\") { branchProtectionRules(first: 101) { totalCount } } }", &json!({})).json();
    assert!(
        wide["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("exceeds the `first` limit of 100")
    );
    assert_eq!(graphql::check_query(RULES), Vec::<String>::new());
    assert_eq!(
        graphql::check_query("{ viewer { nope } }"),
        ["Field 'nope' doesn't exist on type 'User'"]
    );
}

#[test]
fn what_a_token_may_not_read_is_null_with_an_error() {
    let emu = Emulator::builder(org_seed())
        .token_with_role("reader", Role::Read)
        .start();
    let body = query(
        &emu,
        Some("reader"),
        RULES,
        &json!({"owner": "acme", "name": "api"}),
    )
    .json();
    // `branchProtectionRules` cannot be null, so its repository is null with the error.
    assert_eq!(body["data"]["repository"], Value::Null);
    assert_eq!(body["errors"][0]["type"], "FORBIDDEN");
    assert_eq!(
        body["errors"][0]["path"],
        json!(["repository", "branchProtectionRules"])
    );
    let missing = query(&emu, None, RULES, &json!({"owner": "acme", "name": "nope"})).json();
    assert_eq!(missing["data"]["repository"], Value::Null);
    assert_eq!(missing["errors"][0]["type"], "NOT_FOUND");
    assert_eq!(missing["data"]["rateLimit"]["cost"], 1);
}

#[test]
fn served_beside_the_rest_root_on_ghes() {
    let emu = Emulator::builder(org_seed()).path_prefix("/api/v3").start();
    let body = json!({"query": "{ rateLimit { remaining } }"});
    let r = call(&emu, "POST", "/api/graphql", Some(body));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"]["rateLimit"]["remaining"], 4999);
    assert_eq!(call(&emu, "GET", "/api/graphql", None).status, 404);
    let stats = emu.stats();
    assert_eq!(stats.requests.get("POST /graphql"), Some(&1));
}
