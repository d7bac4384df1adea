//! GitHub App authentication: JWTs signed with the app's key, installations, and the
//! installation tokens they mint.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gh_policy_emulator::{Emulator, InstallationSeed, Seed, test_keys};
use serde_json::{Value, json};

use crate::common::{assert_clean, call_as, main_ruleset, org_seed};

fn now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

fn sign(claims: &Value, key_pem: &str) -> String {
    test_keys::sign(claims, key_pem).unwrap()
}

/// A valid app JWT: issued a minute ago (as GitHub advises against clock drift), 9 minutes
/// left.
fn jwt(iss: &Value) -> String {
    let t = now();
    sign(
        &json!({"iat": t - 60, "exp": t + 540, "iss": iss}),
        test_keys::PRIVATE_KEY_PEM,
    )
}

fn seed() -> Seed {
    org_seed()
        .with_installation(InstallationSeed::new(77, "ci-app"))
        .with_app("narrow-app", 2000)
        .with_installation(InstallationSeed {
            repositories: Some(vec!["web".into()]),
            ..InstallationSeed::new(78, "narrow-app")
        })
}

#[test]
fn an_app_jwt_finds_installations_and_mints_tokens() {
    let emu = Emulator::start(seed());
    let app = jwt(&json!(15368));
    let inst = call_as(&emu, &app, "GET", "/orgs/acme/installation", None);
    assert_eq!(inst.status, 200, "{}", inst.body);
    let v = inst.json();
    assert_eq!(
        (v["id"].clone(), v["app_id"].clone(), v["app_slug"].clone()),
        (json!(77), json!(15368), json!("ci-app"))
    );
    assert_eq!(v["account"]["login"], "acme");
    assert_eq!(v["target_type"], "Organization");
    assert_eq!(v["repository_selection"], "all");
    assert_eq!(
        call_as(&emu, &app, "GET", "/repos/acme/api/installation", None).json()["id"],
        77
    );
    let helper = test_keys::app_jwt(15368).unwrap();
    assert_eq!(
        call_as(&emu, &helper, "GET", "/orgs/acme/installation", None).status,
        200
    );
    // The narrow app's installation covers web only.
    let narrow = jwt(&json!("2000"));
    assert_eq!(
        call_as(&emu, &narrow, "GET", "/repos/acme/web/installation", None).json()["id"],
        78
    );
    assert_eq!(
        call_as(&emu, &narrow, "GET", "/repos/acme/api/installation", None).status,
        404
    );
    // Another app's installation is not found.
    assert_eq!(
        call_as(
            &emu,
            &narrow,
            "POST",
            "/app/installations/77/access_tokens",
            None
        )
        .status,
        404
    );

    let r = call_as(
        &emu,
        &app,
        "POST",
        "/app/installations/77/access_tokens",
        None,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let t = r.json();
    let token = t["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("ghs_"));
    assert_eq!(t["repository_selection"], "all");
    assert_eq!(t["permissions"]["administration"], "write");
    assert!(t["expires_at"].as_str().unwrap().ends_with('Z'));
    // The installation token acts as an admin on the organisation's repositories.
    let created = call_as(
        &emu,
        &token,
        "POST",
        "/repos/acme/api/rulesets",
        Some(main_ruleset("by-app")),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_u64().unwrap();
    let history = call_as(
        &emu,
        &token,
        "GET",
        &format!("/repos/acme/api/rulesets/{id}/history"),
        None,
    )
    .json();
    assert_eq!(
        history[0]["actor"],
        json!({"id": 15368, "type": "Integration"})
    );
    assert_eq!(
        call_as(
            &emu,
            &token,
            "GET",
            "/repos/acme/api/branches/main/protection",
            None
        )
        .status,
        200
    );
    assert_eq!(
        call_as(&emu, &token, "GET", "/repos/octocat/dotfiles", None).status,
        404
    );
    let repos = call_as(&emu, &token, "GET", "/installation/repositories", None).json();
    assert_eq!(repos["total_count"], 4);
    assert_eq!(
        repos["repositories"][0]["custom_properties"]["tier"],
        "critical"
    );
    // A token narrowed to some repositories.
    let r = call_as(
        &emu,
        &app,
        "POST",
        "/app/installations/77/access_tokens",
        Some(json!({"repositories": ["web"], "permissions": {"administration": "read"}})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let t = r.json();
    assert_eq!(t["repository_selection"], "selected");
    assert_eq!(t["repositories"][0]["name"], "web");
    assert_eq!(t["permissions"], json!({"administration": "read"}));
    let narrow_token = t["token"].as_str().unwrap().to_owned();
    assert_eq!(
        call_as(&emu, &narrow_token, "GET", "/repos/acme/web", None).status,
        200
    );
    assert_eq!(
        call_as(&emu, &narrow_token, "GET", "/repos/acme/api", None).status,
        404
    );
    let missing = call_as(
        &emu,
        &app,
        "POST",
        "/app/installations/77/access_tokens",
        Some(json!({"repositories": ["nope"]})),
    );
    assert_eq!(missing.status, 422);
    assert_clean(&emu);
}

#[test]
fn bad_jwts_get_githubs_401s() {
    let emu = Emulator::start(seed());
    let t = now();
    let msg = |token: &str| {
        let r = call_as(&emu, token, "GET", "/orgs/acme/installation", None);
        assert_eq!(r.status, 401, "{}", r.body);
        r.json()["message"].as_str().unwrap().to_owned()
    };
    let key = test_keys::PRIVATE_KEY_PEM;
    assert_eq!(
        msg(&sign(
            &json!({"iat": t - 700, "exp": t - 100, "iss": 15368}),
            key
        )),
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
    );
    assert_eq!(
        msg(&sign(&json!({"iat": t, "exp": t + 900, "iss": 15368}), key)),
        "'Expiration time' claim ('exp') is too far in the future"
    );
    assert_eq!(
        msg(&sign(
            &json!({"iat": t + 300, "exp": t + 600, "iss": 15368}),
            key
        )),
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
    );
    assert_eq!(
        msg(&sign(
            &json!({"iat": t, "exp": t + 500, "iss": 15368}),
            test_keys::OTHER_PRIVATE_KEY_PEM
        )),
        "A JSON web token could not be decoded"
    );
    assert_eq!(
        msg(&sign(&json!({"iat": t, "exp": t + 500, "iss": 1}), key)),
        "A JSON web token could not be decoded"
    );
    assert_eq!(
        msg(&sign(&json!({"iat": t, "exp": t + 500}), key)),
        "'Issuer' claim ('iss') must be an Integer"
    );
    // Within 60 s of clock skew both ways.
    assert_eq!(
        call_as(
            &emu,
            &sign(&json!({"iat": t + 30, "exp": t + 600, "iss": 15368}), key),
            "GET",
            "/orgs/acme/installation",
            None
        )
        .status,
        200
    );
    assert_eq!(
        call_as(
            &emu,
            &sign(&json!({"iat": t - 620, "exp": t - 30, "iss": 15368}), key),
            "GET",
            "/orgs/acme/installation",
            None
        )
        .status,
        200
    );
    // A token where a JWT is needed, and a JWT where a token is.
    let pat = call_as(&emu, emu.token(), "GET", "/orgs/acme/installation", None);
    assert_eq!(
        (pat.status, pat.json()["message"].clone()),
        (401, json!("A JSON web token could not be decoded"))
    );
    let app = jwt(&json!(15368));
    let r = call_as(&emu, &app, "GET", "/repos/acme/api", None);
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (403, json!("Resource not accessible by integration"))
    );
    assert_eq!(
        call_as(&emu, emu.token(), "GET", "/installation/repositories", None).status,
        403
    );
    assert_clean(&emu);
}

#[test]
fn installation_tokens_expire() {
    let emu = Emulator::builder(seed())
        .installation_token_ttl(Duration::from_secs(2))
        .start();
    let app = jwt(&json!(15368));
    let mint = || {
        call_as(
            &emu,
            &app,
            "POST",
            "/app/installations/77/access_tokens",
            None,
        )
        .json()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let token = mint();
    assert_eq!(
        call_as(&emu, &token, "GET", "/repos/acme/api", None).status,
        200
    );
    std::thread::sleep(Duration::from_millis(2300));
    let r = call_as(&emu, &token, "GET", "/repos/acme/api", None);
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (401, json!("Bad credentials"))
    );
    let renewed = mint();
    assert_ne!(renewed, token);
    assert_eq!(
        call_as(&emu, &renewed, "GET", "/repos/acme/api", None).status,
        200
    );
    emu.set_installation_token_ttl(Duration::from_secs(3600));
    let long = mint();
    assert_eq!(
        call_as(&emu, &long, "GET", "/repos/acme/api", None).status,
        200
    );
    assert_clean(&emu);
}

#[test]
fn an_app_may_bring_its_own_public_key() {
    let mut seed = seed();
    seed.apps[0].public_key = Some(test_keys::PUBLIC_KEY_PEM.to_owned());
    seed.apps[1].public_key = Some("not a key".to_owned());
    let emu = Emulator::start(seed);
    assert_eq!(
        call_as(
            &emu,
            &jwt(&json!(15368)),
            "GET",
            "/orgs/acme/installation",
            None
        )
        .status,
        200
    );
    assert_eq!(
        call_as(
            &emu,
            &jwt(&json!(2000)),
            "GET",
            "/orgs/acme/installation",
            None
        )
        .status,
        401
    );
    assert_clean(&emu);
}
