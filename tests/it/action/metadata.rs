//! The action's metadata and the workflows: inputs used and declared, no expression
//! interpolated into a script, every action pinned, each credential only where needed, and
//! the README's copy of the drift workflow.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{each_mapping, expressions, keys, read, references, workflows, yaml};

#[test]
fn the_action_metadata_is_complete_and_uses_only_what_it_declares() {
    let action = yaml("action.yml");
    for key in ["name", "description", "author"] {
        assert!(action[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    assert!(!steps.is_empty());

    let declared = keys(&action["inputs"]);
    assert_eq!(
        declared,
        [
            "allow-weakening",
            "app-id",
            "app-private-key",
            "args",
            "cache",
            "command",
            "comment",
            "drift-issue",
            "fail-on-drift",
            "format",
            "github-token",
            "policy",
            "sarif",
            "saved-plan",
            "token",
            "version"
        ]
        .map(str::to_owned)
        .into(),
    );
    for (name, input) in action["inputs"].as_object().unwrap() {
        assert!(input["description"].is_string(), "input {name}");
        assert!(input["default"].is_string(), "input {name} has a default");
    }
    assert_eq!(action["inputs"]["command"]["default"], "plan");
    assert_eq!(action["inputs"]["policy"]["default"], "policy.yaml");
    assert_eq!(action["inputs"]["fail-on-drift"]["default"], "true");
    for (name, output) in action["outputs"].as_object().unwrap() {
        assert!(output["description"].is_string(), "output {name}");
        assert!(output["value"].is_string(), "output {name}");
    }
    for name in ["drift", "plan-json", "sarif", "report", "exit-code"] {
        assert!(action["outputs"].get(name).is_some(), "output {name}");
    }

    // Every input used is declared, and every input declared is used.
    let text = read("action.yml");
    let used: BTreeSet<String> = expressions(&text)
        .into_iter()
        .flat_map(|e| references(e, "inputs."))
        .map(str::to_owned)
        .collect();
    assert_eq!(used, declared, "inputs used vs declared");

    // Every step referred to exists, and every step runs its script with an explicit shell.
    let ids: BTreeSet<String> = steps
        .iter()
        .filter_map(|step| step["id"].as_str().map(str::to_owned))
        .collect();
    for expression in expressions(&text) {
        for id in references(expression, "steps.") {
            assert!(ids.contains(id), "no step {id}: {expression}");
        }
    }
    for step in steps {
        if step.get("run").is_some() {
            assert_eq!(step["shell"], "bash", "{step}");
        }
    }
}

#[test]
fn no_expression_is_interpolated_into_a_script() {
    // A `${{ }}` inside `run:` is pasted into the script before it runs: script injection.
    // Values reach scripts through `env:`.
    let mut files = workflows();
    files.push("action.yml".to_owned());
    let mut scripts = 0;
    for file in &files {
        each_mapping(&yaml(file), &mut |map| {
            if let Some(Value::String(script)) = map.get("run") {
                scripts += 1;
                assert!(
                    !script.contains("${{"),
                    "{file}: an expression in a script:\n{script}"
                );
            }
        });
    }
    assert!(scripts >= 5, "found only {scripts} scripts");
}

#[test]
fn every_action_used_is_local_or_pinned_to_a_commit() {
    let mut files = workflows();
    files.push("action.yml".to_owned());
    let mut pinned = 0;
    for file in &files {
        let text = read(file);
        each_mapping(&yaml(file), &mut |map| {
            let Some(Value::String(uses)) = map.get("uses") else {
                return;
            };
            if uses.starts_with("./") {
                return;
            }
            let (_, reference) = uses.split_once('@').unwrap();
            assert!(
                reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit()),
                "{file}: {uses} is not pinned to a full commit SHA"
            );
            // ... with the version it stands for beside it.
            let line = text
                .lines()
                .find(|line| line.contains(uses.as_str()))
                .unwrap();
            assert!(line.contains(" # v"), "{file}: no version comment: {line}");
            pinned += 1;
        });
    }
    assert!(pinned >= 5, "found only {pinned} pinned actions");
}

#[test]
fn each_credential_reaches_only_the_step_that_needs_it() {
    let text = read("action.yml");
    let lines_with = |input: &str| -> Vec<String> {
        text.lines()
            .filter(|line| line.contains(&format!("inputs.{input} ")))
            .map(|line| line.trim().to_owned())
            .collect()
    };
    // The token that reads (or applies) and the App's credentials: the plan/apply step's
    // environment only. The workflow's token: the step that writes the comment and issue.
    assert_eq!(lines_with("token"), ["GITHUB_TOKEN: ${{ inputs.token }}"]);
    assert_eq!(
        lines_with("app-id"),
        ["GH_POLICY_APP_ID: ${{ inputs.app-id }}"]
    );
    assert_eq!(
        lines_with("app-private-key"),
        ["GH_POLICY_APP_PRIVATE_KEY: ${{ inputs.app-private-key }}"]
    );
    assert_eq!(
        lines_with("github-token"),
        ["GITHUB_TOKEN: ${{ inputs.github-token }}"]
    );
    let action = yaml("action.yml");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let step_with = |variable: &str| -> Vec<&Value> {
        steps
            .iter()
            .filter(|step| step["env"].get(variable).is_some())
            .collect()
    };
    let token_steps = step_with("GITHUB_TOKEN");
    assert_eq!(token_steps.len(), 2);
    assert_eq!(
        token_steps[0]["run"],
        "bash \"$GITHUB_ACTION_PATH/action/run.sh\""
    );
    assert_eq!(
        token_steps[1]["run"],
        "bash \"$GITHUB_ACTION_PATH/action/report.sh\""
    );
    assert_eq!(
        token_steps[1]["env"]["GITHUB_TOKEN"],
        "${{ inputs.github-token }}"
    );
    for variable in ["GH_POLICY_APP_ID", "GH_POLICY_APP_PRIVATE_KEY"] {
        let with = step_with(variable);
        assert_eq!(with.len(), 1, "{variable}");
        assert_eq!(with[0]["run"], "bash \"$GITHUB_ACTION_PATH/action/run.sh\"");
    }
    // The github-token input defaults to the workflow's own token.
    assert_eq!(
        action["inputs"]["github-token"]["default"],
        "${{ github.token }}"
    );
}

/// The README embeds the repository's own drift workflow between these markers.
const BEGIN: &str = "<!-- begin .github/workflows/policy-drift.yml -->";

const END: &str = "<!-- end .github/workflows/policy-drift.yml -->";

#[test]
fn the_readme_shows_the_workflow_the_repository_runs() {
    let readme = read("README.md");
    let start = readme.find(BEGIN).expect("the README's begin marker") + BEGIN.len();
    let end = readme.find(END).expect("the README's end marker");
    let block = readme[start..end].trim_matches('\n');
    let body = block
        .strip_prefix("```yaml\n")
        .and_then(|b| b.strip_suffix("\n```"))
        .expect("a ```yaml block between the markers");
    let workflow = read(".github/workflows/policy-drift.yml");
    assert!(
        format!("{body}\n") == workflow,
        "the README's workflow differs from .github/workflows/policy-drift.yml: copy the file \
         between the README's markers"
    );
}
