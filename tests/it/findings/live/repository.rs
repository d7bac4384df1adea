//! Findings on the repository as a whole: no merged pull request yet, linear history with
//! only merge commits allowed (live, and as `apply` leaves the merge methods), and
//! CODEOWNERS missing or with errors.

use serde_json::{Value, json};

use super::{checks, found, one, planned, protection, reviews, world};

#[test]
fn no_merged_pull_request_yet_is_no_finding() {
    let required = checks(&json!([{ "context": "lint" }]));
    let repo = world(
        &protection(&Value::Null, &required, false),
        &json!({}),
        &json!({}),
    );
    let (code, plan) = planned(
        &repo,
        "requirements:\n  main: { required_checks: [lint] }\n",
    );
    assert_eq!(code, 0);
    assert_eq!(found(&plan), vec![]);
    assert!(plan.get("finding_notes").is_none(), "{plan:#}");
}

#[test]
fn linear_history_merge_only_is_an_error_from_the_live_merge_methods() {
    let policy = "requirements:\n  main: { required_linear_history: true }\n";
    let merges = json!({ "merge_methods": ["merge"] });
    let repo = world(
        &protection(&Value::Null, &Value::Null, true),
        &merges,
        &json!({}),
    );
    let (code, plan) = planned(&repo, policy);
    assert_eq!(
        found(&plan),
        one("linear-history-merge-only", "error", "branches.main")
    );
    assert_eq!(code, 2);
    let squash = json!({ "merge_methods": ["merge", "squash"] });
    let repo = world(
        &protection(&Value::Null, &Value::Null, true),
        &squash,
        &json!({}),
    );
    let (code, plan) = planned(&repo, policy);
    assert_eq!(found(&plan), vec![]);
    assert_eq!(code, 0);
}

#[test]
fn linear_history_merge_only_is_judged_on_the_merge_methods_apply_leaves() {
    let merges = json!({ "merge_methods": ["merge"] });
    let world = || {
        world(
            &protection(&Value::Null, &Value::Null, true),
            &merges,
            &json!({}),
        )
    };
    let requirement = "requirements:\n  main: { required_linear_history: true }\n";
    // The policy's settings allow squash too: apply fixes what live lacks.
    let fixed = format!("{requirement}settings:\n  merge_methods: [merge, squash]\n");
    let (code, plan) = planned(&world(), &fixed);
    assert_eq!(found(&plan), vec![], "{plan:#}");
    assert_eq!(code, 2, "the settings drift");
    // The policy's settings keep merge commits alone: the finding stays, though live and
    // policy agree.
    let kept = format!("{requirement}settings:\n  merge_methods: [merge]\n");
    let (code, plan) = planned(&world(), &kept);
    assert_eq!(
        found(&plan),
        one("linear-history-merge-only", "error", "branches.main")
    );
    assert_eq!(code, 2);
}

const CODE_OWNERS: &str = "requirements:\n  main: { require_code_owner_reviews: true }\n";

#[test]
fn codeowners_missing_is_a_warning_until_the_file_exists() {
    let repo = world(
        &protection(&reviews(1, true), &Value::Null, false),
        &json!({}),
        &json!({}),
    );
    let (code, plan) = planned(&repo, CODE_OWNERS);
    assert_eq!(
        found(&plan),
        one("codeowners-missing", "warning", "branches.main")
    );
    assert_eq!(code, 0);
    let file = json!({ "codeowners": { "errors": [] } });
    let repo = world(
        &protection(&reviews(1, true), &Value::Null, false),
        &file,
        &json!({}),
    );
    let (_, plan) = planned(&repo, CODE_OWNERS);
    assert_eq!(found(&plan), vec![]);
}

#[test]
fn codeowners_errors_are_listed_with_their_lines_until_fixed() {
    let broken = json!({ "codeowners": { "errors": [
        { "line": 7, "kind": "Invalid owner", "source": "*.txt docs@" } ] } });
    let repo = world(
        &protection(&reviews(1, true), &Value::Null, false),
        &broken,
        &json!({}),
    );
    let (code, plan) = planned(&repo, CODE_OWNERS);
    assert_eq!(
        found(&plan),
        one("codeowners-errors", "warning", "branches.main")
    );
    assert!(
        plan["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains(".github/CODEOWNERS:7 Invalid owner"),
        "{plan:#}"
    );
    assert_eq!(code, 0);
    let fixed = json!({ "codeowners": { "errors": [] } });
    let repo = world(
        &protection(&reviews(1, true), &Value::Null, false),
        &fixed,
        &json!({}),
    );
    let (_, plan) = planned(&repo, CODE_OWNERS);
    assert_eq!(found(&plan), vec![]);
}
