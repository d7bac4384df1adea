//! The command line itself: help texts, completions, exit codes of usage errors, the
//! GitHub Actions integration and the workflow cross-check.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::common::{Policy, TestRepo, flow_policy, snapshot_settings, transcript};

fn gh_policy() -> Command {
    let mut cmd = Command::cargo_bin("gh-policy").unwrap();
    cmd.env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_API_URL")
        .env_remove("GH_POLICY_CACHE_DIR")
        .env_remove("GH_POLICY_WRITE_DELAY_MS")
        .env("RUST_BACKTRACE", "1");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let output = gh_policy().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn help_of_every_command() {
    for command in [
        "",
        "validate",
        "plan",
        "apply",
        "export",
        "explain",
        "migrate",
        "issue",
        "comment",
        "schema",
        "completions",
        "man",
    ] {
        let args: Vec<&str> = command.split_whitespace().chain(["--help"]).collect();
        let name = if command.is_empty() {
            "help".to_owned()
        } else {
            format!("help_{command}")
        };
        insta::assert_snapshot!(name, stdout_of(&args));
    }
}

#[test]
fn exit_codes_are_in_the_help_and_the_man_page() {
    let help = stdout_of(&["--help"]);
    assert!(
        help.ends_with(
            "Exit codes:\n  0  success: the policy is valid, the repository matches it, apply made it match\n  1  error: an invalid policy, a failed API call, a partial apply, a mistyped flag\n  2  drift: plan found differences, or apply left drift it cannot fix (listed)\n"
        ),
        "{help}"
    );
    for command in ["validate", "plan", "apply", "export"] {
        let help = stdout_of(&[command, "--help"]);
        assert!(help.contains("\nExit codes:\n  0  "), "{command}: {help}");
    }
    let man = stdout_of(&["man"]);
    let section = &man[man
        .find(".SH \"EXIT STATUS\"")
        .expect("an EXIT STATUS section")..];
    let section = &section[..section.find(".SH VERSION").expect("VERSION after it")];
    insta::assert_snapshot!(section);
}

#[test]
fn verbose_is_an_option_of_the_commands_that_call_github_only() {
    for command in ["plan", "apply", "export"] {
        assert!(
            stdout_of(&[command, "--help"]).contains("-v, --verbose"),
            "{command}"
        );
    }
    for args in [
        &["validate", "-v"][..],
        &["schema", "--verbose"],
        &["man", "-v"],
        &["completions", "bash", "-v"],
        &["-v", "plan"],
    ] {
        let output = gh_policy().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with("error: unexpected argument '-"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_zero_timeout_is_a_usage_error() {
    for flag in ["--timeout", "--request-timeout"] {
        let output = gh_policy()
            .args(["plan", flag, "0", "--state", "examples/drifted-state.yaml"])
            .output()
            .unwrap();
        snapshot_settings().bind(|| {
            insta::assert_snapshot!(
                format!("zero_{}", flag.trim_start_matches('-').replace('-', "_")),
                transcript(&output, Path::new("/nonexistent"))
            );
        });
    }
}

#[test]
fn completions_and_man_page_are_generated() {
    let bash = stdout_of(&["completions", "bash"]);
    assert!(
        bash.contains("complete -F _gh-policy") || bash.contains("_gh__policy"),
        "{bash}"
    );
    assert!(bash.contains("--format"));
    assert!(stdout_of(&["completions", "zsh"]).contains("#compdef gh-policy"));
    assert!(stdout_of(&["man"]).contains(".TH gh-policy 1"));
}

#[test]
fn a_usage_error_exits_one_not_two() {
    // 2 means drift to a CI job; a mistyped flag must not look like drift.
    let output = gh_policy()
        .args(["plan", "--formt", "json"])
        .output()
        .unwrap();
    insta::assert_snapshot!(transcript(&output, Path::new("/nonexistent")), @r"
    exit code: 1
    ----- stdout -----
    ----- stderr -----
    error: unexpected argument '--formt' found

      tip: a similar argument exists: '--format'

    Usage: gh-policy plan --format <FORMAT>

    For more information, try '--help'.
    ");
}

#[test]
fn in_github_actions_plan_writes_the_summary_and_annotates_policy_lines() {
    let repo = TestRepo::new("flow-drifted");
    repo.policy(&flow_policy());
    let summary = repo.dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = repo
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["plan", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier step\n### gh-policy plan for `acme/katz-backend`"),
        "{written}"
    );
    assert!(
        written.contains("`pull_request.required_approvals`"),
        "{written}"
    );

    let stdout = String::from_utf8(output.stdout).unwrap();
    let line_of = |needle: &str| {
        flow_policy()
            .lines()
            .position(|l| l.contains(needle))
            .unwrap()
            + 1
    };
    let approvals = line_of("required_approvals: 2");
    assert!(
        stdout.contains(&format!(
            "::error file=policy.yaml,line={approvals},title=policy drift%3A branches.main::branches.main pull_request.required_approvals: live 1, policy 2"
        )),
        "{stdout}"
    );
    let reviewers = line_of("reviewers:");
    assert!(stdout.contains(&format!("line={reviewers},title=policy drift%3A environments.production::environments.production reviewers")), "{stdout}");

    // JSON stays a JSON document: no workflow commands in it.
    let json = repo
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["plan", "--no-cache", "--format", "json"])
        .output()
        .unwrap();
    assert!(serde_json::from_slice::<serde_json::Value>(&json.stdout).is_ok());
}

#[test]
fn colour_is_off_when_stdout_is_not_a_terminal() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let output = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        !output.stdout.contains(&0x1b),
        "escape codes in piped output"
    );
}

fn validate_with_workflows(dir: &str) -> assert_cmd::assert::Assert {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    gh_policy()
        .current_dir(root)
        .args(["validate", "-p", "policy.yaml", "--workflows"])
        .arg(format!("tests/fixtures/workflows/{dir}"))
        .assert()
}

#[test]
fn a_renamed_job_is_reported_with_the_check_and_the_workflow() {
    let assert = validate_with_workflows("renamed-job").code(0);
    insta::assert_snapshot!(transcript(assert.get_output(), Path::new("/nonexistent")));
}

#[test]
fn strict_turns_workflow_warnings_into_an_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = gh_policy()
        .current_dir(root)
        .args([
            "validate",
            "-p",
            "policy.yaml",
            "--strict",
            "--workflows",
            "tests/fixtures/workflows/renamed-job",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.ends_with("\nerror: 8 workflow warnings (--strict)\n"),
        "{stderr}"
    );
}

#[test]
fn a_matrix_job_that_produces_the_check_is_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("policy.yaml"),
        "version: 1\nbranches:\n  main:\n    status_checks:\n      required: [\"test (ubuntu-latest)\", \"test (windows-latest)\"]\n",
    )
    .unwrap();
    let workflows = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workflows/matrix");
    gh_policy()
        .current_dir(dir.path())
        .args(["validate", "--strict", "--workflows"])
        .arg(&workflows)
        .assert()
        .code(0)
        .stderr("");
}

#[test]
fn a_deploy_to_an_unlisted_environment_is_reported() {
    validate_with_workflows("deploy").code(0).stderr(predicate::str::contains(
        "deploy.yml job `deploy` deploys to environment `preview`, which the policy does not list",
    ));
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    // `gh-policy man | head -1`: the pipe closes early; that is success, and quiet.
    let bin = assert_cmd::cargo::cargo_bin("gh-policy");
    let mut child = std::process::Command::new(bin)
        .arg("man")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
