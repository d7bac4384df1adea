//! Repository rulesets: what GitHub stores and returns, partial updates, history, validation.

use gh_policy_emulator::{Emulator, OrgAdminActorId, Realism, ReturnOrder, Seed};
use serde_json::{Value, json};

use crate::common::{assert_clean, call, get, main_ruleset, org_seed};

const RS: &str = "/repos/acme/api/rulesets";

fn seed_with_checks() -> Seed {
    let mut seed = org_seed();
    seed.realism.check_integrations.insert("lint".into(), 15368);
    seed
}

fn types(rules: &Value) -> Vec<String> {
    rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn create_fills_what_github_fills_and_returns_another_order() {
    let emu = Emulator::start(seed_with_checks());
    let r = call(&emu, "POST", RS, Some(main_ruleset("main")));
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    let id = v["id"].as_u64().unwrap();
    assert_eq!(v["target"], "branch");
    assert_eq!(v["source_type"], "Repository");
    assert_eq!(v["source"], "acme/api");
    assert_eq!(v["current_user_can_bypass"], "always");
    assert!(
        v["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/repos/acme/api/rulesets/{id}"))
    );
    assert_eq!(
        v["_links"]["html"]["href"],
        format!("https://github.com/acme/api/rules/{id}")
    );
    assert!(v["created_at"].is_string() && v["node_id"].is_string());
    // Default order: reversed.
    assert_eq!(
        types(&v["rules"]),
        ["required_status_checks", "pull_request", "deletion"]
    );
    assert_eq!(
        v["conditions"]["ref_name"],
        json!({"include": ["refs/heads/release/*", "~DEFAULT_BRANCH"], "exclude": []})
    );
    assert_eq!(
        v["bypass_actors"],
        json!([{"actor_id": null, "actor_type": "OrganizationAdmin", "bypass_mode": "always"},
               {"actor_id": 42, "actor_type": "Team", "bypass_mode": "always"}])
    );
    let pr = &v["rules"][1]["parameters"];
    assert_eq!(
        pr["allowed_merge_methods"],
        json!(["merge", "squash", "rebase"])
    );
    assert_eq!(pr["required_approving_review_count"], 2);
    let checks = &v["rules"][0]["parameters"];
    assert_eq!(checks["do_not_enforce_on_create"], false);
    assert_eq!(
        checks["required_status_checks"],
        json!([{"context": "build", "integration_id": 99},
               {"context": "lint", "integration_id": 15368}])
    );
    // GET returns the same.
    let got = get(&emu, &format!("{RS}/{id}")).json();
    assert_eq!(got, v);
    // No conditions: an empty ref_name condition; a deploy key's actor id reads back null.
    let bare = json!({"name": "bare", "enforcement": "disabled",
                      "bypass_actors": [{"actor_type": "DeployKey"}]});
    let v = call(&emu, "POST", RS, Some(bare)).json();
    assert_eq!(
        v["conditions"],
        json!({"ref_name": {"include": [], "exclude": []}})
    );
    assert_eq!(
        v["bypass_actors"],
        json!([{"actor_type": "DeployKey", "actor_id": null, "bypass_mode": "always"}])
    );
    assert_eq!(v["rules"], json!([]));
    assert_clean(&emu);
}

#[test]
fn realism_switches_change_what_comes_back() {
    let emu = Emulator::builder(org_seed())
        .realism(Realism::verbatim())
        .start();
    let body = main_ruleset("main");
    let v = call(&emu, "POST", RS, Some(body.clone())).json();
    assert_eq!(v["rules"], body["rules"]);
    assert_eq!(v["bypass_actors"], body["bypass_actors"]);
    assert_eq!(v["conditions"], body["conditions"]);

    let sorted = Realism {
        order: ReturnOrder::Sorted,
        organization_admin_actor_id: OrgAdminActorId::Zero,
        ..Realism::default()
    };
    let emu = Emulator::builder(org_seed()).realism(sorted).start();
    let v = call(&emu, "POST", RS, Some(main_ruleset("main"))).json();
    assert_eq!(
        types(&v["rules"]),
        ["deletion", "pull_request", "required_status_checks"]
    );
    assert_eq!(v["bypass_actors"][0]["actor_type"], "OrganizationAdmin");
    assert_eq!(v["bypass_actors"][0]["actor_id"], 0);
    assert_eq!(
        v["rules"][2]["parameters"]["required_status_checks"],
        json!([{"context": "build", "integration_id": 99}, {"context": "lint"}])
    );
    let one = Realism {
        organization_admin_actor_id: OrgAdminActorId::One,
        ..Realism::default()
    };
    let emu = Emulator::builder(org_seed()).realism(one).start();
    let v = call(&emu, "POST", RS, Some(main_ruleset("main"))).json();
    assert_eq!(v["bypass_actors"][0]["actor_id"], 1);
    assert_clean(&emu);
}

#[test]
fn rule_types_the_client_does_not_know_are_kept_verbatim() {
    let emu = Emulator::builder(org_seed())
        .realism(Realism::verbatim())
        .start();
    let rules = json!([
        {"type": "merge_queue", "parameters": {
            "check_response_timeout_minutes": 60, "grouping_strategy": "ALLGREEN",
            "max_entries_to_build": 5, "max_entries_to_merge": 5, "merge_method": "SQUASH",
            "min_entries_to_merge": 1, "min_entries_to_merge_wait_minutes": 5}},
        {"type": "code_scanning", "parameters": {"code_scanning_tools": [
            {"tool": "CodeQL", "alerts_threshold": "errors", "security_alerts_threshold": "high_or_higher"}]}},
        {"type": "copilot_code_review", "parameters": {"review_on_push": true}},
        {"type": "required_deployments", "parameters": {"required_deployment_environments": ["staging"]}},
        {"type": "required_linear_history"},
        {"type": "non_fast_forward"}
    ]);
    let body = json!({"name": "extras", "enforcement": "evaluate", "rules": rules,
                      "conditions": {"ref_name": {"include": ["~ALL"], "exclude": []}}});
    let r = call(&emu, "POST", RS, Some(body));
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_u64().unwrap();
    let back = get(&emu, &format!("{RS}/{id}")).json();
    assert_eq!(back["rules"], rules);
    assert_eq!(back["enforcement"], "evaluate");
    assert_clean(&emu);
}

#[test]
fn put_is_a_partial_update_and_arrays_replace() {
    let emu = Emulator::start(org_seed());
    let id = call(&emu, "POST", RS, Some(main_ruleset("main"))).json()["id"]
        .as_u64()
        .unwrap();
    let path = format!("{RS}/{id}");
    let before = get(&emu, &path).json();
    let r = call(&emu, "PUT", &path, Some(json!({"name": "renamed"})));
    assert_eq!(r.status, 200, "{}", r.body);
    let after = r.json();
    assert_eq!(after["name"], "renamed");
    assert_eq!(after["rules"], before["rules"]);
    assert_eq!(after["bypass_actors"], before["bypass_actors"]);
    assert_eq!(after["conditions"], before["conditions"]);
    let cleared = call(
        &emu,
        "PUT",
        &path,
        Some(json!({"bypass_actors": [],
        "rules": [{"type": "deletion"}], "enforcement": "disabled"})),
    )
    .json();
    assert_eq!(cleared["bypass_actors"], json!([]));
    assert_eq!(cleared["rules"], json!([{"type": "deletion"}]));
    assert_eq!(cleared["enforcement"], "disabled");
    assert_eq!(cleared["name"], "renamed");
    // An empty body changes nothing but still writes a version.
    assert_eq!(call(&emu, "PUT", &path, None).status, 200);
    assert_eq!(
        call(
            &emu,
            "PUT",
            &format!("{RS}/999"),
            Some(json!({"name": "x"}))
        )
        .status,
        404
    );
    assert_eq!(
        call(
            &emu,
            "PUT",
            &format!("{RS}/abc"),
            Some(json!({"name": "x"}))
        )
        .status,
        404
    );
    assert_eq!(call(&emu, "DELETE", &path, None).status, 204);
    assert_eq!(get(&emu, &path).status, 404);
    assert_eq!(call(&emu, "DELETE", &path, None).status, 404);
    assert_clean(&emu);
}

#[test]
fn history_records_a_version_per_write() {
    let emu = Emulator::start(org_seed());
    let id = call(&emu, "POST", RS, Some(main_ruleset("main"))).json()["id"]
        .as_u64()
        .unwrap();
    call(
        &emu,
        "PUT",
        &format!("{RS}/{id}"),
        Some(json!({"enforcement": "disabled"})),
    );
    call(
        &emu,
        "PUT",
        &format!("{RS}/{id}"),
        Some(json!({"name": "third"})),
    );
    let h = get(&emu, &format!("{RS}/{id}/history")).json();
    let versions = h.as_array().unwrap();
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[0]["actor"], json!({"id": 583_231, "type": "User"}));
    let newest = versions[0]["version_id"].as_u64().unwrap();
    let oldest = versions[2]["version_id"].as_u64().unwrap();
    assert!(newest > oldest);
    let v = get(&emu, &format!("{RS}/{id}/history/{oldest}")).json();
    assert_eq!(v["state"]["enforcement"], "active");
    assert_eq!(v["state"]["name"], "main");
    let v = get(&emu, &format!("{RS}/{id}/history/{newest}")).json();
    assert_eq!(v["state"]["name"], "third");
    assert_eq!(get(&emu, &format!("{RS}/{id}/history/1")).status, 404);
    assert_eq!(get(&emu, &format!("{RS}/999/history")).status, 404);
    assert_clean(&emu);
}

#[test]
fn list_is_a_summary_with_targets_and_pages() {
    let emu = Emulator::builder(org_seed()).max_per_page(2).start();
    for (name, target) in [("a", "branch"), ("b", "tag"), ("c", "branch")] {
        let mut body = json!({"name": name, "enforcement": "active", "target": target,
                              "rules": [{"type": "deletion"}]});
        if target == "tag" {
            body["conditions"] = json!({"ref_name": {"include": ["~ALL"]}});
        }
        assert_eq!(call(&emu, "POST", RS, Some(body)).status, 201);
    }
    let r = get(&emu, RS);
    let page = r.json();
    assert_eq!(page.as_array().unwrap().len(), 2);
    assert!(r.header("link").unwrap().contains("rel=\"next\""));
    let first = &page[0];
    assert_eq!(first["name"], "a");
    for absent in [
        "rules",
        "conditions",
        "bypass_actors",
        "current_user_can_bypass",
    ] {
        assert!(first.get(absent).is_none(), "{absent} in a summary");
    }
    assert_eq!(first["source_type"], "Repository");
    let tags = get(&emu, &format!("{RS}?targets=tag")).json();
    assert_eq!(tags.as_array().unwrap().len(), 1);
    assert_eq!(tags[0]["name"], "b");
    let both = get(&emu, &format!("{RS}?targets=tag,branch&per_page=10")).json();
    assert_eq!(both.as_array().unwrap().len(), 2);
    assert_clean(&emu);
}

#[test]
fn invalid_rulesets_get_422() {
    let emu = Emulator::start(org_seed());
    let bad = |body: Value| {
        let r = call(&emu, "POST", RS, Some(body));
        assert_eq!(r.status, 422, "{}", r.body);
        r.json()
    };
    // Schema violations: recorded, like every request that breaks the schema.
    let missing = bad(json!({"enforcement": "active"}));
    assert_eq!(missing["message"], "Validation Failed");
    assert!(
        missing["errors"][0].as_str().unwrap().contains("name"),
        "{missing}"
    );
    bad(json!({"name": "x", "enforcement": "on"}));
    bad(json!({"name": "x", "enforcement": "active", "rules": [{"type": "no_such_rule"}]}));
    bad(json!({"name": "x", "enforcement": "active",
               "rules": [{"type": "pull_request", "parameters": {"required_approving_review_count": 1}}]}));
    assert_eq!(emu.request_violations().len(), 4);
    // Semantic checks: the body conforms, GitHub still refuses it.
    call(&emu, "POST", RS, Some(main_ruleset("main")));
    let dup = bad(main_ruleset("MAIN"));
    assert_eq!(dup["errors"], json!(["Name must be unique"]));
    bad(json!({"name": "t", "enforcement": "active", "bypass_actors": [{"actor_type": "Team"}]}));
    bad(
        json!({"name": "p", "enforcement": "active", "target": "push", "rules": [{"type": "deletion"}]}),
    );
    bad(
        json!({"name": "q", "enforcement": "active", "target": "tag",
               "bypass_actors": [{"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "pull_request"}]}),
    );
    assert_eq!(emu.request_violations().len(), 4);
    let personal = call(
        &emu,
        "POST",
        "/repos/octocat/dotfiles/rulesets",
        Some(main_ruleset("x")),
    );
    assert_eq!(personal.status, 422);
    assert_clean(&emu);
}

#[test]
fn seeded_rulesets_keep_their_ids_and_export() {
    let mut seed = org_seed();
    let mut body = main_ruleset("seeded");
    body["id"] = json!(5000);
    seed.repositories[0].rulesets.push(body);
    let emu = Emulator::start(seed);
    assert_eq!(get(&emu, &format!("{RS}/5000")).json()["name"], "seeded");
    let created = call(&emu, "POST", RS, Some(main_ruleset("next"))).json();
    assert!(created["id"].as_u64().unwrap() > 5000);
    let state = emu.state();
    assert_eq!(state.repositories[0].rulesets.len(), 2);
    assert_eq!(state.repositories[0].rulesets[0]["id"], 5000);
    // The exported state seeds the same rulesets again.
    let again = Emulator::start(state.clone());
    assert_eq!(again.state(), state);
    // An invalid seeded ruleset is refused at start.
    let mut bad = org_seed();
    bad.repositories[0].rulesets.push(json!({"name": "x"}));
    assert!(Emulator::builder(bad).try_start().is_err());
    assert_clean(&emu);
}
