//! How `action/run.sh` runs gh-policy: the plans it makes, saved plans, which exits fail
//! the step, annotations, and the token kept off the command line.

use std::path::PathBuf;

use super::{ActionRun, TOKEN};
use crate::install::stdout;

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
