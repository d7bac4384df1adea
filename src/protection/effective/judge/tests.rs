// Compiled only under cfg(test) (see `mod tests;` in effective/judge/mod.rs).
use serde_json::json;

use super::*;
use crate::model::live::{AppliedRuleset, BranchEvidence, Classic};
use crate::model::{Branch, PullRequestRule, PullRequestRules, Rules, StatusChecksRule};
use crate::protection::effective::{contributions, settings};
use crate::testing::name;

fn ruleset(name: &str, org: Option<&str>, active: bool, rules: Rules) -> AppliedRuleset {
    AppliedRuleset {
        id: None,
        source: Source::Ruleset {
            name: name.to_owned(),
            organization: org.map(str::to_owned),
        },
        active,
        rules,
        bypass: Some(Vec::new()),
    }
}

fn checks(names: &[&str]) -> Rules {
    Rules {
        status_checks: Some(StatusChecksRule {
            required: names.iter().map(|n| RequiredCheck::any_app(*n)).collect(),
            ..StatusChecksRule::default()
        }),
        ..Rules::default()
    }
}

/// The world: classic with 1 approval, a repository ruleset with 2, two
/// organisation rulesets requiring `ci` and `sec`.
fn evidence(sec_active: bool) -> BranchEvidence {
    BranchEvidence {
        branch: "main".into(),
        exists: true,
        classic: Classic::Protected(Box::new(Branch {
            pull_request: Some(PullRequestRules {
                required_approvals: 1,
                ..PullRequestRules::default()
            }),
            ..Branch::default()
        })),
        rulesets: vec![
            ruleset(
                "protect-main",
                None,
                true,
                Rules {
                    pull_request: Some(PullRequestRule {
                        required_approvals: 2,
                        ..PullRequestRule::default()
                    }),
                    ..Rules::default()
                },
            ),
            ruleset("org-ci", Some("acme"), true, checks(&["ci"])),
            ruleset("org-sec", Some("acme"), sec_active, checks(&["sec"])),
        ],
    }
}

fn requirement() -> Requirement {
    Requirement {
        required_approvals: 2,
        required_checks: vec![RequiredCheck::any_app("ci"), RequiredCheck::any_app("sec")],
        ..Requirement::default()
    }
}

#[test]
fn every_source_counts_and_each_requirement_names_its_sources() {
    let ids = Identities::default();
    let (enforced, evaluate) = contributions(&evidence(true), &ids);
    let judged = judge(&requirement(), &enforced, &evaluate, &ids);
    assert!(
        judged.iter().all(|j| j.verdict == Verdict::Met),
        "{judged:#?}"
    );
    let names = |j: &Judged| {
        j.sources
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&judged[0]),
        ["ruleset \"protect-main\""],
        "a source below the floor is not a source"
    );
    assert_eq!(
        names(&judged[1]),
        [
            "ruleset \"org-ci\" (organization acme)",
            "ruleset \"org-sec\" (organization acme)"
        ]
    );
}

#[test]
fn an_evaluate_ruleset_never_counts_but_is_named() {
    let ids = Identities::default();
    let (enforced, evaluate) = contributions(&evidence(false), &ids);
    let judged = judge(&requirement(), &enforced, &evaluate, &ids);
    let checks = &judged[1];
    assert_eq!(checks.verdict, Verdict::Unmet);
    assert_eq!(checks.live, json!(["ci"]));
    assert_eq!(
        checks
            .evaluate_only
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["ruleset \"org-sec\" (organization acme)"]
    );
}

#[test]
fn no_check_is_dropped_when_two_rulesets_require_checks() {
    let ids = Identities::default();
    let (enforced, _) = contributions(&evidence(true), &ids);
    let all = settings(&enforced);
    let checks = all.iter().find(|s| s.setting == "required_checks").unwrap();
    assert_eq!(checks.value, json!(["ci", "sec"]));
    let approvals = all
        .iter()
        .find(|s| s.setting == "required_approvals")
        .unwrap();
    assert_eq!(approvals.value, json!(2));
}

#[test]
fn a_pin_is_met_only_by_that_app() {
    let mut ids = Identities::default();
    ids.apps.insert("github-actions".into(), 15368);
    let mut evidence = evidence(true);
    evidence.rulesets[1].rules = checks(&["ci"]);
    let pinned = Requirement {
        required_checks: vec![RequiredCheck {
            context: "ci".into(),
            app: Some(name("github-actions")),
            app_id: None,
        }],
        ..Requirement::default()
    };
    let (enforced, evaluate) = contributions(&evidence, &ids);
    assert_eq!(
        judge(&pinned, &enforced, &evaluate, &ids)[0].verdict,
        Verdict::Unmet
    );
    evidence.rulesets[1]
        .rules
        .status_checks
        .as_mut()
        .unwrap()
        .required[0]
        .app_id = Some(15368);
    let (enforced, evaluate) = contributions(&evidence, &ids);
    assert_eq!(
        judge(&pinned, &enforced, &evaluate, &ids)[0].verdict,
        Verdict::Met
    );
}

#[test]
fn no_bypass_needs_every_provider_closed_and_visible() {
    let ids = Identities::default();
    let wanted = Requirement {
        no_bypass: true,
        ..Requirement::default()
    };
    let mut evidence = evidence(true);
    // Classic without enforce_admins can be bypassed by admins.
    let (enforced, evaluate) = contributions(&evidence, &ids);
    assert_eq!(
        judge(&wanted, &enforced, &evaluate, &ids)[0].verdict,
        Verdict::Unmet
    );
    evidence.classic = Classic::None;
    let (enforced, evaluate) = contributions(&evidence, &ids);
    assert_eq!(
        judge(&wanted, &enforced, &evaluate, &ids)[0].verdict,
        Verdict::Met
    );
    evidence.rulesets[0].bypass = None;
    let (enforced, evaluate) = contributions(&evidence, &ids);
    assert_eq!(
        judge(&wanted, &enforced, &evaluate, &ids)[0].verdict,
        Verdict::Unknown
    );
}

fn no_bypass_of(wanted: &Requirement, evidence: &BranchEvidence) -> (Verdict, Vec<String>) {
    let ids = Identities::default();
    let (enforced, evaluate) = contributions(evidence, &ids);
    let judged = judge(wanted, &enforced, &evaluate, &ids);
    let last = judged.last().unwrap();
    assert_eq!(last.setting, "no_bypass");
    (
        last.verdict.clone(),
        last.sources.iter().map(ToString::to_string).collect(),
    )
}

fn approvals_without_bypass(count: u8) -> Requirement {
    Requirement {
        required_approvals: count,
        no_bypass: true,
        ..Requirement::default()
    }
}

#[test]
fn no_bypass_ignores_a_bypassable_source_that_provides_nothing_asked() {
    // Classic (admins may bypass it) provides 1 approval and blocks force pushes; only
    // 2 approvals are asked, which the closed ruleset provides.
    assert_eq!(
        no_bypass_of(&approvals_without_bypass(2), &evidence(true)),
        (Verdict::Met, vec!["ruleset \"protect-main\"".to_owned()])
    );
}

#[test]
fn no_bypass_ignores_a_bypassable_source_a_closed_one_duplicates() {
    let mut evidence = evidence(true);
    if let Classic::Protected(branch) = &mut evidence.classic {
        branch.pull_request.as_mut().unwrap().required_approvals = 2;
    }
    assert_eq!(
        no_bypass_of(&approvals_without_bypass(2), &evidence).0,
        Verdict::Met
    );
    // Alone, the bypassable source leaves it unmet, and is named.
    evidence.rulesets[0].bypass = Some(vec![crate::model::BypassActor::default()]);
    assert_eq!(
        no_bypass_of(&approvals_without_bypass(2), &evidence),
        (
            Verdict::Unmet,
            vec!["classic".to_owned(), "ruleset \"protect-main\"".to_owned()]
        )
    );
}

#[test]
fn no_bypass_needs_the_hidden_actors_only_of_a_source_it_rests_on() {
    let mut evidence = evidence(true);
    evidence.rulesets[1].bypass = None;
    // `org-ci` is hidden, but only approvals are asked.
    assert_eq!(
        no_bypass_of(&approvals_without_bypass(2), &evidence).0,
        Verdict::Met
    );
    // Asked for `ci`, which only `org-ci` provides: it cannot be told, and says where.
    let ci = Requirement {
        required_checks: vec![RequiredCheck::any_app("ci")],
        no_bypass: true,
        ..Requirement::default()
    };
    assert_eq!(
        no_bypass_of(&ci, &evidence),
        (
            Verdict::Unknown,
            vec!["ruleset \"org-ci\" (organization acme)".to_owned()]
        )
    );
}

#[test]
fn no_bypass_with_nothing_provided_is_unmet() {
    let evidence = BranchEvidence {
        classic: Classic::None,
        rulesets: Vec::new(),
        ..evidence(true)
    };
    assert_eq!(
        no_bypass_of(&approvals_without_bypass(1), &evidence),
        (Verdict::Unmet, vec![])
    );
}
