//! The pre-commit hook: it validates every policy file it is given, and installs the wheel
//! of the same version, which is the binary.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{read, yaml};
use crate::common::root;
use crate::install::{assert_success, require_tools, stderr, stdout};

#[test]
fn the_pre_commit_hook_validates_every_policy_file_it_is_given() {
    require_tools(&["bash"]);
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    assert_eq!(hook["id"], "gh-policy-validate");
    assert_eq!(hook["language"], "python");
    assert_eq!(hook["pass_filenames"], true);

    // pre-commit matches `files` with Python's `re.search`; for this pattern JSON Schema's
    // `pattern` (also unanchored) means the same.
    let pattern = hook["files"].as_str().unwrap();
    let schema = serde_json::json!({ "type": "string", "pattern": pattern });
    let matcher = jsonschema::validator_for(&schema).unwrap();
    for name in [
        "policy.yaml",
        "policy.yml",
        "infra/policy.yaml",
        "a/b/policy.yml",
    ] {
        assert!(matcher.is_valid(&Value::from(name)), "{name} should match");
    }
    for name in [
        "mypolicy.yaml",
        "policy.yaml.bak",
        "policy.json",
        "policy-yaml",
    ] {
        assert!(!matcher.is_valid(&Value::from(name)), "{name} should not");
    }

    // The entry as pre-commit runs it: its words, then the file names.
    let entry = hook["entry"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join("policy.yaml"), dir.path().join("policy.yaml")).unwrap();
    fs::create_dir(dir.path().join("infra")).unwrap();
    fs::write(
        dir.path().join("infra/policy.yml"),
        "version: 1\nbranches:\n  main:\n    pull_request:\n      required_aprovals: 2\n",
    )
    .unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_gh-policy")).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let run = |files: &[&str]| {
        Command::new("bash")
            .arg("-c")
            .arg(format!("{entry} \"$@\""))
            .arg("pre-commit")
            .args(files)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };

    let both = run(&["infra/policy.yml", "policy.yaml"]);
    assert_eq!(both.status.code(), Some(1), "{}", stderr(&both));
    assert!(
        stderr(&both).contains("infra/policy.yml:5:7"),
        "{}",
        stderr(&both)
    );
    // The second file is still validated after the first failed.
    assert!(
        stdout(&both).contains("policy.yaml: valid"),
        "{}",
        stdout(&both)
    );

    let valid = run(&["policy.yaml"]);
    assert_success(&valid, "the hook on a valid policy");
}

#[test]
fn the_hook_installs_the_wheel_of_the_same_version_and_the_wheel_is_the_binary() {
    let version = env!("CARGO_PKG_VERSION");
    // pre-commit's `pip install .` gets the root pyproject.toml: no package, one dependency,
    // the wheel of this very version (a source build would compile).
    let hook = read("pyproject.toml");
    assert!(
        hook.contains(&format!("\nversion = \"{version}\"\n")),
        "{hook}"
    );
    assert!(
        hook.contains(&format!("\ndependencies = [\"gh-policy=={version}\"]\n")),
        "the hook must install gh-policy {version}, the version of this checkout:\n{hook}"
    );
    assert!(hook.contains("\npackages = []\n") && hook.contains("\npy-modules = []\n"));
    // The wheel: maturin packs the binary itself, its version Cargo.toml's.
    let wheel = read("python/pyproject.toml");
    for line in [
        "build-backend = \"maturin\"",
        "name = \"gh-policy\"",
        "dynamic = [\"version\"]",
        "bindings = \"bin\"",
        "manifest-path = \"../Cargo.toml\"",
    ] {
        assert!(wheel.lines().any(|l| l == line), "{line}:\n{wheel}");
    }
    // The README's examples and the workflows to copy name this version, so that they work
    // as written once it is released.
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("rev: v{version}")),
        "the README's hook example"
    );
    for file in [
        "README.md",
        ".github/workflows/policy-drift.yml",
        "examples/org-admin/.github/workflows/org-policy.yml",
    ] {
        let text = read(file);
        let refs: Vec<&str> = text
            .match_indices("gh-policy/gh-policy@")
            .map(|(at, _)| {
                let rest = &text[at + "gh-policy/gh-policy@".len()..];
                &rest[..rest
                    .find(|c: char| c.is_whitespace() || c == '`')
                    .unwrap_or(rest.len())]
            })
            .filter(|reference| reference.starts_with('v'))
            .collect();
        assert!(
            !refs.is_empty() || file == ".github/workflows/policy-drift.yml",
            "{file}"
        );
        for reference in refs {
            assert_eq!(reference, format!("v{version}"), "{file}");
        }
    }
}
