//! The organisation `acme` of the organisation case, as an emulator seed, and the
//! organisation policy it is in sync with.

use gh_policy_emulator::{
    ActivitySeed, BranchPolicySeed, DeploymentBranchPolicySeed, EnvironmentSeed, RepositorySeed,
    Seed,
};
use serde_json::json;

use crate::Result;

/// Enough people with write access for `main`'s 2 approvals: no finding.
fn writers() -> ActivitySeed {
    ActivitySeed::default().collaborators(&[
        ("dev-1", "write"),
        ("dev-2", "write"),
        ("dev-3", "maintain"),
    ])
}

/// Builds the organisation `acme` of `n` repositories (`svc-000`, …), each with `main`,
/// `stage` and `dev` protected, a `staging` and a `production` environment (custom deployment
/// branches, production with a wait timer), three people with write access and one ruleset
/// on the default branch, plus an organisation ruleset on every default branch; and the
/// organisation policy that matches it.
pub fn organisation(n: usize) -> Result<(Seed, String)> {
    let environment = |branch: &str, wait_timer: u64| EnvironmentSeed {
        wait_timer,
        deployment_branch_policy: Some(DeploymentBranchPolicySeed {
            protected_branches: false,
            custom_branch_policies: true,
        }),
        branch_policies: vec![BranchPolicySeed {
            name: branch.to_owned(),
            kind: "branch".to_owned(),
        }],
        ..EnvironmentSeed::default()
    };
    let mut seed = Seed::organization("acme", 9000);
    for i in 0..n {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("svc-{i:03}"))
                .protected_branch(
                    "main",
                    json!({
                        "required_status_checks": { "strict": true, "checks": [{ "context": "ci" }] },
                        "enforce_admins": true,
                        "required_pull_request_reviews": {
                            "required_approving_review_count": 2,
                            "dismiss_stale_reviews": true
                        },
                        "restrictions": null,
                        "required_conversation_resolution": true
                    }),
                )
                .protected_branch(
                    "stage",
                    json!({
                        "required_status_checks": { "strict": false, "checks": [{ "context": "ci" }] },
                        "enforce_admins": false,
                        "required_pull_request_reviews": { "required_approving_review_count": 1 },
                        "restrictions": null
                    }),
                )
                .protected_branch(
                    "dev",
                    json!({
                        "required_status_checks": null,
                        "enforce_admins": false,
                        "required_pull_request_reviews": { "required_approving_review_count": 1 },
                        "restrictions": null
                    }),
                )
                .activity(writers())
                .environment("staging", environment("stage", 0))
                .environment("production", environment("main", 5))
                .ruleset(json!({
                    "name": "protect-main", "enforcement": "active",
                    "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },
                    "rules": [{ "type": "deletion" }, { "type": "non_fast_forward" }]
                })),
        );
    }
    seed.org
        .as_mut()
        .ok_or("an organisation seed has an organisation")?
        .rulesets
        .push(json!({
            "name": "org-floor", "enforcement": "active",
            "conditions": {
                "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] },
                "repository_name": { "include": ["~ALL"], "exclude": [] }
            },
            "rules": [{ "type": "non_fast_forward" }]
        }));
    let policy = r#"version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 2, dismiss_stale_reviews: true }
      status_checks: { strict: true, required: [ci] }
      enforce_admins: true
      required_conversation_resolution: true
    stage:
      pull_request: { required_approvals: 1 }
      status_checks: { required: [ci] }
    dev:
      pull_request: { required_approvals: 1 }
  environments:
    staging:
      deployment_branches: [stage]
    production:
      wait_timer: 5
      deployment_branches: [main]
  rulesets:
    protect-main:
      include: ["~DEFAULT_BRANCH"]
      rules:
        block_force_pushes: true
        restrict_deletions: true
  requirements:
    "~DEFAULT_BRANCH": { required_approvals: 2, block_force_pushes: true }
"#;
    Ok((seed, policy.to_owned()))
}
