//! `plan --format sarif` and `--format junit`: the reports for CI tools. The SARIF log is
//! validated against the published SARIF 2.1.0 schema (vendored in `tests/fixtures/sarif/`,
//! see its `SOURCE.md`) and against what code scanning asks of a result; its locations are
//! the policy lines that declare each change, relative to the repository root.

use gh_policy_emulator::Emulator;
use serde_json::{Value, json};

use crate::common::{TestRepo, fixture, root};
use crate::org::{ORG_POLICY, acme};

/// Returns the 1-based number of the first line of `text` equal to the last of `lines`
/// that comes after lines equal to each of the others, in order.
fn line_of(text: &str, lines: &[&str]) -> usize {
    let mut at = 0;
    for wanted in lines {
        at += text
            .lines()
            .skip(at)
            .position(|l| l == *wanted)
            .unwrap_or_else(|| panic!("no line {wanted:?} after line {at}"))
            + 1;
    }
    at
}

/// Checks the log against the SARIF 2.1.0 schema and against code scanning's demands on
/// each result; returns the results.
fn assert_valid_sarif(log: &Value) -> Vec<Value> {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0: {errors:#?}");
    // The schema validates: a log missing what it requires is refused.
    assert!(!validator.is_valid(&json!({"version": "2.1.0"})));

    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let rules: Vec<&str> = runs[0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    let results = runs[0]["results"].as_array().unwrap().clone();
    for result in &results {
        let id = result["ruleId"].as_str().unwrap();
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index], id, "{result}");
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(result["partialFingerprints"].is_object());
    }
    results
}

fn result_for<'a>(results: &'a [Value], needle: &str) -> &'a Value {
    results
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no result about {needle}: {results:#?}"))
}

fn start_line(result: &Value) -> usize {
    usize::try_from(
        result["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap(),
    )
    .unwrap()
}

/// A checkout with the root policy.yaml in `infra/`, planned from `infra/` against the
/// drifted state, in the given format.
fn plan_drifted_state(format: &str) -> (std::process::Output, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir(dir.path().join("infra")).unwrap();
    let policy = std::fs::read_to_string(root().join("policy.yaml")).unwrap();
    std::fs::write(dir.path().join("infra/policy.yaml"), &policy).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gh-policy"))
        .current_dir(dir.path().join("infra"))
        .args(["plan", "--format", format, "--state"])
        .arg(root().join("examples/drifted-state.yaml"))
        .env_remove("GITHUB_ACTIONS")
        .env("STAGING_SSH_KEY", "x")
        .env("PROD_SSH_KEY", "x")
        .output()
        .unwrap();
    (output, policy)
}

#[test]
fn sarif_is_valid_and_locates_each_change_at_its_policy_line_from_the_repository_root() {
    let (output, policy) = plan_drifted_state("sarif");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = assert_valid_sarif(&log);

    // One result per change of the JSON plan, in its order, each of its kind.
    let plan: Value = serde_json::from_slice(&plan_drifted_state("json").0.stdout).unwrap();
    let changes = plan["changes"].as_array().unwrap();
    assert_eq!(results.len(), changes.len());
    for (result, change) in results.iter().zip(changes) {
        assert_eq!(result["ruleId"], change["kind"]);
        assert_eq!(result["level"], "error");
        let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert_eq!(uri, "infra/policy.yaml", "relative to the repository root");
        assert!(
            result["message"]["text"]
                .as_str()
                .unwrap()
                .contains(change["address"].as_str().unwrap())
        );
    }

    // Located where the policy declares the resource.
    let main = result_for(&results, "branches.main (branch protection)");
    assert_eq!(
        start_line(main),
        line_of(&policy, &["branches:", "  main:"])
    );
    let secret = result_for(&results, "environments.staging.secrets.SSH_PRIVATE_KEY");
    assert_eq!(
        start_line(secret),
        line_of(&policy, &["environments:", "  staging:", "    secrets:"]),
        "a secret is located at its environment's list"
    );
    assert!(
        main["message"]["text"]
            .as_str()
            .unwrap()
            .contains("pull_request.required_approvals: live 1, policy 2"),
        "{main}"
    );
}

#[test]
fn an_organisation_run_locates_each_repositorys_changes_in_the_layer_that_declares_them() {
    // svc-pay is selected by the group, web only by `defaults`.
    let repo = TestRepo::with(Emulator::builder(acme()).start());
    repo.policy(ORG_POLICY);
    std::fs::create_dir(repo.dir.path().join(".git")).unwrap();
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "sarif", "--shard", "1/1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = assert_valid_sarif(&log);
    assert_eq!(
        log["runs"][0]["automationDetails"]["id"],
        "gh-policy/acme/shard-1-of-1/"
    );
    assert_eq!(
        results.len(),
        4,
        "svc-pay, svc-mail, web, old: {results:#?}"
    );
    let pay = result_for(&results, "acme/svc-pay: branches.main");
    let web = result_for(&results, "acme/web: branches.main");
    assert_eq!(
        start_line(pay),
        line_of(ORG_POLICY, &["groups:", "      branches:", "        main:"])
    );
    assert_eq!(
        start_line(web),
        line_of(ORG_POLICY, &["defaults:", "  branches:", "    main:"])
    );
    for result in [pay, web] {
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "policy.yaml"
        );
    }
    assert_ne!(pay["partialFingerprints"], web["partialFingerprints"]);
}

#[test]
fn junit_has_a_case_per_managed_resource_and_a_failure_per_drifting_one() {
    let (output, _) = plan_drifted_state("junit");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let xml = String::from_utf8(output.stdout).unwrap();
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{xml}"
    );

    let plan: Value = serde_json::from_slice(&plan_drifted_state("json").0.stdout).unwrap();
    let drifting: Vec<&str> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["address"].as_str().unwrap())
        .collect();
    let cases: Vec<&str> = xml
        .lines()
        .filter(|line| line.trim_start().starts_with("<testcase "))
        .collect();
    let failures = xml.matches("<failure ").count();
    assert_eq!(failures, drifting.len(), "{xml}");
    for address in &drifting {
        let case = cases
            .iter()
            .find(|c| c.contains(&format!("name=\"{address}\"")))
            .unwrap_or_else(|| panic!("no case {address}: {xml}"));
        assert!(!case.ends_with("/>"), "{address} drifts: {case}");
    }
    // Resources in sync pass: the policy manages more than drifts.
    let passing = cases.iter().filter(|c| c.ends_with("/>")).count();
    assert!(passing > 0, "{xml}");
    assert_eq!(cases.len(), passing + failures);
    assert!(xml.contains(&format!(
        "<testsuites name=\"gh-policy plan\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        cases.len()
    )), "{xml}");
    assert!(
        xml.contains("pull_request.required_approvals: live 1, policy 2"),
        "{xml}"
    );
}

#[test]
fn junit_names_a_repository_that_could_not_be_planned_as_an_error() {
    let repo = TestRepo::with(Emulator::builder(acme()).start());
    repo.policy(ORG_POLICY);
    repo.emu.fail_repository("acme/web", 500);
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "junit", "--retries", "0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let xml = String::from_utf8(output.stdout).unwrap();
    assert!(
        xml.contains(
            "<testsuite name=\"acme/web\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">"
        ),
        "{xml}"
    );
    assert!(xml.contains("<testsuite name=\"acme/svc-pay\""), "{xml}");
}

/// A policy that lowers `main`'s approvals from two to one (a setting that weakens) and
/// prunes the ruleset `old` (a change that weakens whole), and `extra` added (it does not).
const LOWERING: &str = "version: 1
repository: acme/api
branches:
  main:
    pull_request: { required_approvals: 1 }
environments:
  extra: {}
prune:
  rulesets: true
";

const LIVE: &str = "version: 1
branches:
  main:
    pull_request: { required_approvals: 2 }
rulesets:
  old:
    include: ['~DEFAULT_BRANCH']
    rules:
      required_linear_history: true
";

/// Plans `LOWERING` against `LIVE` in the format.
fn plan_lowering(format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join("policy.yaml"), LOWERING).unwrap();
    std::fs::write(dir.path().join("live.yaml"), LIVE).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gh-policy"))
        .current_dir(dir.path())
        .args(["plan", "--format", format, "--state", "live.yaml"])
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn sarif_and_junit_say_which_changes_weaken_protection() {
    let log: Value = serde_json::from_str(&plan_lowering("sarif")).unwrap();
    let results = assert_valid_sarif(&log);
    assert_eq!(results.len(), 3, "{results:#?}");
    let main = result_for(&results, "branches.main");
    let old = result_for(&results, "rulesets.old");
    for weakening in [main, old] {
        assert_eq!(
            weakening["properties"],
            json!({"weakens": true}),
            "{weakening}"
        );
        assert!(
            weakening["message"]["text"]
                .as_str()
                .unwrap()
                .contains("⚠ Applying it weakens protection: `apply --yes` refuses it without `--allow-weakening`."),
            "{weakening}"
        );
    }
    assert!(
        main["message"]["text"]
            .as_str()
            .unwrap()
            .contains("pull_request.required_approvals: live 2, policy 1 (⚠ weakens)"),
        "{main}"
    );
    let extra = result_for(&results, "environments.extra");
    assert!(extra.get("properties").is_none(), "{extra}");
    assert!(
        !extra["message"]["text"]
            .as_str()
            .unwrap()
            .contains("weaken")
    );

    let xml = plan_lowering("junit");
    let failure = |address: &str| {
        xml.lines()
            .skip_while(|line| !line.contains(&format!("name=\"{address}\"")))
            .nth(1)
            .unwrap_or_else(|| panic!("no case {address}: {xml}"))
            .to_owned()
    };
    for address in ["branches.main", "rulesets.old"] {
        assert!(
            failure(address).contains("⚠ Applying it weakens protection"),
            "{address}: {xml}"
        );
    }
    assert!(
        failure("branches.main")
            .contains("pull_request.required_approvals: live 2, policy 1 (⚠ weakens)"),
        "{xml}"
    );
    assert!(!failure("environments.extra").contains("weaken"), "{xml}");
}
