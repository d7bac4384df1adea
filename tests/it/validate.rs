//! `gh-policy validate` over `policy.yaml`, every example and a corpus of malformed files.
//!
//! Each file in `schema/examples/invalid/` declares what `validate` must say about it:
//! `# expect: FRAGMENT` (one or more) and, where the problem has a place, `# at: LINE:COLUMN`
//! of the first diagnostic. Files that cannot be committed (non-UTF-8, 5 MB) are written
//! into a temporary directory here.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

use crate::common::{examples, root};

/// The result of one `validate` run.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `gh-policy validate -p PATH` from the repository root, with backtraces on.
fn validate(path: &str) -> Run {
    let output = Command::cargo_bin("gh-policy")
        .unwrap()
        .current_dir(root())
        .env("RUST_BACKTRACE", "1")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_ACTIONS")
        // The workflow cross-check has its own tests (cli.rs); these are about the policy.
        .args(["validate", "--no-workflows", "-p", path])
        .output()
        .unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().display().to_string()
}

/// Checks what every failing run must look like: exit 1, nothing on stdout, every line on
/// stderr naming the file, a summary last, no panic and no backtrace.
fn assert_clean_failure(run: &Run, shown: &str) {
    assert_eq!(run.code, Some(1), "{shown}: {}", run.stderr);
    assert_eq!(run.stdout, "", "{shown}");
    assert!(!run.stderr.contains("panicked"), "{shown}: {}", run.stderr);
    assert!(
        !run.stderr.contains("stack backtrace"),
        "{shown}: {}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("RUST_BACKTRACE"),
        "{shown}: {}",
        run.stderr
    );
    let lines: Vec<&str> = run.stderr.lines().collect();
    let (summary, diagnostics) = lines.split_last().unwrap();
    assert!(
        summary.starts_with(&format!("error: {shown} has "))
            && (summary.ends_with(" problem") || summary.ends_with(" problems")),
        "{shown}: {summary}"
    );
    assert!(!diagnostics.is_empty(), "{shown}");
    for line in diagnostics {
        assert!(line.starts_with(&format!("{shown}:")), "{shown}: {line}");
    }
}

#[test]
fn validate_accepts_the_repository_policy() {
    let run = validate("policy.yaml");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "policy.yaml: valid (3 branches, 2 environments)\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn validate_accepts_every_valid_example() {
    let files = examples("valid");
    assert!(files.len() >= 6, "{files:?}");
    for file in files {
        let shown = relative(&file);
        let run = validate(&shown);
        assert_eq!(run.code, Some(0), "{shown}: {}", run.stderr);
        assert!(
            run.stdout.starts_with(&format!("{shown}: valid (")),
            "{shown}: {}",
            run.stdout
        );
        assert_eq!(run.stderr, "", "{shown}");
    }
}

#[test]
fn validate_rejects_every_invalid_example_with_a_located_message() {
    let files = examples("invalid");
    assert!(files.len() >= 22, "the corpus has {} files", files.len());
    for file in files {
        let shown = relative(&file);
        let text = fs::read_to_string(&file).unwrap();
        let expects: Vec<&str> = text
            .lines()
            .filter_map(|line| line.strip_prefix("# expect: "))
            .collect();
        assert!(!expects.is_empty(), "{shown} declares no `# expect:`");
        let run = validate(&shown);
        assert_clean_failure(&run, &shown);
        for fragment in expects {
            assert!(
                run.stderr.contains(fragment),
                "{shown}: expected {fragment:?} in\n{}",
                run.stderr
            );
        }
        let first = run.stderr.lines().next().unwrap();
        match text.lines().find_map(|line| line.strip_prefix("# at: ")) {
            Some(at) => assert!(
                first.starts_with(&format!("{shown}:{at}: ")),
                "{shown}: expected the first problem at {at}: {first}"
            ),
            // Only whole-file problems (an empty file) have no place.
            None => assert!(first.starts_with(&format!("{shown}: ")), "{first}"),
        }
    }
}

#[test]
fn validate_reports_every_problem_not_just_the_first() {
    let run = validate("schema/examples/invalid/many-problems.yaml");
    assert_clean_failure(&run, "schema/examples/invalid/many-problems.yaml");
    assert_eq!(run.stderr.lines().count(), 5, "{}", run.stderr);
}

#[test]
fn validate_points_at_the_first_byte_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yaml");
    fs::write(&path, b"version: 1\nrepository: acme/caf\xe9\n").unwrap();
    let shown = path.display().to_string();
    let run = validate(&shown);
    assert_clean_failure(&run, &shown);
    assert!(
        run.stderr.starts_with(&format!(
            "{shown}:2:21: policy file is not valid UTF-8: byte 0xE9 at offset 31"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn validate_refuses_a_5_mb_file_before_parsing_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    // Valid YAML all the way: only the size is wrong.
    let line = "# padding padding padding padding padding padding padding padding padding\n";
    let mut text = String::from("version: 1\n");
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(line);
    }
    fs::write(&path, text).unwrap();
    let shown = path.display().to_string();
    let run = validate(&shown);
    assert_clean_failure(&run, &shown);
    assert!(
        run.stderr.contains("policy file is too large") && run.stderr.contains("1 MiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn validate_refuses_a_zero_byte_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.yaml");
    fs::write(&path, b"").unwrap();
    let shown = path.display().to_string();
    let run = validate(&shown);
    assert_clean_failure(&run, &shown);
    assert!(
        run.stderr
            .starts_with(&format!("{shown}: empty policy file"))
    );
}

#[test]
fn validate_explains_a_missing_file() {
    let run = validate("no-such-policy.yaml");
    assert_clean_failure(&run, "no-such-policy.yaml");
    assert!(
        run.stderr
            .starts_with("no-such-policy.yaml: cannot read the policy file: "),
        "{}",
        run.stderr
    );
}

#[test]
fn validate_refuses_a_directory() {
    let run = validate("schema");
    assert_clean_failure(&run, "schema");
    assert!(run.stderr.contains("is a directory"), "{}", run.stderr);
}

/// Runs `gh-policy validate -p policy.yaml` on `text` in a fresh directory; returns the
/// exit code and stdout + stderr, the way a user sees them.
fn validate_text(text: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("policy.yaml"), text).unwrap();
    let output = Command::cargo_bin("gh-policy")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("GITHUB_ACTIONS")
        .args(["validate", "--no-workflows", "-p", "policy.yaml"])
        .output()
        .unwrap();
    let shown = format!(
        "{}{}",
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap()
    );
    (output.status.code(), shown)
}

// See: issue 14, item 6 (file text echoed raw into diagnostics).
#[test]
fn issue_14_file_text_in_diagnostics_is_escaped() {
    let (code, shown) = validate_text("\u{202e}".as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r#"
    policy.yaml:1:1: the document must be a mapping of `key: value` entries; found the string "\u{202e}"
    error: policy.yaml has 1 problem
    "#);
    let text = "version: 1\nenvironments:\n  prod:\n    secrets: [_\tY]\n    \"a\\e[31m\\n::error::x\": 1\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:15: invalid secret name `_\tY` at `environments.prod.secrets.0`: `\t` is not allowed; use only letters, digits and `_`
    policy.yaml:5:5: unknown key `a\u{1b}[31m\n::error::x` in `environments.prod`: expected one of `wait_timer`, `prevent_self_review`, `reviewers`, `can_admins_bypass`, `deployment_branches`, `secrets`, `variables`
    error: policy.yaml has 2 problems
    ");
}

// See: issue 14, item 7 (case-duplicates pass validate, then never converge).
#[test]
fn issue_14_names_that_differ_only_in_case_are_refused() {
    let text = "version: 1\nenvironments:\n  Production: {}\n  production:\n    secrets: [SSH_KEY, ssh_key]\n    variables: {REGION: a, region: b}\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:3: environment `production` and `Production` (line 3) are one environment: GitHub matches environment names without case; keep one
    policy.yaml:5:24: secret `ssh_key` and `SSH_KEY` (line 5) are one secret: GitHub matches secret names without case; keep one spelling
    policy.yaml:6:28: variable `region` and `REGION` (line 6) are one variable: GitHub matches variable names without case; keep one
    error: policy.yaml has 3 problems
    ");
}

// See: issue 14, item 8 (the loader accepted what the schema refuses: quoted scalars, YAML
// 1.1 numbers, numbers and booleans turned into strings).
#[test]
fn issue_14_types_follow_yaml_1_2_and_the_format() {
    let text = r#"version: "1"
branches:
  main:
    enforce_admins: "true"
    pull_request:
      required_approvals: "2"
  dev:
    pull_request:
      required_approvals: 1_0
  stage:
    pull_request:
      required_approvals: 0b11
environments:
  prod:
    reviewers: [{user: 123}]
    variables: {A: 1, B: true}
"#;
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r#"
    policy.yaml:1:10: `version` must be `1` (the only format version this gh-policy reads); found the string "1" (a quoted value is a string)
    policy.yaml:4:21: `branches.main.enforce_admins` must be true or false; found the string "true" (a quoted value is a string)
    policy.yaml:6:27: `branches.main.pull_request.required_approvals` must be an integer from 0 to 6; found the string "2" (a quoted value is a string)
    policy.yaml:9:27: `branches.dev.pull_request.required_approvals` must be an integer from 0 to 6; found the string "1_0"
    policy.yaml:12:27: `branches.stage.pull_request.required_approvals` must be an integer from 0 to 6; found the string "0b11"
    policy.yaml:15:24: `environments.prod.reviewers.0.user` must be a string; found 123 (write "123" for the text)
    policy.yaml:16:20: `environments.prod.variables.A` must be a string (at most 48 KB); found 1 (write "1" for the text)
    policy.yaml:16:26: `environments.prod.variables.B` must be a string (at most 48 KB); found `true` (write "true" for the text)
    error: policy.yaml has 8 problems
    "#);
}

// See: issue 14, item 9 (GitHub's documented limits on secrets and variables).
#[test]
fn issue_14_secret_and_variable_limits_are_checked() {
    let names: Vec<String> = (0..101).map(|i| format!("V{i}")).collect();
    let variables: Vec<String> = names.iter().map(|n| format!("{n}: x")).collect();
    let text = format!(
        "version: 1\nenvironments:\n  a:\n    secrets: [{}]\n    variables: {{{}}}\n  b:\n    variables: {{BIG: {}}}\n",
        names.join(", "),
        variables.join(", "),
        "é".repeat(30_000)
    );
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:5: `environments.a.secrets`: at most 100 secrets per environment; found 101
    policy.yaml:5:5: `environments.a.variables` has 101 entries; at most 100 are allowed
    policy.yaml:7:22: the value of variable `BIG` is 60000 bytes; GitHub keeps at most 49152 (48 KB)
    error: policy.yaml has 3 problems
    ");
    let text = format!(
        "version: 1\nenvironments:\n  b:\n    variables: {{BIG: {}}}\n",
        "é".repeat(30_000)
    );
    let (_, shown) = validate_text(text.as_bytes());
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:22: the value of variable `BIG` is 60000 bytes; GitHub keeps at most 49152 (48 KB)
    error: policy.yaml has 1 problem
    ");
}

// See: issue 16, item 2 (a file with three typos reported only the first).
#[test]
fn issue_16_every_unknown_key_and_wrong_type_is_reported_in_file_order() {
    let text = "version: 1\nbranches:\n  main:\n    enforce_admin: true\n    pull_request:\n      required_aprovals: 2\n    allow_force_pushes: maybe\nenvironment:\n  prod: {}\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r#"
    policy.yaml:4:5: unknown key `enforce_admin` in `branches.main`: did you mean `enforce_admins`?
    policy.yaml:6:7: unknown key `required_aprovals` in `branches.main.pull_request`: did you mean `required_approvals`?
    policy.yaml:7:25: `branches.main.allow_force_pushes` must be true or false; found the string "maybe"
    policy.yaml:8:1: unknown key `environment`: did you mean `environments`?
    error: policy.yaml has 4 problems
    "#);
}

// See: issue 16, item 3 (messages that did not name the key).
#[test]
fn issue_16_every_message_names_the_key_path() {
    let text = "version: 1\nbranches: {main: }\nenvironments:\n  prod:\n    deployment_branches: everywhere\nprune:\n  environments: yes-please\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r#"
    policy.yaml:2:12: the value of `branches.main` is empty; write `main: {}`
    policy.yaml:5:26: `environments.prod.deployment_branches` must be `all`, `protected` or a list of branch patterns (write `[main]` for one branch); found the string "everywhere"
    policy.yaml:7:17: `prune.environments` must be true or false; found the string "yes-please"
    error: policy.yaml has 3 problems
    "#);
}

// See: issue 16, item 9 (managed users, repeated reviewers, CR line breaks,
// prevent_self_review without reviewers, `-p -`).
#[test]
fn issue_16_smaller_loader_fixes() {
    let ok = "# policy\rversion: 1\renvironments:\r  prod:\r    prevent_self_review: true\r    reviewers: [{user: octocat_acme}, {user: a}, {user: b}, {user: c}, {user: d}, {user: e}, {user: a}]\r";
    let (code, shown) = validate_text(ok.as_bytes());
    assert_eq!(
        (code, shown.as_str()),
        (Some(0), "policy.yaml: valid (0 branches, 1 environment)\n")
    );
    let text = "version: 1\nenvironments:\n  prod:\n    prevent_self_review: true\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:5: `environments.prod`: `prevent_self_review: true` needs at least one reviewer: add `reviewers`, or remove `prevent_self_review`
    error: policy.yaml has 1 problem
    ");
    let output = Command::cargo_bin("gh-policy")
        .unwrap()
        .args(["validate", "--no-workflows", "-p", "-"])
        .write_stdin("version: 1\nbranches: {main: {enforce_admin: true}}\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .starts_with("<stdin>:2:19: unknown key `enforce_admin` in `branches.main`"),
    );
}

// See: issue 16, item 2: a value that cannot be read does not hide the other problems.
#[test]
fn issue_16_an_unreadable_value_does_not_stop_the_report() {
    let text = "version: 1\nrepository: !!binary eA==\nbranches: {main: {enforce_admins: .inf, enforce_admin: true}}\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:2:22: unsupported tag `!!binary`: a policy file uses plain YAML values
    policy.yaml:3:35: `.inf` is not a number a policy can hold (infinity or not-a-number)
    policy.yaml:3:41: unknown key `enforce_admin` in `branches.main`: did you mean `enforce_admins`?
    error: policy.yaml has 3 problems
    ");
}
