//! `gh-policy issue --plan FILE` against the emulator: the drift issue opened, updated in
//! place, left alone when it already says so, and closed once the repository is in sync;
//! pull requests the issues list returns are skipped; an organisation's issues, each in its
//! own repository or one summary in the admin repository.

use gh_policy_emulator::{Emulator, IssueSeed, LabelSeed, RepositorySeed, Seed};
use serde_json::json;

use crate::common::{Policy, TestRepo, assert_exit};

const TITLE: &str = "Protection drift: acme/katz-backend";

/// Plans into `plan.json` in the working directory; returns the exit code.
fn plan_into_file(repo: &TestRepo, name: &str) -> i32 {
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "json"])
        .output()
        .unwrap();
    std::fs::write(repo.dir.path().join(name), &output.stdout).unwrap();
    output.status.code().unwrap()
}

/// Runs `issue` with these arguments; returns (exit code, stdout, stderr).
fn issue(repo: &TestRepo, args: &[&str]) -> (i32, String, String) {
    let output = repo.cmd().arg("issue").args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The drifted flow, with a pull request (#1) that has the drift issue's title and label:
/// the issues list returns it, and it must not be taken for the issue.
fn drifted_with_a_lookalike_pull_request() -> TestRepo {
    let mut seed = Emulator::load_seed(crate::common::fixture("live/flow-drifted.json")).unwrap();
    seed.issues = vec![IssueSeed::pull_request(TITLE).label("gh-policy-drift")];
    seed.labels = vec![LabelSeed {
        name: "gh-policy-drift".into(),
        color: "ededed".into(),
        description: None,
    }];
    let repo = TestRepo::with(Emulator::start(seed));
    repo.write(&Policy::flow());
    repo
}

#[test]
fn the_drift_issue_is_opened_updated_in_place_and_closed_when_in_sync() {
    let repo = drifted_with_a_lookalike_pull_request();
    assert_eq!(plan_into_file(&repo, "plan.json"), 2);

    // Drift: opened, with the label and the Markdown plan.
    let (code, stdout, stderr) = issue(&repo, &["--plan", "plan.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("acme/katz-backend: drift: opened issue #2 https://github.com/acme/katz-backend/issues/2"),
        "{stdout}"
    );
    let state = repo.emu.state();
    assert_eq!(state.issues.len(), 2);
    assert_eq!(state.issues[0].body, "", "the pull request is left alone");
    let opened = &state.issues[1];
    assert_eq!(
        (opened.title.as_str(), opened.state.as_str()),
        (TITLE, "open")
    );
    assert_eq!(opened.labels, ["gh-policy-drift"]);
    assert!(
        opened
            .body
            .starts_with("### gh-policy plan for `acme/katz-backend`\n"),
        "{}",
        opened.body
    );
    let markdown = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(opened.body, String::from_utf8_lossy(&markdown.stdout));
    // The label existed: not made again.
    assert_eq!(state.labels.len(), 1);

    // The same plan again: nothing written.
    let before = repo.writes().len();
    let (code, stdout, _) = issue(&repo, &["--plan", "plan.json"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("drift: issue #2 already says so"),
        "{stdout}"
    );
    assert_eq!(repo.writes().len(), before, "{:#?}", repo.writes());

    // Other drift: the same issue, its body updated.
    repo.write(&Policy::flow().branch("main", |main| {
        main.pull_request.as_mut().unwrap().required_approvals = 3;
    }));
    assert_eq!(plan_into_file(&repo, "plan2.json"), 2);
    let (code, stdout, stderr) = issue(&repo, &["--plan", "plan2.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("drift: updated issue #2"), "{stdout}");
    let state = repo.emu.state();
    assert_eq!(state.issues.len(), 2, "updated in place, not opened again");
    assert!(
        state.issues[1].body.contains("`3`"),
        "{}",
        state.issues[1].body
    );

    // In sync: closed as completed, its body saying so.
    repo.write(&Policy::flow());
    let applied = repo
        .cmd()
        .args(["apply", "--yes", "--no-cache"])
        .output()
        .unwrap();
    assert_exit(&applied, 0);
    assert_eq!(plan_into_file(&repo, "plan3.json"), 0);
    let (code, stdout, stderr) = issue(&repo, &["--plan", "plan3.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("in sync: closed issue #2"), "{stdout}");
    let closed = &repo.emu.state().issues[1];
    assert_eq!(closed.state, "closed");
    assert_eq!(closed.state_reason.as_deref(), Some("completed"));
    assert!(closed.body.contains("No drift"), "{}", closed.body);

    // In sync, nothing open: nothing to do.
    let (code, stdout, _) = issue(&repo, &["--plan", "plan3.json"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("in sync: no drift issue open"), "{stdout}");
    repo.assert_conformant();
    // The label existed: never made.
    assert!(
        !repo.writes().iter().any(|w| w.path.ends_with("/labels")),
        "{:#?}",
        repo.writes()
    );
}

#[test]
fn a_missing_label_is_made_with_its_colour_and_description() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    plan_into_file(&repo, "plan.json");
    let (code, _, stderr) = issue(&repo, &["--plan", "plan.json"]);
    assert_eq!(code, 0, "{stderr}");
    let state = repo.emu.state();
    assert_eq!(state.labels.len(), 1);
    assert_eq!(state.labels[0].name, "gh-policy-drift");
    assert_eq!(state.labels[0].color, "d93f0b");
    assert!(state.labels[0].description.is_some());
    repo.assert_conformant();
}

#[test]
fn a_plan_file_that_is_not_a_plan_is_refused_before_any_request() {
    let repo = TestRepo::new("flow-drifted");
    std::fs::write(repo.dir.path().join("plan.json"), "{\"changes\": []}").unwrap();
    let (code, _, stderr) = issue(&repo, &["--plan", "plan.json"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("plan.json is not a plan"), "{stderr}");
    assert!(repo.emu.requests().is_empty());
    let (code, _, stderr) = issue(&repo, &["--plan", "missing.json"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("cannot read the plan file missing.json"),
        "{stderr}"
    );
}

/// acme: svc-pay drifts (the group asks two approvals), web is in sync but still has a drift
/// issue open from before, admin holds the organisation policy.
fn acme() -> Seed {
    let one_approval = json!({
        "required_status_checks": null, "enforce_admins": true,
        "required_pull_request_reviews": {"required_approving_review_count": 1},
        "restrictions": null
    });
    Seed::organization("acme", 9000)
        .with_user("octocat", 583_231)
        .with_repository(RepositorySeed::new("admin"))
        .with_repository(
            RepositorySeed::new("svc-pay").protected_branch("main", one_approval.clone()),
        )
        .with_repository(
            RepositorySeed::new("web")
                .protected_branch("main", one_approval)
                .issue(IssueSeed::new("Protection drift: acme/web").label("gh-policy-drift")),
        )
}

const ORG_POLICY: &str = r#"version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 1 }
      enforce_admins: true
groups:
  services:
    select: { names: ["svc-*"] }
    policy:
      branches:
        main:
          pull_request: { required_approvals: 2 }
          enforce_admins: true
exclude: [admin]
"#;

#[test]
fn an_organisation_keeps_one_issue_in_each_repository_or_one_summary() {
    let repo = TestRepo::with(Emulator::start(acme()));
    repo.policy(ORG_POLICY);
    assert_eq!(plan_into_file(&repo, "org.json"), 2);

    let (code, stdout, stderr) = issue(&repo, &["--plan", "org.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "acme/svc-pay: drift: opened issue #1 https://github.com/acme/svc-pay/issues/1\n\
         acme/web: in sync: closed issue #1 https://github.com/acme/web/issues/1\n"
    );
    let state = repo.emu.state();
    let issues_of = |name: &str| {
        state
            .repositories
            .iter()
            .find(|r| r.name == name)
            .unwrap()
            .issues
            .clone()
    };
    assert_eq!(
        issues_of("svc-pay")[0].title,
        "Protection drift: acme/svc-pay"
    );
    assert_eq!(issues_of("web")[0].state, "closed");
    assert!(issues_of("admin").is_empty());

    // --summary: one issue for the organisation, in the admin repository.
    let (code, stdout, stderr) = issue(
        &repo,
        &["--plan", "org.json", "--summary", "--repo", "acme/admin"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("acme/admin: drift: opened issue #1"),
        "{stdout}"
    );
    let summary = &repo.emu.state().repositories[0].issues[0];
    assert_eq!(summary.title, "Protection drift: acme (organisation)");
    assert!(
        summary.body.contains("| `acme/svc-pay` | drift |"),
        "{}",
        summary.body
    );

    // The shards of one run merge into one summary.
    let shard = |i: u32| {
        let output = repo
            .cmd()
            .args(["plan", "--no-cache", "--format", "json", "--shard"])
            .arg(format!("{i}/2"))
            .output()
            .unwrap();
        std::fs::write(
            repo.dir.path().join(format!("shard-{i}.json")),
            &output.stdout,
        )
        .unwrap();
    };
    shard(1);
    shard(2);
    let (code, stdout, stderr) = issue(
        &repo,
        &[
            "--plan",
            "shard-1.json",
            "--plan",
            "shard-2.json",
            "--summary",
            "--repo",
            "acme/admin",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("issue #1 already says so"), "{stdout}");
    repo.assert_conformant();

    // --repo without --summary, --summary with one repository's plan: refused.
    let (code, _, stderr) = issue(&repo, &["--plan", "org.json", "--repo", "acme/admin"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("add --summary"), "{stderr}");
}

#[test]
fn a_repository_whose_issue_cannot_be_written_does_not_stop_the_others() {
    let repo = TestRepo::with(Emulator::start(acme()));
    repo.policy(ORG_POLICY);
    assert_eq!(plan_into_file(&repo, "org.json"), 2);
    repo.emu.fail_repository("acme/svc-pay", 403);
    let (code, stdout, stderr) = issue(&repo, &["--plan", "org.json"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("error: acme/svc-pay: the drift issue could not be written"),
        "{stderr}"
    );
    assert!(
        stdout.contains("acme/web: in sync: closed issue #1"),
        "{stdout}"
    );
}
