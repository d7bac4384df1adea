//! Token roles: what a read, write and admin token each see and may do.

use gh_policy_emulator::{Emulator, Role, TokenSeed};
use serde_json::json;

use crate::common::{assert_clean, call, call_as, main_ruleset, org_seed};

const RS: &str = "/repos/acme/api/rulesets";

fn emulator() -> (Emulator, u64) {
    let seed = org_seed().with_token(TokenSeed::new("seeded-read", Role::Read));
    let emu = Emulator::builder(seed)
        .token_with_role("read-token", Role::Read)
        .token_with_role("write-token", Role::Write)
        .token_with_access("web-only", Role::Admin, &["web"])
        .start();
    let id = call(&emu, "POST", RS, Some(main_ruleset("main"))).json()["id"]
        .as_u64()
        .unwrap();
    (emu, id)
}

#[test]
fn a_read_token_reads_rulesets_without_bypass_actors_and_writes_nothing() {
    let (emu, id) = emulator();
    for token in ["read-token", "seeded-read"] {
        let r = call_as(&emu, token, "GET", &format!("{RS}/{id}"), None);
        assert_eq!(r.status, 200);
        let v = r.json();
        assert!(v.get("bypass_actors").is_none(), "{v}");
        assert_eq!(v["current_user_can_bypass"], "never");
        assert_eq!(v["rules"].as_array().unwrap().len(), 3);
        assert_eq!(call_as(&emu, token, "GET", RS, None).status, 200);
        assert_eq!(
            call_as(
                &emu,
                token,
                "GET",
                "/repos/acme/api/rules/branches/main",
                None
            )
            .status,
            200
        );
        assert_eq!(
            call_as(&emu, token, "GET", "/repos/acme/api/branches", None).status,
            200
        );
        let repo = call_as(&emu, token, "GET", "/repos/acme/api", None).json();
        assert_eq!(repo["permissions"]["admin"], false);
        assert_eq!(repo["permissions"]["push"], false);
        assert_eq!(repo["permissions"]["pull"], true);
    }
    // Classic protection needs administration access even to read.
    for path in [
        "/repos/acme/api/branches/main/protection",
        "/repos/acme/api/branches/main/protection/required_status_checks",
        "/repos/acme/api/branches/main/protection/enforce_admins",
    ] {
        let r = call_as(&emu, "read-token", "GET", path, None);
        assert_eq!(r.status, 403, "{path}");
        assert_eq!(
            r.json()["message"],
            "Resource not accessible by personal access token"
        );
        assert_eq!(
            r.header("x-accepted-github-permissions"),
            Some("administration=read")
        );
    }
    // Every write: 403 with the permission it needs, and nothing changes.
    let writes = [
        (
            "PUT",
            format!("{RS}/{id}"),
            Some(json!({"name": "x"})),
            "administration=write",
        ),
        ("DELETE", format!("{RS}/{id}"), None, "administration=write"),
        (
            "POST",
            RS.to_owned(),
            Some(main_ruleset("other")),
            "administration=write",
        ),
        (
            "PUT",
            "/repos/acme/api/environments/qa".to_owned(),
            None,
            "administration=write",
        ),
        (
            "DELETE",
            "/repos/acme/api/environments/production/secrets/X".to_owned(),
            None,
            "secrets=write",
        ),
        (
            "POST",
            "/orgs/acme/rulesets".to_owned(),
            Some(main_ruleset("o")),
            "organization_administration=write",
        ),
    ];
    for (method, path, body, permission) in writes {
        let r = call_as(&emu, "read-token", method, &path, body);
        assert_eq!(r.status, 403, "{method} {path}");
        assert_eq!(
            r.header("x-accepted-github-permissions"),
            Some(permission),
            "{path}"
        );
    }
    assert_eq!(
        call(&emu, "GET", &format!("{RS}/{id}"), None).json()["name"],
        "main"
    );
    assert_clean(&emu);
}

/// Only who may edit an organisation ruleset sees its bypass actors: an admin token (an
/// organisation owner's) does, a write token does not, through either path.
#[test]
fn an_organisation_rulesets_bypass_actors_show_only_to_who_may_edit_it() {
    let (emu, _) = emulator();
    let mut body = main_ruleset("org-main");
    body["conditions"]["repository_name"] = json!({"include": ["~ALL"], "exclude": []});
    let r = call(&emu, "POST", "/orgs/acme/rulesets", Some(body));
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_u64().unwrap();
    for path in [format!("{RS}/{id}"), format!("/orgs/acme/rulesets/{id}")] {
        let admin = call(&emu, "GET", &path, None).json();
        assert_eq!(
            admin["bypass_actors"].as_array().unwrap().len(),
            2,
            "{path}"
        );
        let write = call_as(&emu, "write-token", "GET", &path, None).json();
        assert!(write.get("bypass_actors").is_none(), "{path}: {write}");
        assert_eq!(
            write["rules"].as_array().unwrap().len(),
            admin["rules"].as_array().unwrap().len()
        );
    }
    assert_clean(&emu);
}

#[test]
fn a_write_token_sees_bypass_actors_and_protection_but_writes_nothing() {
    let (emu, id) = emulator();
    let v = call_as(&emu, "write-token", "GET", &format!("{RS}/{id}"), None).json();
    assert_eq!(v["bypass_actors"].as_array().unwrap().len(), 2);
    assert_eq!(v["current_user_can_bypass"], "never");
    let p = call_as(
        &emu,
        "write-token",
        "GET",
        "/repos/acme/api/branches/main/protection",
        None,
    );
    assert_eq!(p.status, 200);
    let r = call_as(
        &emu,
        "write-token",
        "PUT",
        &format!("{RS}/{id}"),
        Some(json!({"name": "x"})),
    );
    assert_eq!(r.status, 403);
    let repo = call_as(&emu, "write-token", "GET", "/repos/acme/api", None).json();
    assert_eq!(
        (
            repo["permissions"]["push"].clone(),
            repo["permissions"]["admin"].clone()
        ),
        (json!(true), json!(false))
    );
    assert_clean(&emu);
}

#[test]
fn a_token_limited_to_some_repositories_sees_only_them() {
    let (emu, _) = emulator();
    assert_eq!(
        call_as(&emu, "web-only", "GET", "/repos/acme/web", None).status,
        200
    );
    assert_eq!(
        call_as(&emu, "web-only", "GET", "/repos/acme/api", None).status,
        404
    );
    assert_eq!(call_as(&emu, "web-only", "GET", RS, None).status, 404);
    let listed = call_as(&emu, "web-only", "GET", "/orgs/acme/repos", None).json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["name"], "web");
    let body = json!({"name": "w", "enforcement": "active"});
    assert_eq!(
        call_as(
            &emu,
            "web-only",
            "POST",
            "/repos/acme/web/rulesets",
            Some(body)
        )
        .status,
        201
    );
    assert_eq!(
        call_as(&emu, "nope", "GET", "/repos/acme/web", None).status,
        401
    );
    assert_clean(&emu);
}

#[test]
fn the_admin_token_bypasses_through_organization_admin_or_the_admin_role() {
    let (emu, id) = emulator();
    assert_eq!(
        call(&emu, "GET", &format!("{RS}/{id}"), None).json()["current_user_can_bypass"],
        "always"
    );
    let role = json!({"name": "r", "enforcement": "active", "bypass_actors": [
        {"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "pull_request"}]});
    assert_eq!(
        call(&emu, "POST", RS, Some(role)).json()["current_user_can_bypass"],
        "pull_requests_only"
    );
    let none = json!({"name": "n", "enforcement": "active"});
    assert_eq!(
        call(&emu, "POST", RS, Some(none)).json()["current_user_can_bypass"],
        "never"
    );
    assert_clean(&emu);
}
