//! `apply` of deployment environments: deployment branches and patterns, what the policy
//! does not want pruned, variables, secrets and signed commits, and an environment without
//! rules.

use gh_policy::model::{Branch, DeploymentBranches};
use serde_json::json;

use super::{apply, apply_lowering};
use crate::common::policy::{name, pattern, tag};
use crate::common::{Policy, TestRepo};

#[test]
fn adding_a_deployment_pattern_posts_one_and_deletes_none() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().environment("production", |production| {
        production.deployment_branches =
            DeploymentBranches::Custom(vec![pattern("main"), pattern("release/*"), tag("v*")]);
    }));
    apply_lowering(&repo).code(0);
    let writes = repo.writes();
    assert_eq!(writes.len(), 2, "{writes:#?}");
    assert!(writes.iter().all(|w| w.method == "POST"));
    assert_eq!(
        writes[0].body,
        Some(json!({ "name": "release/*", "type": "branch" }))
    );
    assert_eq!(writes[1].body, Some(json!({ "name": "v*", "type": "tag" })));
}

#[test]
fn deployment_branches_switch_to_protected_and_back() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().environment("production", |production| {
        production.deployment_branches = DeploymentBranches::Protected;
    }));
    apply_lowering(&repo).code(0);
    let env = &repo.emu.state().environments["production"];
    assert!(env.branch_policies.is_empty());
    assert!(
        env.deployment_branch_policy
            .as_ref()
            .unwrap()
            .protected_branches
    );

    repo.clear_log();
    repo.write(&Policy::flow());
    apply_lowering(&repo).code(0);
    assert_eq!(
        repo.write_lines(),
        vec![
            "PUT /repos/acme/katz-backend/environments/production".to_owned(),
            "POST /repos/acme/katz-backend/environments/production/deployment-branch-policies"
                .to_owned(),
        ]
    );
    assert_eq!(repo.plan_json().0, 0);
}

#[test]
fn a_stale_pattern_is_deleted_alone() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().environment("production", |production| {
        production.deployment_branches =
            DeploymentBranches::Custom(vec![pattern("main"), pattern("hotfix")]);
    }));
    apply_lowering(&repo).code(0);
    repo.clear_log();
    repo.write(&Policy::flow());
    apply_lowering(&repo).code(0);
    let writes = repo.write_lines();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(writes[0].starts_with(
        "DELETE /repos/acme/katz-backend/environments/production/deployment-branch-policies/"
    ));
}

#[test]
fn protected_false_and_prune_remove_what_the_policy_does_not_want() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(
        &Policy::flow()
            .prune(|prune| prune.environments = true)
            .branch("stage", |stage| *stage = Branch::unprotected()),
    );
    repo.cmd().args(["validate"]).assert().code(0);
    apply_lowering(&repo).code(0);
    let lines = repo.write_lines();
    assert!(
        lines.contains(&"DELETE /repos/acme/katz-backend/branches/stage/protection".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"DELETE /repos/acme/katz-backend/environments/preview".to_owned()),
        "{lines:?}"
    );
    let state = repo.emu.state();
    assert!(state.branches["stage"].protection.is_none());
    assert!(!state.environments.contains_key("preview"));
}

#[test]
fn variables_secrets_and_signed_commits_are_updated_and_pruned() {
    let repo = TestRepo::new("flow-in-sync");
    // Sign main's commits, change one variable, and let prune remove what is unlisted.
    let without_ssh_user = |production: &mut gh_policy::model::Environment| {
        production.secrets.retain(|s| s.name != "SSH_USER");
    };
    repo.write(
        &Policy::flow()
            .prune(|prune| {
                prune.secrets = true;
                prune.variables = true;
            })
            .branch("main", |main| main.required_signatures = true)
            .environment("production", |production| {
                without_ssh_user(production);
                production.variables.insert(
                    name("HEALTH_URL"),
                    "https://katz.example.com/healthz".into(),
                );
            }),
    );
    apply(&repo).code(0);
    let base = "/repos/acme/katz-backend";
    assert_eq!(
        repo.write_lines(),
        vec![
            format!("PUT {base}/branches/main/protection"),
            format!("PATCH {base}/branches/main/protection/required_status_checks"),
            format!("POST {base}/branches/main/protection/required_signatures"),
            format!("DELETE {base}/environments/production/secrets/SSH_USER"),
            format!("PATCH {base}/environments/production/variables/HEALTH_URL"),
        ]
    );
    let state = repo.emu.state();
    assert!(state.branches["main"].required_signatures);
    assert!(
        !state.environments["production"]
            .secrets
            .contains(&"SSH_USER".to_owned())
    );
    assert_eq!(
        state.environments["production"].variables["HEALTH_URL"],
        "https://katz.example.com/healthz"
    );

    // And back: signatures off, the variable removed.
    repo.clear_log();
    repo.write(
        &Policy::flow()
            .prune(|prune| prune.variables = true)
            .environment("production", |production| {
                without_ssh_user(production);
                production.variables.clear();
            }),
    );
    apply_lowering(&repo).code(0);
    assert_eq!(
        repo.write_lines(),
        vec![
            format!("PUT {base}/branches/main/protection"),
            format!("PATCH {base}/branches/main/protection/required_status_checks"),
            format!("DELETE {base}/branches/main/protection/required_signatures"),
            format!("DELETE {base}/environments/production/variables/HEALTH_URL"),
        ]
    );
    assert_eq!(repo.plan_json().0, 0);
}

#[test]
fn an_environment_without_rules_is_written_without_rule_keys() {
    // Some plans refuse wait_timer, reviewers and prevent_self_review on private
    // repositories even at their defaults (emulator/github-api/QUIRKS.md 36): send them only
    // when they matter.
    let repo = TestRepo::new("empty");
    repo.write(&Policy::flow());
    apply(&repo).code(2);
    let body_of = |env: &str| {
        repo.writes()
            .into_iter()
            .find(|w| w.method == "PUT" && w.path.ends_with(&format!("/environments/{env}")))
            .unwrap()
            .body
            .unwrap()
    };
    assert_eq!(
        body_of("staging"),
        json!({ "deployment_branch_policy": { "protected_branches": false, "custom_branch_policies": true } })
    );
    assert_eq!(
        body_of("production"),
        json!({
            "wait_timer": 5,
            "prevent_self_review": true,
            "reviewers": [{ "type": "User", "id": 583_231 }, { "type": "Team", "id": 4001 }],
            "deployment_branch_policy": { "protected_branches": false, "custom_branch_policies": true },
            "can_admins_bypass": false
        })
    );
}
