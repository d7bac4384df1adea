use super::*;
use crate::model::ref_pattern::selects_branch;

const TARGETS: [RulesetTarget; 3] = [
    RulesetTarget::Branch,
    RulesetTarget::Tag,
    RulesetTarget::Push,
];

const PATTERNS: [&str; 7] = [
    "main",
    "refs/heads/main",
    "release/**/*",
    "refs/tags/v1",
    DEFAULT_BRANCH,
    ALL,
    "v[0-9]*",
];

#[test]
fn githubs_own_names_are_never_qualified() {
    for target in TARGETS {
        for name in [DEFAULT_BRANCH, ALL] {
            assert_eq!(target.qualified(name), name);
            assert_eq!(target.unqualified(name), name);
        }
    }
}

#[test]
fn a_pattern_written_either_way_is_one_pattern_for_writer_reader_and_diff() {
    for target in TARGETS {
        for pattern in PATTERNS {
            let stored = target.qualified(pattern);
            // What the writer sends reads back as what the diff compares.
            assert_eq!(target.unqualified(&stored), target.normalized(pattern));
            // Qualifying twice changes nothing: the writer never sends `refs/heads/refs/…`.
            assert_eq!(target.qualified(&stored), stored, "{target:?} {pattern}");
            assert_eq!(
                target.qualified(&target.normalized(pattern)),
                stored,
                "{target:?} {pattern}"
            );
        }
    }
}

#[test]
fn a_branch_named_outright_is_the_branch_the_conditions_select() {
    for pattern in PATTERNS {
        let Some(branch) = RulesetTarget::Branch.branch_named(pattern, "trunk") else {
            continue;
        };
        let include = [RulesetTarget::Branch.qualified(pattern)];
        assert!(
            selects_branch(&include, &[], branch, "trunk"),
            "{pattern} names {branch}, which it must select"
        );
    }
    assert_eq!(
        RulesetTarget::Branch.branch_named("refs/heads/main", "trunk"),
        Some("main")
    );
    assert_eq!(
        RulesetTarget::Branch.branch_named(DEFAULT_BRANCH, "trunk"),
        Some("trunk")
    );
    assert_eq!(RulesetTarget::Branch.branch_named(ALL, "trunk"), None);
    assert_eq!(
        RulesetTarget::Branch.branch_named("release/*", "trunk"),
        None
    );
    assert_eq!(RulesetTarget::Tag.branch_named("main", "trunk"), None);
    assert_eq!(RulesetTarget::Branch.branch_named("~FOO", "trunk"), None);
}

#[test]
fn a_ref_of_another_target_is_foreign() {
    assert!(RulesetTarget::Branch.foreign_ref("refs/tags/v1"));
    assert!(RulesetTarget::Branch.foreign_ref("refs/remotes/x"));
    assert!(!RulesetTarget::Branch.foreign_ref("refs/heads/main"));
    assert!(!RulesetTarget::Branch.foreign_ref("main"));
    assert!(RulesetTarget::Tag.foreign_ref("refs/heads/main"));
    assert!(!RulesetTarget::Tag.foreign_ref("refs/tags/v1"));
}

#[test]
fn the_set_github_stores_is_sorted_and_each_pattern_once() {
    let written = [
        "main".to_owned(),
        "refs/heads/main".to_owned(),
        "dev".to_owned(),
    ];
    assert_eq!(
        RulesetTarget::Branch.qualified_set(&written),
        ["refs/heads/dev", "refs/heads/main"]
    );
}
