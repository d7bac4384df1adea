//! `validate` against hostile workflow files, through the binary: what reaches stderr and
//! the GitHub Actions log stays one warning per line, and the inputs that used to abort or
//! hang the cross-check finish.

use std::fmt::Write as _;
use std::path::Path;

use assert_cmd::Command;

/// Runs `validate` with the repository's policy against `dir`, as a GitHub Actions step
/// when `in_actions`; returns the exit code and stderr.
fn validate(dir: &Path, in_actions: bool) -> (Option<i32>, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::cargo_bin("gh-policy").unwrap();
    cmd.current_dir(root)
        .env_remove("GITHUB_ACTIONS")
        .env("RUST_BACKTRACE", "1")
        .args(["validate", "-p", "policy.yaml", "--workflows"])
        .arg(dir)
        .timeout(std::time::Duration::from_secs(120));
    if in_actions {
        cmd.env("GITHUB_ACTIONS", "true");
    }
    let output = cmd.output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[cfg(unix)]
#[test]
fn hostile_names_cannot_inject_workflow_commands() {
    let dir = tempfile::tempdir().unwrap();
    // A file name may hold a newline; a job name an escape sequence and a command.
    std::fs::write(
        dir.path().join("x\n::error file=a,line=1::forged.yml"),
        "on: push\njobs: [\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ci.yml"),
        "on: push\njobs:\n  lint:\n    name: \"dev - lint and tes\\r\\n::error::forged \\u001b]8;;x\\u0007\"\n    environment: \"prod,line=9::%0A::error::x\"\n",
    )
    .unwrap();
    let (code, stderr) = validate(dir.path(), true);
    assert_eq!(code, Some(0), "{stderr}");
    for line in stderr.lines() {
        assert!(
            line.starts_with("warning: ")
                || line.starts_with("::warning ")
                || line.starts_with("::warning::"),
            "a line that is not a warning: {line:?}\n{stderr}"
        );
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    assert!(
        stderr.contains("::warning file=")
            && stderr.contains("x\\n%3A%3Aerror file=a%2Cline=1%3A%3Aforged.yml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("deploys to environment `prod,line=9::%250A::error::x`"),
        "the percent sign of a message is escaped in the annotation: {stderr}"
    );
}

#[test]
fn issue_14_huge_matrix_is_a_warning_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n",
    );
    for key in 0..7 {
        let _ = writeln!(text, "        k{key}: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
    }
    std::fs::write(dir.path().join("ci.yml"), text).unwrap();
    let (code, stderr) = validate(dir.path(), false);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(":6: workflow ci.yml job `test`: its matrix makes at least 10000000 jobs, more than the 256 GitHub runs"),
        "{stderr}"
    );
}

/// Runs `validate ARGS` in the checkout and returns its whole outcome, for a snapshot.
fn validate_in_checkout(args: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::cargo_bin("gh-policy")
        .unwrap()
        .current_dir(root)
        .env_remove("GITHUB_ACTIONS")
        .args(["validate"])
        .args(args)
        .output()
        .unwrap();
    crate::common::transcript(&output, root)
}

#[test]
fn the_repository_s_own_policy_is_clean_against_its_repository_s_workflows() {
    // policy.yaml describes acme/katz-backend, whose workflows are kept in
    // examples/katz-backend: the README's and CI's `validate --strict` is clean.
    insta::assert_snapshot!(validate_in_checkout(&[
        "--strict",
        "--workflows",
        "examples/katz-backend/.github/workflows",
    ]), @r"
    exit code: 0
    ----- stdout -----
    policy.yaml: valid (3 branches, 2 environments)
    ----- stderr -----
    ");
}

#[test]
fn every_workflow_warning_is_located_as_file_and_line() {
    // A check produced by no job points at the policy's line that requires it; one that a
    // renamed job probably produced points at that job; a deployment at its `environment:`.
    let dir = tempfile::tempdir().unwrap();
    for fixture in ["renamed-job/ci.yml", "deploy/deploy.yml"] {
        let from = crate::common::fixture(&format!("workflows/{fixture}"));
        let name = fixture.replace('/', "-");
        std::fs::copy(from, dir.path().join(name)).unwrap();
    }
    let output = validate_in_checkout(&["--workflows", dir.path().to_str().unwrap()]);
    let output = output.replace(&dir.path().display().to_string(), "[WORKFLOWS]");
    insta::assert_snapshot!(output);
    for line in output.lines().filter(|l| l.starts_with("warning: ")) {
        let (place, _) = line["warning: ".len()..].split_once(": ").unwrap();
        let (_, number) = place.rsplit_once(':').unwrap();
        assert!(number.parse::<usize>().is_ok(), "not FILE:LINE: {line}");
    }
}

#[test]
fn a_missing_workflow_directory_fails_before_anything_is_called_valid() {
    insta::assert_snapshot!(validate_in_checkout(&["--workflows", "missing-dir"]), @r"
    exit code: 1
    ----- stdout -----
    ----- stderr -----
    error: failed to read the workflow directory `missing-dir`
      caused by: No such file or directory (os error 2)
      hint: pass the directory holding the workflow files (usually .github/workflows)
    ");
}

/// See: issue 20, item 7 (the cross-check covers every list of required checks).
#[test]
fn checks_rulesets_and_requirements_require_are_cross_checked_too() {
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::write(
        workflows.join("ci.yml"),
        "on: pull_request\njobs:\n  test:\n    name: unit tests\n    runs-on: ubuntu-latest\n    steps: [{ run: cargo test }]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("policy.yaml"),
        "version: 1
repository: acme/api
rulesets:
  protect-main:
    include: [\"~DEFAULT_BRANCH\"]
    rules:
      status_checks: { required: [unit test] }
requirements:
  main: { required_checks: [integration tests] }
",
    )
    .unwrap();
    let output = Command::cargo_bin("gh-policy")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("GITHUB_ACTIONS")
        .args(["validate"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("required check `unit test` of rulesets.protect-main is not produced")
            && stderr.contains("did you mean `unit tests`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "policy.yaml:9: required check `integration tests` of requirements.main is not produced"
        ),
        "{stderr}"
    );
}
