//! An organisation policy migrates layer by layer, offline; applied to the organisation,
//! every repository's branches keep their effective protection.

use gh_policy_emulator::{Emulator, RepositorySeed, Seed};
use serde_json::{Value, json};

use super::{explain, migrate, read, stderr, stdout, values};
use crate::common::TestRepo;

const POLICY: &str = "\
version: 1
organization: acme
defaults:
  branches:
    # Every repository's main and stage.
    main:
      pull_request: { required_approvals: 1 }
      enforce_admins: true
    stage:
      required_linear_history: true
      enforce_admins: true
groups:
  services:
    select: { names: [svc-*] }
    policy:
      branches:
        develop:
          required_linear_history: true
repositories:
  api:
    branches:
      release:
        required_signatures: true
        enforce_admins: true
  web:
    branches:
      main:
        pull_request: { required_approvals: 2 }
";

#[test]
fn each_layer_gets_the_rulesets_of_its_own_branches() {
    let repo = TestRepo::new("empty");
    repo.policy(POLICY);
    let output = migrate(&repo, &["-o", "policy.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let account = stdout(&output);
    for line in [
        "proven against each layer of the organisation policy of acme (offline)",
        "+ defaults.rulesets.protect-stage (new): takes over stage",
        "+ repositories.api.rulesets.protect-release (new): takes over release",
        "+ groups.services.policy.rulesets.protect-develop (new): takes over develop",
        "defaults.branches.main: left as it was\n  - it is declared in several layers (defaults, repositories.web)",
        "repositories.web.branches.main: left as it was",
    ] {
        assert!(account.contains(line), "{line}\n{account}");
    }
    let migrated = read(&repo, "policy.yaml");
    assert!(
        migrated.contains("    stage:\n      protected: false\n  rulesets:\n    # Takes over the classic protection of stage (gh-policy migrate).\n    protect-stage:\n"),
        "{migrated}"
    );
    assert!(migrated.contains("    # Every repository's main and stage.\n    main:\n      pull_request: { required_approvals: 1 }\n"));
    assert!(
        migrated.contains("      release:\n        protected: false\n    rulesets:\n"),
        "{migrated}"
    );
    let validate = repo
        .cmd()
        .args(["validate", "--no-workflows"])
        .output()
        .unwrap();
    assert_eq!(validate.status.code(), Some(0), "{}", stderr(&validate));
    let shown = repo
        .cmd()
        .args(["validate", "--no-workflows", "--repo", "api"])
        .output()
        .unwrap();
    let shown = stdout(&shown);
    assert!(shown.contains("protect-release"), "{shown}");
    assert!(shown.contains("protect-stage"), "{shown}");
}

#[test]
fn an_organisation_policy_is_not_proven_against_one_repository() {
    let repo = TestRepo::new("empty");
    repo.policy(POLICY);
    let output = migrate(&repo, &["--live"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("an organisation policy migrates offline"));
    // A repository policy applied to a whole organisation is proven offline too.
    repo.policy("version: 1\nbranches:\n  main:\n    pull_request: { required_approvals: 1 }\n");
    let output = migrate(&repo, &["--org", "acme", "--live"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the proof is against one repository"),
        "{}",
        stderr(&output)
    );
    let offline = migrate(&repo, &["--org", "acme"]);
    assert_eq!(offline.status.code(), Some(0), "{}", stderr(&offline));
    assert!(stdout(&offline).contains("  protect-main:\n"));
}

/// Classic protection as GitHub answers it: one approval, admins included, and `linear`.
fn protection(approvals: u8, linear: bool) -> Value {
    json!({
        "required_status_checks": null,
        "enforce_admins": true,
        "required_pull_request_reviews": {"required_approving_review_count": approvals,
            "dismiss_stale_reviews": false, "require_code_owner_reviews": false,
            "require_last_push_approval": false},
        "required_linear_history": linear,
        "restrictions": null
    })
}

const APPLIED: &str = "\
version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 1 }
      enforce_admins: true
repositories:
  api:
    branches:
      release:
        pull_request: { required_approvals: 1 }
        required_linear_history: true
        enforce_admins: true
";

#[test]
fn a_migrated_organisation_policy_applied_leaves_explain_as_it_was() {
    let seed = Seed::organization("acme", 9000)
        .with_repository(
            RepositorySeed::new("api")
                .protected_branch("main", protection(1, false))
                .protected_branch("release", protection(1, true)),
        )
        .with_repository(RepositorySeed::new("web").protected_branch("main", protection(1, false)));
    let repo = TestRepo::with(Emulator::builder(seed).start());
    repo.policy(APPLIED);
    let plan = |repo: &TestRepo| {
        let output = repo
            .cmd()
            .args(["plan", "--no-cache", "--no-findings", "--format", "json"])
            .output()
            .unwrap();
        let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
        (output.status.code(), plan)
    };
    assert_eq!(plan(&repo).0, Some(0), "the policy is in sync");
    let api_before = explain(&repo, &["--repo", "api", "main", "release"]);
    let web_before = explain(&repo, &["--repo", "web", "main"]);
    let output = migrate(&repo, &["--org", "acme", "-o", "policy.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let account = stdout(&output);
    assert!(
        account.contains("+ defaults.rulesets.protect-main (new): takes over main"),
        "{account}"
    );
    assert!(
        account.contains("+ repositories.api.rulesets.protect-release (new): takes over release"),
        "{account}"
    );
    // Every repository's plan hands its classic protection over, and weakens nothing.
    let (code, migrated) = plan(&repo);
    assert_eq!(code, Some(2), "{migrated:#}");
    for planned in migrated["repositories"].as_array().unwrap() {
        assert_eq!(planned["weakens"], 0, "{planned:#}");
    }
    let applied = repo
        .cmd()
        .args(["apply", "--no-cache", "--yes"])
        .output()
        .unwrap();
    assert_eq!(applied.status.code(), Some(0), "{}", stdout(&applied));
    assert_eq!(plan(&repo).0, Some(0));
    let api_after = explain(&repo, &["--repo", "api", "main", "release"]);
    assert_eq!(values(&api_after), values(&api_before));
    assert_eq!(
        api_after["release"]["required_linear_history"].1,
        json!(["ruleset \"protect-release\""])
    );
    assert_eq!(
        values(&explain(&repo, &["--repo", "web", "main"])),
        values(&web_before)
    );
}
