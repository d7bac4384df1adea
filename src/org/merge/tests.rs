// Compiled only under cfg(test) (see `mod tests;` in org/merge/mod.rs).
use super::*;
use crate::policy::{PolicyFile, parse_any};

fn org(text: &str) -> OrgPolicy {
    match parse_any("org.yaml", text) {
        Ok((PolicyFile::Organization(policy), _)) => *policy,
        Ok(_) => panic!("not an organisation policy"),
        Err(err) => panic!("{err}"),
    }
}

fn for_repo(policy: &OrgPolicy, name: &str, tier: Option<&str>) -> RepoSettings {
    let properties = tier
        .map(|t| BTreeMap::from([("tier".to_owned(), vec![t.to_owned()])]))
        .unwrap_or_default();
    policy_for(policy, "acme", name, &properties).unwrap()
}

const LAYERS: &str = "version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 1, dismiss_stale_reviews: true }
      enforce_admins: true
  requirements:
    main: { required_approvals: 1, required_checks: [ci] }
groups:
  critical:
    select: { properties: { tier: critical } }
    policy:
      branches:
        main:
          pull_request: { required_approvals: 2 }
      requirements:
        main: { required_approvals: 2, block_force_pushes: true, required_checks: [security] }
repositories:
  legacy:
    branches:
      main:
        enforce_admins: false
";

#[test]
fn maps_merge_by_key_and_a_value_written_replaces_even_when_it_is_the_default() {
    let policy = org(LAYERS);
    let plain = for_repo(&policy, "web", None);
    let main = &plain.branches["main"];
    assert!(main.enforce_admins);
    assert_eq!(main.pull_request.as_ref().unwrap().required_approvals, 1);
    // The group writes only the count: the rest of `pull_request` stays.
    let critical = for_repo(&policy, "pay", Some("critical"));
    let pull_request = critical.branches["main"].pull_request.clone().unwrap();
    assert_eq!(pull_request.required_approvals, 2);
    assert!(pull_request.dismiss_stale_reviews);
    // `enforce_admins: false` as written replaces `true`, though false is the default.
    let legacy = for_repo(&policy, "legacy", None);
    assert!(!legacy.branches["main"].enforce_admins);
    assert_eq!(legacy.repository.as_deref(), Some("acme/legacy"));
}

#[test]
fn requirements_combine_as_floors_the_stricter_winning() {
    let policy = org(LAYERS);
    let critical = &for_repo(&policy, "pay", Some("critical")).requirements["main"];
    assert_eq!(critical.required_approvals, 2);
    assert!(critical.block_force_pushes);
    let checks: Vec<&str> = critical
        .required_checks
        .iter()
        .map(|c| c.context.as_str())
        .collect();
    assert_eq!(checks, ["ci", "security"]);
    let plain = &for_repo(&policy, "web", None).requirements["main"];
    assert_eq!(plain.required_approvals, 1);
    assert!(!plain.block_force_pushes);
}

#[test]
fn a_repository_entry_or_group_writing_a_requirement_lower_is_a_loosening() {
    let text = "version: 1
organization: acme
defaults:
  requirements:
    main: { required_approvals: 2, block_force_pushes: true }
groups:
  lax:
    select: { names: [\"svc-*\"] }
    policy:
      requirements:
        main: { block_force_pushes: false }
repositories:
  svc-a:
    requirements:
      main: { required_approvals: 3 }
  web:
    requirements:
      main: { required_approvals: 1 }
";
    let err = parse_any("org.yaml", text).unwrap_err();
    let messages: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[0].starts_with("org.yaml:11:") && messages[0].contains("block_force_pushes"),
        "{messages:#?}"
    );
    assert!(
        messages[1].starts_with("org.yaml:18:") && messages[1].contains("required_approvals"),
        "{messages:#?}"
    );
}

#[test]
fn layers_that_do_not_make_a_policy_are_an_error_not_an_empty_policy() {
    let policy = org("version: 1
organization: acme
defaults:
  environments:
    production: { wait_timer: 5 }
repositories:
  web:
    environments:
      production: { wait_timer: 7 }
");
    // The loader refuses a value of the wrong type in any one layer, so the clash is
    // made in code: what must not happen is a silently empty policy.
    let mut clash = policy;
    clash.written["repositories"]["web"]["environments"]["production"]["wait_timer"] =
        serde_json::json!("soon");
    let err = policy_for(&clash, "acme", "web", &BTreeMap::new()).unwrap_err();
    assert!(
        err.contains("acme/web") && err.contains("do not merge"),
        "{err}"
    );
}

#[test]
fn a_merged_policy_that_breaks_a_rule_of_the_whole_is_refused() {
    // Each layer is fine alone; together they name one environment twice (GitHub
    // matches environment names without case), which would never converge.
    let policy = org("version: 1
organization: acme
defaults:
  environments:
    production: { wait_timer: 5 }
repositories:
  web:
    environments:
      Production: { wait_timer: 5 }
");
    let err = policy_for(&policy, "acme", "web", &BTreeMap::new()).unwrap_err();
    assert!(
        err.contains("acme/web") && err.contains("breaks a rule"),
        "{err}"
    );
    assert!(policy_for(&policy, "acme", "api", &BTreeMap::new()).is_ok());
}

#[test]
fn security_and_actions_combine_as_floors_and_settings_merge_as_written() {
    // Two groups that select by property are not compared at validate: the merge keeps the
    // stricter value whatever their order.
    let policy = org("version: 1
organization: acme
defaults:
  settings: { delete_branch_on_merge: true, auto_merge: true }
groups:
  strict:
    select: { properties: { tier: critical } }
    policy:
      security: { push_protection: true }
      actions: { allowed_actions: local_only, workflow_permissions: read, can_approve_pull_requests: false }
  lax:
    select: { properties: { tier: critical } }
    policy:
      settings: { auto_merge: false }
      security: { push_protection: false, secret_scanning: true }
      actions: { allowed_actions: all, workflow_permissions: write, can_approve_pull_requests: true, sha_pinning_required: true }
");
    let merged = for_repo(&policy, "svc-a", Some("critical"));
    let settings = merged.settings.unwrap();
    assert_eq!(
        (settings.delete_branch_on_merge, settings.auto_merge),
        (Some(true), Some(false))
    );
    let security = merged.security.unwrap();
    assert_eq!(
        (security.push_protection, security.secret_scanning),
        (Some(true), Some(true))
    );
    let actions = merged.actions.unwrap();
    assert_eq!(
        (
            actions.allowed_actions,
            actions.workflow_permissions,
            actions.sha_pinning_required,
            actions.can_approve_pull_requests
        ),
        (
            Some(crate::model::AllowedActions::LocalOnly),
            Some(crate::model::WorkflowPermissions::Read),
            Some(true),
            Some(false)
        )
    );
}

#[test]
fn a_layer_loosening_security_or_actions_is_an_error_at_its_line() {
    let text = "version: 1
organization: acme
defaults:
  security: { push_protection: true }
  actions: { allowed_actions: selected, workflow_permissions: read }
groups:
  svc:
    select: { names: [\"svc-*\"] }
    policy:
      actions: { allowed_actions: local_only }
repositories:
  svc-a:
    actions:
      allowed_actions: all
  web:
    security:
      push_protection: false
    settings: { auto_merge: true }
    actions: { workflow_permissions: write }
";
    let err = parse_any("org.yaml", text).unwrap_err();
    let messages: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert!(
        messages[0].starts_with("org.yaml:14:24:")
            && messages[0].contains("asks `actions.allowed_actions: selected`; this writes `all`"),
        "{messages:#?}"
    );
    assert!(
        messages[1].starts_with("org.yaml:14:24:") && messages[1].contains("group `svc` asks"),
        "{messages:#?}"
    );
    assert!(
        messages[2].starts_with("org.yaml:17:24:") && messages[2].contains("push_protection"),
        "{messages:#?}"
    );
    assert!(
        messages[3].starts_with("org.yaml:19:") && messages[3].contains("workflow_permissions"),
        "{messages:#?}"
    );
}
