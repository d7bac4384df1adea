// Compiled only under cfg(test) (see `mod tests;` in diff/requirement.rs).
use crate::model::RepoSettings;
use crate::model::live::LiveState;
use crate::plan::Change;
use crate::plan::diff::{Context, plan};

fn settings(yaml: &str) -> RepoSettings {
    crate::policy::parse("test.yaml", &format!("version: 1\n{yaml}")).unwrap()
}

/// The requirement changes of the plan of `desired` against the state `live`.
fn requirement_changes(desired: &str, live: &str) -> Vec<Change> {
    let live = LiveState::from_settings(settings(live));
    plan("o/r", &settings(desired), &live, &Context::default())
        .changes
        .into_iter()
        .filter(|c| c.kind() == crate::plan::ResourceKind::Requirement)
        .collect()
}

const RULESET_PINNED: &str = "
rulesets:
  protect:
    include: ['~DEFAULT_BRANCH']
    rules:
      status_checks:
        required: [{ context: ci, app: github-actions }]
";

#[test]
fn a_ruleset_in_sync_keeps_its_live_pins() {
    // The policy lists `ci` by bare name, which GitHub's pinned `ci` satisfies: apply
    // writes nothing, and the pin the requirement asks for stays.
    let desired = "
rulesets:
  protect:
    include: ['~DEFAULT_BRANCH']
    rules:
      status_checks:
        required: [ci]
requirements:
  main:
    required_checks: [{ context: ci, app: github-actions }]
";
    assert_eq!(requirement_changes(desired, RULESET_PINNED), vec![]);
}

#[test]
fn a_rewritten_ruleset_has_the_policys_values() {
    // Rewritten (strict changes), the ruleset has the policy's bare check: any app.
    let desired = "
rulesets:
  protect:
    include: ['~DEFAULT_BRANCH']
    rules:
      status_checks:
        strict: true
        required: [ci]
requirements:
  main:
    required_checks: [{ context: ci, app: github-actions }]
";
    let changes = requirement_changes(desired, RULESET_PINNED);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert!(!changes[0].applies());
}

#[test]
fn pruned_protection_no_longer_provides() {
    let live = "
branches:
  main:
    pull_request: { required_approvals: 2 }
";
    let requirement = "
requirements:
  main:
    required_approvals: 2
";
    // Kept: met now and after.
    assert_eq!(requirement_changes(requirement, live), vec![]);
    // Pruned: apply removes what provides it, and the plan says so.
    let pruned = format!("prune:\n  branch_protection: true\n{requirement}");
    let changes = requirement_changes(&pruned, live);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert!(!changes[0].applies());
}
