//! What a reviewer reads, end to end: whole plans and apply reports, against the emulator,
//! for the drifted flow. The renderers' own snapshots (`src/render/snapshots/`) cover every
//! shape of change; these cover what the binary prints for a real repository.

use crate::common::{Policy, TestRepo, snapshot_settings, transcript};

/// Runs `gh-policy ARGS` against the drifted flow, with `STAGING_SSH_KEY` set or not, and
/// snapshots the whole outcome.
fn snapshot(name: &str, staging_key: bool, args: &[&str]) -> TestRepo {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let mut cmd = repo.cmd();
    if !staging_key {
        cmd.env_remove("STAGING_SSH_KEY");
    }
    let output = cmd.args(args).output().unwrap();
    snapshot_settings()
        .bind(|| insta::assert_snapshot!(name, transcript(&output, repo.dir.path())));
    repo
}

#[test]
fn plan_says_which_secret_cannot_be_created_where_it_runs() {
    for format in ["text", "markdown"] {
        let repo = snapshot(
            &format!("secret_without_value_{format}"),
            false,
            &["plan", "--no-cache", "--format", format],
        );
        assert!(repo.writes().is_empty());
    }
}

#[test]
fn plan_says_where_the_value_of_a_secret_to_create_comes_from() {
    for format in ["text", "json"] {
        snapshot(
            &format!("secret_with_value_{format}"),
            true,
            &["plan", "--no-cache", "--format", format],
        );
    }
}

#[test]
fn apply_without_a_secret_value_applies_the_rest_and_says_what_remains() {
    let repo = snapshot(
        "apply_secret_without_value",
        false,
        &["apply", "--yes", "--no-cache"],
    );
    assert!(!repo.writes().is_empty());
    assert!(repo.writes().iter().all(|w| !w.path.contains("/secrets/")));
}

#[test]
fn require_secret_values_refuses_before_any_write() {
    let repo = snapshot(
        "apply_require_secret_values",
        false,
        &["apply", "--yes", "--no-cache", "--require-secret-values"],
    );
    assert!(repo.writes().is_empty());
}
