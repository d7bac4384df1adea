//! Ruleset shapes that would drift on every run (issue 28, finding 5): the same check
//! required bare and pinned, `other` repeating a modelled rule, `other` listing a type
//! twice. `validate` refuses each at its line.

use super::{assert_code, run};
use crate::common::TestRepo;

/// Validates a policy with one ruleset whose `rules` are `rules` (YAML, indented six).
fn validate(rules: &str) -> String {
    let repo = TestRepo::new("flow-in-sync");
    repo.policy(&format!(
        "version: 1\nrepository: acme/katz-backend\nrulesets:\n  protect-main:\n    include: [\"~DEFAULT_BRANCH\"]\n    rules:\n{rules}"
    ));
    let output = run(&mut repo.std_cmd(), &["validate", "--no-workflows"]);
    assert_code(&output, 1);
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_same_check_required_bare_and_pinned_is_refused() {
    let err = validate(
        "      status_checks:\n        required:\n          - ci\n          - { context: ci, app: github-actions }\n",
    );
    assert!(
        err.contains("policy.yaml:10:13: check `ci` is listed twice with different apps (any app in item 1, `app: github-actions` here): keep one"),
        "{err}"
    );
}

#[test]
fn other_repeating_a_modelled_rule_is_refused() {
    let err = validate(
        "      block_force_pushes: true\n      other:\n        - { type: non_fast_forward }\n",
    );
    assert!(
        err.contains("policy.yaml:9:19: rule type `non_fast_forward` is one gh-policy models: write it as `rules.block_force_pushes`, not in `other`"),
        "{err}"
    );
}

#[test]
fn other_listing_a_type_twice_is_refused() {
    let err = validate(
        "      other:\n        - { type: merge_queue, parameters: { merge_method: SQUASH } }\n        - { type: merge_queue, parameters: { merge_method: MERGE } }\n",
    );
    assert!(
        err.contains(
            "policy.yaml:9:19: rule type `merge_queue` is listed twice in `other` (item 1 too)"
        ),
        "{err}"
    );
}
