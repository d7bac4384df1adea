//! What ships for GitHub Actions and pre-commit, checked offline: the action's metadata
//! (`action.yml`, which actionlint does not lint), its run script (`action/run.sh`) against
//! a stand-in gh-policy, the workflows' scripts and pins, the README's copy of the drift
//! workflow, and the pre-commit hook. This file holds the helpers the modules share: reading
//! the shipped YAML, and one run of the run script (`ActionRun`).

mod hook;
mod metadata;
mod run_flow;
mod run_inputs;

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

use crate::common::root;
use crate::install::{assert_success, require_tools, stderr};

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
