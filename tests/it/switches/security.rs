//! `security:` — each feature through its own endpoint (emulator/github-api/QUIRKS.md 59, 60), what
//! GitHub will not let a repository change, and turning a feature off as weakening.

use serde_json::{Value, json};

use super::{apply, change, reads, settings_now, world, writes};

const ALL_ON: &str = "version: 1
repository: acme/katz-backend
security:
  secret_scanning: true
  push_protection: true
  dependabot_alerts: true
  dependabot_security_updates: true
  private_vulnerability_reporting: true
  immutable_releases: true
";

#[test]
fn every_feature_is_switched_on_through_its_own_endpoint_then_in_sync() {
    let repo = world(&json!({}));
    repo.policy(ALL_ON);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let security = change(&plan, "security");
    assert_eq!(security.len(), 1, "{plan:#}");
    assert_eq!(security[0]["kind"], "security");
    assert_eq!(security[0]["diffs"].as_array().unwrap().len(), 6);
    let output = apply(&repo, false);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let enabled = json!({"status": "enabled"});
    assert_eq!(
        writes(&repo),
        [
            (
                "PATCH /repos/acme/katz-backend".to_owned(),
                Some(json!({"security_and_analysis": {
                    "secret_scanning": enabled, "secret_scanning_push_protection": enabled
                }}))
            ),
            (
                "PUT /repos/acme/katz-backend/vulnerability-alerts".to_owned(),
                None
            ),
            (
                "PUT /repos/acme/katz-backend/automated-security-fixes".to_owned(),
                None
            ),
            (
                "PUT /repos/acme/katz-backend/private-vulnerability-reporting".to_owned(),
                None
            ),
            (
                "PUT /repos/acme/katz-backend/immutable-releases".to_owned(),
                None
            ),
        ]
    );
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 0, "{plan:#}");
    repo.assert_conformant();
}

#[test]
fn turning_a_feature_off_weakens_and_is_refused_without_allow_weakening() {
    let repo = world(
        &json!({"push_protection": true, "secret_scanning": true, "dependabot_alerts": true}),
    );
    repo.policy("version: 1\nrepository: acme/katz-backend\nsecurity:\n  push_protection: false\n  dependabot_alerts: false\n");
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(plan["weakens"], 1, "{plan:#}");
    let output = apply(&repo, false);
    assert_eq!(output.status.code(), Some(1));
    assert!(writes(&repo).is_empty());
    let output = apply(&repo, true);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(
        writes(&repo)
            .iter()
            .map(|(w, _)| w.as_str())
            .collect::<Vec<_>>(),
        [
            "PATCH /repos/acme/katz-backend",
            "DELETE /repos/acme/katz-backend/vulnerability-alerts"
        ]
    );
    assert_eq!(settings_now(&repo)["push_protection"], false);
}

/// The reasons of the inapplicable `security` changes.
fn refused(plan: &Value) -> Vec<(String, Vec<String>)> {
    change(plan, "security")
        .into_iter()
        .filter(|c| c["applicable"] == false)
        .map(|c| {
            (
                c["reason"].as_str().unwrap().to_owned(),
                c["diffs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["path"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_feature_the_repository_is_not_offered_is_not_applicable_with_githubs_message() {
    let repo =
        world(&json!({"unavailable": ["private_vulnerability_reporting", "secret_scanning"]}));
    repo.policy("version: 1\nrepository: acme/katz-backend\nsecurity:\n  secret_scanning: true\n  dependabot_alerts: true\n  private_vulnerability_reporting: true\n");
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    let refused = refused(&plan);
    assert_eq!(refused.len(), 2, "{plan:#}");
    assert!(
        refused.iter().any(
            |(reason, paths)| paths == &["private_vulnerability_reporting"]
                && reason.contains(
                    "Private vulnerability reporting is not available for this repository."
                )
        ),
        "{refused:?}"
    );
    assert!(
        refused
            .iter()
            .any(|(reason, paths)| paths == &["secret_scanning"]
                && reason.contains("plan or visibility")),
        "{refused:?}"
    );
    let output = apply(&repo, false);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(
        writes(&repo)
            .iter()
            .map(|(w, _)| w.as_str())
            .collect::<Vec<_>>(),
        ["PUT /repos/acme/katz-backend/vulnerability-alerts"]
    );
}

#[test]
fn a_code_security_configuration_governs_the_features_it_covers_named() {
    let repo = world(&json!({"code_security_configuration": "octo-org recommended settings"}));
    repo.policy("version: 1\nrepository: acme/katz-backend\nsecurity:\n  push_protection: true\n  immutable_releases: true\n");
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2);
    assert_eq!(
        refused(&plan),
        [(
            "governed by the code security configuration `octo-org recommended settings` attached to the repository: change it there, or detach it".to_owned(),
            vec!["push_protection".to_owned()]
        )],
        "{plan:#}"
    );
    let output = apply(&repo, false);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        writes(&repo)
            .iter()
            .map(|(w, _)| w.as_str())
            .collect::<Vec<_>>(),
        ["PUT /repos/acme/katz-backend/immutable-releases"]
    );
}

#[test]
fn only_the_endpoints_the_keys_need_are_read() {
    let repo = world(&json!({"immutable_releases": true}));
    repo.policy(
        "version: 1\nrepository: acme/katz-backend\nsecurity:\n  immutable_releases: true\n",
    );
    let (code, _) = repo.plan_json();
    assert_eq!(code, 0);
    let gets = reads(&repo);
    assert_eq!(
        gets.iter()
            .filter(|p| p.starts_with("/repos/acme/katz-backend/")
                && !p.contains("/branches/")
                && !p.ends_with("/environments"))
            .collect::<Vec<_>>(),
        ["/repos/acme/katz-backend/immutable-releases"],
        "{gets:?}"
    );
}
