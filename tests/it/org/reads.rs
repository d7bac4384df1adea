//! What an organisation run reads: the rate-budget check before any repository, and the
//! organisation rulesets read once (or per repository without organisation administration).

use gh_policy_emulator::Emulator;
use serde_json::{Value, json};

use super::{ORG_POLICY, acme, app_credentials, plan_json, planned};
use crate::common::TestRepo;

#[test]
fn a_run_the_rate_limit_left_cannot_cover_stops_before_reading_any_repository() {
    // Three reads for the run, then four repositories of three reads each (the third, who
    // may write, for the findings): 12 do not fit in the 8 left. (A server without
    // GraphQL: every read goes through REST.)
    let repo = TestRepo::with(Emulator::builder(acme()).primary_rate_limit(11).start());
    repo.emu.inject(
        gh_policy_emulator::Fault::new(gh_policy_emulator::FaultKind::Status(404))
            .path("/graphql")
            .always(),
    );
    repo.policy(ORG_POLICY);
    let output = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "this run may need 12 more requests for 4 repositories (0 answered for free, from the cache or GraphQL), and 8 of 11 are left until 20"
        ) && stderr.contains(": 2 repositories fit"),
        "{stderr}"
    );
    assert!(stderr.contains("--shard 1/"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    let per_repository: Vec<String> = repo
        .emu
        .requests()
        .iter()
        .map(|r| r.path.clone())
        .filter(|p| p.starts_with("/repos/"))
        .collect();
    assert!(per_repository.is_empty(), "{per_repository:?}");
    // --force goes on.
    repo.cmd()
        .args(["plan", "--no-cache", "--force"])
        .output()
        .unwrap();
    assert!(
        repo.emu
            .requests()
            .iter()
            .any(|r| r.path.starts_with("/repos/")),
        "--force read no repository"
    );
}

#[test]
fn organisation_rulesets_are_read_once_for_the_whole_run() {
    let mut seed = acme();
    seed.org.as_mut().unwrap().rulesets.push(json!({
        "name": "no force pushes", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []},
                       "repository_name": {"include": ["~ALL"], "exclude": []}},
        "rules": [{"type": "non_fast_forward"}]
    }));
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy(
        &format!("{ORG_POLICY}\n# and the floor every repository must keep\n").replace(
            "defaults:\n",
            "defaults:\n  requirements: { \"~DEFAULT_BRANCH\": { block_force_pushes: true } }\n",
        ),
    );
    let (code, plan, stderr) = plan_json(&repo, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(plan["errors"], json!([]), "{plan:#}");
    let lists = repo
        .emu
        .requests()
        .iter()
        .filter(|r| r.path == "/orgs/acme/rulesets")
        .count();
    assert_eq!(lists, 1);
    // The organisation ruleset blocks force pushes on every default branch: the floor holds.
    for repository in plan["repositories"].as_array().unwrap() {
        let judged = &repository["requirements"][0]["settings"];
        let setting = judged
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["setting"] == "block_force_pushes")
            .unwrap();
        assert_eq!(setting["met"], true, "{repository:#}");
    }
}

/// An App without "Organization administration: read" cannot list the organisation's
/// rulesets; each repository then reads those that apply to it, and the requirement is
/// judged the same.
#[test]
fn without_organisation_administration_the_organisation_rulesets_are_read_per_repository() {
    use gh_policy_emulator::InstallationSeed;
    let mut installation = InstallationSeed::new(77, "gh-policy");
    installation.permissions = Some(json!({"administration": "read", "metadata": "read",
        "environments": "read", "organization_custom_properties": "read", "members": "read"}));
    let mut seed = acme()
        .with_app("gh-policy", 15368)
        .with_installation(installation);
    seed.org.as_mut().unwrap().rulesets.push(json!({
        "name": "no force pushes", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []},
                       "repository_name": {"include": ["~ALL"], "exclude": []}},
        "rules": [{"type": "non_fast_forward"}]
    }));
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy("version: 1\norganization: acme\ndefaults:\n  requirements: { \"~DEFAULT_BRANCH\": { block_force_pushes: true } }\n");
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "json"])
        .env_remove("GITHUB_TOKEN")
        .envs(app_credentials())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stderr}\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let listing = repo
        .emu
        .requests()
        .into_iter()
        .find(|r| r.path == "/orgs/acme/rulesets")
        .unwrap();
    assert_eq!(listing.status, 403);
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["errors"], json!([]));
    assert_eq!(planned(&plan).len(), 4);
    // Each repository read the organisation ruleset through its own path instead.
    let per_repository = repo
        .emu
        .requests()
        .iter()
        .filter(|r| {
            r.path.starts_with("/repos/acme/") && r.path.contains("/rulesets/") && r.status == 200
        })
        .count();
    assert_eq!(per_repository, 4);
}
