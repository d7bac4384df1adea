// Compiled only under cfg(test) (see `mod plans;` in render/tests.rs): the plans every
// format is shown with.
use serde_json::json;

use super::guarded::guarded;
use super::{change, diff, inapplicable};
use crate::plan::{Action, Change, Disposition, Plan, ResourceKind, Target};

fn protect(_branch: &str) -> Option<Target> {
    None
}

fn environment(_name: &str) -> Option<Target> {
    None
}

/// A repository that matches its policy.
fn in_sync() -> Plan {
    Plan {
        requirements: Vec::new(),
        findings: crate::protection::findings::Findings::default(),
        warnings: Vec::new(),
        contradictions: Vec::new(),
        gaps: Vec::new(),
        repository: "acme/katz-backend".to_owned(),
        changes: Vec::new(),
    }
}

/// A realistic drifted repository: every kind and action, two inapplicable changes.
#[expect(
    clippy::too_many_lines,
    reason = "one literal fixture reads best in one piece"
)]
pub(super) fn drifted() -> Plan {
    let changes = vec![
        change(
            "branches.main",
            ResourceKind::BranchProtection,
            Action::Update,
            vec![
                diff("pull_request.required_approvals", json!(1), json!(2)),
                diff(
                    "status_checks.required",
                    json!(["Security Checks"]),
                    json!(["Security Checks", "dev - lint and test"]),
                ),
            ],
            protect("main"),
        ),
        change(
            "branches.dev",
            ResourceKind::BranchProtection,
            Action::Create,
            vec![
                diff("pull_request.required_approvals", json!(null), json!(1)),
                diff("status_checks.strict", json!(null), json!(true)),
                diff(
                    "status_checks.required",
                    json!(null),
                    json!(["dev - lint and test"]),
                ),
                diff("enforce_admins", json!(null), json!(true)),
            ],
            protect("dev"),
        ),
        change(
            "environments.production",
            ResourceKind::Environment,
            Action::Update,
            vec![
                diff(
                    "reviewers",
                    json!([]),
                    json!([{"user": "octocat"}, {"team": "release-managers"}]),
                ),
                diff("deployment_branches", json!("all"), json!(["main"])),
            ],
            environment("production"),
        ),
        change(
            "environments.production.deployment_branches.main",
            ResourceKind::DeploymentBranchPolicy,
            Action::Create,
            Vec::new(),
            None,
        ),
        inapplicable(
            change(
                "environments.staging.secrets.SSH_HOST",
                ResourceKind::Secret,
                Action::Create,
                Vec::new(),
                None,
            ),
            "secret values are not in the policy",
        ),
        change(
            "environments.staging.variables.HEALTH_URL",
            ResourceKind::Variable,
            Action::Update,
            vec![diff(
                "value",
                json!("https://staging.example.com/health"),
                json!("https://staging.example.com/api/health"),
            )],
            None,
        ),
        change(
            "branches.legacy",
            ResourceKind::BranchProtection,
            Action::Delete,
            Vec::new(),
            None,
        ),
        inapplicable(
            change(
                "branches.release",
                ResourceKind::BranchProtection,
                Action::Create,
                vec![diff(
                    "pull_request.required_approvals",
                    json!(null),
                    json!(2),
                )],
                protect("release"),
            ),
            "branch does not exist",
        ),
    ];
    Plan {
        requirements: Vec::new(),
        findings: crate::protection::findings::Findings::default(),
        warnings: Vec::new(),
        contradictions: Vec::new(),
        gaps: Vec::new(),
        repository: "acme/katz-backend".to_owned(),
        changes,
    }
}

/// Values that could break a table, a line or a terminal.
fn awkward() -> Plan {
    let long = format!("https://example.com/{}", "very-long-segment/".repeat(8));
    let changes = vec![
        change(
            "branches.feature/ünïcødé|x",
            ResourceKind::BranchProtection,
            Action::Update,
            vec![
                diff(
                    "status_checks.required",
                    json!(["lint `fast`", "a | b", "a | b", "old ``double``"]),
                    json!(["lint `fast`", "a | b", "tests ✓ café", "`edge`"]),
                ),
                diff(
                    "push_restrictions.users",
                    json!(["b", "a"]),
                    json!(["a", "b", "a"]),
                ),
                diff(
                    "pull_request",
                    json!({"required_approvals": 1, "bypass": {"users": ["x|y"]}}),
                    json!(null),
                ),
            ],
            protect("feature/ünïcødé|x"),
        ),
        change(
            "environments.prod`uction`.variables.BANNER",
            ResourceKind::Variable,
            Action::Update,
            vec![
                diff(
                    "value",
                    json!("line one\nline two\t| \u{1b}[31mred\u{1b}[0m"),
                    json!("emoji 🚀 and \"quotes\" and \\ backslash"),
                ),
                diff("url", json!(long), json!(format!("{long}v2"))),
            ],
            None,
        ),
        inapplicable(
            change(
                "environments.staging.secrets.TOKEN_|_`X`",
                ResourceKind::Secret,
                Action::Create,
                Vec::new(),
                None,
            ),
            "reason with | pipe, `code`, *stars* and <html>\nsecond line",
        ),
        Change {
            disposition: Disposition::Inapplicable(crate::plan::Refusal(None)),
            ..inapplicable(
                change(
                    "branches.gone",
                    ResourceKind::BranchProtection,
                    Action::Delete,
                    Vec::new(),
                    None,
                ),
                "",
            )
        },
    ];
    Plan {
        requirements: Vec::new(),
        findings: crate::protection::findings::Findings::default(),
        warnings: Vec::new(),
        contradictions: Vec::new(),
        gaps: Vec::new(),
        repository: "acme/ünï|`code`".to_owned(),
        changes,
    }
}

/// Long values that changed in one place, and notes: what a reviewer must see at a glance.
pub(super) fn long_values() -> Plan {
    let base = "https://katz.example.com/deployments/production/hooks/notify";
    let changes = vec![
        change(
            "environments.production.variables.DEPLOY_HOOK",
            ResourceKind::Variable,
            Action::Update,
            vec![diff(
                "value",
                json!(format!("{base}?channel=ops&retries=3&timeout=30")),
                json!(format!("{base}?channel=release-ops&retries=5&timeout=30")),
            )],
            None,
        ),
        change(
            "environments.production.variables.BANNER",
            ResourceKind::Variable,
            Action::Update,
            vec![diff(
                "value",
                json!("Deploys are frozen until the quarterly audit is complete"),
                json!("All clear: ship it, and remember to update the changelog please"),
            )],
            None,
        ),
        change(
            "environments.production",
            ResourceKind::Environment,
            Action::Update,
            vec![diff(
                "deployment_branches",
                json!(["main", "release/*", "hotfix/*", {"tag": "v*"}]),
                json!(["main", "release/*", "support/*", {"tag": "v*"}]),
            )],
            None,
        ),
        Change {
            note: Some("value from environment variable `PROD_SSH_KEY`".to_owned()),
            ..change(
                "environments.production.secrets.SSH_PRIVATE_KEY",
                ResourceKind::Secret,
                Action::Create,
                Vec::new(),
                None,
            )
        },
        inapplicable(
            change(
                "environments.staging.secrets.SSH_PRIVATE_KEY",
                ResourceKind::Secret,
                Action::Create,
                Vec::new(),
                None,
            ),
            "environment variable `STAGING_SSH_KEY` is not set (or is empty) where this plan ran; apply takes the secret's value from it",
        ),
    ];
    Plan {
        requirements: Vec::new(),
        findings: crate::protection::findings::Findings::default(),
        warnings: Vec::new(),
        contradictions: Vec::new(),
        gaps: Vec::new(),
        repository: "acme/katz-backend".to_owned(),
        changes,
    }
}

pub(super) fn plans() -> [(&'static str, Plan); 5] {
    [
        ("in_sync", in_sync()),
        ("drifted", drifted()),
        ("awkward", awkward()),
        ("long_values", long_values()),
        ("guarded", guarded()),
    ]
}
