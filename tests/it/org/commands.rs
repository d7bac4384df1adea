//! The other commands with an organisation policy: `validate` refusing a loosening entry at
//! its line, `export --org`, `explain`/`export` of one repository, and the Actions step
//! summary.

use gh_policy_emulator::{Emulator, RepositorySeed};
use serde_json::{Value, json};

use super::{acme, bare, org_repo, plan_json, planned};
use crate::common::{TestRepo, assert_exit};

#[test]
fn a_repository_entry_that_lowers_an_organisation_requirement_is_refused_at_its_line() {
    let repo = org_repo(acme());
    repo.policy(
        "version: 1\norganization: acme\ndefaults:\n  requirements:\n    main: { required_approvals: 2 }\nrepositories:\n  web:\n    requirements:\n      main:\n        required_approvals: 1\n",
    );
    let output = repo
        .cmd()
        .args(["validate", "--no-workflows"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("policy.yaml:10:"), "{stderr}");
    assert!(stderr.contains("required_approvals"), "{stderr}");
}

#[test]
fn export_org_writes_a_policy_that_plans_in_sync_for_every_repository() {
    let seed = acme().with_repository(
        RepositorySeed::new("svc-search")
            .protected_branch("main", bare())
            .protected_branch("release", bare())
            .ruleset(
                json!({"name": "tags", "target": "tag", "enforcement": "active",
                "conditions": {"ref_name": {"include": ["refs/tags/v*"], "exclude": []}},
                "rules": [{"type": "deletion"}]}),
            ),
    );
    let repo = TestRepo::with(Emulator::start(seed));
    let (text, exported) = repo.export_org("acme");
    // Every repository protects main alike: it is shared; the rest is svc-search's own.
    assert!(
        exported["defaults"]["branches"]["main"].is_object(),
        "{text}"
    );
    assert_eq!(
        exported["repositories"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["svc-search"],
        "{text}"
    );
    assert!(
        exported["repositories"]["svc-search"]["rulesets"]["tags"].is_object(),
        "{text}"
    );
    // Archived repositories and forks are left out, and the export plans in sync.
    let (code, plan, stderr) = plan_json(&repo, &["-p", "org.yaml"]);
    assert_eq!(code, 0, "{stderr}\n{plan:#}");
    assert_eq!(planned(&plan).len(), 5, "{plan:#}");
    assert!(repo.writes().is_empty());
}

#[test]
fn in_actions_the_step_summary_gets_the_table() {
    let repo = org_repo(acme());
    let summary = repo.dir.path().join("summary.md");
    let output = repo
        .cmd()
        .args(["plan", "--no-cache"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("### gh-policy plan for organisation `acme`"),
        "{text}"
    );
    assert!(
        text.contains("| `acme/svc-pay` | drift | 0 | 1 | 0 |"),
        "{text}"
    );
}

#[test]
fn explain_and_export_take_one_repository_from_an_organisation_policy() {
    let repo = org_repo(acme());
    let output = repo
        .cmd()
        .args([
            "explain",
            "--no-cache",
            "--repo",
            "svc-pay",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let explained: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(explained["repository"], "acme/svc-pay", "{explained:#}");
    let output = repo
        .cmd()
        .args(["export", "--no-cache", "--repo", "acme/web"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("repository: acme/web"));
    // Without --repo an organisation policy names no one repository: said so.
    let output = repo.cmd().args(["explain", "--no-cache"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("organisation policy"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
