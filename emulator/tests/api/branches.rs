//! Branches and their classic protection: listing, the protection document and its
//! sub-resources, and branch names of several segments.

use serde_json::json;

use super::*;

#[test]
fn branches_list_filter_and_pagination() {
    let mut seed = Emulator::load_seed(fixture("empty.json")).unwrap();
    seed.branches.insert(
        "feature/x".into(),
        gh_policy_emulator::BranchSeed::default(),
    );
    let emu = Emulator::builder(seed).max_per_page(2).start();
    let r = get(&emu, &format!("{R}/branches"));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let link = r.header("link").unwrap().to_owned();
    let host = emu.addr().to_string();
    assert_eq!(
        link,
        format!(
            "<http://{host}{R}/branches?per_page=2&page=2>; rel=\"next\", <http://{host}{R}/branches?per_page=2&page=2>; rel=\"last\""
        )
    );
    let r2 = get(&emu, &format!("{R}/branches?per_page=2&page=2"));
    assert_eq!(r2.json().as_array().unwrap().len(), 2);
    let l2 = r2.header("link").unwrap();
    assert!(
        l2.contains("rel=\"prev\"") && l2.contains("rel=\"first\"") && !l2.contains("rel=\"next\"")
    );
    let one_page = get(&emu, &format!("{R}/branches?protected=false&per_page=1"));
    assert!(one_page.header("link").unwrap().contains("protected=false"));

    call(
        &emu,
        "PUT",
        &format!("{R}/branches/main/protection"),
        Some(unprotect_body()),
    );
    let prot = get(&emu, &format!("{R}/branches?protected=true"));
    assert_eq!(prot.json(), json!([prot.json()[0].clone()]));
    assert_eq!(prot.json()[0]["name"], "main");
    assert_eq!(prot.json()[0]["protected"], true);
    assert!(prot.header("link").is_none());

    let b = get(&emu, &format!("{R}/branches/feature/x"));
    assert_eq!(
        (b.status, b.json()["name"].clone()),
        (200, json!("feature/x"))
    );
    let b = get(&emu, &format!("{R}/branches/feature%2Fx"));
    assert_eq!(b.json()["name"], "feature/x");
    let missing = get(&emu, &format!("{R}/branches/nope"));
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json(),
        json!({"message": "Branch not found",
               "documentation_url": "https://docs.github.com/rest/branches/branches#get-a-branch",
               "status": "404"})
    );
    assert_clean(&emu);
}

#[test]
fn protection_get_shape_and_404s() {
    let emu = in_sync();
    let v = get(&emu, &format!("{R}/branches/main/protection")).json();
    let rsc = &v["required_status_checks"];
    assert_eq!(rsc["strict"], true);
    assert_eq!(
        rsc["contexts"],
        json!(["dev - lint and test", "Security Checks"])
    );
    assert_eq!(
        rsc["checks"],
        json!([{"context": "dev - lint and test", "app_id": null},
               {"context": "Security Checks", "app_id": 15368}])
    );
    assert_eq!(v["enforce_admins"]["enabled"], true);
    assert!(
        v["enforce_admins"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/branches/main/protection/enforce_admins")
    );
    assert_eq!(
        v["required_pull_request_reviews"]["required_approving_review_count"],
        2
    );
    assert_eq!(
        v["required_pull_request_reviews"]["dismiss_stale_reviews"],
        true
    );
    assert_eq!(
        v["required_conversation_resolution"],
        json!({"enabled": true})
    );
    assert_eq!(v["allow_force_pushes"], json!({"enabled": false}));
    assert_eq!(v["required_signatures"]["enabled"], false);
    assert!(
        v.get("restrictions").is_none(),
        "disabled sections are omitted"
    );

    let empty = Emulator::from_fixture(fixture("empty.json"));
    for sub in [
        "",
        "/required_status_checks",
        "/required_signatures",
        "/enforce_admins",
        "/required_pull_request_reviews",
    ] {
        let r = get(&empty, &format!("{R}/branches/dev/protection{sub}"));
        assert_eq!(r.status, 404, "{sub}");
        assert_eq!(r.json()["message"], "Branch not protected", "{sub}");
        assert_eq!(r.json()["status"], "404");
        assert!(r.json()["documentation_url"].is_string());
    }
    let r = get(&empty, &format!("{R}/branches/nope/protection"));
    assert_eq!(r.json()["message"], "Branch not found");
    assert_clean(&emu);
    assert_clean(&empty);
}

#[test]
fn protection_put_rules() {
    let emu = Emulator::from_fixture(fixture("empty.json"));
    let url = format!("{R}/branches/dev/protection");
    let mut body = unprotect_body();
    body["required_status_checks"] = json!({"strict": true, "contexts": ["ci"]});
    body["enforce_admins"] = json!(true);
    body["required_pull_request_reviews"] = json!({"required_approving_review_count": 1});
    let r = call(&emu, "PUT", &url, Some(body.clone()));
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(
        v["required_status_checks"]["checks"],
        json!([{"context": "ci", "app_id": null}])
    );
    assert_eq!(v["enforce_admins"]["enabled"], true);

    // Both contexts and checks: the live oneOf rule.
    body["required_status_checks"] = json!({"strict": true, "contexts": ["ci"], "checks": []});
    let r = call(&emu, "PUT", &url, Some(body.clone()));
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["errors"],
        json!(["More than one subschema in \"oneOf\" matched."])
    );
    body["required_status_checks"] = json!({"strict": true});
    let r = call(&emu, "PUT", &url, Some(body.clone()));
    assert_eq!(r.status, 422);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("No subschema in \"oneOf\" matched")
    );
    body["required_status_checks"] = json!({"strict": false, "checks": [{"context": "a", "app_id": 15368}, {"context": "b", "app_id": -1}]});
    let r = call(&emu, "PUT", &url, Some(body.clone()));
    assert_eq!(
        r.json()["required_status_checks"]["checks"],
        json!([{"context": "a", "app_id": 15368}, {"context": "b", "app_id": null}])
    );

    // The four keys are required (official schema); the violation is recorded.
    let before = emu.request_violations().len();
    let r = call(&emu, "PUT", &url, Some(json!({"enforce_admins": true})));
    assert_eq!(r.status, 422);
    assert!(r.json()["errors"].is_array());
    assert_eq!(emu.request_violations().len(), before + 1);
    assert_eq!(call(&emu, "PUT", &url, Some(json!({"required_status_checks": null, "enforce_admins": "yes", "required_pull_request_reviews": null, "restrictions": null}))).status, 422);

    // Signatures survive a PUT; restrictions drop users without write access.
    assert_eq!(
        call(&emu, "POST", &format!("{url}/required_signatures"), None).json()["enabled"],
        true
    );
    let mut seed = emu.state();
    seed.users.push(gh_policy_emulator::UserSeed {
        login: "reader".into(),
        id: 77,
        write_access: false,
    });
    emu.reset(&seed).unwrap();
    body["restrictions"] = json!({"users": ["octocat", "reader"], "teams": ["release-managers"], "apps": ["github-actions"]});
    let r = call(&emu, "PUT", &url, Some(body.clone()));
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["required_signatures"]["enabled"], true);
    let users: Vec<_> = v["restrictions"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].clone())
        .collect();
    assert_eq!(users, vec![json!("octocat")]);
    assert_eq!(v["restrictions"]["teams"][0]["slug"], "release-managers");
    assert_eq!(v["restrictions"]["apps"][0]["slug"], "github-actions");
    body["restrictions"] = json!({"users": ["ghost"], "teams": []});
    assert_eq!(call(&emu, "PUT", &url, Some(body.clone())).status, 422);

    // A user-owned repository refuses restrictions and dismissal restrictions.
    let mut user_seed = Emulator::load_seed(fixture("empty.json")).unwrap();
    user_seed.repo.owner_type = "User".into();
    let personal = Emulator::start(user_seed);
    body["restrictions"] = json!({"users": [], "teams": []});
    assert_eq!(call(&personal, "PUT", &url, Some(body.clone())).status, 422);
    body["restrictions"] = Value::Null;
    body["required_pull_request_reviews"] =
        json!({"dismissal_restrictions": {"users": ["octocat"]}});
    assert_eq!(call(&personal, "PUT", &url, Some(body.clone())).status, 422);

    assert_eq!(call(&emu, "DELETE", &url, None).status, 204);
    assert_eq!(get(&emu, &url).json()["message"], "Branch not protected");
    assert_eq!(
        call(
            &emu,
            "PUT",
            &format!("{R}/branches/nope/protection"),
            Some(unprotect_body())
        )
        .status,
        404
    );
    assert_clean(&emu);
    assert_clean(&personal);
}

#[test]
fn protection_sub_resources() {
    let emu = in_sync();
    let p = format!("{R}/branches/dev/protection");
    let r = get(&emu, &format!("{p}/required_status_checks"));
    assert_eq!(r.json()["contexts"], json!(["dev - lint and test"]));
    let r = call(
        &emu,
        "PATCH",
        &format!("{p}/required_status_checks"),
        Some(json!({"strict": true, "checks": [{"context": "x"}]})),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["checks"],
        json!([{"context": "x", "app_id": null}])
    );
    assert_eq!(r.json()["strict"], true);
    let r = call(
        &emu,
        "PATCH",
        &format!("{p}/required_status_checks"),
        Some(json!({"strict": false})),
    );
    assert_eq!(r.json()["contexts"], json!(["x"]));
    assert_eq!(
        call(&emu, "DELETE", &format!("{p}/required_status_checks"), None).status,
        204
    );
    assert_eq!(
        get(&emu, &format!("{p}/required_status_checks")).status,
        404
    );
    assert!(get(&emu, &p).json().get("required_status_checks").is_none());

    assert_eq!(
        get(&emu, &format!("{p}/enforce_admins")).json()["enabled"],
        false
    );
    assert_eq!(
        call(&emu, "POST", &format!("{p}/enforce_admins"), None).json()["enabled"],
        true
    );
    assert_eq!(
        call(&emu, "DELETE", &format!("{p}/enforce_admins"), None).status,
        204
    );
    assert_eq!(
        get(&emu, &format!("{p}/enforce_admins")).json()["enabled"],
        false
    );

    assert_eq!(
        get(&emu, &format!("{p}/required_signatures")).json()["enabled"],
        false
    );
    let r = call(&emu, "POST", &format!("{p}/required_signatures"), None);
    assert_eq!((r.status, r.json()["enabled"].clone()), (200, json!(true)));
    assert!(emu.state().branches["dev"].required_signatures);
    assert_eq!(
        call(&emu, "DELETE", &format!("{p}/required_signatures"), None).status,
        204
    );

    let rv = get(&emu, &format!("{p}/required_pull_request_reviews")).json();
    assert_eq!(rv["required_approving_review_count"], 1);
    let r = call(
        &emu,
        "PATCH",
        &format!("{p}/required_pull_request_reviews"),
        Some(json!({"required_approving_review_count": 3})),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["required_approving_review_count"], 3);
    assert_eq!(r.json()["dismiss_stale_reviews"], false);
    assert_eq!(
        call(
            &emu,
            "DELETE",
            &format!("{p}/required_pull_request_reviews"),
            None
        )
        .status,
        204
    );
    assert_eq!(
        call(
            &emu,
            "DELETE",
            &format!("{p}/required_pull_request_reviews"),
            None
        )
        .status,
        404
    );
    assert_clean(&emu);
}

#[test]
fn multi_segment_and_encoded_branch_names() {
    let mut seed = Emulator::load_seed(fixture("empty.json")).unwrap();
    seed.branches.insert(
        "release/v1".into(),
        gh_policy_emulator::BranchSeed::default(),
    );
    let emu = Emulator::start(seed);
    let r = call(
        &emu,
        "PUT",
        &format!("{R}/branches/release%2Fv1/protection"),
        Some(unprotect_body()),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        get(&emu, &format!("{R}/branches/release/v1/protection")).status,
        200
    );
    assert_eq!(
        call(
            &emu,
            "POST",
            &format!("{R}/branches/release/v1/protection/enforce_admins"),
            None
        )
        .status,
        200
    );
    assert_eq!(
        get(
            &emu,
            &format!("{R}/branches/release%2Fv1/protection/enforce_admins")
        )
        .json()["enabled"],
        true
    );
    assert!(emu.state().branches["release/v1"].protection.is_some());
    assert_clean(&emu);
}
