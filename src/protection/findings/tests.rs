//! Tests of the findings, per id: found, and not found once the cause is gone.

use super::*;
use crate::model::RepoSettings;

fn policy(yaml: &str) -> RepoSettings {
    crate::policy::parse("policy.yaml", yaml).unwrap()
}

fn ids(found: &[Finding]) -> Vec<(FindingId, String)> {
    found.iter().map(|f| (f.id, f.target.clone())).collect()
}

const SOLE: &str = "version: 1
environments:
  production:
    prevent_self_review: true
    reviewers: [{ user: octocat }]
";

#[test]
fn sole_reviewer_self_review_is_found_offline_and_gone_with_a_second_reviewer() {
    let found = offline::findings(&policy(SOLE));
    assert_eq!(
        ids(&found),
        [(
            FindingId::SoleReviewerSelfReview,
            "environments.production".to_owned()
        )]
    );
    assert_eq!(found[0].severity, Severity::Warning);
    let two = SOLE.replace(
        "[{ user: octocat }]",
        "[{ user: octocat }, { user: hubot }]",
    );
    assert!(offline::findings(&policy(&two)).is_empty());
    let team = SOLE.replace("[{ user: octocat }]", "[{ team: release-managers }]");
    assert!(offline::findings(&policy(&team)).is_empty());
    let off = SOLE.replace("prevent_self_review: true", "prevent_self_review: false");
    assert!(offline::findings(&policy(&off)).is_empty());
}

const LINEAR: &str = "version: 1
branches:
  main:
    required_linear_history: true
rulesets:
  merges:
    include: [main]
    rules:
      pull_request:
        allowed_merge_methods: [merge]
";

#[test]
fn linear_history_merge_only_is_found_offline_when_the_policy_sets_both() {
    let found = offline::findings(&policy(LINEAR));
    assert_eq!(
        ids(&found),
        [(
            FindingId::LinearHistoryMergeOnly,
            "branches.main".to_owned()
        )]
    );
    assert_eq!(found[0].severity, Severity::Error);
    assert_eq!(found[0].sources, ["classic", "ruleset \"merges\""]);
    // A method that keeps history linear is allowed: nothing.
    let squash = LINEAR.replace("[merge]", "[merge, squash]");
    assert!(offline::findings(&policy(&squash)).is_empty());
    // Linear history no longer required: nothing.
    let merges = LINEAR.replace(
        "required_linear_history: true",
        "required_linear_history: false",
    );
    assert!(offline::findings(&policy(&merges)).is_empty());
    // The policy sets only one of the two: offline it cannot tell.
    let unrestricted = LINEAR.replace("allowed_merge_methods: [merge]", "required_approvals: 1");
    assert!(offline::findings(&policy(&unrestricted)).is_empty());
}

#[test]
fn a_requirement_asking_linear_history_counts_as_the_policy_setting_it() {
    let text = "version: 1
requirements:
  main: { required_linear_history: true }
rulesets:
  merges:
    include: [main]
    rules: { pull_request: { allowed_merge_methods: [merge] } }
";
    let found = offline::findings(&policy(text));
    assert_eq!(
        ids(&found),
        [(
            FindingId::LinearHistoryMergeOnly,
            "branches.main".to_owned()
        )]
    );
    assert!(found[0].sources.contains(&"requirements.main".to_owned()));
}

fn at(text: &str) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
}

#[test]
fn an_exception_accepts_a_finding_until_its_date() {
    let text = format!(
        "{SOLE}exceptions:
  - finding: sole-reviewer-self-review
    target: environments.production
    reason: one release manager until the hire starts
    expires: 2026-12-20
"
    );
    let settings = policy(&text);
    let mut found = Findings {
        findings: offline::findings(&settings),
        ..Findings::default()
    };
    let warnings = accept::accept(&mut found, &settings, at("2026-12-07T00:00:00Z"));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        found.findings[0]
            .excepted
            .as_ref()
            .map(|n| n.expires.as_str()),
        Some("2026-12-20")
    );
    let mut later = Findings {
        findings: offline::findings(&settings),
        ..Findings::default()
    };
    let warnings = accept::accept(&mut later, &settings, at("2026-12-21T00:00:00Z"));
    assert!(later.findings[0].excepted.is_none());
    assert!(warnings[0].contains("expired"), "{warnings:?}");
}

#[test]
fn an_error_finding_fails_unless_accepted_and_a_warning_never_does() {
    let settings = policy(LINEAR);
    let mut found = Findings {
        findings: offline::findings(&settings),
        ..Findings::default()
    };
    assert_eq!(found.failing(), 1);
    found.findings[0].excepted = Some(crate::plan::ExceptionNote {
        reason: "r".to_owned(),
        expires: "2026-12-20".to_owned(),
    });
    assert_eq!(found.failing(), 0);
    let warnings = Findings {
        findings: offline::findings(&policy(SOLE)),
        ..Findings::default()
    };
    assert_eq!(warnings.failing(), 0);
}

#[test]
fn finding_ids_are_stable_and_parse_back() {
    for id in FindingId::ALL {
        assert_eq!(FindingId::parse(id.as_str()), Some(id));
        assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
    }
    assert_eq!(FindingId::parse("no-such-finding"), None);
}
