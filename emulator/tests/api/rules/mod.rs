//! Effective rules of a branch: which rulesets apply where (organisation rulesets in
//! `org.rs`), and the helpers both share.

mod org;

use gh_policy_emulator::Emulator;
use serde_json::{Value, json};

use crate::common::{assert_clean, call, get, org_seed};

fn ruleset(
    name: &str,
    enforcement: &str,
    include: &[&str],
    exclude: &[&str],
    rules: Value,
) -> Value {
    let mut ruleset = json!({"name": name, "enforcement": enforcement,
           "conditions": {"ref_name": {"include": include, "exclude": exclude}}});
    ruleset["rules"] = rules;
    ruleset
}

fn rules_of(emu: &Emulator, repo: &str, branch: &str) -> Vec<(String, String, u64)> {
    let r = get(emu, &format!("/repos/acme/{repo}/rules/branches/{branch}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["type"].as_str().unwrap().to_owned(),
                x["ruleset_source_type"].as_str().unwrap().to_owned(),
                x["ruleset_id"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn create(emu: &Emulator, path: &str, body: Value) -> u64 {
    let r = call(emu, "POST", path, Some(body));
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_u64().unwrap()
}

#[test]
fn a_branch_gets_one_item_per_rule_of_every_active_matching_ruleset() {
    let emu = Emulator::start(org_seed());
    let rs = "/repos/acme/api/rulesets";
    let a = create(
        &emu,
        rs,
        ruleset(
            "a",
            "active",
            &["~DEFAULT_BRANCH", "refs/heads/release/*"],
            &["refs/heads/release/old"],
            json!([{"type": "deletion"}, {"type": "non_fast_forward"}]),
        ),
    );
    let b = create(
        &emu,
        rs,
        ruleset(
            "b",
            "active",
            &["refs/heads/**/*"],
            &[],
            json!([{"type": "required_linear_history"}]),
        ),
    );
    create(
        &emu,
        rs,
        ruleset(
            "c",
            "evaluate",
            &["~ALL"],
            &[],
            json!([{"type": "creation"}]),
        ),
    );
    create(
        &emu,
        rs,
        ruleset("d", "disabled", &["~ALL"], &[], json!([{"type": "update"}])),
    );
    create(
        &emu,
        rs,
        json!({"name": "e", "enforcement": "active", "target": "tag",
        "conditions": {"ref_name": {"include": ["~ALL"]}}, "rules": [{"type": "deletion"}]}),
    );
    create(
        &emu,
        rs,
        json!({"name": "f", "enforcement": "active", "rules": [{"type": "deletion"}]}),
    );
    let repo = |t: &str, id| (t.to_owned(), "Repository".to_owned(), id);
    // Reversed order of the rules within a ruleset (the default realism).
    assert_eq!(
        rules_of(&emu, "api", "main"),
        [
            repo("non_fast_forward", a),
            repo("deletion", a),
            repo("required_linear_history", b)
        ]
    );
    // `*` stops at `/`, `**/` does not; the branch need not exist.
    assert_eq!(rules_of(&emu, "api", "release/v2").len(), 3);
    assert_eq!(
        rules_of(&emu, "api", "release/a/b"),
        [repo("required_linear_history", b)]
    );
    assert_eq!(rules_of(&emu, "api", "release%2Fv2").len(), 3);
    assert_eq!(
        rules_of(&emu, "api", "release/old"),
        [repo("required_linear_history", b)]
    );
    assert_eq!(
        rules_of(&emu, "api", "dev"),
        [repo("required_linear_history", b)]
    );
    let item = &get(&emu, "/repos/acme/api/rules/branches/main").json()[0];
    assert_eq!(item["ruleset_source"], "acme/api");
    // Another repository's rulesets do not leak.
    assert_eq!(rules_of(&emu, "web", "trunk"), []);
    assert_clean(&emu);
}

/// GitHub matches with Ruby's `File.fnmatch` and `FNM_PATHNAME`: a trailing `**` is `*`,
/// and `qa**/**/*` (GitHub's own "more inclusive" example) needs a `/` after `qa`.
#[test]
fn a_trailing_double_star_never_crosses_a_slash() {
    let emu = Emulator::start(org_seed());
    let rs = "/repos/acme/api/rulesets";
    let release = create(
        &emu,
        rs,
        ruleset(
            "release",
            "active",
            &["refs/heads/release/**"],
            &[],
            json!([{"type": "deletion"}]),
        ),
    );
    let qa = create(
        &emu,
        rs,
        ruleset(
            "qa",
            "active",
            &["refs/heads/qa**/**/*"],
            &[],
            json!([{"type": "non_fast_forward"}]),
        ),
    );
    let repo = |t: &str, id| (t.to_owned(), "Repository".to_owned(), id);
    assert_eq!(
        rules_of(&emu, "api", "release/v1"),
        [repo("deletion", release)]
    );
    assert_eq!(rules_of(&emu, "api", "release/a/b"), []);
    assert_eq!(rules_of(&emu, "api", "qa"), []);
    assert_eq!(
        rules_of(&emu, "api", "qa/x"),
        [repo("non_fast_forward", qa)]
    );
    assert_eq!(
        rules_of(&emu, "api", "qa-test/x/y"),
        [repo("non_fast_forward", qa)]
    );
    assert_clean(&emu);
}

#[test]
fn effective_rules_are_paginated() {
    let emu = Emulator::builder(org_seed()).max_per_page(2).start();
    create(
        &emu,
        "/repos/acme/api/rulesets",
        ruleset(
            "a",
            "active",
            &["~ALL"],
            &[],
            json!([{"type": "deletion"}, {"type": "creation"}, {"type": "update"}]),
        ),
    );
    let r = get(&emu, "/repos/acme/api/rules/branches/main");
    assert_eq!(r.json().as_array().unwrap().len(), 2);
    assert!(r.header("link").unwrap().contains("rel=\"next\""));
    let rest = get(&emu, "/repos/acme/api/rules/branches/main?page=2").json();
    assert_eq!(rest.as_array().unwrap().len(), 1);
    assert_clean(&emu);
}
