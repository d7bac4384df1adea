//! Rulesets against the emulator, one test per way the peers' users saw them drift for ever
//! or get clobbered (issue 11): order, defaults GitHub fills in, `integration_id` on a check
//! written without an app, `OrganizationAdmin` read back with `actor_id` 0, 1 or null,
//! clearing the last bypass actor, organisation rulesets left alone, bypass actors hidden
//! from a read-only token, ids instead of names, and parameters gh-policy does not model.

use gh_policy_emulator::{Emulator, OrgAdminActorId, Realism, Role, Seed};
use serde_json::{Value, json};

use crate::common::{TestRepo, changes};

/// A repository with a protected `main` by ruleset, written the way the API takes it, and
/// an organisation ruleset that applies to it.
fn seed(extra_rulesets: &[Value]) -> Seed {
    let mut rulesets = vec![json!({
        "id": 101, "name": "protect-main", "enforcement": "active", "target": "branch",
        "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH", "refs/heads/release/**"], "exclude": [] } },
        "bypass_actors": [
            { "actor_id": 5, "actor_type": "RepositoryRole" },
            { "actor_id": 41, "actor_type": "Team", "bypass_mode": "pull_request" },
            { "actor_id": null, "actor_type": "OrganizationAdmin", "bypass_mode": "always" },
            { "actor_id": 583_231, "actor_type": "User" }
        ],
        "rules": [
            { "type": "deletion" },
            { "type": "non_fast_forward" },
            { "type": "pull_request", "parameters": {
                "required_approving_review_count": 2, "dismiss_stale_reviews_on_push": true,
                "require_code_owner_review": false, "require_last_push_approval": false,
                "required_review_thread_resolution": true } },
            { "type": "required_status_checks", "parameters": {
                "strict_required_status_checks_policy": true,
                "required_status_checks": [
                    { "context": "dev - lint and test" },
                    { "context": "Security Checks", "integration_id": 15368 } ] } },
            { "type": "merge_queue", "parameters": {
                "merge_method": "SQUASH", "grouping_strategy": "ALLGREEN",
                "max_entries_to_build": 5, "min_entries_to_merge": 1, "max_entries_to_merge": 5,
                "min_entries_to_merge_wait_minutes": 5, "check_response_timeout_minutes": 60 } }
        ]
    })];
    rulesets.extend(extra_rulesets.iter().cloned());
    serde_json::from_value(json!({
        "repo": { "owner": "acme", "name": "katz-backend", "default_branch": "main" },
        "org": {
            "login": "acme", "id": 9000,
            "rulesets": [ {
                "id": 900, "name": "org-baseline", "enforcement": "active", "target": "branch",
                "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] },
                                "repository_name": { "include": ["~ALL"], "exclude": [] } },
                "rules": [ { "type": "deletion" } ] } ]
        },
        "users": [ { "login": "octocat", "id": 583_231 }, { "login": "reviewer-1", "id": 7001 },
                   { "login": "reviewer-2", "id": 7002 } ],
        "teams": [ { "slug": "release-managers", "id": 41 } ],
        "apps": [ { "slug": "github-actions", "id": 15368 } ],
        "branches": { "main": {} },
        "rulesets": rulesets,
        // GitHub stores the app that last reported a check written without one.
        "realism": { "check_integrations": { "dev - lint and test": 15368 } }
    }))
    .unwrap()
}

fn start(seed: Seed) -> TestRepo {
    TestRepo::with(
        Emulator::builder(seed)
            .token_with_role("read-token", Role::Read)
            .start(),
    )
}

/// The policy that says what `seed` has, by name.
const PROTECT_MAIN: &str = r#"
version: 1
repository: acme/katz-backend
rulesets:
  protect-main:
    include: [release/**, "~DEFAULT_BRANCH"]
    bypass:
      - user: octocat
      - org_admins: true
      - team: release-managers
        mode: pull_request
      - role: admin
    rules:
      pull_request:
        required_approvals: 2
        dismiss_stale_reviews: true
        required_conversation_resolution: true
      status_checks:
        strict: true
        required:
          - { context: Security Checks, app: github-actions }
          - dev - lint and test
      block_force_pushes: true
      restrict_deletions: true
      other:
        - { type: merge_queue, parameters: { merge_method: SQUASH } }
"#;

fn apply(repo: &TestRepo) -> assert_cmd::assert::Assert {
    repo.cmd().args(["apply", "--yes", "--no-cache"]).assert()
}

/// `apply --yes` of a policy that lowers protection on purpose (DESIGN §11).
fn apply_lowering(repo: &TestRepo) -> assert_cmd::assert::Assert {
    repo.cmd()
        .args(["apply", "--yes", "--allow-weakening", "--no-cache"])
        .assert()
}

fn ruleset_writes(repo: &TestRepo) -> Vec<(String, String, Option<Value>)> {
    repo.writes()
        .into_iter()
        .filter(|w| w.path.contains("/rulesets"))
        .map(|w| (w.method, w.path, w.body))
        .collect()
}

#[test]
fn a_ruleset_as_github_returns_it_is_in_sync_with_the_policy() {
    // Order reversed, defaults filled, `integration_id` filled on a check written without
    // one, `OrganizationAdmin` read back with each `actor_id` GitHub has been seen to send.
    for admin_id in [
        OrgAdminActorId::Null,
        OrgAdminActorId::Zero,
        OrgAdminActorId::One,
    ] {
        let mut seed = seed(&[]);
        seed.realism = Realism {
            organization_admin_actor_id: admin_id,
            ..seed.realism.clone()
        };
        let repo = start(seed);
        repo.policy(PROTECT_MAIN);
        let (code, plan) = repo.plan_json();
        assert_eq!(
            (code, changes(&plan)),
            (0, vec![]),
            "{admin_id:?}: {plan:#}"
        );
        apply(&repo).code(0);
        assert!(
            repo.writes().is_empty(),
            "{admin_id:?}: {:#?}",
            repo.writes()
        );
    }
}

#[test]
fn export_then_plan_is_in_sync_and_names_actors() {
    let repo = start(seed(&[]));
    let output = repo
        .cmd()
        .args(["export", "--no-cache", "--repo", "acme/katz-backend"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let exported = String::from_utf8(output.stdout).unwrap();
    for named in [
        "user: octocat",
        "team: release-managers",
        "role: admin",
        "org_admins: true",
    ] {
        assert!(
            exported.contains(named),
            "{named} missing from:\n{exported}"
        );
    }
    assert!(
        !exported.contains("org-baseline"),
        "an organisation ruleset is not the repository's:\n{exported}"
    );
    repo.policy(&exported);
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}\n{exported}");
}

#[test]
fn a_new_ruleset_is_created_once_and_then_left_alone() {
    let repo = start(seed(&[]));
    repo.policy(&format!(
        "{PROTECT_MAIN}  tags:\n    target: tag\n    include: [\"v*\"]\n    rules:\n      restrict_deletions: true\n      restrict_updates: {{ allow_fetch_and_merge: true }}\n"
    ));
    apply(&repo).code(0);
    let writes = ruleset_writes(&repo);
    assert_eq!(writes.len(), 1, "{writes:#?}");
    let (method, path, body) = &writes[0];
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("POST", "/repos/acme/katz-backend/rulesets")
    );
    let body = body.as_ref().unwrap();
    assert_eq!(
        body["conditions"]["ref_name"]["include"],
        json!(["refs/tags/v*"])
    );
    assert_eq!(body["bypass_actors"], json!([]));
    repo.clear_log();
    apply(&repo).code(0);
    assert!(repo.writes().is_empty(), "{:#?}", repo.writes());
}

#[test]
fn removing_bypass_actors_sends_the_list_without_them_and_empty_clears_all() {
    let repo = start(seed(&[]));
    repo.policy(&PROTECT_MAIN.replace("      - user: octocat\n", ""));
    apply(&repo).code(0);
    let writes = ruleset_writes(&repo);
    assert_eq!(writes.len(), 1, "{writes:#?}");
    let (method, path, body) = &writes[0];
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("PUT", "/repos/acme/katz-backend/rulesets/101")
    );
    let actors = body.as_ref().unwrap()["bypass_actors"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(actors.len(), 3);
    assert!(
        !actors.iter().any(|a| a["actor_type"] == "User"),
        "{actors:#?}"
    );

    repo.clear_log();
    let actor_lines = [
        "bypass:",
        "- user:",
        "org_admins",
        "team:",
        "mode:",
        "role:",
    ];
    let without = PROTECT_MAIN
        .lines()
        .filter(|l| !actor_lines.iter().any(|a| l.contains(a)))
        .collect::<Vec<_>>()
        .join("\n");
    repo.policy(&without);
    apply(&repo).code(0);
    let writes = ruleset_writes(&repo);
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert_eq!(writes[0].2.as_ref().unwrap()["bypass_actors"], json!([]));
    let live = repo
        .emu
        .state()
        .rulesets
        .into_iter()
        .find(|r| r["name"] == "protect-main")
        .unwrap();
    assert_eq!(live["bypass_actors"], json!([]), "{live:#}");
}

#[test]
fn pruning_never_touches_an_organisation_ruleset() {
    let extra = json!({
        "id": 102, "name": "old", "enforcement": "active",
        "conditions": { "ref_name": { "include": ["refs/heads/old"], "exclude": [] } },
        "rules": [ { "type": "deletion" } ]
    });
    let repo = start(seed(&[extra]));
    repo.policy(&format!("{PROTECT_MAIN}prune:\n  rulesets: true\n"));
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(
        changes(&plan),
        vec![("rulesets.old".to_owned(), "delete".to_owned(), true)]
    );
    apply_lowering(&repo).code(0);
    let writes = ruleset_writes(&repo);
    assert_eq!(
        writes
            .iter()
            .map(|w| (w.0.as_str(), w.1.as_str()))
            .collect::<Vec<_>>(),
        [("DELETE", "/repos/acme/katz-backend/rulesets/102")]
    );
    assert!(
        repo.emu
            .requests()
            .iter()
            .all(|r| r.method == "GET" || !r.path.ends_with("/900"))
    );
}

#[test]
fn hidden_bypass_actors_are_a_gap_naming_the_permission_never_drift() {
    let repo = start(seed(&[]));
    repo.policy(PROTECT_MAIN);
    let plan = |repo: &TestRepo| {
        let output = repo
            .cmd()
            .env("GITHUB_TOKEN", "read-token")
            .args(["plan", "--no-cache", "--format", "json"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let plan: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        (output.status.code().unwrap(), plan, stderr)
    };
    // A read-only drift gate plans: everything else is compared, the actors are named a gap.
    let (code, json, stderr) = plan(&repo);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: rulesets.protect-main: GitHub hides its bypass actors from this token, so they are not compared (the token needs \"Administration: write\")"
        ),
        "{stderr}"
    );
    assert_eq!(
        json["gaps"],
        json!([{"address": "rulesets.protect-main", "what": "bypass", "permission": "Administration: write"}])
    );
    // Other drift is drift; the ruleset is never written over actors that could not be read.
    repo.policy(&PROTECT_MAIN.replace("required_approvals: 2", "required_approvals: 3"));
    let (code, json, stderr) = plan(&repo);
    assert_eq!(code, 2, "{stderr}");
    let change = &json["changes"][0];
    assert_eq!(change["address"], "rulesets.protect-main");
    assert_eq!(change["applicable"], false);
    assert!(
        change["reason"]
            .as_str()
            .unwrap()
            .contains("bypass actors cannot be read"),
        "{change}"
    );
    // A requirement judged on what this token cannot read fails the run, naming the
    // permission (requirements.rs: a `no_bypass` resting on hidden actors).
    repo.policy(&format!(
        "{PROTECT_MAIN}requirements:\n  main: {{ restrict_deletions: true, no_bypass: true }}\n"
    ));
    let (code, _, stderr) = plan(&repo);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("the token needs"), "{stderr}");
}

#[test]
fn actors_written_by_id_match_the_same_actors_by_name() {
    let repo = start(seed(&[]));
    repo.policy(
        &PROTECT_MAIN
            .replace("- user: octocat", "- user_id: 583231")
            .replace("- team: release-managers", "- team_id: 41")
            .replace("- role: admin", "- role_id: 5"),
    );
    let (code, plan) = repo.plan_json();
    assert_eq!((code, changes(&plan)), (0, vec![]), "{plan:#}");
}

#[test]
fn a_parameter_gh_policy_does_not_model_survives_apply() {
    let repo = start(seed(&[]));
    repo.policy(&PROTECT_MAIN.replace("required_approvals: 2", "required_approvals: 3"));
    apply(&repo).code(0);
    let writes = ruleset_writes(&repo);
    assert_eq!(writes.len(), 1, "{writes:#?}");
    let rules = writes[0].2.as_ref().unwrap()["rules"]
        .as_array()
        .unwrap()
        .clone();
    let queue = rules.iter().find(|r| r["type"] == "merge_queue").unwrap();
    assert_eq!(
        queue["parameters"]["max_entries_to_build"],
        json!(5),
        "{queue:#}"
    );
    let pr = rules.iter().find(|r| r["type"] == "pull_request").unwrap();
    assert_eq!(
        pr["parameters"]["required_approving_review_count"],
        json!(3)
    );
    repo.clear_log();
    apply(&repo).code(0);
    assert!(repo.writes().is_empty(), "{:#?}", repo.writes());
}
