//! Environments and what hangs off them: deployment branch policies, sealed secrets and
//! variables.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::json;

use super::*;

#[test]
fn environments_get_and_put() {
    let emu = in_sync();
    let list = get(&emu, &format!("{R}/environments"));
    assert_eq!(list.json()["total_count"], 2);
    assert_eq!(list.json()["environments"].as_array().unwrap().len(), 2);
    let prod = get(&emu, &format!("{R}/environments/production")).json();
    assert_eq!(prod["can_admins_bypass"], false);
    let rules = prod["protection_rules"].as_array().unwrap();
    let types: Vec<_> = rules.iter().map(|r| r["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["wait_timer", "required_reviewers", "branch_policy"]);
    assert_eq!(rules[0]["wait_timer"], 5);
    assert_eq!(rules[1]["prevent_self_review"], true);
    assert_eq!(rules[1]["reviewers"][0]["type"], "User");
    assert_eq!(rules[1]["reviewers"][0]["reviewer"]["login"], "octocat");
    assert_eq!(
        rules[1]["reviewers"][1]["reviewer"]["slug"],
        "release-managers"
    );
    assert_eq!(
        prod["deployment_branch_policy"],
        json!({"protected_branches": false, "custom_branch_policies": true})
    );
    let staging = get(&emu, &format!("{R}/environments/staging")).json();
    let types: Vec<_> = staging["protection_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].clone())
        .collect();
    assert_eq!(types, vec![json!("branch_policy")]);
    assert_eq!(staging["can_admins_bypass"], true);
    assert_eq!(get(&emu, &format!("{R}/environments/nope")).status, 404);

    // Omitted keys are not reset; can_admins_bypass is accepted.
    let url = format!("{R}/environments/production");
    let r = call(
        &emu,
        "PUT",
        &url,
        Some(json!({"wait_timer": 10, "can_admins_bypass": true})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["protection_rules"][0]["wait_timer"], 10);
    assert_eq!(
        v["protection_rules"][1]["reviewers"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(v["can_admins_bypass"], true);

    for bad in [
        json!({"wait_timer": 43_201}),
        json!({"reviewers": (0..7).map(|_| json!({"type": "User", "id": 583_231})).collect::<Vec<_>>()}),
        json!({"reviewers": [{"type": "User", "id": 1}]}),
        json!({"deployment_branch_policy": {"protected_branches": true, "custom_branch_policies": true}}),
        json!({"deployment_branch_policy": {"protected_branches": false, "custom_branch_policies": false}}),
    ] {
        let r = call(&emu, "PUT", &url, Some(bad.clone()));
        assert_eq!(r.status, 422, "{bad}");
        assert_eq!(r.json()["status"], "422");
    }
    assert!(
        emu.request_violations().is_empty(),
        "those were schema-valid: {:?}",
        emu.request_violations()
    );
    let r = call(&emu, "PUT", &url, Some(json!({"unknown_key": 1})));
    assert_eq!(r.status, 422);
    assert_eq!(emu.request_violations().len(), 1);

    // Switching custom policies off deletes them.
    assert_eq!(
        get(&emu, &format!("{url}/deployment-branch-policies")).json()["total_count"],
        1
    );
    let r = call(
        &emu,
        "PUT",
        &url,
        Some(
            json!({"deployment_branch_policy": {"protected_branches": true, "custom_branch_policies": false}}),
        ),
    );
    assert_eq!(r.status, 200);
    call(
        &emu,
        "PUT",
        &url,
        Some(
            json!({"deployment_branch_policy": {"protected_branches": false, "custom_branch_policies": true}}),
        ),
    );
    assert_eq!(
        get(&emu, &format!("{url}/deployment-branch-policies")).json()["total_count"],
        0
    );
    let r = call(
        &emu,
        "PUT",
        &url,
        Some(json!({"reviewers": null, "deployment_branch_policy": null, "wait_timer": 0})),
    );
    assert_eq!(r.json()["protection_rules"], json!([]));
    assert_eq!(r.json()["deployment_branch_policy"], Value::Null);

    // No body creates an environment with no rules; DELETE removes it.
    let r = call(&emu, "PUT", &format!("{R}/environments/qa%20env"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["name"], "qa env");
    assert!(emu.state().environments.contains_key("qa env"));
    assert_eq!(
        call(&emu, "DELETE", &format!("{R}/environments/qa%20env"), None).status,
        204
    );
    assert_eq!(get(&emu, &format!("{R}/environments/qa%20env")).status, 404);
    assert_clean(&emu);
}

#[test]
fn deployment_branch_policies() {
    let emu = in_sync();
    let url = format!("{R}/environments/staging/deployment-branch-policies");
    let list = get(&emu, &url).json();
    assert_eq!(list["total_count"], 1);
    assert_eq!(list["branch_policies"][0]["name"], "stage");
    assert_eq!(list["branch_policies"][0]["type"], "branch");
    let r = call(&emu, "POST", &url, Some(json!({"name": "release/*"})));
    assert_eq!(r.status, 200);
    let id = r.json()["id"].as_u64().unwrap();
    assert_eq!(r.json()["type"], "branch");
    let dup = call(
        &emu,
        "POST",
        &url,
        Some(json!({"name": "release/*", "type": "branch"})),
    );
    assert_eq!(dup.status, 303);
    assert!(
        dup.header("location")
            .unwrap()
            .ends_with(&format!("/deployment-branch-policies/{id}"))
    );
    assert_eq!(
        call(
            &emu,
            "POST",
            &url,
            Some(json!({"name": "v*", "type": "tag"}))
        )
        .status,
        200
    );
    assert_eq!(
        get(&emu, &format!("{url}/{id}")).json()["name"],
        "release/*"
    );
    let r = call(
        &emu,
        "PUT",
        &format!("{url}/{id}"),
        Some(json!({"name": "hotfix/*"})),
    );
    assert_eq!(
        (r.status, r.json()["name"].clone()),
        (200, json!("hotfix/*"))
    );
    assert_eq!(
        call(&emu, "DELETE", &format!("{url}/{id}"), None).status,
        204
    );
    assert_eq!(get(&emu, &format!("{url}/{id}")).status, 404);
    assert_eq!(
        call(
            &emu,
            "POST",
            &url,
            Some(json!({"name": "bad", "type": "other"}))
        )
        .status,
        422
    );

    // Custom policies off: 404.
    let drifted = Emulator::from_fixture(fixture("flow-drifted.json"));
    let r = call(
        &drifted,
        "POST",
        &format!("{R}/environments/production/deployment-branch-policies"),
        Some(json!({"name": "main"})),
    );
    assert_eq!(r.status, 404);
    assert_clean(&emu);
    assert_clean(&drifted);
}

fn seal(key_b64: &str, plain: &[u8]) -> String {
    let key: [u8; 32] = B64.decode(key_b64).unwrap().try_into().unwrap();
    let pk = crypto_box::PublicKey::from(key);
    B64.encode(pk.seal(&mut crypto_box::aead::OsRng, plain).unwrap())
}

#[test]
fn secrets_sealed_boxes() {
    let emu = in_sync();
    let base = format!("{R}/environments/staging/secrets");
    let list = get(&emu, &base).json();
    assert_eq!(list["total_count"], 3);
    let names: Vec<_> = list["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].clone())
        .collect();
    assert_eq!(
        names,
        vec![
            json!("SSH_HOST"),
            json!("SSH_PRIVATE_KEY"),
            json!("SSH_USER")
        ]
    );
    assert_eq!(
        emu.secret_plaintext("staging", "SSH_HOST"),
        Some(Vec::new())
    );

    let pk = get(&emu, &format!("{base}/public-key")).json();
    let key_id = pk["key_id"].as_str().unwrap().to_owned();
    let key = pk["key"].as_str().unwrap().to_owned();
    assert_eq!(B64.decode(&key).unwrap().len(), 32);
    assert_eq!(
        emu.public_key("staging"),
        Some((key_id.clone(), key.clone()))
    );

    let put = |name: &str, value: String, kid: &str| {
        call(
            &emu,
            "PUT",
            &format!("{base}/{name}"),
            Some(json!({"encrypted_value": value, "key_id": kid})),
        )
    };
    let r = put("DEPLOY_TOKEN", seal(&key, b"s3cret"), &key_id);
    assert_eq!((r.status, r.json()), (201, json!({})));
    assert_eq!(
        emu.secret_plaintext("staging", "DEPLOY_TOKEN"),
        Some(b"s3cret".to_vec())
    );
    let r = put("DEPLOY_TOKEN", seal(&key, b"new"), &key_id);
    assert_eq!((r.status, r.body.as_str()), (204, ""));
    assert_eq!(
        emu.secret_plaintext("staging", "DEPLOY_TOKEN"),
        Some(b"new".to_vec())
    );
    assert_eq!(put("X", seal(&key, b"v"), "123").status, 422);
    assert_eq!(
        put("X", "c2VjcmV0".into(), &key_id).status,
        422,
        "not a sealed box"
    );
    assert_eq!(put("X", "not base64!".into(), &key_id).status, 422);
    let prod_key = emu.public_key("production").unwrap();
    assert_ne!(prod_key.0, key_id);
    assert_eq!(
        put("X", seal(&prod_key.1, b"v"), &key_id).status,
        422,
        "sealed for another key"
    );

    let one = get(&emu, &format!("{base}/DEPLOY_TOKEN")).json();
    assert_eq!(one["name"], "DEPLOY_TOKEN");
    assert!(one["updated_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        call(&emu, "DELETE", &format!("{base}/DEPLOY_TOKEN"), None).status,
        204
    );
    assert_eq!(get(&emu, &format!("{base}/DEPLOY_TOKEN")).status, 404);
    assert_eq!(emu.secret_plaintext("staging", "DEPLOY_TOKEN"), None);
    assert_eq!(
        get(&emu, &format!("{R}/environments/nope/secrets")).status,
        404
    );
    assert_clean(&emu);
}

#[test]
fn variables_crud_and_pagination() {
    let emu = in_sync();
    let base = format!("{R}/environments/production/variables");
    let v = get(&emu, &base).json();
    assert_eq!(v["total_count"], 1);
    assert_eq!(v["variables"][0]["name"], "HEALTH_URL");
    assert_eq!(
        v["variables"][0]["value"],
        "https://katz.example.com/api/health"
    );
    let r = call(
        &emu,
        "POST",
        &base,
        Some(json!({"name": "REGION", "value": "eu"})),
    );
    assert_eq!((r.status, r.json()), (201, json!({})));
    assert_eq!(
        call(
            &emu,
            "POST",
            &base,
            Some(json!({"name": "REGION", "value": "us"}))
        )
        .status,
        409
    );
    assert_eq!(
        call(&emu, "POST", &base, Some(json!({"name": "X"}))).status,
        422
    );
    let r = call(
        &emu,
        "PATCH",
        &format!("{base}/REGION"),
        Some(json!({"value": "us"})),
    );
    assert_eq!((r.status, r.body.as_str()), (204, ""));
    assert_eq!(get(&emu, &format!("{base}/REGION")).json()["value"], "us");
    let r = call(
        &emu,
        "PATCH",
        &format!("{base}/REGION"),
        Some(json!({"name": "ZONE"})),
    );
    assert_eq!(r.status, 204);
    assert_eq!(get(&emu, &format!("{base}/REGION")).status, 404);
    assert_eq!(
        call(&emu, "DELETE", &format!("{base}/ZONE"), None).status,
        204
    );
    assert_eq!(
        call(&emu, "DELETE", &format!("{base}/ZONE"), None).status,
        404
    );

    for i in 0..11 {
        call(
            &emu,
            "POST",
            &base,
            Some(json!({"name": format!("V{i:02}"), "value": "x"})),
        );
    }
    let p1 = get(&emu, &base);
    assert_eq!(p1.json()["total_count"], 12);
    assert_eq!(
        p1.json()["variables"].as_array().unwrap().len(),
        10,
        "default per_page is 10"
    );
    assert!(
        p1.header("link")
            .unwrap()
            .contains("per_page=10&page=2>; rel=\"next\"")
    );
    let big = get(&emu, &format!("{base}?per_page=100"));
    assert_eq!(
        big.json()["variables"].as_array().unwrap().len(),
        12,
        "max 30"
    );
    assert!(big.header("link").is_none());
    assert_eq!(emu.state().environments["production"].variables.len(), 12);
    assert_clean(&emu);
}
