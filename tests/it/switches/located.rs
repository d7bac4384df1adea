//! The reports for CI tools locate a change of a repository-wide section (DESIGN §12) at
//! the section's line of the policy.

use serde_json::{Value, json};

use super::world;

const POLICY: &str = "version: 1
repository: acme/katz-backend
settings:
  delete_branch_on_merge: true
security:
  secret_scanning: true
actions:
  allowed_actions: local_only
";

#[test]
fn sarif_locates_each_section_change_at_its_section() {
    let repo = world(&json!({}));
    repo.policy(POLICY);
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let located: Vec<(String, u64, u64)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            let region = &result["locations"][0]["physicalLocation"]["region"];
            (
                result["ruleId"].as_str().unwrap().to_owned(),
                region["startLine"].as_u64().unwrap(),
                region["startColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            ("repository_settings".to_owned(), 3, 1),
            ("security".to_owned(), 5, 1),
            ("actions".to_owned(), 7, 1),
        ]
    );
}
