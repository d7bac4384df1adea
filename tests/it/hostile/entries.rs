//! Organisation entries that were lost (issue 28, finding 4): `repositories` entries that
//! differ only in case, an entry naming no repository, a repository the listing repeats,
//! and a listed name gh-policy cannot use — each refused or reported, none silent.

use gh_policy_emulator::{Emulator, Fault, FaultKind, RepositorySeed};
use serde_json::Value;

use super::{ORG_POLICY, assert_code, bare, org, org_seed, printed, run};
use crate::common::TestRepo;

fn plan_json(repo: &TestRepo, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["plan", "--no-cache", "--format", "json"];
    args.extend_from_slice(extra);
    let output = run(&mut repo.std_cmd(), &args);
    let plan = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap(), plan, printed(&output))
}

fn planned(plan: &Value) -> Vec<String> {
    plan["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["repository"].as_str().unwrap().to_owned())
        .collect()
}

fn errors(plan: &Value) -> Vec<(String, String)> {
    plan["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["repository"].as_str().unwrap().to_owned(),
                e["error"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn entries_that_differ_only_in_case_are_refused_at_their_line() {
    let repo = org(1);
    repo.policy(&format!(
        "{ORG_POLICY}repositories:\n  svc-0:\n    branches: {{ main: {{ pull_request: {{ required_approvals: 3 }} }} }}\n  SVC-0: {{}}\n"
    ));
    let output = run(&mut repo.std_cmd(), &["validate"]);
    assert_code(&output, 1);
    let err = String::from_utf8_lossy(&output.stderr);
    // Located at one entry, naming the other's line.
    assert!(
        err.contains(
            "policy.yaml:8:3: repositories `svc-0` and `SVC-0` (line 10) are one repository"
        ),
        "{err}"
    );
}

#[test]
fn an_entry_naming_no_repository_is_an_error_row() {
    let repo = org(2);
    repo.policy(&format!(
        "{ORG_POLICY}repositories:\n  svc-00:\n    branches: {{ main: {{ pull_request: {{ required_approvals: 3 }} }} }}\n"
    ));
    let (code, plan, all) = plan_json(&repo, &[]);
    assert_eq!(code, 1, "{all}");
    assert_eq!(planned(&plan), ["acme/svc-0", "acme/svc-1"]);
    let errors = errors(&plan);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "acme/svc-00");
    assert!(
        errors[0].1.contains("has no such repository")
            && errors[0].1.contains("did you mean `svc-0`?"),
        "{}",
        errors[0].1
    );
    // Each shard reports it once, in the shard its name falls in.
    let reported: usize = (1..=3)
        .map(|i| {
            let (_, plan, all) = plan_json(&repo, &["--shard", &format!("{i}/3")]);
            assert!(plan.is_object(), "{all}");
            errors_of(&plan)
        })
        .sum();
    assert_eq!(reported, 1);
}

fn errors_of(plan: &Value) -> usize {
    plan["errors"].as_array().map_or(0, Vec::len)
}

#[test]
fn a_repository_the_listing_repeats_is_planned_and_written_once() {
    let repo = org(3);
    repo.emu.inject(
        Fault::new(FaultKind::RepeatFirstItem)
            .method("GET")
            .path("/orgs/acme/repos")
            .always(),
    );
    let (code, plan, all) = plan_json(&repo, &[]);
    assert_eq!(code, 2, "{all}");
    assert_eq!(planned(&plan), ["acme/svc-0", "acme/svc-1", "acme/svc-2"]);
    let output = run(&mut repo.std_cmd(), &["apply", "--no-cache", "--yes"]);
    assert_code(&output, 0);
    let writes = repo.writes();
    let to_first = writes
        .iter()
        .filter(|w| w.path.starts_with("/repos/acme/svc-0/"))
        .count();
    assert_eq!(to_first, 1, "{writes:#?}");
}

#[test]
fn a_listed_name_gh_policy_cannot_use_is_an_error_row() {
    let seed = org_seed(1)
        .with_repository(RepositorySeed::new("bad name").protected_branch("main", bare()));
    let repo = TestRepo::with(Emulator::builder(seed).start());
    repo.policy(ORG_POLICY);
    let (code, plan, all) = plan_json(&repo, &[]);
    assert_eq!(code, 1, "{all}");
    assert_eq!(planned(&plan), ["acme/svc-0"]);
    let errors = errors(&plan);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "acme/bad name");
    assert!(errors[0].1.contains("cannot use"), "{}", errors[0].1);
}
