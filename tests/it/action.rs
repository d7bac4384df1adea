//! What ships for GitHub Actions and pre-commit, checked offline: the action's metadata
//! (`action.yml`, which actionlint does not lint), its run script (`action/run.sh`) against
//! a stand-in gh-policy, the workflows' scripts and pins, the README's copy of the drift
//! workflow, and the pre-commit hook.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::common::root;
use crate::install::{assert_success, require_tools, stderr, stdout};

fn read(relative: &str) -> String {
    fs::read_to_string(root().join(relative)).unwrap()
}

fn yaml(relative: &str) -> Value {
    serde_saphyr::from_str(&read(relative))
        .unwrap_or_else(|err| panic!("{relative} is not YAML: {err}"))
}

fn workflows() -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yml" || ext == "yaml")
        })
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            format!(".github/workflows/{name}")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

/// Returns the text inside every `${{ … }}` of a file.
fn expressions(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let end = after.find("}}").expect("an unclosed ${{");
        found.push(&after[..end]);
        rest = &after[end + 2..];
    }
    found
}

/// Returns NAME of every `PREFIX.NAME` in an expression (`inputs.token` → `token`).
fn references<'a>(expression: &'a str, prefix: &str) -> Vec<&'a str> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut names = Vec::new();
    let mut from = 0;
    while let Some(at) = expression[from..].find(prefix) {
        let start = from + at;
        let before = expression[..start].chars().next_back();
        let rest = &expression[start + prefix.len()..];
        let len = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
        if !before.is_some_and(|c| word(c) || c == '.') && len > 0 {
            names.push(&rest[..len]);
        }
        from = start + prefix.len();
    }
    names
}

/// Calls `visit` on every mapping in a YAML document.
fn each_mapping(value: &Value, visit: &mut dyn FnMut(&serde_json::Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            visit(map);
            for child in map.values() {
                each_mapping(child, visit);
            }
        }
        Value::Array(items) => {
            for item in items {
                each_mapping(item, visit);
            }
        }
        _ => {}
    }
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

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

/// A stand-in for gh-policy: logs its arguments (one `[arg]` each) and some of its
/// environment, prints a plan in the format asked, and exits with `$FAKE_EXIT`.
pub(crate) const FAKE_GH_POLICY: &str = r#"#!/usr/bin/env bash
{
    printf 'call:'
    printf ' [%s]' "$@"
    printf '\n'
    printf 'env: token=%s actions=%s summary=%s cache=%s\n' "${GITHUB_TOKEN:-}" \
        "${GITHUB_ACTIONS:-}" "${GITHUB_STEP_SUMMARY:-}" "${GH_POLICY_CACHE_DIR:-}"
} >> "$FAKE_LOG"
format=text
saved=
while [ $# -gt 0 ]; do
    if [ "$1" = --format ]; then format=$2; fi
    if [ "$1" = --out ]; then saved=$2; fi
    shift
done
if [ -n "$saved" ]; then printf '{"saved": true}\n' > "$saved"; fi
case $format in
    json) printf '{"in_sync": %s}\n' "$([ "${FAKE_EXIT:-0}" = 0 ] && echo true || echo false)" ;;
    *) echo "the plan in $format"
       if [ "${GITHUB_ACTIONS:-}" = true ]; then
           echo "::error file=policy.yaml,line=3,title=policy drift%3A branches.main::drift"
       fi ;;
esac
exit "${FAKE_EXIT:-0}"
"#;

pub(crate) const TOKEN: &str = "ghp_not-a-real-token-0123456789";

/// One run of action/run.sh, as the action's last step runs it.
struct ActionRun {
    output: Output,
    dir: tempfile::TempDir,
}

impl ActionRun {
    fn new(vars: &[(&str, &str)]) -> Self {
        require_tools(&["bash", "awk", "tee", "mktemp"]);
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("gh-policy");
        fs::write(&fake, FAKE_GH_POLICY).unwrap();
        assert_success(
            &Command::new("chmod").arg("+x").arg(&fake).output().unwrap(),
            "chmod",
        );
        let temp = dir.path().join("runner-temp");
        fs::create_dir(&temp).unwrap();
        let mut command = Command::new("bash");
        command
            .arg(root().join("action/run.sh"))
            .current_dir(dir.path())
            .env("GH_POLICY_BIN", &fake)
            .env("FAKE_LOG", dir.path().join("calls.log"))
            .env("GITHUB_OUTPUT", dir.path().join("github-output"))
            .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
            .env("GITHUB_ACTIONS", "true")
            .env("RUNNER_TEMP", &temp)
            .env("GITHUB_TOKEN", TOKEN)
            .env_remove("GH_POLICY_CACHE_DIR");
        for name in [
            "INPUT_COMMAND",
            "INPUT_POLICY",
            "INPUT_FORMAT",
            "INPUT_FAIL_ON_DRIFT",
            "INPUT_ARGS",
            "INPUT_CACHE",
            "INPUT_CACHE_DIR",
            "INPUT_SARIF",
            "INPUT_ALLOW_WEAKENING",
            "INPUT_SAVED_PLAN",
            "FAKE_EXIT",
        ] {
            command.env_remove(name);
        }
        for (name, value) in vars {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        Self { output, dir }
    }

    /// The step outputs written to `$GITHUB_OUTPUT`.
    fn outputs(&self) -> Vec<(String, String)> {
        fs::read_to_string(self.dir.path().join("github-output"))
            .unwrap_or_default()
            .lines()
            .map(|line| {
                let (k, v) = line.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect()
    }

    fn output(&self, key: &str) -> Option<String> {
        self.outputs()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    fn file_output(&self, key: &str) -> String {
        let path = PathBuf::from(self.output(key).unwrap_or_else(|| panic!("no {key}")));
        fs::read_to_string(path).unwrap()
    }

    /// gh-policy's calls: (arguments, environment line).
    fn calls(&self) -> Vec<(String, String)> {
        let log = fs::read_to_string(self.dir.path().join("calls.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines
            .chunks(2)
            .map(|pair| (pair[0].to_owned(), pair[1].to_owned()))
            .collect()
    }

    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    fn stderr(&self) -> String {
        stderr(&self.output)
    }
}

#[test]
fn the_action_plans_once_as_asked_then_as_json_and_passes_when_in_sync() {
    let run = ActionRun::new(&[]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(run.output("drift").as_deref(), Some("false"));
    assert_eq!(run.output("exit-code").as_deref(), Some("0"));
    assert_eq!(run.file_output("plan-json"), "{\"in_sync\": true}\n");
    assert_eq!(run.file_output("report"), "the plan in text\n");

    let calls = run.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    // As an Actions step first (summary, annotations), then quietly as JSON.
    assert_eq!(
        calls[0].0,
        "call: [plan] [--policy] [policy.yaml] [--format] [text]"
    );
    assert!(
        calls[0].1.contains("actions=true summary=/"),
        "{}",
        calls[0].1
    );
    assert_eq!(
        calls[1].0,
        "call: [plan] [--policy] [policy.yaml] [--format] [json]"
    );
    assert!(
        calls[1].1.contains("actions=false summary= "),
        "{}",
        calls[1].1
    );
}

#[test]
fn a_saved_plan_is_made_once_shown_as_saved_and_applied_as_saved() {
    let run = ActionRun::new(&[
        ("INPUT_SAVED_PLAN", "policy.plan.json"),
        ("INPUT_FORMAT", "markdown"),
        ("FAKE_EXIT", "2"),
        ("INPUT_FAIL_ON_DRIFT", "false"),
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let calls = run.calls();
    assert_eq!(
        calls
            .iter()
            .map(|(call, _)| call.as_str())
            .collect::<Vec<_>>(),
        ["call: [plan] [--policy] [policy.yaml] [--format] [markdown] [--out] [policy.plan.json]"]
    );
    // The comment and the issue show the plan saved, not a newer one.
    assert_eq!(run.file_output("plan-json"), "{\"saved\": true}\n");

    let apply = ActionRun::new(&[
        ("INPUT_COMMAND", "apply"),
        ("INPUT_SAVED_PLAN", "policy.plan.json"),
    ]);
    assert_eq!(apply.code(), Some(0), "{}", apply.stderr());
    assert_eq!(
        apply.calls()[0].0,
        "call: [apply] [--policy] [policy.yaml] [--yes] [--plan] [policy.plan.json]"
    );
    let validate = ActionRun::new(&[
        ("INPUT_COMMAND", "validate"),
        ("INPUT_SAVED_PLAN", "policy.plan.json"),
    ]);
    assert_eq!(validate.code(), Some(1));
    assert!(
        validate
            .stderr()
            .contains("saved-plan is for command: plan or apply only"),
        "{}",
        validate.stderr()
    );
    assert!(validate.calls().is_empty());
}

#[test]
fn drift_fails_the_step_only_when_fail_on_drift_is_true() {
    let failing = ActionRun::new(&[("FAKE_EXIT", "2")]);
    assert_eq!(failing.code(), Some(2), "{}", failing.stderr());
    assert_eq!(failing.output("drift").as_deref(), Some("true"));
    assert_eq!(failing.output("exit-code").as_deref(), Some("2"));
    assert_eq!(failing.file_output("plan-json"), "{\"in_sync\": false}\n");
    assert!(
        failing.stderr().contains("failing (fail-on-drift: true)"),
        "{}",
        failing.stderr()
    );

    let reporting = ActionRun::new(&[("FAKE_EXIT", "2"), ("INPUT_FAIL_ON_DRIFT", "false")]);
    assert_eq!(reporting.code(), Some(0), "{}", reporting.stderr());
    assert_eq!(reporting.output("drift").as_deref(), Some("true"));
    assert_eq!(reporting.file_output("plan-json"), "{\"in_sync\": false}\n");
}

#[test]
fn an_error_always_fails_the_step() {
    for fail_on_drift in ["true", "false"] {
        let run = ActionRun::new(&[("FAKE_EXIT", "1"), ("INPUT_FAIL_ON_DRIFT", fail_on_drift)]);
        assert_eq!(run.code(), Some(1), "{}", run.stderr());
        assert_eq!(run.output("exit-code").as_deref(), Some("1"));
        assert_eq!(run.output("drift"), None);
        assert!(
            run.stderr().contains("gh-policy plan failed (exit 1)"),
            "{}",
            run.stderr()
        );
        assert_eq!(run.calls().len(), 1, "no JSON plan after an error");
    }
}

#[test]
fn the_report_leaves_the_annotations_to_the_runner() {
    let run = ActionRun::new(&[("FAKE_EXIT", "2"), ("INPUT_FORMAT", "markdown")]);
    let annotation = "::error file=policy.yaml,line=3,title=policy drift%3A branches.main::drift";
    // The runner reads workflow commands from the step's output...
    assert!(stdout(&run.output).contains(annotation));
    // ... and the report, for a pull request comment, has only the plan.
    assert_eq!(run.file_output("report"), "the plan in markdown\n");
    let report = PathBuf::from(run.output("report").unwrap());
    assert_eq!(report.extension().unwrap(), "md");
}

#[test]
fn a_json_plan_runs_once() {
    let run = ActionRun::new(&[("INPUT_FORMAT", "json"), ("FAKE_EXIT", "2")]);
    assert_eq!(run.calls().len(), 1);
    assert_eq!(run.file_output("plan-json"), "{\"in_sync\": false}\n");
    assert_eq!(run.file_output("report"), "{\"in_sync\": false}\n");
}

#[test]
fn the_token_is_in_the_environment_and_never_on_the_command_line() {
    let run = ActionRun::new(&[("INPUT_ARGS", "--repo acme/api")]);
    let calls = run.calls();
    assert_eq!(calls.len(), 2);
    for (args, env) in calls {
        assert!(!args.contains(TOKEN), "{args}");
        assert!(env.contains(&format!("token={TOKEN} ")), "{env}");
    }
}

#[test]
fn args_are_split_on_whitespace_and_never_evaluated() {
    let run = ActionRun::new(&[
        ("INPUT_COMMAND", "validate"),
        ("INPUT_POLICY", "infra/my policy.yaml"),
        (
            "INPUT_ARGS",
            "--strict  --workflows\tci/flows\n-v $(touch injected) `touch injected2` * ${HOME}\n",
        ),
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let calls = run.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].0,
        "call: [validate] [--policy] [infra/my policy.yaml] [--strict] [--workflows] [ci/flows] \
         [-v] [$(touch] [injected)] [`touch] [injected2`] [*] [${HOME}]"
    );
    assert!(!run.dir.path().join("injected").exists());
    assert!(!run.dir.path().join("injected2").exists());
    assert_eq!(run.output("plan-json"), None, "validate writes no plan");
}

#[test]
fn apply_confirms_with_yes_and_fails_on_drift_it_cannot_fix() {
    let run = ActionRun::new(&[("INPUT_COMMAND", "apply"), ("FAKE_EXIT", "2")]);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    assert_eq!(
        run.calls()[0].0,
        "call: [apply] [--policy] [policy.yaml] [--yes]"
    );
    assert_eq!(run.output("drift").as_deref(), Some("true"));
}

#[test]
fn weakening_is_applied_only_when_allowed_and_only_by_apply() {
    let allowed = ActionRun::new(&[
        ("INPUT_COMMAND", "apply"),
        ("INPUT_ALLOW_WEAKENING", "true"),
    ]);
    assert_eq!(allowed.code(), Some(0), "{}", allowed.stderr());
    assert_eq!(
        allowed.calls()[0].0,
        "call: [apply] [--policy] [policy.yaml] [--yes] [--allow-weakening]"
    );
    let planned = ActionRun::new(&[("INPUT_ALLOW_WEAKENING", "true")]);
    assert_eq!(planned.code(), Some(1));
    assert!(
        planned
            .stderr()
            .contains("allow-weakening is for command: apply only"),
        "{}",
        planned.stderr()
    );
    assert!(planned.calls().is_empty(), "gh-policy ran");
}

#[test]
fn the_cache_directory_is_passed_only_when_the_cache_is_on() {
    let on = ActionRun::new(&[
        ("INPUT_CACHE", "true"),
        ("INPUT_CACHE_DIR", "/runner/cache"),
    ]);
    for (_, env) in on.calls() {
        assert!(env.ends_with("cache=/runner/cache"), "{env}");
    }
    let off = ActionRun::new(&[
        ("INPUT_CACHE", "false"),
        ("INPUT_CACHE_DIR", "/runner/cache"),
    ]);
    for (_, env) in off.calls() {
        assert!(env.ends_with("cache="), "{env}");
    }
}

#[test]
fn unknown_choices_are_refused_before_running_anything() {
    for (name, value, message) in [
        (
            "INPUT_COMMAND",
            "deploy",
            "command must be plan, apply, validate or issue",
        ),
        (
            "INPUT_FORMAT",
            "yaml",
            "format must be text, json or markdown",
        ),
        (
            "INPUT_FAIL_ON_DRIFT",
            "yes",
            "fail-on-drift must be true or false",
        ),
        ("INPUT_SARIF", "on", "sarif must be true or false"),
        (
            "INPUT_ALLOW_WEAKENING",
            "yes",
            "allow-weakening must be true or false",
        ),
    ] {
        let run = ActionRun::new(&[(name, value)]);
        assert_eq!(run.code(), Some(1), "{name}");
        assert!(run.stderr().contains(message), "{}", run.stderr());
        assert!(run.calls().is_empty(), "{name}: gh-policy ran");
    }
    // A value that would be a workflow command is shown escaped, on one line.
    let run = ActionRun::new(&[("INPUT_COMMAND", "x\n::error::injected")]);
    assert!(
        !run.stderr().contains("\n::error::injected"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_action_with_the_real_binary_summarises_once_and_writes_the_json_plan() {
    let policy = root().join("policy.yaml");
    let args = format!(
        "--state {}",
        root().join("examples/drifted-state.yaml").display()
    );
    let run = ActionRun::new(&[
        ("GH_POLICY_BIN", env!("CARGO_BIN_EXE_gh-policy")),
        ("INPUT_POLICY", policy.to_str().unwrap()),
        ("INPUT_FORMAT", "markdown"),
        ("INPUT_FAIL_ON_DRIFT", "false"),
        ("INPUT_ARGS", &args),
        ("NO_COLOR", "1"),
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(run.output("drift").as_deref(), Some("true"));
    assert_eq!(run.output("exit-code").as_deref(), Some("2"));

    let plan: Value = serde_json::from_str(&run.file_output("plan-json")).unwrap();
    assert_eq!(plan["in_sync"], false);
    assert!(!plan["changes"].as_array().unwrap().is_empty());

    // fail-on-drift: false makes the drift a report: no error annotations reach the runner;
    // the report, for a comment, is the Markdown alone.
    assert!(
        !stdout(&run.output).contains("::error"),
        "{}",
        stdout(&run.output)
    );
    let report = run.file_output("report");
    assert!(report.starts_with("### gh-policy plan for"), "{report}");
    assert!(
        !report.lines().any(|line| line.starts_with("::")),
        "{report}"
    );

    // The JSON plan did not add a second copy to the job summary.
    let summary = fs::read_to_string(run.dir.path().join("summary.md")).unwrap();
    assert_eq!(
        summary.matches("### gh-policy plan for").count(),
        1,
        "{summary}"
    );
}

#[test]
fn drift_that_does_not_fail_the_job_leaves_the_error_annotations_out() {
    let annotation = "::error file=policy.yaml,line=3";
    let reporting = ActionRun::new(&[
        ("FAKE_EXIT", "2"),
        ("INPUT_FAIL_ON_DRIFT", "false"),
        ("INPUT_FORMAT", "markdown"),
    ]);
    assert_eq!(reporting.code(), Some(0), "{}", reporting.stderr());
    assert!(
        !stdout(&reporting.output).contains(annotation),
        "{}",
        stdout(&reporting.output)
    );
    assert!(stdout(&reporting.output).contains("the plan in markdown"));
    let failing = ActionRun::new(&[("FAKE_EXIT", "2"), ("INPUT_FORMAT", "markdown")]);
    assert!(stdout(&failing.output).contains(annotation));
}

#[test]
fn sarif_is_planned_once_more_when_asked() {
    let run = ActionRun::new(&[
        ("INPUT_SARIF", "true"),
        ("FAKE_EXIT", "2"),
        ("INPUT_FAIL_ON_DRIFT", "false"),
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let calls = run.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(
        calls[2].0,
        "call: [plan] [--policy] [policy.yaml] [--format] [sarif]"
    );
    assert!(
        calls[2].1.contains("actions=false summary= "),
        "{}",
        calls[2].1
    );
    assert_eq!(run.file_output("sarif"), "the plan in sarif\n");
    let without = ActionRun::new(&[]);
    assert_eq!(without.output("sarif"), None);
    assert_eq!(without.calls().len(), 2);
}

#[test]
fn the_issue_command_takes_its_plan_files_from_args() {
    let run = ActionRun::new(&[
        ("INPUT_COMMAND", "issue"),
        (
            "INPUT_ARGS",
            "--summary --plan plan-1/plan.json --plan plan-2/plan.json",
        ),
    ]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(
        run.calls()[0].0,
        "call: [issue] [--summary] [--plan] [plan-1/plan.json] [--plan] [plan-2/plan.json]"
    );
    assert_eq!(run.output("plan-json"), None);
}
