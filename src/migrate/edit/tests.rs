use super::*;

fn path(dotted: &[&str]) -> Vec<Segment> {
    dotted
        .iter()
        .map(|k| Segment::Key((*k).to_owned()))
        .collect()
}

fn edit(text: &str, edits: &[Edit]) -> Result<String, Unsupported> {
    apply(text, &SourceMap::build(text), edits)
}

const POLICY: &str = "\
# The header stays.
version: 1
branches:
  # Production: two approvals.
  main:
    pull_request:
      required_approvals: 2   # the CI job too
    enforce_admins: true
    # a comment inside main

  # Staging.
  stage:
    pull_request: {required_approvals: 1}

environments:   # deploys
  staging: {}
";

#[test]
fn a_branch_value_is_replaced_and_everything_else_stays() {
    let text = edit(
        POLICY,
        &[
            Edit::Replace {
                path: path(&["branches", "main"]),
                body: "protected: false".into(),
            },
            Edit::Append {
                parent: Vec::new(),
                key: "rulesets".into(),
                after: "branches".into(),
                entries: "# Moved.\nprotect-main:\n  include:\n  - main\n".into(),
            },
        ],
    )
    .unwrap();
    assert_eq!(
        text,
        "\
# The header stays.
version: 1
branches:
  # Production: two approvals.
  main:
    protected: false

  # Staging.
  stage:
    pull_request: {required_approvals: 1}

rulesets:
  # Moved.
  protect-main:
    include:
    - main

environments:   # deploys
  staging: {}
"
    );
}

#[test]
fn a_value_written_on_the_key_line_is_replaced_by_a_block() {
    let text = "branches:\n  stage: {pull_request: {required_approvals: 1}}  # one\n  dev: {}\n";
    let replaced = edit(
        text,
        &[Edit::Replace {
            path: path(&["branches", "stage"]),
            body: "protected: false".into(),
        }],
    )
    .unwrap();
    assert_eq!(
        replaced,
        "branches:\n  stage:\n    protected: false\n  dev: {}\n"
    );
}

#[test]
fn entries_go_at_the_end_of_an_existing_mapping_or_into_an_empty_one() {
    let text = "version: 1\nrulesets:\n    old:\n        include: [x]\nprune: {}\n";
    let added = edit(
        text,
        &[Edit::Append {
            parent: Vec::new(),
            key: "rulesets".into(),
            after: "branches".into(),
            entries: "new:\n  include:\n  - y\n".into(),
        }],
    )
    .unwrap();
    assert_eq!(
        added,
        "version: 1\nrulesets:\n    old:\n        include: [x]\n    new:\n      include:\n      - y\nprune: {}\n"
    );
    let empty = edit(
        "version: 1\nrulesets: {}   # none yet\n",
        &[Edit::Append {
            parent: Vec::new(),
            key: "rulesets".into(),
            after: "branches".into(),
            entries: "new: {}\n".into(),
        }],
    )
    .unwrap();
    assert_eq!(empty, "version: 1\nrulesets:\n  new: {}\n");
}

#[test]
fn a_key_is_added_inside_a_nested_mapping_after_its_sibling() {
    let text = "organization: acme\ndefaults:\n    branches:\n        main: {}\n    environments: {}\nrepositories: {}\n";
    let added = edit(
        text,
        &[Edit::Append {
            parent: path(&["defaults"]),
            key: "rulesets".into(),
            after: "branches".into(),
            entries: "r: {}\n".into(),
        }],
    )
    .unwrap();
    assert_eq!(
        added,
        "organization: acme\ndefaults:\n    branches:\n        main: {}\n    rulesets:\n      r: {}\n    environments: {}\nrepositories: {}\n"
    );
}

#[test]
fn an_entry_is_removed_with_its_lines() {
    let text = "rulesets:\n  r:\n    enforcement: evaluate\n    include: [main]\n";
    let removed = edit(
        text,
        &[Edit::Remove {
            path: path(&["rulesets", "r", "enforcement"]),
        }],
    )
    .unwrap();
    assert_eq!(removed, "rulesets:\n  r:\n    include: [main]\n");
}

#[test]
fn line_ends_are_kept() {
    let text = "branches:\r\n  main:\r\n    enforce_admins: true\r\n";
    let replaced = edit(
        text,
        &[Edit::Replace {
            path: path(&["branches", "main"]),
            body: "protected: false".into(),
        }],
    )
    .unwrap();
    assert_eq!(replaced, "branches:\r\n  main:\r\n    protected: false\r\n");
}

#[test]
fn flow_mappings_are_refused_with_the_reason() {
    let text = "branches: {main: {enforce_admins: true}}\n";
    let refused = edit(
        text,
        &[Edit::Replace {
            path: path(&["branches", "main"]),
            body: "protected: false".into(),
        }],
    )
    .unwrap_err();
    assert_eq!(
        refused.0,
        "`branches.main` is not a block mapping entry starting its line"
    );
    let full = "rulesets: {a: {}}\n";
    assert!(
        edit(
            full,
            &[Edit::Append {
                parent: Vec::new(),
                key: "rulesets".into(),
                after: "branches".into(),
                entries: "b: {}\n".into(),
            }],
        )
        .is_err()
    );
}
