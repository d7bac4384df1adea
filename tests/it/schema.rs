//! `gh-policy schema` and `schema/policy.schema.json`: the same bytes, up to date, and
//! accepting exactly what it should. `GH_POLICY_UPDATE_SCHEMA=1 cargo test` rewrites the file.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use gh_policy::model::RepoSettings;
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
fn org_schema_file_is_up_to_date_and_printed_by_schema_org() {
    let path = root().join("schema/org-policy.schema.json");
    let generated = policy::org_json_schema();
    if std::env::var_os("GH_POLICY_UPDATE_SCHEMA").is_some() {
        fs::write(&path, &generated).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap();
    assert!(
        committed == generated,
        "schema/org-policy.schema.json is stale: run `GH_POLICY_UPDATE_SCHEMA=1 cargo test` and commit it"
    );
    let output = Command::cargo_bin("gh-policy")
        .unwrap()
        .args(["schema", "--org"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout, committed.as_bytes());
    // The example organisation policy is valid under it, as the loader says.
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let example = as_json(&root().join("examples/org-policy.yaml"));
    assert!(validator.is_valid(&example));
    assert!(!validator.is_valid(
        &serde_json::json!({"version": 1, "organization": "acme", "defaults": {"branchs": {}}})
    ));
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

/// The rules the loader checks in code because no JSON Schema can state them: the only
/// reasons the loader may refuse a file that the schema (as an editor applies it) accepts.
const CODE_RULES: &[&str] = &[
    "check-pins-agree",
    "environment-names-differ-in-more-than-case",
    "distinct-reviewers-limit",
    "secret-names-differ-in-more-than-case",
    "secret-sources-agree",
    "distinct-secrets-limit",
    "variable-names-differ-in-more-than-case",
    "variable-value-bytes",
    "ruleset-conditions-fit-the-target",
    "requirement-keys-name-a-branch",
    "exceptions-expire-soon-and-name-something",
];

/// The committed schema file, compiled as an editor would use it.
fn editor() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path()).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// Checks that the loader and the schema give one verdict on `text`, or that the loader's
/// refusal comes from a code rule only. Returns whether the loader accepted it.
fn one_verdict(editor: &jsonschema::Validator, name: &str, text: &str) -> bool {
    let loader = policy::parse(name, text);
    let Ok(json) = policy::to_json(name, text) else {
        // Not a YAML document within the reader's limits: nothing for an editor to check.
        assert!(
            loader.is_err(),
            "{name}: the loader accepts what it cannot read\n{text}"
        );
        return false;
    };
    let schema_ok = !json.is_null() && editor.is_valid(&json);
    match (loader, schema_ok) {
        (Ok(_), true) => true,
        (Err(_), false) => false,
        (Ok(_), false) => panic!("{name}: the loader accepts what the schema refuses\n{text}"),
        (Err(err), true) => {
            let settings: RepoSettings = serde_json::from_value(json).unwrap();
            let broken = policy::broken_rules(&settings);
            assert!(
                !broken.is_empty() && broken.iter().all(|rule| CODE_RULES.contains(rule)),
                "{name}: the loader refuses what the schema accepts, not by a code rule: {err}\n{text}"
            );
            false
        }
    }
}

#[test]
fn the_code_rules_are_the_ones_listed_here() {
    assert_eq!(policy::rule_names::<RepoSettings>(), CODE_RULES);
}

/// See: issue 14, item 8 (an editor and `validate` must give one verdict).
#[test]
fn the_loader_and_the_schema_agree_on_every_example() {
    let editor = editor();
    let mut files = examples("valid");
    files.extend(examples("invalid"));
    files.push(root().join("policy.yaml"));
    let mut by_code_rule = 0;
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let name = file.display().to_string();
        let accepted = one_verdict(&editor, &name, &text);
        let valid = file.parent().is_some_and(|dir| !dir.ends_with("invalid"));
        assert_eq!(accepted, valid, "{name}");
        if !valid && text.contains("# schema: n/a (a rule across") {
            by_code_rule += 1;
        }
    }
    assert!(by_code_rule >= 5, "{by_code_rule}");
}

/// The same over mutants of the examples: values swapped for tricky ones, keys re-cased,
/// lines repeated or dropped. A fixed seed, so a failure reproduces.
#[test]
fn the_loader_and_the_schema_agree_on_a_generated_corpus() {
    const VALUES: &[&str] = &[
        "true",
        "\"true\"",
        "yes",
        "1",
        "\"2\"",
        "1_0",
        "0b11",
        "0x10",
        "-1",
        "7",
        "0",
        "2.0",
        "2.5",
        "100000",
        "~",
        "",
        "[]",
        "{}",
        "\"\"",
        "\" \"",
        "main..dev",
        "a/b",
        "GITHUB_X",
        "Prod",
        "{user: 123}",
        "[{user: a}, {user: a}]",
        "{team: x, user: y}",
        "all",
        "custom",
        "[main, {tag: v*}]",
        "{context: x, app_id: 0}",
        "{name: A, from_env: B}",
        "octo--cat",
        "x_y",
        ".inf",
        "!!str 5",
        "\"\\u202e\"",
        "[A, a]",
        "{A: 1, a: 2}",
        "1e3",
    ];
    let editor = editor();
    let mut seeds: Vec<String> = examples("valid")
        .iter()
        .map(|f| fs::read_to_string(f).unwrap())
        .collect();
    seeds.push(fs::read_to_string(root().join("policy.yaml")).unwrap());
    let mut state: u64 = 0x005e_ed0f_1e55;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap() % n.max(1)
    };
    let (mut accepted, mut total) = (0, 0);
    for round in 0..1500 {
        let seed = &seeds[next(seeds.len())];
        let mut lines: Vec<String> = seed.lines().map(str::to_owned).collect();
        for _ in 0..=next(3) {
            if lines.is_empty() {
                break;
            }
            let i = next(lines.len());
            match next(4) {
                0 => {
                    if let Some((key, _)) = lines[i].split_once(": ") {
                        lines[i] = format!("{key}: {}", VALUES[next(VALUES.len())]);
                    }
                }
                1 => lines[i] = lines[i].to_uppercase(),
                2 => {
                    let line = lines[i].clone();
                    lines.insert(i, line);
                }
                _ => {
                    lines.remove(i);
                }
            }
        }
        let text = lines.join("\n") + "\n";
        total += 1;
        if one_verdict(&editor, &format!("mutant-{round}.yaml"), &text) {
            accepted += 1;
        }
    }
    // The corpus must exercise both verdicts.
    assert!(
        accepted > total / 10 && accepted < total * 9 / 10,
        "{accepted} of {total}"
    );
}
