//! `gh-policy comment --pr N --plan FILE` against the emulator: one comment, found again by
//! its marker and updated in place; the `⚠ weakens protection` section and label when the
//! plan weakens protection (a plan file carrying DESIGN §11's `weakens`), the label taken
//! off when a later plan does not.

use gh_policy_emulator::{Emulator, IssueSeed};

use crate::common::{Policy, TestRepo, fixture};

const MARKER: &str = "<!-- gh-policy-plan -->";

/// The drifted flow with pull request #1 (a reviewer's comment on it, and a `bug` label)
/// and issue #2.
fn with_a_pull_request() -> TestRepo {
    let mut seed = Emulator::load_seed(fixture("live/flow-drifted.json")).unwrap();
    seed.issues = vec![
        IssueSeed::pull_request("Require two approvals on main")
            .label("bug")
            .comment("hubot", "Looks right to me."),
        IssueSeed::new("Not a pull request"),
    ];
    let repo = TestRepo::with(Emulator::start(seed));
    repo.write(&Policy::flow());
    repo
}

fn plan_into_file(repo: &TestRepo, name: &str) {
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    std::fs::write(repo.dir.path().join(name), &output.stdout).unwrap();
}

fn comment(repo: &TestRepo, args: &[&str]) -> (i32, String, String) {
    let output = repo
        .cmd()
        .args(["comment", "--repo", "acme/katz-backend"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The comments of pull request #1, as (user, body).
fn comments(repo: &TestRepo) -> Vec<(String, String)> {
    repo.emu.state().issues[0]
        .comments
        .iter()
        .map(|c| (c.user.clone(), c.body.clone()))
        .collect()
}

#[test]
fn the_plan_comment_is_created_then_updated_in_place() {
    let repo = with_a_pull_request();
    plan_into_file(&repo, "plan.json");
    let (code, stdout, stderr) = comment(&repo, &["--pr", "1", "--plan", "plan.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("acme/katz-backend#1: commented the plan https://github.com/acme/katz-backend/pull/1#issuecomment-"),
        "{stdout}"
    );
    let posted = comments(&repo);
    assert_eq!(posted.len(), 2);
    assert_eq!(
        posted[0].1, "Looks right to me.",
        "the reviewer's comment is untouched"
    );
    let body = &posted[1].1;
    assert!(
        body.starts_with(&format!(
            "{MARKER}\n### gh-policy plan for `acme/katz-backend`"
        )),
        "{body}"
    );
    assert!(!body.contains("weakens protection"), "{body}");

    // The same plan: nothing written.
    let before = repo.writes().len();
    let (code, stdout, _) = comment(&repo, &["--pr", "1", "--plan", "plan.json"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("the plan comment already says so"),
        "{stdout}"
    );
    assert_eq!(repo.writes().len(), before);

    // Another plan: the one comment, updated.
    repo.write(&Policy::flow().branch("main", |main| {
        main.pull_request.as_mut().unwrap().required_approvals = 3;
    }));
    plan_into_file(&repo, "plan2.json");
    let (code, stdout, stderr) = comment(&repo, &["--pr", "1", "--plan", "plan2.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("updated the plan comment"), "{stdout}");
    let posted = comments(&repo);
    assert_eq!(posted.len(), 2, "updated, not posted again");
    assert!(posted[1].1.starts_with(MARKER) && posted[1].1.contains("`3`"));
    // No weakening, no label written.
    assert_eq!(repo.emu.state().issues[0].labels, ["bug"]);
    repo.assert_conformant();
}

#[test]
fn a_plan_that_weakens_protection_gets_the_section_and_the_label_until_it_no_longer_does() {
    let repo = with_a_pull_request();
    let weakening = fixture("plans/weakens.json");
    let (code, stdout, stderr) =
        comment(&repo, &["--pr", "1", "--plan", weakening.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "acme/katz-backend#1: labelled gh-policy-weakens: the plan weakens protection"
        ),
        "{stdout}"
    );
    let state = repo.emu.state();
    let body = &state.issues[0].comments[1].body;
    assert!(
        body.starts_with(&format!(
            "{MARKER}\n### ⚠ weakens protection\n\n**1 change weakens protection**"
        )),
        "{body}"
    );
    assert!(body.contains("- `branches.main`\n"), "{body}");
    assert!(
        body.contains("### gh-policy plan for `acme/katz-backend`"),
        "{body}"
    );
    assert_eq!(state.issues[0].labels, ["bug", "gh-policy-weakens"]);
    let label = state
        .labels
        .iter()
        .find(|l| l.name == "gh-policy-weakens")
        .unwrap();
    assert_eq!(label.color, "b60205");
    assert!(
        label
            .description
            .as_deref()
            .unwrap()
            .starts_with("⚠ weakens protection")
    );

    // A later plan that weakens nothing: the label comes off, the others stay.
    plan_into_file(&repo, "plan.json");
    let (code, stdout, stderr) = comment(&repo, &["--pr", "1", "--plan", "plan.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("took gh-policy-weakens off"), "{stdout}");
    let state = repo.emu.state();
    assert_eq!(state.issues[0].labels, ["bug"]);
    assert!(
        !state.issues[0].comments[1]
            .body
            .contains("weakens protection")
    );
    repo.assert_conformant();
}

#[test]
fn only_a_pull_request_that_exists_gets_a_comment() {
    let repo = with_a_pull_request();
    plan_into_file(&repo, "plan.json");
    let (code, _, stderr) = comment(&repo, &["--pr", "2", "--plan", "plan.json"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("acme/katz-backend#2 is an issue, not a pull request"),
        "{stderr}"
    );
    let (code, _, stderr) = comment(&repo, &["--pr", "9", "--plan", "plan.json"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("acme/katz-backend#9 does not exist"),
        "{stderr}"
    );
    let (code, _, _) = comment(&repo, &["--pr", "0", "--plan", "plan.json"]);
    assert_eq!(code, 1, "a usage error");
    assert!(repo.writes().is_empty());
}
