//! Unknown is never read as known (DESIGN §11): what GitHub sends that gh-policy does not
//! know — an enforcement, an actor type, a bypass mode added later — is kept and shown as
//! written, never counted toward a requirement and never in sync with a known value; a
//! field GitHub documents and an answer lacks is an error naming the call.

use gh_policy_emulator::{Emulator, Fault, FaultKind};
use serde_json::{Value, json};

use crate::common::{Policy, TestRepo, fixture};

/// The flow with one repository ruleset on the default branch: a pull request with one
/// approval and linear history, nobody may bypass.
fn repo_with_ruleset() -> TestRepo {
    let mut seed = Emulator::load_seed(fixture("live/flow-in-sync.json")).unwrap();
    seed.rulesets.push(json!({
        "id": 101, "name": "linear", "enforcement": "active", "target": "branch",
        "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },
        "bypass_actors": [],
        "rules": [
            { "type": "pull_request", "parameters": {
                "required_approving_review_count": 1, "dismiss_stale_reviews_on_push": false,
                "require_code_owner_review": false, "require_last_push_approval": false,
                "required_review_thread_resolution": false } },
            { "type": "required_linear_history" }
        ]
    }));
    let repo = TestRepo::with(Emulator::start(seed));
    let mut policy = Policy::flow().yaml();
    policy.push_str(
        "rulesets:
  linear:
    include: [\"~DEFAULT_BRANCH\"]
    rules:
      pull_request: { required_approvals: 1 }
      required_linear_history: true
requirements:
  main: { required_linear_history: true, no_bypass: true }
",
    );
    repo.policy(&policy);
    repo
}

/// Makes every GET of the ruleset answer with `value` at `pointer` (or without it).
fn rewrite(repo: &TestRepo, pointer: &str, value: Option<Value>) {
    repo.emu.inject(Fault {
        method: Some("GET".to_owned()),
        path_contains: "/rulesets/101".to_owned(),
        times: usize::MAX,
        ..Fault::new(FaultKind::Rewrite {
            pointer: pointer.to_owned(),
            value,
        })
    });
}

fn change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no {address} in {plan:#}"))
}

#[test]
fn the_ruleset_plans_in_sync_as_github_documents_it() {
    let repo = repo_with_ruleset();
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan:#}");
}

#[test]
fn an_enforcement_github_adds_later_is_shown_as_written_and_never_in_sync() {
    let repo = repo_with_ruleset();
    rewrite(&repo, "/enforcement", Some(json!("enforce_strictly")));
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let ruleset = change(&plan, "rulesets.linear");
    assert_eq!(
        ruleset["diffs"][0],
        json!({"path": "enforcement", "live": "enforce_strictly", "policy": "active", "weakens": true})
    );
}

#[test]
fn a_target_github_adds_later_is_never_read_as_a_branch() {
    let repo = repo_with_ruleset();
    rewrite(&repo, "/target", Some(json!("commit")));
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let ruleset = change(&plan, "rulesets.linear");
    assert_eq!(
        ruleset["diffs"][0],
        json!({"path": "target", "live": "commit", "policy": "branch", "weakens": true})
    );
}

#[test]
fn an_actor_type_github_adds_later_may_bypass_and_is_never_read_as_nobody() {
    let repo = repo_with_ruleset();
    rewrite(
        &repo,
        "/bypass_actors",
        Some(json!([{ "actor_id": 7, "actor_type": "EnterpriseTeam", "bypass_mode": "always" }])),
    );
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let ruleset = change(&plan, "rulesets.linear");
    assert_eq!(
        ruleset["diffs"][0],
        json!({"path": "bypass", "live": [{"actor_type": "EnterpriseTeam", "actor_id": 7}], "policy": []})
    );
    // Nobody may bypass: not met while the actor is there (apply removes it).
    let requirement = change(&plan, "requirements.main");
    assert_eq!(requirement["diffs"][0]["path"], "no_bypass");
    assert_eq!(requirement["diffs"][0]["live"], false);
}

#[test]
fn a_bypass_mode_github_adds_later_is_never_the_policys() {
    let repo = repo_with_ruleset();
    rewrite(
        &repo,
        "/bypass_actors",
        Some(
            json!([{ "actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "sometimes" }]),
        ),
    );
    let mut policy = std::fs::read_to_string(repo.dir.path().join("policy.yaml")).unwrap();
    policy = policy.replace(
        "    include: [\"~DEFAULT_BRANCH\"]\n",
        "    include: [\"~DEFAULT_BRANCH\"]\n    bypass: [{ role: admin }]\n",
    );
    policy = policy.replace(", no_bypass: true", "");
    repo.policy(&policy);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let ruleset = change(&plan, "rulesets.linear");
    assert_eq!(
        ruleset["diffs"][0],
        json!({"path": "bypass", "live": [{"role": "admin", "mode": "sometimes"}], "policy": [{"role": "admin"}], "weakens": true})
    );
}

#[test]
fn a_rule_without_a_parameter_github_documents_is_an_error_naming_the_call() {
    let repo = repo_with_ruleset();
    rewrite(
        &repo,
        "/rules",
        Some(json!([
            { "type": "pull_request", "parameters": {
                "dismiss_stale_reviews_on_push": false, "require_code_owner_review": false,
                "require_last_push_approval": false, "required_review_thread_resolution": false } },
            { "type": "required_linear_history" }
        ])),
    );
    let output = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("GET ruleset `linear` (id 101)")
            && stderr.contains("its `pull_request` rule has no `required_approving_review_count`"),
        "{stderr}"
    );
}

#[test]
fn a_merge_method_github_adds_later_is_an_error_never_all_three() {
    let repo = repo_with_ruleset();
    rewrite(
        &repo,
        "/rules",
        Some(json!([
            { "type": "pull_request", "parameters": {
                "required_approving_review_count": 1, "dismiss_stale_reviews_on_push": false,
                "require_code_owner_review": false, "require_last_push_approval": false,
                "required_review_thread_resolution": false,
                "allowed_merge_methods": ["merge", "squash", "rebase", "fast_forward"] } },
            { "type": "required_linear_history" }
        ])),
    );
    let output = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("GET ruleset `linear` (id 101)")
            && stderr.contains("its `pull_request` rule has no `allowed_merge_methods`"),
        "{stderr}"
    );
}

#[test]
fn a_rule_type_github_adds_later_is_shown_and_never_in_sync() {
    let repo = repo_with_ruleset();
    rewrite(
        &repo,
        "/rules",
        Some(json!([
            { "type": "pull_request", "parameters": {
                "required_approving_review_count": 1, "dismiss_stale_reviews_on_push": false,
                "require_code_owner_review": false, "require_last_push_approval": false,
                "required_review_thread_resolution": false } },
            { "type": "required_linear_history" },
            { "type": "copilot_code_review", "parameters": { "review_on_push": true } }
        ])),
    );
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let ruleset = change(&plan, "rulesets.linear");
    assert_eq!(
        ruleset["diffs"][0]["path"], "rules.other.copilot_code_review",
        "{plan:#}"
    );
}
