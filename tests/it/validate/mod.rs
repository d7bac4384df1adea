//! `gh-policy validate` over `policy.yaml`, every example and a corpus of malformed files.
//!
//! Each file in `schema/examples/invalid/` declares what `validate` must say about it:
//! `# expect: FRAGMENT` (one or more) and, where the problem has a place, `# at: LINE:COLUMN`
//! of the first diagnostic. Files that cannot be committed (non-UTF-8, 5 MB) are written
//! into a temporary directory here. What the messages say in detail is in
//! `diagnostics.rs`.

mod diagnostics;

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
