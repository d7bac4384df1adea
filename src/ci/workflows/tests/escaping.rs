//! Outside text in warnings: names from workflow and policy files, and file names, are
//! escaped.

use super::*;

// ---------------------------------------------------------------------------------------
// Outside text in warnings

/// Asserts that no warning has a character that could split it or reach the terminal.
fn assert_printable(warnings: &[WorkflowWarning]) {
    for warning in warnings {
        assert!(
            !warning.message.chars().any(|c| c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "{:?}",
            warning.message
        );
    }
}

#[test]
fn names_from_workflow_and_policy_files_are_escaped_in_warnings() {
    let dir = workflows_dir(&[(
        "ci.yml",
        "on: push\njobs:\n  \"evil\\n::error::job\":\n    name: \"lint\\u001b[31m\\r\\n::error file=x::injected\"\n    environment: \"prod\\n::warning::env\\u202e\"\n  \"caller\\a\":\n    uses: \"./.github/workflows/gone\\n::error::uses.yml\"\n",
    )]);
    let index = scan(dir.path()).unwrap();
    let warnings = check(
        &policy(
            &required(&["lint\u{1b}[31m\r\n::error file=x::injecte", "a\nb"]),
            &[],
        ),
        &index,
    );
    assert_printable(&warnings);
    let messages = messages(&warnings);
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert_eq!(
        messages[0],
        "workflow ci.yml job `caller\\u{7}` calls `./.github/workflows/gone\\n::error::uses.yml`, which does not exist"
    );
    assert!(
        messages[1].starts_with(
            "required check `lint\\u{1b}[31m\\r\\n::error file=x::injecte` of branches.dev"
        ),
        "{}",
        messages[1]
    );
    assert!(
        messages[1].ends_with(
            "; did you mean `lint\\u{1b}[31m\\r\\n::error file=x::injected` from ci.yml?"
        ),
        "{}",
        messages[1]
    );
    assert!(messages[2].starts_with("required check `a\\nb` of branches.dev"));
    assert_eq!(
        messages[3],
        "workflow ci.yml job `evil\\n::error::job` deploys to environment `prod\\n::warning::env\\u{202e}`, which the policy does not list"
    );
}

#[cfg(unix)]
#[test]
fn file_names_are_escaped_in_warnings() {
    let dir = workflows_dir(&[
        ("bad\n::error::name.yml", "on: push\njobs: [\n"),
        ("x\u{1b}[2J.yml", "on: push\n"),
    ]);
    let index = scan(dir.path()).unwrap();
    assert_printable(&index.problems);
    let messages = messages(&index.problems);
    assert!(
        messages[0].starts_with("workflow bad\\n::error::name.yml is not valid YAML"),
        "{messages:?}"
    );
    assert_eq!(
        messages[1],
        "workflow x\\u{1b}[2J.yml has no `jobs`, so it was not checked"
    );
}
