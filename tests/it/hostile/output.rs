//! What gh-policy prints from outside text (issue 28, finding 7): annotations under GitHub
//! Actions never carry raw escape, bell or bidirectional characters from live names;
//! `validate` refuses them in the policy's own names; an empty required deployment and an
//! id past every integer are located errors, not "internal error"; a live environment,
//! secret or variable named against its rule is an answer GitHub does not document.

use gh_policy_emulator::{Emulator, Seed};
use serde_json::{Value, json};

use super::{assert_code, printed, run};
use crate::common::{Policy, TestRepo, fixture};

/// The characters no printed line may carry raw.
const HOSTILE: [char; 5] = ['\u{1b}', '\u{7}', '\u{202e}', '\u{85}', '\u{2028}'];

#[test]
fn annotations_escape_what_live_names_carry() {
    let mut world: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("live/flow-in-sync.json")).unwrap())
            .unwrap();
    world["rulesets"] = json!([{
        "id": 7, "name": "evil\u{1b}[31m\u{7}\u{202e}txt", "enforcement": "active", "target": "branch",
        "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },
        "rules": [ { "type": "deletion" } ]
    }]);
    world["environments"]["production"]["branch_policies"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "x\u{85}y\u{2028}z\u{202e}", "type": "branch"}));
    let seed: Seed = serde_json::from_value(world).unwrap();
    let repo = TestRepo::with(Emulator::builder(seed).start());
    repo.policy(&format!(
        "{}prune:\n  rulesets: true\n",
        Policy::flow().yaml()
    ));
    // JSON is data: its strings hold the names as GitHub has them (and escape ESC and BEL).
    for format in ["text", "markdown"] {
        let output = run(
            repo.std_cmd()
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_STEP_SUMMARY", repo.dir.path().join("summary.md")),
            &["plan", "--no-cache", "--format", format],
        );
        assert_code(&output, 2);
        let all = printed(&output);
        assert!(all.contains("::error "), "{all}");
        for c in HOSTILE {
            assert!(!all.contains(c), "{format}: {c:?} printed raw:\n{all}");
        }
        let summary = std::fs::read_to_string(repo.dir.path().join("summary.md")).unwrap();
        for c in HOSTILE {
            assert!(!summary.contains(c), "{c:?} in the step summary");
        }
    }
}

/// Validates `policy`, expecting exit 1, and returns stderr.
fn refused(policy: &str) -> String {
    let repo = TestRepo::new("flow-in-sync");
    repo.policy(policy);
    let output = run(&mut repo.std_cmd(), &["validate", "--no-workflows"]);
    assert_code(&output, 1);
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!err.contains("internal error"), "{err}");
    err
}

#[test]
fn validate_refuses_control_and_bidirectional_characters_in_names() {
    let err = refused(
        "version: 1\nrulesets:\n  \"ev\\e[31mil\":\n    include: [\"ma\\ain\"]\nrequirements:\n  \"ma\\u202ein\": {required_approvals: 1}\nenvironments:\n  prod:\n    deployment_branches: [\"x\\x85y\"]\n",
    );
    for located in [
        "policy.yaml:3:3: invalid name `ev\\u{1b}[31mil` in `rulesets`",
        "policy.yaml:4:15:",
        "policy.yaml:6:3: invalid name `ma\\u{202e}in` in `requirements`",
        "policy.yaml:9:27:",
    ] {
        assert!(err.contains(located), "{located}:\n{err}");
    }
    assert!(err.contains("has 4 problems"), "{err}");
    for c in HOSTILE {
        assert!(!err.contains(c), "{c:?} printed raw:\n{err}");
    }
}

#[test]
fn an_empty_required_deployment_is_refused() {
    let err = refused(
        "version: 1\nrulesets:\n  r:\n    include: [main]\n    rules:\n      required_deployments: [\"\"]\n",
    );
    assert!(
        err.contains("policy.yaml:6:30: invalid environment name `` at `rulesets.r.rules.required_deployments.0`"),
        "{err}"
    );
}

#[test]
fn an_id_past_every_integer_is_a_located_error() {
    let err = refused(
        "version: 1\nrulesets:\n  r:\n    include: [main]\n    bypass:\n      - role_id: 18446744073709551616\n",
    );
    assert!(
        err.contains(
            "policy.yaml:6:18: `rulesets.r.bypass.0.role_id` must be from 1 to 9223372036854775807"
        ),
        "{err}"
    );
    let org = refused("version: 18446744073709551616\norganization: acme\n");
    assert!(org.contains("policy.yaml:1:10:"), "{org}");
}

/// The policy model holds environment, secret and variable names by their types, and so
/// does gh-policy's reading of GitHub: an answer naming one against its rule is not the
/// JSON GitHub documents, reported as such with the rule, and never reaches a plan.
#[test]
fn a_live_name_against_its_rule_is_a_malformed_answer() {
    for (section, refused) in [
        ("environments", "`..` is not a valid environment name"),
        ("secrets", "`1KEY` is not a valid secret name"),
        ("variables", "`GITHUB_SHA` is not a valid variable name"),
    ] {
        let mut world: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture("live/flow-in-sync.json")).unwrap(),
        )
        .unwrap();
        let environments = world["environments"].as_object_mut().unwrap();
        match section {
            "environments" => {
                let staging = environments["staging"].clone();
                environments.insert("..".to_owned(), staging);
            }
            "secrets" => environments["staging"]["secrets"]
                .as_array_mut()
                .unwrap()
                .push(json!("1KEY")),
            _ => {
                environments["staging"]["variables"]["GITHUB_SHA"] = json!("x");
            }
        }
        let seed: Seed = serde_json::from_value(world).unwrap();
        let repo = TestRepo::with(Emulator::builder(seed).start());
        repo.policy(&Policy::flow().yaml());
        let output = run(&mut repo.std_cmd(), &["plan", "--no-cache"]);
        let all = printed(&output);
        assert_ne!(output.status.code(), Some(0), "{all}");
        assert!(
            all.contains("the answer is not the JSON GitHub documents") && all.contains(refused),
            "{all}"
        );
    }
}
