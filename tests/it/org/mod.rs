//! Organisation mode (DESIGN §10) against the emulator: the organisation and policy the
//! tests share, and selection by name, property, exclusion, archived and forked repositories;
//! merged layers; one repository failing while the others are planned; shards; a login that
//! is not one. Apply, what a run reads, GitHub Apps and the other commands are in the modules
//! below.

mod app;
mod apply;
mod commands;
mod reads;

use std::collections::BTreeSet;

use gh_policy_emulator::{Emulator, RepositorySeed, Seed};
use serde_json::{Value, json};

use crate::common::TestRepo;

/// An unprotected branch, as GitHub has it before anyone protects it.
pub(crate) fn bare() -> Value {
    json!({
        "required_status_checks": null,
        "enforce_admins": false,
        "required_pull_request_reviews": {"required_approving_review_count": 1, "dismiss_stale_reviews": false,
            "require_code_owner_reviews": false, "require_last_push_approval": false},
        "restrictions": null
    })
}

/// The custom property `tier` of acme: critical or standard.
fn tier() -> Value {
    json!({"property_name": "tier", "value_type": "single_select",
           "allowed_values": ["critical", "standard"]})
}

/// acme: two services (one critical), a website, an archived repository, a fork and a
/// sandbox; every one with `main` protected with one approval.
pub(crate) fn acme() -> Seed {
    let repository = |name: &str| RepositorySeed::new(name).protected_branch("main", bare());
    Seed::organization("acme", 9000)
        .with_user("reviewer-1", 7001)
        .with_user("reviewer-2", 7002)
        .with_user("reviewer-3", 7003)
        .with_custom_property(tier())
        .with_repository(repository("svc-pay").property("tier", "critical"))
        .with_repository(repository("svc-mail").property("tier", "standard"))
        .with_repository(repository("web"))
        .with_repository(repository("old").archived(true))
        .with_repository(repository("web-fork").fork(true))
        .with_repository(repository("sandbox-1"))
}

/// The organisation policy of these tests: one approval everywhere, two for critical
/// services, and the archived repository listed (so planned, never written).
pub(crate) const ORG_POLICY: &str = r#"version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 1 }
      enforce_admins: true
groups:
  critical-services:
    select: { names: ["svc-*"], properties: { tier: critical } }
    policy:
      branches:
        main:
          pull_request: { required_approvals: 2 }
          enforce_admins: true
repositories:
  old: {}
exclude: ["sandbox-*"]
"#;

/// The App (id 15368, the emulator's test key) in the environment, as Actions would pass it.
/// A test that needs the App alone also removes `GITHUB_TOKEN`.
fn app_credentials() -> [(&'static str, &'static str); 2] {
    [
        ("GH_POLICY_APP_ID", "15368"),
        (
            "GH_POLICY_APP_PRIVATE_KEY",
            gh_policy_emulator::test_keys::PRIVATE_KEY_PEM,
        ),
    ]
}

fn org_repo(seed: Seed) -> TestRepo {
    let repo = TestRepo::with(Emulator::builder(seed).start());
    repo.policy(ORG_POLICY);
    repo
}

fn plan_json(repo: &TestRepo, extra: &[&str]) -> (i32, Value, String) {
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "json"])
        .args(extra)
        .env("GH_POLICY_RETRY_BASE_MS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let plan = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("plan did not print JSON ({err}); stderr: {stderr}"));
    (output.status.code().unwrap(), plan, stderr)
}

fn planned(plan: &Value) -> Vec<String> {
    plan["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["repository"].as_str().unwrap().to_owned())
        .collect()
}

fn approvals_diff(plan: &Value, repository: &str) -> Option<(Value, Value)> {
    let repo = plan["repositories"]
        .as_array()?
        .iter()
        .find(|p| p["repository"] == repository)?;
    repo["changes"].as_array()?.iter().find_map(|c| {
        c["diffs"].as_array()?.iter().find_map(|d| {
            (d["path"] == "pull_request.required_approvals")
                .then(|| (d["live"].clone(), d["policy"].clone()))
        })
    })
}

#[test]
fn an_organisation_policy_selects_by_name_property_and_listing_and_merges_the_layers() {
    let repo = org_repo(acme());
    let (code, plan, stderr) = plan_json(&repo, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(plan["organization"], "acme");
    assert_eq!(plan["errors"], json!([]));
    // Forks, archived and excluded repositories are skipped unless listed: `old` is listed.
    assert_eq!(
        planned(&plan),
        ["acme/old", "acme/svc-mail", "acme/svc-pay", "acme/web"]
    );
    // The group raises critical services to two approvals; the others keep one.
    assert_eq!(
        approvals_diff(&plan, "acme/svc-pay"),
        Some((json!(1), json!(2)))
    );
    assert_eq!(approvals_diff(&plan, "acme/svc-mail"), None);
    // A listed archived repository is planned, its changes not applicable.
    let old = plan["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["repository"] == "acme/old")
        .unwrap();
    for change in old["changes"].as_array().unwrap() {
        assert_eq!(change["applicable"], false, "{change}");
        assert_eq!(change["reason"], "archived repositories are read-only");
    }
    repo.assert_conformant();
    assert!(repo.writes().is_empty(), "plan wrote: {:?}", repo.writes());
}

#[test]
fn the_text_and_markdown_reports_start_with_the_summary_table() {
    let repo = org_repo(acme());
    for (format, header) in [
        ("text", "repository"),
        (
            "markdown",
            "| repository | status | create | update | delete |",
        ),
    ] {
        let output = repo
            .cmd()
            .args(["plan", "--no-cache", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let table = stdout
            .find(header)
            .unwrap_or_else(|| panic!("{format}: no table in\n{stdout}"));
        let first_change = stdout
            .find("branches.main")
            .unwrap_or_else(|| panic!("{format}: no change in\n{stdout}"));
        assert!(
            table < first_change,
            "{format}: the table comes first\n{stdout}"
        );
        assert!(
            stdout.contains("acme/svc-pay") && stdout.contains("drift"),
            "{stdout}"
        );
    }
}

#[test]
fn one_repository_failing_every_call_leaves_the_others_planned_and_exits_1() {
    let repo = org_repo(acme());
    repo.emu.fail_repository("acme/svc-mail", 500);
    let (code, plan, stderr) = plan_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(planned(&plan), ["acme/old", "acme/svc-pay", "acme/web"]);
    let errors = plan["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{plan:#}");
    assert_eq!(errors[0]["repository"], "acme/svc-mail");
    assert!(
        errors[0]["error"].as_str().unwrap().contains("500"),
        "{plan:#}"
    );
    // The text report names it in the table.
    let output = repo
        .cmd()
        .args(["plan", "--no-cache"])
        .env("GH_POLICY_RETRY_BASE_MS", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("acme/svc-mail") && l.contains("error")),
        "{stdout}"
    );
}

#[test]
fn shards_split_the_repositories_without_overlap() {
    let mut seed = Seed::organization("acme", 9000)
        .with_user("reviewer-1", 7001)
        .with_user("reviewer-2", 7002)
        .with_user("reviewer-3", 7003);
    for i in 0..12 {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("repo-{i:02}")).protected_branch("main", bare()),
        );
    }
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy("version: 1\norganization: acme\ndefaults:\n  branches:\n    main:\n      pull_request: { required_approvals: 1 }\n");
    let mut names_seen = BTreeSet::new();
    let mut total = 0;
    for shard in ["1/3", "2/3", "3/3"] {
        let (_, plan, stderr) = plan_json(&repo, &["--shard", shard]);
        let names = planned(&plan);
        assert!(
            !names.is_empty() && names.len() < 12,
            "shard {shard}: {names:?} {stderr}"
        );
        total += names.len();
        names_seen.extend(names);
    }
    assert_eq!((total, names_seen.len()), (12, 12));
    // A shard flag without an organisation is a mistake, said so.
    repo.policy("version: 1\nbranches: {}\n");
    repo.cmd()
        .args(["plan", "--repo", "acme/repo-01", "--shard", "1/2"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--shard"));
}

#[test]
fn repo_with_an_organisation_policy_plans_that_repositorys_merged_policy() {
    let repo = org_repo(acme());
    let (code, plan) = repo.plan_json_with(&["--repo", "svc-pay"]);
    assert_eq!(code, 2);
    assert_eq!(plan["repository"], "acme/svc-pay");
    let reads: Vec<String> = repo.emu.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        !reads.iter().any(|p| p.contains("/repos/acme/web/")),
        "{reads:?}"
    );
    // A repository the policy does not select is said so.
    repo.cmd()
        .args(["plan", "--no-cache", "--repo", "sandbox-1"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("does not select"));
}

#[test]
fn an_organisation_that_is_not_a_login_is_refused_before_any_request() {
    let repo = org_repo(acme());
    repo.policy("version: 1\norganization: ../acme\ndefaults: {}\n");
    let output = repo
        .cmd()
        .args(["validate", "--no-workflows"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("policy.yaml:2:") && stderr.contains("organization"),
        "{stderr}"
    );
    repo.policy("version: 1\nbranches: {}\n");
    repo.cmd()
        .args(["plan", "--org", "acme/x"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("not an organisation's login"));
    assert!(repo.emu.requests().is_empty());
}
