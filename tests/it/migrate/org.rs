//! An organisation policy migrates layer by layer, offline.

use super::{migrate, read, stderr, stdout};
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
}
