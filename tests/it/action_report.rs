//! The action's step after a plan (`action/report.sh`): the pull request comment and the
//! drift issue, each on the events it is for, against a stand-in gh-policy; and the
//! `⚠ weakens protection` label end to end, with the real gh-policy against the emulator.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::action::{FAKE_GH_POLICY, TOKEN};
use crate::common::root;
use crate::install::{assert_success, require_tools, stderr};

/// One run of action/report.sh, as the action's step after the plan runs it.
struct ReportRun {
    output: Output,
    dir: tempfile::TempDir,
}

impl ReportRun {
    /// Runs report.sh with the stand-in gh-policy, a plan file (`plan`, its text) and these
    /// variables.
    fn new(plan: &str, vars: &[(&str, &str)]) -> Self {
        Self::with_bin(None, plan, vars)
    }

    fn with_bin(bin: Option<&Path>, plan: &str, vars: &[(&str, &str)]) -> Self {
        require_tools(&["bash", "sed", "grep"]);
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("gh-policy");
        fs::write(&fake, FAKE_GH_POLICY).unwrap();
        assert_success(
            &Command::new("chmod").arg("+x").arg(&fake).output().unwrap(),
            "chmod",
        );
        let plan_file = dir.path().join("plan.json");
        fs::write(&plan_file, plan).unwrap();
        let mut command = Command::new("bash");
        command
            .arg(root().join("action/report.sh"))
            .current_dir(dir.path())
            .env("GH_POLICY_BIN", bin.unwrap_or(&fake))
            .env("GH_POLICY_PLAN_JSON", &plan_file)
            .env("FAKE_LOG", dir.path().join("calls.log"))
            .env("GITHUB_TOKEN", TOKEN);
        for name in [
            "GH_POLICY_PR",
            "INPUT_COMMENT",
            "INPUT_DRIFT_ISSUE",
            "GITHUB_EVENT_NAME",
            "GITHUB_REPOSITORY",
            "GITHUB_ACTIONS",
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

    fn calls(&self) -> Vec<String> {
        fs::read_to_string(self.dir.path().join("calls.log"))
            .unwrap_or_default()
            .lines()
            .filter(|line| line.starts_with("call:"))
            .map(|line| line.replace(&self.dir.path().display().to_string(), "DIR"))
            .collect()
    }
}

const A_PLAN: &str = "{\n  \"repository\": \"acme/api\",\n  \"in_sync\": false\n}\n";
const AN_ORG_PLAN: &str = "{\n  \"organization\": \"acme\",\n  \"repositories\": []\n}\n";

#[test]
fn a_pull_request_gets_the_comment_and_a_schedule_the_drift_issue() {
    let pull = ReportRun::new(
        A_PLAN,
        &[
            ("GITHUB_EVENT_NAME", "pull_request"),
            ("GH_POLICY_PR", "42"),
        ],
    );
    assert_success(&pull.output, "report on a pull request");
    assert_eq!(
        pull.calls(),
        ["call: [comment] [--pr] [42] [--plan] [DIR/plan.json]"]
    );

    for event in ["schedule", "branch_protection_rule"] {
        let run = ReportRun::new(A_PLAN, &[("GITHUB_EVENT_NAME", event)]);
        assert_success(&run.output, event);
        assert_eq!(
            run.calls(),
            ["call: [issue] [--plan] [DIR/plan.json]"],
            "{event}"
        );
    }
    // An organisation's plan: one summary issue in this repository.
    let org = ReportRun::new(AN_ORG_PLAN, &[("GITHUB_EVENT_NAME", "schedule")]);
    assert_eq!(
        org.calls(),
        ["call: [issue] [--plan] [DIR/plan.json] [--summary]"]
    );

    // A push: neither, unless asked.
    let push = ReportRun::new(A_PLAN, &[("GITHUB_EVENT_NAME", "push")]);
    assert_success(&push.output, "report on a push");
    assert!(push.calls().is_empty());
    let asked = ReportRun::new(
        A_PLAN,
        &[("GITHUB_EVENT_NAME", "push"), ("INPUT_DRIFT_ISSUE", "true")],
    );
    assert_eq!(asked.calls(), ["call: [issue] [--plan] [DIR/plan.json]"]);
    let off = ReportRun::new(
        A_PLAN,
        &[
            ("GITHUB_EVENT_NAME", "pull_request"),
            ("GH_POLICY_PR", "42"),
            ("INPUT_COMMENT", "false"),
        ],
    );
    assert!(off.calls().is_empty());
}

#[test]
fn a_comment_without_a_pull_request_or_a_failed_write_fails_the_step() {
    let no_pull = ReportRun::new(
        A_PLAN,
        &[("GITHUB_EVENT_NAME", "push"), ("INPUT_COMMENT", "true")],
    );
    assert_eq!(no_pull.output.status.code(), Some(1));
    assert!(stderr(&no_pull.output).contains("comment: true needs a pull request"));
    assert!(no_pull.calls().is_empty());

    // The issue is still kept when the comment fails, and the step fails.
    let failing = ReportRun::new(
        A_PLAN,
        &[
            ("GITHUB_EVENT_NAME", "pull_request"),
            ("GH_POLICY_PR", "7"),
            ("INPUT_DRIFT_ISSUE", "true"),
            ("FAKE_EXIT", "1"),
        ],
    );
    assert_eq!(failing.output.status.code(), Some(1));
    assert_eq!(failing.calls().len(), 2);
    let bad = ReportRun::new(A_PLAN, &[("INPUT_DRIFT_ISSUE", "sometimes")]);
    assert_eq!(bad.output.status.code(), Some(1));
    assert!(stderr(&bad.output).contains("drift-issue must be auto, true or false"));
}

#[test]
fn the_action_labels_a_pull_request_whose_plan_weakens_protection() {
    use gh_policy_emulator::{Emulator, IssueSeed};
    let mut seed = Emulator::load_seed(crate::common::fixture("live/flow-drifted.json")).unwrap();
    seed.issues = vec![IssueSeed::pull_request("Lower main's approvals")];
    let emu = Emulator::start(seed);
    let plan = fs::read_to_string(crate::common::fixture("plans/weakens.json")).unwrap();
    let run = ReportRun::with_bin(
        Some(Path::new(env!("CARGO_BIN_EXE_gh-policy"))),
        &plan,
        &[
            ("GITHUB_EVENT_NAME", "pull_request"),
            ("GH_POLICY_PR", "1"),
            ("GITHUB_REPOSITORY", "acme/katz-backend"),
            ("GITHUB_API_URL", &emu.url()),
            ("GITHUB_TOKEN", emu.token()),
            ("GH_POLICY_WRITE_DELAY_MS", "0"),
            ("GH_POLICY_CACHE_DIR", "cache"),
        ],
    );
    assert_success(&run.output, "report with the real gh-policy");
    let pull = &emu.state().issues[0];
    assert_eq!(pull.labels, ["gh-policy-weakens"]);
    assert!(
        pull.comments[0]
            .body
            .starts_with("<!-- gh-policy-plan -->\n### ⚠ weakens protection"),
        "{}",
        pull.comments[0].body
    );
}
