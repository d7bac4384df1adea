//! Many repositories and an organisation: seeds, org listings, custom properties, accounts.

use gh_policy_emulator::{BranchSeed, Emulator, RepositorySeed, Seed};
use serde_json::{Value, json};

use crate::common::{assert_clean, get, org_seed};

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_repository_answers_its_own_endpoints() {
    let emu = Emulator::start(org_seed());
    let api = get(&emu, "/repos/acme/api").json();
    assert_eq!(api["full_name"], "acme/api");
    assert_eq!(api["private"], true);
    assert_eq!(api["visibility"], "private");
    assert_eq!(api["owner"]["id"], 9000);
    assert_eq!(api["owner"]["type"], "Organization");
    assert_eq!(api["organization"]["login"], "acme");
    assert_eq!(
        api["custom_properties"],
        json!({"tier": "critical", "langs": ["rust"]})
    );
    assert_eq!(
        get(&emu, "/repos/ACME/Web").json()["default_branch"],
        "trunk"
    );
    assert_eq!(get(&emu, "/repos/acme/old").json()["archived"], true);
    assert_eq!(get(&emu, "/repos/acme/api-fork").json()["id"], 123);
    assert_eq!(get(&emu, "/repos/acme/api-fork").json()["fork"], true);
    assert_eq!(get(&emu, "/repos/acme/nope").status, 404);
    // Per-repository endpoints see each repository's own state.
    let p = get(&emu, "/repos/acme/api/branches/main/protection");
    assert_eq!(p.status, 200);
    assert_eq!(
        p.json()["required_status_checks"]["contexts"],
        json!(["ci"])
    );
    assert_eq!(
        get(&emu, "/repos/acme/web/branches/main/protection").status,
        404
    );
    // A repository of the multi-repository form gets its default branch.
    assert_eq!(
        names(&get(&emu, "/repos/acme/web/branches").json()),
        ["trunk"]
    );
    assert_eq!(
        names(&get(&emu, "/repos/acme/api/branches").json()),
        ["dev", "main"]
    );
    assert_eq!(
        get(&emu, "/repos/acme/api/environments").json()["total_count"],
        1
    );
    assert_eq!(
        get(&emu, "/repos/acme/web/environments").json()["total_count"],
        0
    );
    let u = get(&emu, "/repos/octocat/dotfiles").json();
    assert_eq!(
        (u["owner"]["type"].clone(), u["owner"]["id"].clone()),
        (json!("User"), json!(583_231))
    );
    assert!(u.get("custom_properties").is_none());
    assert_clean(&emu);
}

#[test]
fn org_repositories_are_listed_paginated_and_filtered() {
    let emu = Emulator::builder(org_seed()).max_per_page(2).start();
    // Default sort: created, newest first.
    let r = get(&emu, "/orgs/acme/repos");
    assert_eq!(r.status, 200);
    assert_eq!(names(&r.json()), ["api-fork", "old"]);
    let link = r.header("link").unwrap();
    assert!(
        link.contains("rel=\"next\"") && link.contains("page=2"),
        "{link}"
    );
    let all: Vec<String> = (1..=2)
        .flat_map(|p| names(&get(&emu, &format!("/orgs/acme/repos?per_page=2&page={p}")).json()))
        .collect();
    assert_eq!(all, ["api-fork", "old", "web", "api"]);
    let by_name = get(&emu, "/orgs/acme/repos?sort=full_name&per_page=10").json();
    assert_eq!(names(&by_name), ["api", "api-fork"]);
    assert_eq!(
        names(&get(&emu, "/orgs/acme/repos?type=private").json()),
        ["api"]
    );
    assert_eq!(
        names(&get(&emu, "/orgs/acme/repos?type=forks").json()),
        ["api-fork"]
    );
    let one = get(&emu, "/orgs/acme/repos?sort=full_name&direction=desc").json();
    assert_eq!(names(&one), ["web", "old"]);
    let old = &get(
        &emu,
        "/orgs/acme/repos?type=public&sort=full_name&per_page=1&page=2",
    )
    .json()[0];
    assert_eq!(
        (old["name"].clone(), old["archived"].clone()),
        (json!("old"), json!(true))
    );
    // GitHub's repository lists leave the values out (github-api/QUIRKS.md 57); they are read
    // apart.
    assert!(old.get("custom_properties").is_none(), "{old}");
    assert_eq!(get(&emu, "/orgs/other/repos").status, 404);
    // A user's public repositories.
    assert_eq!(
        names(&get(&emu, "/users/octocat/repos").json()),
        ["dotfiles"]
    );
    assert_eq!(get(&emu, "/users/nobody/repos").status, 404);
    assert_clean(&emu);
}

#[test]
fn custom_properties_teams_and_accounts() {
    let emu = Emulator::builder(org_seed()).max_per_page(3).start();
    let schema = get(&emu, "/orgs/acme/properties/schema").json();
    assert_eq!(schema[0]["property_name"], "tier");
    assert_eq!(schema[0]["source_type"], "organization");
    assert!(
        schema[0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/orgs/acme/properties/schema/tier")
    );
    assert_eq!(
        get(&emu, "/repos/acme/api/properties/values").json(),
        json!([{"property_name": "tier", "value": "critical"},
               {"property_name": "langs", "value": ["rust"]}])
    );
    // Defaults of the definitions count as values.
    assert_eq!(
        get(&emu, "/repos/acme/web/properties/values").json(),
        json!([{"property_name": "tier", "value": "standard"}])
    );
    let page1 = get(&emu, "/orgs/acme/properties/values");
    assert!(page1.header("link").unwrap().contains("rel=\"next\""));
    let v = page1.json();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[0]["repository_full_name"], "acme/api");
    assert_eq!(
        v[0]["repository_id"],
        get(&emu, "/repos/acme/api").json()["id"]
    );
    let rest = get(&emu, "/orgs/acme/properties/values?page=2").json();
    assert_eq!(rest[0]["repository_name"], "api-fork");
    let teams = get(&emu, "/orgs/acme/teams").json();
    assert_eq!(teams[0]["slug"], "platform");
    assert_eq!(teams[0]["organization_id"], 9000);
    assert_eq!(
        get(&emu, "/orgs/acme/teams/release-managers").json()["id"],
        42
    );
    assert_eq!(get(&emu, "/orgs/other/teams").status, 404);
    assert_eq!(get(&emu, "/user/583231").json()["login"], "octocat");
    assert_eq!(get(&emu, "/user/1").status, 404);
    assert_eq!(get(&emu, "/user/abc").status, 404);
    assert_clean(&emu);
}

#[test]
fn state_round_trips_and_resets() {
    let emu = Emulator::start(org_seed());
    let state = emu.state();
    assert_eq!(state.repositories.len(), 5);
    assert!(state.repo.is_unset());
    assert_eq!(state.org.as_ref().unwrap().id, Some(9000));
    let emu2 = Emulator::start(state.clone());
    assert_eq!(emu2.state(), state);
    emu.reset(&state).unwrap();
    assert_eq!(emu.state(), state);
    // A repository listed twice is refused.
    let twice = org_seed().with_repository(RepositorySeed::new("api"));
    assert!(Emulator::builder(twice).try_start().is_err());
}

#[test]
fn a_single_repository_seed_and_more_repositories_combine() {
    let mut seed = Emulator::load_seed(crate::common::fixture("flow-in-sync.json")).unwrap();
    seed.repositories.push(RepositorySeed::new("second"));
    let emu = Emulator::start(seed);
    assert_eq!(get(&emu, crate::common::R).json()["id"], 700_000_001);
    assert_eq!(get(&emu, "/repos/acme/second").json()["id"], 700_000_002);
    assert_eq!(
        names(&get(&emu, "/orgs/acme/repos?sort=full_name").json()),
        ["katz-backend", "second"]
    );
    let state = emu.state();
    assert_eq!(state.repo.name, "katz-backend");
    assert_eq!(state.repositories[0].name, "second");
    assert!(state.org.is_none());
    // The repository owner is the organisation: its rulesets export with it.
    let body = json!({"name": "org", "enforcement": "active"});
    assert_eq!(
        crate::common::call(&emu, "POST", "/orgs/acme/rulesets", Some(body)).status,
        201
    );
    let state = emu.state();
    assert_eq!(state.org.as_ref().unwrap().rulesets.len(), 1);
    assert_eq!(Emulator::start(state.clone()).state(), state);
    assert_clean(&emu);
}

/// Builds an organisation of `n` repositories, each with a protected default branch, two
/// more branches and a custom property.
fn big_org(n: usize) -> Seed {
    let mut seed = Seed::organization("acme", 9000).with_team("platform", 41);
    for i in 0..n {
        let repo = RepositorySeed::new(&format!("repo-{i:03}"))
            .private(i % 3 == 0)
            .property("tier", if i % 10 == 0 { "critical" } else { "standard" })
            .protected_branch(
                "main",
                json!({"required_status_checks": {"strict": true, "checks": [{"context": "ci"}]},
                       "enforce_admins": true,
                       "required_pull_request_reviews": {"required_approving_review_count": 1},
                       "restrictions": null}),
            )
            .branch("dev", BranchSeed::default())
            .branch("release/1", BranchSeed::default());
        seed = seed.with_repository(repo);
    }
    seed
}

#[test]
fn three_hundred_repositories_are_listed_page_by_page() {
    let emu = Emulator::start(big_org(300));
    let mut listed = 0;
    let mut page = 1;
    loop {
        let r = get(&emu, &format!("/orgs/acme/repos?per_page=100&page={page}"));
        listed += r.json().as_array().unwrap().len();
        if !r.header("link").unwrap_or("").contains("rel=\"next\"") {
            break;
        }
        page += 1;
    }
    assert_eq!(listed, 300);
    assert_eq!(
        get(&emu, "/repos/acme/repo-299/branches/main/protection").json()["enforce_admins"]["enabled"],
        true
    );
    assert_clean(&emu);
}

#[test]
fn secrets_of_any_repository_can_be_read_back() {
    use base64::Engine as _;
    let emu = Emulator::start(org_seed());
    let (key_id, key) = emu.repo_public_key("acme/api", "production").unwrap();
    let bytes: [u8; 32] = base64::engine::general_purpose::STANDARD
        .decode(key)
        .unwrap()
        .try_into()
        .unwrap();
    let sealed = crypto_box::PublicKey::from(bytes)
        .seal(&mut crypto_box::aead::OsRng, b"hunter2")
        .unwrap();
    let body = json!({"encrypted_value": base64::engine::general_purpose::STANDARD.encode(sealed),
                      "key_id": key_id});
    let r = crate::common::call(
        &emu,
        "PUT",
        "/repos/acme/api/environments/production/secrets/TOKEN",
        Some(body),
    );
    assert_eq!(r.status, 201);
    assert_eq!(
        emu.repo_secret_plaintext("acme/api", "production", "token"),
        Some(b"hunter2".to_vec())
    );
    assert_eq!(
        emu.secret_plaintext("production", "TOKEN"),
        Some(b"hunter2".to_vec())
    );
    assert_eq!(emu.repo_public_key("acme/web", "production"), None);
    assert_clean(&emu);
}
