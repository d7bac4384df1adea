//! Organisation rulesets: which repositories they select, how they show through the
//! repository paths, and their create, read, update and delete.

use serde_json::json;

use gh_policy_emulator::Emulator;

use super::{create, rules_of};
use crate::common::{assert_clean, call, call_as, get, org_seed};

#[test]
fn organisation_rulesets_select_repositories_by_name_id_and_property() {
    let emu = Emulator::start(org_seed());
    let org = "/orgs/acme/rulesets";
    let by_name = create(
        &emu,
        org,
        json!({"name": "by-name", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"]},
                       "repository_name": {"include": ["api*"], "exclude": ["api-fork"]}},
        "rules": [{"type": "deletion"}]}),
    );
    let web_id = get(&emu, "/repos/acme/web").json()["id"].as_u64().unwrap();
    let by_id = create(
        &emu,
        org,
        json!({"name": "by-id", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~ALL"]}, "repository_id": {"repository_ids": [web_id]}},
        "rules": [{"type": "non_fast_forward"}]}),
    );
    let by_prop = create(
        &emu,
        org,
        json!({"name": "by-property", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~ALL"]}, "repository_property": {
            "include": [{"name": "tier", "property_values": ["critical"]}]}},
        "rules": [{"type": "required_signatures"}]}),
    );
    let standard = create(
        &emu,
        org,
        json!({"name": "standard", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~ALL"]}, "repository_property": {
            "include": [{"name": "tier", "property_values": ["standard"]}],
            "exclude": [{"name": "visibility", "source": "system", "property_values": ["private"]}]}},
        "rules": [{"type": "creation"}]}),
    );
    let o = |t: &str, id| (t.to_owned(), "Organization".to_owned(), id);
    assert_eq!(
        rules_of(&emu, "api", "main"),
        [o("deletion", by_name), o("required_signatures", by_prop)]
    );
    assert_eq!(
        rules_of(&emu, "api", "dev"),
        [o("required_signatures", by_prop)]
    );
    assert_eq!(
        rules_of(&emu, "api-fork", "main"),
        [o("creation", standard)]
    );
    // web: its default branch is trunk; the property default (standard) counts.
    assert_eq!(
        rules_of(&emu, "web", "trunk"),
        [o("non_fast_forward", by_id), o("creation", standard)]
    );
    let item = &get(&emu, "/repos/acme/api/rules/branches/main").json()[0];
    assert_eq!(item["ruleset_source"], "acme");
    // A user's repository is outside the organisation's rulesets.
    let r = get(&emu, "/repos/octocat/dotfiles/rules/branches/main");
    assert_eq!(r.json(), json!([]));
    assert_clean(&emu);
}

#[test]
fn organisation_rulesets_show_through_the_repository_paths() {
    let emu = Emulator::start(org_seed());
    let id = create(
        &emu,
        "/orgs/acme/rulesets",
        json!({"name": "org-wide", "enforcement": "active",
        "bypass_actors": [{"actor_id": 42, "actor_type": "Team"}],
        "conditions": {"ref_name": {"include": ["~ALL"]}, "repository_name": {"include": ["api"]}},
        "rules": [{"type": "deletion"}]}),
    );
    let own = create(
        &emu,
        "/repos/acme/api/rulesets",
        json!({"name": "own", "enforcement": "active"}),
    );
    let list = get(&emu, "/repos/acme/api/rulesets").json();
    let sources: Vec<(&str, u64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["source_type"].as_str().unwrap(),
                r["id"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(sources, [("Organization", id), ("Repository", own)]);
    assert_eq!(list[0]["source"], "acme");
    assert!(
        list[0]["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/repos/acme/api/rulesets/{id}"))
    );
    let only_own = get(&emu, "/repos/acme/api/rulesets?includes_parents=false").json();
    assert_eq!(only_own.as_array().unwrap().len(), 1);
    // Readable by id through the repository, not writable there.
    let v = get(&emu, &format!("/repos/acme/api/rulesets/{id}")).json();
    assert_eq!(
        (v["source_type"].clone(), v["source"].clone()),
        (json!("Organization"), json!("acme"))
    );
    assert_eq!(v["current_user_can_bypass"], "never");
    assert_eq!(
        v["conditions"]["repository_name"]["include"],
        json!(["api"])
    );
    assert_eq!(
        get(
            &emu,
            &format!("/repos/acme/api/rulesets/{id}?includes_parents=false")
        )
        .status,
        404
    );
    assert_eq!(
        get(&emu, &format!("/repos/acme/web/rulesets/{id}")).status,
        404
    );
    let put = call(
        &emu,
        "PUT",
        &format!("/repos/acme/api/rulesets/{id}"),
        Some(json!({"name": "x"})),
    );
    assert_eq!(put.status, 404);
    assert_eq!(
        call(
            &emu,
            "DELETE",
            &format!("/repos/acme/api/rulesets/{id}"),
            None
        )
        .status,
        404
    );
    assert_eq!(
        get(&emu, &format!("/repos/acme/api/rulesets/{id}/history")).status,
        404
    );
    assert_clean(&emu);
}

#[test]
fn organisation_rulesets_crud() {
    let emu = Emulator::builder(org_seed())
        .token_with_role("reader", gh_policy_emulator::Role::Read)
        .start();
    let org = "/orgs/acme/rulesets";
    let body = json!({"name": "org", "enforcement": "active", "target": "branch",
        "bypass_actors": [{"actor_type": "OrganizationAdmin", "actor_id": 1},
                          {"actor_type": "Integration", "actor_id": 15368, "bypass_mode": "exempt"}],
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"]},
                       "repository_name": {"include": ["~ALL"]}},
        "rules": [{"type": "pull_request", "parameters": {"required_approving_review_count": 1,
            "dismiss_stale_reviews_on_push": false, "require_code_owner_review": true,
            "require_last_push_approval": false, "required_review_thread_resolution": false}}]});
    let v = call(&emu, "POST", org, Some(body)).json();
    let id = v["id"].as_u64().unwrap();
    assert_eq!(v["source_type"], "Organization");
    assert!(v.get("current_user_can_bypass").is_none());
    assert_eq!(
        v["conditions"]["repository_name"],
        json!({"include": ["~ALL"], "exclude": [], "protected": false})
    );
    assert_eq!(
        v["bypass_actors"][1],
        json!({"actor_type": "OrganizationAdmin", "actor_id": null, "bypass_mode": "always"})
    );
    assert_eq!(
        v["_links"]["html"]["href"],
        format!("https://github.com/organizations/acme/settings/rules/{id}")
    );
    let list = get(&emu, org).json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(list[0].get("rules").is_none());
    let read = call_as(&emu, "reader", "GET", &format!("{org}/{id}"), None).json();
    assert!(read.get("bypass_actors").is_none());
    let put = call(&emu, "PUT", &format!("{org}/{id}"), Some(json!({"target": "tag",
        "conditions": {"ref_name": {"include": ["~ALL"]}, "repository_id": {"repository_ids": [1]}}}))).json();
    assert_eq!(put["target"], "tag");
    assert_eq!(put["name"], "org");
    assert_eq!(put["rules"].as_array().unwrap().len(), 1);
    // Two repository conditions at once match no subschema of the oneOf.
    let both = call(
        &emu,
        "PUT",
        &format!("{org}/{id}"),
        Some(json!({"conditions": {
        "ref_name": {"include": ["~ALL"]}, "repository_id": {"repository_ids": [1]},
        "repository_name": {"include": ["~ALL"]}}})),
    );
    assert_eq!(both.status, 422);
    let repo_target = call(
        &emu,
        "POST",
        org,
        Some(json!({"name": "repo-policy", "enforcement": "active",
        "target": "repository", "conditions": {"repository_name": {"include": ["~ALL"]}}})),
    );
    assert_eq!(repo_target.status, 201, "{}", repo_target.body);
    assert_eq!(
        call(&emu, "DELETE", &format!("{org}/{id}"), None).status,
        204
    );
    assert_eq!(get(&emu, &format!("{org}/{id}")).status, 404);
    assert_eq!(get(&emu, "/orgs/other/rulesets").status, 404);
    assert_eq!(get(&emu, &format!("{org}/abc")).status, 404);
    let state = emu.state();
    assert_eq!(state.org.unwrap().rulesets.len(), 1);
    assert_clean(&emu);
}
