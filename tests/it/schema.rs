//! `gh-policy schema` and `schema/policy.schema.json`: the same bytes, up to date, and
//! accepting exactly what it should. `GH_POLICY_UPDATE_SCHEMA=1 cargo test` rewrites the file.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use gh_policy::policy;

use crate::common::{examples, root};

fn schema_path() -> PathBuf {
    root().join("schema/policy.schema.json")
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&policy::json_schema()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn as_json(file: &PathBuf) -> serde_json::Value {
    let text = fs::read_to_string(file).unwrap();
    policy::to_json(&file.display().to_string(), &text).unwrap()
}

#[test]
fn schema_file_is_up_to_date() {
    let generated = policy::json_schema();
    if std::env::var_os("GH_POLICY_UPDATE_SCHEMA").is_some() {
        fs::write(schema_path(), &generated).unwrap();
    }
    let committed = fs::read_to_string(schema_path()).unwrap();
    assert!(
        committed == generated,
        "schema/policy.schema.json is stale: run `GH_POLICY_UPDATE_SCHEMA=1 cargo test` and commit it"
    );
}

#[test]
fn schema_command_prints_the_committed_file() {
    let output = Command::cargo_bin("gh-policy")
        .unwrap()
        .arg("schema")
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout, fs::read(schema_path()).unwrap());
    assert!(output.stderr.is_empty());
}

#[test]
fn schema_is_draft_2020_12_and_valid() {
    let schema: serde_json::Value = serde_json::from_str(&policy::json_schema()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(jsonschema::meta::is_valid(&schema));
}

#[test]
fn schema_accepts_the_policy_and_every_valid_example() {
    let validator = validator();
    let mut files = examples("valid");
    files.push(root().join("policy.yaml"));
    for file in files {
        let instance = as_json(&file);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

/// Invalid examples marked `# schema: n/a (why)` break a rule a JSON Schema cannot state
/// (a contradiction across list items) or are not a YAML document at all.
#[test]
fn schema_rejects_the_invalid_examples_it_can_express() {
    let validator = validator();
    let mut checked = 0;
    for file in examples("invalid") {
        let text = fs::read_to_string(&file).unwrap();
        if text.lines().any(|line| line.starts_with("# schema: n/a")) {
            continue;
        }
        let instance = as_json(&file);
        assert!(
            !validator.is_valid(&instance),
            "{} passes the schema",
            file.display()
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} invalid examples checked");
}
