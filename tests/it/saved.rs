//! Saved plans (DESIGN §15) against the emulator: `plan --out FILE` saves the plan with a
//! fingerprint of every read, and `apply --plan FILE` writes exactly what it lists — or
//! refuses, before any write, naming what changed since: GitHub, the policy file, the plan
//! file itself.

use std::process::Output;

use serde_json::{Value, json};

use crate::common::{Policy, TestRepo, lowered_flow};

/// Runs `plan --out plan.json` and returns its exit code and the saved file, parsed.
fn save(repo: &TestRepo) -> (i32, Value) {
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--out", "plan.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let text = std::fs::read_to_string(repo.dir.path().join("plan.json"))
        .unwrap_or_else(|err| panic!("no plan.json ({err}); stderr: {stderr}"));
    (
        output.status.code().unwrap(),
        serde_json::from_str(&text).unwrap(),
    )
}

/// `apply --plan plan.json --yes`, to set up further.
fn apply_saved_command(repo: &TestRepo) -> assert_cmd::Command {
    let mut command = repo.cmd();
    command.args(["apply", "--plan", "plan.json", "--yes", "--no-cache"]);
    command
}

/// Runs `apply --plan plan.json --yes` with extra arguments; returns the exit code, stdout
/// and stderr.
fn apply_saved(repo: &TestRepo, extra: &[&str]) -> (i32, String, String) {
    let output = apply_saved_command(repo).args(extra).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts that a saved plan's `apply` was refused with `message` before any write.
fn assert_refused(repo: &TestRepo, output: &Output, message: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
    repo.assert_no_writes();
}

#[test]
fn a_saved_plan_in_sync_applies_with_no_write() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    let (code, saved) = save(&repo);
    assert_eq!(code, 0, "{saved:#}");
    assert_eq!(saved["in_sync"], true);
    let reads = saved["saved"]["reads"].as_object().unwrap();
    for what in [
        "branches.main",
        "environments.production",
        "the default branch",
    ] {
        assert!(reads.contains_key(what), "{what}: {reads:#?}");
    }
    assert_eq!(saved["saved"]["policy"]["path"], "policy.yaml");
    // The plan is for the repository it names.
    let (code, _, stderr) = apply_saved(&repo, &["--repo", "acme/other"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("--repo `acme/other` is not the repository of the saved plan plan.json"),
        "{stderr}"
    );
    let (code, stdout, stderr) = apply_saved(&repo, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    repo.assert_no_writes();
}

#[test]
fn a_saved_plan_with_drift_writes_what_a_plain_apply_writes_and_converges() {
    // The writes of a plain apply, on a twin of the repository.
    let twin = TestRepo::new("flow-drifted");
    twin.write(&Policy::flow());
    twin.cmd()
        .args(["apply", "--yes", "--no-cache"])
        .assert()
        .code(0);
    let expected = twin.write_lines();
    assert!(!expected.is_empty());
    let reads = |repo: &TestRepo| {
        let mut paths: Vec<String> = repo
            .emu
            .requests()
            .into_iter()
            .filter(|r| r.method == "GET")
            .map(|r| r.path)
            .collect();
        paths.sort();
        paths
    };
    let plain_reads = reads(&twin);

    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let (code, saved) = save(&repo);
    assert_eq!(code, 2, "{saved:#}");
    assert!(!saved["changes"].as_array().unwrap().is_empty());
    assert!(repo.writes().is_empty());
    repo.clear_log();
    let (code, stdout, stderr) = apply_saved(&repo, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("acme/katz-backend matches the policy."),
        "{stdout}"
    );
    assert_eq!(repo.write_lines(), expected);
    // The check costs no read a plain apply does not make.
    assert_eq!(reads(&repo), plain_reads);
    assert_eq!(repo.plan_json().0, 0);
}

#[test]
fn a_live_change_between_plan_and_apply_is_refused_naming_it_before_any_write() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    assert_eq!(save(&repo).0, 2);
    // Someone changes main's protection in the settings page.
    repo.set_main_approvals(4);
    let (code, stdout, stderr) = apply_saved(&repo, &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains("acme/katz-backend changed since the plan plan.json was made"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(
        stderr.contains("branches.main changed since the plan"),
        "{stderr}"
    );
    // Only what changed is named.
    assert_eq!(stderr.matches("since the plan\n").count(), 1, "{stderr}");
    assert!(stderr.contains("gh-policy plan --out"), "{stderr}");
    repo.assert_no_writes();
}

#[test]
fn a_policy_changed_since_the_plan_is_refused_before_any_request() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    assert_eq!(save(&repo).0, 2);
    repo.emu.clear_log();
    repo.write(&Policy::flow().branch("main", |main| {
        main.pull_request.as_mut().unwrap().required_approvals = 3;
    }));
    let (code, stdout, stderr) = apply_saved(&repo, &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "the policy file policy.yaml changed since the plan was made; nothing was written"
        ),
        "{stderr}"
    );
    assert!(repo.emu.requests().is_empty(), "{:?}", repo.emu.requests());
}

#[test]
fn a_weakening_saved_plan_needs_allow_weakening() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow().branch("main", |main| {
        main.pull_request.as_mut().unwrap().required_approvals = 1;
    }));
    let (code, saved) = save(&repo);
    assert_eq!((code, &saved["weakens"]), (2, &json!(1)), "{saved:#}");
    let (code, stdout, stderr) = apply_saved(&repo, &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr
            .contains("apply --yes refuses 1 change that weakens protection; nothing was written"),
        "{stderr}"
    );
    repo.assert_no_writes();
    let (code, stdout, stderr) = apply_saved(&repo, &["--allow-weakening"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let writes = repo.write_lines();
    assert!(!writes.is_empty());
    assert!(
        writes
            .iter()
            .all(|w| w.contains(" /repos/acme/katz-backend/branches/main/protection")),
        "{writes:?}"
    );
    assert_eq!(repo.plan_json().0, 0);
}

#[test]
fn an_edited_saved_plan_is_refused_at_the_change_it_alters() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    assert_eq!(save(&repo).0, 2);
    let path = repo.dir.path().join("plan.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut plan: Value = serde_json::from_str(&text).unwrap();
    // The reviewer saw main's approvals go to 2; the file now says 5.
    let main = plan["changes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["address"] == "branches.main")
        .unwrap();
    let diff = main["diffs"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|d| d["path"] == "pull_request.required_approvals")
        .unwrap();
    diff["policy"] = json!(5);
    let edited = serde_json::to_string_pretty(&plan).unwrap();
    std::fs::write(&path, &edited).unwrap();
    let line = edited
        .lines()
        .position(|l| l.contains("\"address\": \"branches.main\""))
        .unwrap()
        + 1;
    let (code, stdout, stderr) = apply_saved(&repo, &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "plan.json:{line}:7: `branches.main` differs from the plan made now"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    repo.assert_no_writes();
}

#[test]
fn a_garbled_saved_plan_is_refused_at_its_line_and_column() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    assert_eq!(save(&repo).0, 2);
    let path = repo.dir.path().join("plan.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let cases = [
        // Cut short, as by a failed download.
        (text[..text.len() / 2].to_owned(), "not JSON"),
        // A fingerprint that is not a string.
        (
            text.replacen("\"format\": 1", "\"format\": \"one\"", 1),
            "`saved` is not as `gh-policy plan --out` writes it",
        ),
        // A plain plan, without what it was made from.
        (
            {
                let mut plan: Value = serde_json::from_str(&text).unwrap();
                plan.as_object_mut().unwrap().remove("saved");
                serde_json::to_string_pretty(&plan).unwrap()
            },
            "no `saved`",
        ),
    ];
    for (garbled, expected) in cases {
        std::fs::write(&path, &garbled).unwrap();
        let (code, stdout, stderr) = apply_saved(&repo, &[]);
        assert_eq!(code, 1, "{stdout}{stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert!(stderr.contains("plan.json"), "{stderr}");
        if expected != "no `saved`" {
            assert!(
                stderr.lines().any(|l| l.contains("plan.json:")
                    && l.split(':')
                        .nth(2)
                        .is_some_and(|n| n.parse::<u32>().is_ok())),
                "located: {stderr}"
            );
        }
        repo.assert_no_writes();
    }
}

#[test]
fn a_secret_is_created_only_when_its_value_was_there_at_plan_time_and_is_there_now() {
    // Planned without the production key: apply does not create that secret, even with the
    // key set, because the reviewed plan did not.
    let repo = TestRepo::new("empty");
    repo.write(&Policy::flow());
    let output = repo
        .cmd()
        .env_remove("PROD_SSH_KEY")
        .args(["plan", "--no-cache", "--out", "plan.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let (code, stdout, stderr) = apply_saved(&repo, &[]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    let writes = repo.write_lines();
    assert!(
        writes
            .iter()
            .any(|w| w.ends_with("/environments/staging/secrets/SSH_PRIVATE_KEY")),
        "{writes:?}"
    );
    assert!(
        !writes
            .iter()
            .any(|w| w.ends_with("/environments/production/secrets/SSH_PRIVATE_KEY")),
        "{writes:?}"
    );

    // Planned with both keys, applied without one: refused before any write.
    let repo = TestRepo::new("empty");
    repo.write(&Policy::flow());
    assert_eq!(save(&repo).0, 2);
    let output = apply_saved_command(&repo)
        .env_remove("PROD_SSH_KEY")
        .output()
        .unwrap();
    assert_refused(
        &repo,
        &output,
        "environments.production.secrets.SSH_PRIVATE_KEY: $PROD_SSH_KEY held its value where the plan was made and is not set here",
    );
}

#[test]
fn an_exception_that_expires_between_plan_and_apply_is_refused() {
    let repo = lowered_flow();
    repo.policy(&format!(
        "{}\nexceptions:\n  - path: branches.main.pull_request.required_approvals\n    allow: 1\n    reason: on call over the holidays\n    expires: 2026-12-28\n",
        crate::common::flow_policy()
    ));
    let output = repo
        .cmd()
        .env("GH_POLICY_NOW", "2026-12-27T12:00:00Z")
        .args(["plan", "--no-cache", "--out", "plan.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let output = apply_saved_command(&repo)
        .env("GH_POLICY_NOW", "2026-12-29T00:00:00Z")
        .output()
        .unwrap();
    assert_refused(
        &repo,
        &output,
        "`branches.main` differs from the plan made now",
    );
}

#[test]
fn saving_the_plan_of_an_organisation_is_refused_before_any_request() {
    let repo = TestRepo::new("org-acme");
    repo.policy("version: 1\n");
    let output = repo
        .cmd()
        .args(["plan", "--org", "acme", "--no-cache", "--out", "plan.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--out saves the plan of one repository; this run plans an organisation"),
        "{stderr}"
    );
    assert!(repo.emu.requests().is_empty());
    assert!(!repo.dir.path().join("plan.json").exists());
    repo.cmd()
        .args(["apply", "--plan", "plan.json", "--org", "acme"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("cannot be used with"));
}
