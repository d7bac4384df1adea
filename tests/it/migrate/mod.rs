//! `migrate` (DESIGN §14): classic protection to rulesets in a new policy file, with the
//! proof. Offline on the policy here; against GitHub (the emulator), with `apply` of the
//! migrated policy, in `apply.rs`; organisation policies in `org.rs`.

mod apply;
mod org;
mod weakening;

use std::collections::BTreeMap;
use std::process::Output;

use serde_json::Value;

use crate::common::{TestRepo, whole_flow_policy};

/// Runs `gh-policy migrate ARGS` in the repository's directory.
pub fn migrate(repo: &TestRepo, args: &[&str]) -> Output {
    repo.cmd().arg("migrate").args(args).output().unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Returns a file of the repository's directory.
pub fn read(repo: &TestRepo, name: &str) -> String {
    std::fs::read_to_string(repo.dir.path().join(name)).unwrap()
}

/// Returns the top-level keys of a YAML text, in order.
fn top_level_keys(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with([' ', '#', '-']) && !l.is_empty())
        .filter_map(|l| l.split(':').next())
        .map(str::to_owned)
        .collect()
}

/// Runs `explain --format json` on the branches and returns each branch's settings as
/// (value, sources), by setting.
pub fn explain(
    repo: &TestRepo,
    branches: &[&str],
) -> BTreeMap<String, BTreeMap<String, (Value, Value)>> {
    let output = repo
        .cmd()
        .args(["explain", "--no-cache", "--format", "json"])
        .args(branches)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let settings = b["settings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["setting"].as_str().unwrap().to_owned(),
                        (s["value"].clone(), s["sources"].clone()),
                    )
                })
                .collect();
            (b["branch"].as_str().unwrap().to_owned(), settings)
        })
        .collect()
}

/// The values alone, sources left out.
pub fn values(
    explained: &BTreeMap<String, BTreeMap<String, (Value, Value)>>,
) -> BTreeMap<(String, String), Value> {
    explained
        .iter()
        .flat_map(|(branch, settings)| {
            settings
                .iter()
                .map(|(setting, (value, _))| ((branch.clone(), setting.clone()), value.clone()))
        })
        .collect()
}

#[test]
fn the_seed_policy_moves_to_rulesets_keeping_its_comments_and_order() {
    let repo = TestRepo::new("empty");
    let original = whole_flow_policy();
    repo.policy(&original);
    let output = migrate(&repo, &["-o", "migrated.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let account = stdout(&output);
    assert!(
        account
            .starts_with("Classic protection to rulesets, proven against the policy file (offline"),
        "{account}"
    );
    for line in [
        "+ rulesets.protect-main (new): takes over main",
        "+ rulesets.protect-stage-and-dev (new): takes over stage and dev",
        "~ branches.main, branches.stage, branches.dev: protected: false",
        "main: proven, every setting is the same after apply as today",
        "  = required_approvals                2 ← classic",
        "  = no_bypass           false ← classic                    false ← ruleset \"protect-stage-and-dev\"",
    ] {
        assert!(account.contains(line), "{line}\n{account}");
    }
    let migrated = read(&repo, "migrated.yaml");
    // Every comment outside the moved settings is kept, and every section in its place.
    for comment in original
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .chain([
            "# `apply` uploads it from this variable when missing",
            "# minutes between approval and deploy",
        ])
    {
        assert!(migrated.contains(comment.trim()), "{comment}\n{migrated}");
    }
    assert!(!migrated.contains("# up to date with main before merging"));
    assert_eq!(
        top_level_keys(&migrated),
        [
            "version",
            "repository",
            "branches",
            "rulesets",
            "environments",
            "requirements"
        ]
    );
    let unchanged = &original[original.find("\nenvironments:").unwrap()..];
    assert!(migrated.ends_with(unchanged), "{migrated}");
    assert!(migrated.contains(
        "  # Production code: two approvals, the CI job and the security scan must pass.\n  main:\n    protected: false\n"
    ));
    // The new policy is valid, and the original file was not touched.
    let validate = repo
        .cmd()
        .args(["validate", "--no-workflows", "-p", "migrated.yaml"])
        .output()
        .unwrap();
    assert_eq!(validate.status.code(), Some(0), "{}", stderr(&validate));
    assert_eq!(read(&repo, "policy.yaml"), original);
    // Without -o the policy goes to stdout and the account to stderr.
    let piped = migrate(&repo, &[]);
    assert_eq!(stdout(&piped), migrated);
    assert!(stderr(&piped).contains("main: proven"));
}

#[test]
fn named_branches_move_alone_and_unknown_ones_are_named() {
    let repo = TestRepo::new("empty");
    repo.policy(&whole_flow_policy());
    let output = migrate(&repo, &["dev", "legacy", "-o", "policy.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let account = stdout(&output);
    assert!(
        account.contains("+ rulesets.protect-dev (new): takes over dev"),
        "{account}"
    );
    assert!(
        account.contains(
            "branches.legacy: left as it was\n  - the policy has no `branches` entry for it"
        ),
        "{account}"
    );
    let migrated = read(&repo, "policy.yaml");
    assert!(migrated.contains("  dev:\n    protected: false\n"));
    assert!(migrated.contains("  stage:\n    pull_request:\n"));
}

#[test]
fn a_policy_in_flow_style_is_rewritten_whole_and_says_so() {
    let repo = TestRepo::new("empty");
    repo.policy("# yaml-language-server: $schema=./schema/policy.schema.json\nversion: 1\nbranches: {main: {enforce_admins: true, pull_request: {required_approvals: 1}}}  # flow\nenvironments: {staging: {}}\n");
    let output = migrate(&repo, &["-o", "policy.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("warning: the policy could not be edited in place (`branches.main` is not a block mapping entry starting its line)"),
        "{}",
        stderr(&output)
    );
    let migrated = read(&repo, "policy.yaml");
    assert!(
        migrated.starts_with(
            "# yaml-language-server: $schema=./schema/policy.schema.json\nversion: 1\n"
        ),
        "{migrated}"
    );
    assert_eq!(
        top_level_keys(&migrated),
        ["version", "branches", "rulesets", "environments"]
    );
    let validate = repo
        .cmd()
        .args(["validate", "--no-workflows"])
        .output()
        .unwrap();
    assert_eq!(validate.status.code(), Some(0), "{}", stderr(&validate));
}

#[test]
fn a_trial_is_written_in_evaluate_mode_and_a_second_run_finishes_it() {
    let repo = TestRepo::new("empty");
    let original = whole_flow_policy();
    repo.policy(&original);
    let trial = migrate(&repo, &["--evaluate", "-o", "policy.yaml"]);
    assert_eq!(trial.status.code(), Some(0), "{}", stderr(&trial));
    let account = stdout(&trial);
    assert!(
        account.contains("+ rulesets.protect-main (new, evaluate mode): tries main beside their classic protection"),
        "{account}"
    );
    assert!(
        account.contains(
            "main: proven, once the trial is finished, every setting is the same as today"
        )
    );
    let on_trial = read(&repo, "policy.yaml");
    assert_eq!(on_trial.matches("enforcement: evaluate").count(), 2);
    // Classic protection is kept as written.
    let branches =
        &original[original.find("\nbranches:").unwrap()..original.find("\nenvironments:").unwrap()];
    assert!(on_trial.contains(branches.trim_end()));
    let again = migrate(&repo, &["--evaluate", "-o", "policy.yaml"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(stdout(&again).contains("= rulesets.protect-main: on trial for main already"));
    assert_eq!(read(&repo, "policy.yaml"), on_trial);
    let finish = migrate(&repo, &["-o", "policy.yaml"]);
    assert_eq!(finish.status.code(), Some(0), "{}", stderr(&finish));
    assert!(stdout(&finish).contains(
        "~ rulesets.protect-stage-and-dev: enforcement evaluate → active, takes over stage and dev (the trial is finished)"
    ));
    let finished = read(&repo, "policy.yaml");
    assert!(!finished.contains("enforcement"));
    assert_eq!(finished.matches("    protected: false\n").count(), 3);
    // The same file as a migration in one go.
    let direct = TestRepo::new("empty");
    direct.policy(&original);
    assert_eq!(
        migrate(&direct, &["-o", "policy.yaml"]).status.code(),
        Some(0)
    );
    assert_eq!(read(&direct, "policy.yaml"), finished);
}

#[test]
fn output_through_a_link_or_into_a_pipe_keeps_them() {
    let repo = TestRepo::new("empty");
    repo.policy(&whole_flow_policy());
    let dir = repo.dir.path();
    // A link: the file it names gets the policy; the link stays a link.
    std::fs::write(dir.join("real.yaml"), "old").unwrap();
    std::os::unix::fs::symlink("real.yaml", dir.join("link.yaml")).unwrap();
    assert_eq!(migrate(&repo, &["-o", "link.yaml"]).status.code(), Some(0));
    assert!(
        std::fs::symlink_metadata(dir.join("link.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(read(&repo, "real.yaml").contains("protect-main:"));
    // A pipe is written to, not replaced by a file.
    let fifo = dir.join("out.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (sent, received) = std::sync::mpsc::channel();
    let reading = fifo.clone();
    std::thread::spawn(move || sent.send(std::fs::read_to_string(reading)));
    let output = migrate(&repo, &["-o", "out.fifo"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let piped = received
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the pipe was written to")
        .unwrap();
    assert!(piped.contains("protect-main:"), "{piped}");
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(
        &std::fs::metadata(&fifo).unwrap().file_type()
    ));
}

#[test]
fn a_state_file_is_what_the_proof_is_made_against() {
    let repo = TestRepo::new("empty");
    repo.policy(&whole_flow_policy());
    let state = crate::common::root().join("examples/drifted-state.yaml");
    let output = migrate(
        &repo,
        &["--state", state.to_str().unwrap(), "-o", "policy.yaml"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let account = stdout(&output);
    assert!(
        account.contains("proven against the state file "),
        "{account}"
    );
    // main and dev drifted in that state: their proofs fail, and stage moves alone.
    assert!(
        account.contains("+ rulesets.protect-stage (new): takes over stage"),
        "{account}"
    );
    assert!(
        account.contains("branches.main: left as it was\n  - its effective protection would not be the same after the change (the rows marked ≠): what protects it today differs from the policy"),
        "{account}"
    );
    assert!(
        account.contains("  ≠ required_approvals                1 ← classic"),
        "{account}"
    );
    assert!(
        account.contains("branches.dev: left as it was"),
        "{account}"
    );
    let migrated = read(&repo, "policy.yaml");
    assert!(migrated.contains("  stage:\n    protected: false\n"));
    assert!(migrated.contains("  main:\n    pull_request:\n"));
}

#[test]
fn the_account_as_json_has_each_ruleset_proof_and_branch_left() {
    let repo = TestRepo::new("empty");
    repo.policy(&whole_flow_policy());
    let output = migrate(&repo, &["dev", "legacy", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let account: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        account["proven_against"],
        "the policy file (offline: --live proves against GitHub)"
    );
    // Without -o the new policy is in the document, as the text account would print it.
    assert_eq!(account["written"], Value::Null);
    let text = migrate(&repo, &["dev", "legacy"]);
    assert_eq!(account["policy"].as_str().unwrap(), stdout(&text));
    let layer = &account["layers"][0];
    assert_eq!(layer["layer"], Value::Null);
    assert_eq!(
        layer["rulesets"],
        serde_json::json!([{"name": "protect-dev", "branches": ["dev"], "status": "new"}])
    );
    assert_eq!(layer["unprotected"], serde_json::json!(["dev"]));
    let proof = &layer["proven"][0];
    assert_eq!(proof["branch"], "dev");
    assert_eq!(proof["holds"], true);
    assert_eq!(
        proof["settings"][0],
        serde_json::json!({
            "setting": "required_approvals",
            "before": {"value": 1, "sources": ["classic"]},
            "after": {"value": 1, "sources": ["ruleset \"protect-dev\""]},
            "same": true
        })
    );
    assert_eq!(layer["left"][0]["branch"], "legacy");
    assert_eq!(layer["left"][0]["proof"], Value::Null);
    // With -o the policy goes to the file, and the document names it.
    let written = migrate(&repo, &["dev", "--format", "json", "-o", "new.yaml"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let account: Value = serde_json::from_slice(&written.stdout).unwrap();
    assert_eq!(account["written"], "new.yaml");
    assert_eq!(account["policy"], Value::Null);
    assert!(read(&repo, "new.yaml").contains("  protect-dev:\n"));
}
