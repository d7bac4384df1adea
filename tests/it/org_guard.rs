//! Never weaken protection by accident, over an organisation (DESIGN §11): custom property
//! values read from `GET /orgs/{org}/properties/values` (the emulator's repository list
//! leaves them out, as GitHub's does), property names and values checked against the
//! organisation's definitions at their line, a group that selects nothing warned about and
//! its consequences refused by `apply --yes`, and a merged policy that would break a
//! repository's requirement refused before any write.

use gh_policy_emulator::{Emulator, RepositorySeed, Seed};
use serde_json::{Value, json};

use crate::common::TestRepo;

/// Classic protection of `main` with `approvals` approvals.
fn protection(approvals: u64) -> Value {
    json!({
        "required_status_checks": null,
        "enforce_admins": true,
        "required_pull_request_reviews": {"required_approving_review_count": approvals},
        "restrictions": null
    })
}

/// acme: a critical service with two approvals on main, a standard one and a website with
/// one; the organisation defines `tier` (critical or standard).
fn acme() -> Seed {
    Seed::organization("acme", 9000)
        .with_user("reviewer-1", 7001)
        .with_user("reviewer-2", 7002)
        .with_user("reviewer-3", 7003)
        .with_custom_property(json!({
            "property_name": "tier", "value_type": "single_select",
            "allowed_values": ["critical", "standard"], "default_value": "standard"
        }))
        .with_repository(
            RepositorySeed::new("svc-pay")
                .property("tier", "critical")
                .protected_branch("main", protection(2)),
        )
        .with_repository(
            RepositorySeed::new("svc-mail")
                .property("tier", "standard")
                .protected_branch("main", protection(1)),
        )
        .with_repository(RepositorySeed::new("web").protected_branch("main", protection(1)))
}

/// One approval everywhere, two for critical services: `SELECT` is the group's selection.
fn policy(select: &str) -> String {
    format!(
        "version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: {{ required_approvals: 1 }}
      enforce_admins: true
groups:
  critical:
    select: {select}
    policy:
      branches:
        main:
          pull_request: {{ required_approvals: 2 }}
"
    )
}

fn run(repo: &TestRepo, args: &[&str]) -> (i32, String, String) {
    let output = repo
        .cmd()
        .args(args)
        .env("GH_POLICY_RETRY_BASE_MS", "1")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn repository_reads(repo: &TestRepo) -> Vec<String> {
    repo.emu
        .requests()
        .iter()
        .map(|r| r.path.clone())
        .filter(|p| p.starts_with("/repos/"))
        .collect()
}

#[test]
fn groups_select_by_the_property_values_the_repository_list_leaves_out() {
    let repo = TestRepo::with(Emulator::start(acme()));
    repo.policy(&policy(
        r#"{ names: ["svc-*"], properties: { tier: critical } }"#,
    ));
    let (code, stdout, stderr) = run(&repo, &["plan", "--no-cache", "--format", "json"]);
    // svc-pay is critical: its two approvals are what the group asks; nothing drifts.
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let plan: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        plan["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["weakens"] == 0 && p["in_sync"] == true),
        "{plan:#}"
    );
    let paths: Vec<String> = repo.emu.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("/orgs/acme/properties/values")),
        "{paths:?}"
    );
    assert!(stderr.is_empty(), "{stderr}");
    repo.assert_conformant();
}

#[test]
fn a_misspelt_property_or_value_is_an_error_at_its_line_before_any_repository_is_read() {
    let repo = TestRepo::with(Emulator::start(acme()));
    for (select, wanted) in [
        (
            "{ properties: { teir: critical } }",
            "policy.yaml:10:29: `acme` does not define the custom property `teir` (did you mean `tier`?)",
        ),
        (
            "{ properties: { tier: critcal } }",
            "policy.yaml:10:35: `critcal` is not a value of the custom property `tier` (it takes `critical`, `standard`); did you mean `critical`?",
        ),
    ] {
        repo.policy(&policy(select));
        repo.clear_log();
        let (code, _, stderr) = run(&repo, &["plan", "--no-cache"]);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains(wanted), "{stderr}");
        assert!(repository_reads(&repo).is_empty());
    }
}

#[test]
fn a_group_that_selects_nothing_is_warned_about_and_apply_yes_refuses_what_it_would_lower() {
    // The services are `svc-*`: this group selects nothing, so the critical service would
    // get the defaults' one approval.
    let repo = TestRepo::with(Emulator::start(acme()));
    repo.policy(&policy(r#"{ names: ["service-*"] }"#));
    let (code, stdout, stderr) = run(&repo, &["plan", "--no-cache"]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains(
            "warning: policy.yaml:10:13: group `critical` selects no repository of acme: its policy applies nowhere"
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains("pull_request.required_approvals: 2 → 1  ⚠ weakens"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&repo, &["apply", "--yes", "--no-cache"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr
            .contains("apply --yes refuses 1 change that weakens protection; nothing was written"),
        "{stderr}"
    );
    assert!(
        stderr.contains("acme/svc-pay: ~ branches.main: pull_request.required_approvals 2 → 1"),
        "{stderr}"
    );
    assert!(repo.writes().is_empty(), "{:?}", repo.writes());
}

/// The organisation example of the README as it was: the group raised the requirement,
/// not the branch protection that provides it.
const REQUIREMENT_ONLY: &str = r#"version: 1
organization: acme
defaults:
  branches:
    main: { pull_request: { required_approvals: 1 }, enforce_admins: true }
  requirements:
    "~DEFAULT_BRANCH": { required_approvals: 1, block_force_pushes: true }
groups:
  critical:
    select: { names: ["svc-*"], properties: { tier: critical } }
    policy:
      requirements: { "~DEFAULT_BRANCH": { required_approvals: 2 } }
"#;

#[test]
fn a_merged_policy_that_would_break_a_repositorys_requirement_is_refused_before_any_write() {
    let repo = TestRepo::with(Emulator::start(acme()));
    repo.policy(REQUIREMENT_ONLY);
    let (code, stdout, stderr) = run(&repo, &["plan", "--no-cache", "--format", "json"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let plan: Value = serde_json::from_str(&stdout).unwrap();
    let error = plan["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["repository"] == "acme/svc-pay")
        .unwrap_or_else(|| panic!("{plan:#}"));
    let text = error["error"].as_str().unwrap();
    assert!(
        text.contains(
            "policy.yaml:5:49: `branches.main.pull_request.required_approvals` would take `required_approvals` on branch `main` from 2 to 1, below `requirements.~DEFAULT_BRANCH.required_approvals: 2`"
        ),
        "{text}"
    );
    // The others are planned as usual.
    assert_eq!(plan["repositories"].as_array().unwrap().len(), 2);

    let (code, _, stderr) = run(
        &repo,
        &["apply", "--yes", "--allow-weakening", "--no-cache"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("acme/svc-pay: `branches.main.pull_request.required_approvals` would take"),
        "{stderr}"
    );
    assert!(repo.writes().is_empty(), "{:?}", repo.writes());
}

#[test]
fn every_layer_of_an_organisation_policy_is_held_to_the_repository_rules_at_its_line() {
    let repo = TestRepo::new("empty");
    repo.policy(
        r#"version: 1
organization: acme
defaults:
  branches:
    "release/*": { enforce_admins: true }
groups:
  svc:
    select: { names: ["svc-["] }
    policy:
      environments:
        "..": {}
repositories:
  web:
    environments:
      Production: {}
      production: {}
    rulesets:
      main-only:
        include: []
"#,
    );
    let (code, stdout, stderr) = run(&repo, &["validate", "--no-workflows"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    for (at, words) in [
        ("policy.yaml:5:5: ", "release/*"),
        (
            "policy.yaml:8:23: ",
            "`svc-[` is not a well-formed name glob",
        ),
        ("policy.yaml:11:9: ", ".."),
        (
            "policy.yaml:16:7: ",
            "environment `production` and `Production` (line 15) are one environment",
        ),
        ("policy.yaml:19:9: ", "a `branch` ruleset needs `include`"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|line| line.starts_with(at) && line.contains(words)),
            "{at}{words}:\n{stderr}"
        );
    }
    assert!(stderr.contains("has 5 problems"), "{stderr}");
}

/// `count` repositories in sync with `BUDGETED`: main protected, a staging environment
/// deploying from main, a repository ruleset, and an organisation ruleset.
fn budgeted(count: usize) -> Seed {
    let mut seed = Seed::organization("acme", 9000)
        .with_user("reviewer-1", 7001)
        .with_user("reviewer-2", 7002)
        .with_user("reviewer-3", 7003);
    for i in 0..count {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("svc-{i:02}"))
                .protected_branch("main", protection(1))
                .environment(
                    "staging",
                    gh_policy_emulator::EnvironmentSeed {
                        deployment_branch_policy: Some(
                            gh_policy_emulator::DeploymentBranchPolicySeed {
                                protected_branches: false,
                                custom_branch_policies: true,
                            },
                        ),
                        branch_policies: vec![gh_policy_emulator::BranchPolicySeed {
                            name: "main".to_owned(),
                            kind: "branch".to_owned(),
                        }],
                        ..gh_policy_emulator::EnvironmentSeed::default()
                    },
                )
                .ruleset(json!({
                    "name": "protect-main", "enforcement": "active",
                    "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },
                    "rules": [{ "type": "deletion" }]
                })),
        );
    }
    seed.org.as_mut().unwrap().rulesets.push(json!({
        "name": "org-floor", "enforcement": "active",
        "conditions": {
            "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] },
            "repository_name": { "include": ["~ALL"], "exclude": [] }
        },
        "rules": [{ "type": "non_fast_forward" }]
    }));
    seed
}

const BUDGETED: &str = r#"version: 1
organization: acme
defaults:
  branches:
    main: { pull_request: { required_approvals: 1 }, enforce_admins: true }
  environments:
    staging: { deployment_branches: [main] }
  rulesets:
    protect-main:
      include: ["~DEFAULT_BRANCH"]
      rules: { restrict_deletions: true }
  requirements:
    "~DEFAULT_BRANCH": { required_approvals: 1, block_force_pushes: true }
"#;

/// Runs `plan -v` with the test's cache and returns the estimate it printed and what the
/// run spent of the emulator's rate limit.
fn estimated_and_spent(repo: &TestRepo) -> (u64, u64) {
    let before = repo.emu.rate_limit_used();
    let (code, stdout, stderr) = run(repo, &["plan", "-v", "--format", "json"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let estimate = stderr
        .split("this run needs an estimated ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no estimate in: {stderr}"));
    (estimate, repo.emu.rate_limit_used() - before)
}

#[test]
fn the_rate_estimate_is_within_a_tenth_of_what_a_run_in_sync_spends_and_cached_reads_are_free() {
    let repo = TestRepo::with(Emulator::start(budgeted(12)));
    repo.policy(BUDGETED);
    let (estimate, spent) = estimated_and_spent(&repo);
    // At least 3 REST reads per repository that GraphQL does not answer (environments,
    // their branch policies, the requirement's rules).
    assert!(spent > 12 * 3, "{spent}");
    assert!(
        estimate.abs_diff(spent) * 10 <= spent,
        "estimated {estimate}, spent {spent}"
    );
    // Again, with the cache the first run filled: every read is answered 304, for free.
    let (estimate, spent) = estimated_and_spent(&repo);
    assert_eq!((estimate, spent), (0, 0));
}
