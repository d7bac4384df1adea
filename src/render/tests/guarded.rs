// Compiled only under cfg(test) (see `mod guarded;` in render/tests.rs): a plan that
// weakens protection and the marks every format gives it (DESIGN §11).
use serde_json::json;

use super::{change, diff, inapplicable, output};
use crate::plan::{Action, Change, Disposition, FieldDiff, Plan, ResourceKind};
use crate::render::Format;

/// A plan that lowers protection, part of it accepted by exceptions (one active, one
/// expired), and a requirement nothing provides.
pub(super) fn guarded() -> Plan {
    let note = |expires: &str| crate::plan::ExceptionNote {
        reason: "INC-2291: one reviewer on call".to_owned(),
        expires: expires.to_owned(),
    };
    let lowered = |path: &str, live, policy| FieldDiff {
        lowers: true,
        ..diff(path, live, policy)
    };
    let mut requirement = diff("required_checks", json!([]), json!(["ci"]));
    requirement.sources = Some(Vec::new());
    let changes = vec![
        change(
            "branches.main",
            ResourceKind::BranchProtection,
            Action::Update,
            vec![
                lowered("pull_request.required_approvals", json!(2), json!(1)),
                FieldDiff {
                    excepted: Some(note("2026-12-28")),
                    ..lowered("enforce_admins", json!(true), json!(false))
                },
                diff("required_linear_history", json!(false), json!(true)),
            ],
            None,
        ),
        Change {
            disposition: Disposition::Weakening(None),
            ..change(
                "rulesets.legacy",
                ResourceKind::Ruleset,
                Action::Delete,
                vec![lowered(
                    "rules.block_force_pushes",
                    json!(true),
                    json!(null),
                )],
                None,
            )
        },
        change(
            "environments.production",
            ResourceKind::Environment,
            Action::Update,
            vec![FieldDiff {
                exception_expired: Some(note("2026-11-30")),
                ..lowered("wait_timer", json!(30), json!(0))
            }],
            None,
        ),
        Change {
            disposition: Disposition::Excepted {
                whole: Some(note("2026-12-28")),
                refused: None,
            },
            ..change(
                "environments.staging.secrets.SSH_HOST",
                ResourceKind::Secret,
                Action::Delete,
                Vec::new(),
                None,
            )
        },
        inapplicable(
            change(
                "requirements.main",
                ResourceKind::Requirement,
                Action::Create,
                vec![requirement],
                None,
            ),
            "nothing the policy manages provides `required_checks`",
        ),
    ];
    let mut changes = changes;
    // As `diff::plan` does once it knows everything of each change.
    changes
        .iter_mut()
        .for_each(crate::protection::weakening::settle);
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

#[test]
fn weakening_is_marked_and_counted_in_every_format() {
    let plan = guarded();
    // The ruleset's deletion and the two lowered settings of main and production; not the
    // excepted `enforce_admins`, nor the accepted secret.
    assert_eq!(plan.weakening(), 3);
    let text = output(&plan, Format::Text, false);
    assert!(
        text.contains("~ branches.main (branch protection)  ⚠ weakens\n"),
        "{text}"
    );
    assert!(
        text.contains("pull_request.required_approvals: 2 → 1  ⚠ weakens\n"),
        "{text}"
    );
    assert!(text.contains("enforce_admins: true → false\n"), "{text}");
    assert!(text.contains("accepted until 2026-12-28: INC-2291: one reviewer on call"));
    assert!(text.contains("exception expired 2026-11-30: INC-2291"));
    assert!(text.ends_with(
        "⚠ 3 changes weaken protection; apply --yes refuses them without --allow-weakening\n"
    ));
    let markdown = output(&plan, Format::Markdown, false);
    assert!(markdown.contains("#### ~ `branches.main` (branch protection) ⚠ weakens"));
    assert!(markdown.contains("| `pull_request.required_approvals` ⚠ weakens | `2` | `1` |"));
    assert!(markdown.contains("accepted until 2026-12-28"), "{markdown}");
    assert!(markdown.ends_with(
        "**⚠ 3 changes weaken protection; apply --yes refuses them without --allow-weakening**\n"
    ));
    let json: serde_json::Value =
        serde_json::from_str(&output(&plan, Format::Json, false)).expect("valid JSON");
    assert_eq!(json["weakens"], 3);
    assert_eq!(json["changes"][0]["weakens"], true);
    assert_eq!(json["changes"][0]["diffs"][0]["weakens"], true);
    assert_eq!(json["changes"][0]["diffs"][1].get("weakens"), None);
    assert_eq!(json["changes"][0]["diffs"][2].get("weakens"), None);
    assert_eq!(json["changes"][3].get("weakens"), None);
    assert_eq!(json["changes"][4]["diffs"][0]["sources"], json!([]));
}

#[test]
fn the_reports_for_ci_tools_name_the_exception_that_accepts_a_whole_change() {
    let plan = guarded();
    let secret = plan
        .changes
        .iter()
        .position(|c| c.address == "environments.staging.secrets.SSH_HOST")
        .expect("the guarded plan deletes SSH_HOST");
    let mut xml = Vec::new();
    let managed = [plan.changes[secret].address.clone()];
    let suites = [super::super::junit::Suite {
        plan: &plan,
        managed: &managed,
    }];
    super::super::junit::render(&suites, &[], &mut xml).expect("written to memory");
    let xml = String::from_utf8(xml).expect("UTF-8");
    assert!(
        xml.contains(r#"<skipped message="accepted until 2026-12-28: INC-2291"#),
        "{xml}"
    );
    let location = super::super::sarif::Location {
        uri: "policy.yaml".to_owned(),
        line: 1,
        column: 1,
    };
    let located = [super::super::sarif::LocatedPlan {
        plan: &plan,
        locations: vec![location; plan.changes.len()],
    }];
    let mut log = Vec::new();
    super::super::sarif::render(&located, "gh-policy/", &mut log).expect("written to memory");
    let log: serde_json::Value = serde_json::from_slice(&log).expect("valid JSON");
    let text = log["runs"][0]["results"][secret]["message"]["text"]
        .as_str()
        .expect("a message");
    assert!(
        text.contains("Accepted until 2026-12-28: INC-2291"),
        "{text}"
    );
}
