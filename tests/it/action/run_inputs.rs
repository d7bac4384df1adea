//! The action's inputs as `action/run.sh` passes them on: `args`, apply, weakening, the
//! cache, unknown choices, SARIF and the issue command; and one run with the real binary.

use std::fs;

use serde_json::Value;

use super::ActionRun;
use crate::common::root;
use crate::install::stdout;

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
