use serde_json::json;

use super::*;
use crate::diff;
use crate::live::LiveState;
use crate::render;

/// The plan of the repository's own policy against the drifted state, as `plan` makes it.
fn drifted_plan() -> Plan {
    let policy = crate::testing::flow_policy();
    let live = crate::policy::parse(
        "drifted-state.yaml",
        include_str!("../../../examples/drifted-state.yaml"),
    )
    .unwrap();
    let context = diff::Context {
        sources: diff::SecretSources::of(["PROD_SSH_KEY"]),
        now: time::OffsetDateTime::UNIX_EPOCH,
    };
    diff::plan(
        "acme/katz-backend",
        &policy,
        &LiveState::from_settings(live),
        &context,
    )
}

fn json_of(plan: &Plan) -> String {
    let mut out = Vec::new();
    render::render(plan, render::Format::Json, false, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// A plan without what the file does not carry (the writes, the warnings).
fn as_written(mut plan: Plan) -> Plan {
    for change in &mut plan.changes {
        change.target = None;
    }
    plan.warnings.clear();
    plan
}

#[test]
fn a_plan_reads_back_as_it_was_written() {
    let plan = drifted_plan();
    assert!(!plan.changes.is_empty());
    let read = parse("plan.json", &json_of(&plan)).unwrap();
    assert_eq!(read.plans, Plans::Repository(as_written(plan)));
    assert_eq!(read.weakening, Weakening::default());
}

#[test]
fn an_excepted_change_reads_back_excepted_and_in_sync_agrees() {
    let mut plan = drifted_plan();
    for change in &mut plan.changes {
        change.excepted = true;
    }
    assert!(plan.in_sync());
    let text = json_of(&plan);
    assert!(text.contains("\"excepted\": true"));
    let Plans::Repository(read) = parse("plan.json", &text).unwrap().plans else {
        panic!("not a repository's plan");
    };
    assert!(read.in_sync());
}

#[test]
fn keys_this_version_does_not_know_are_ignored() {
    let mut document: Value = serde_json::from_str(&json_of(&drifted_plan())).unwrap();
    document["fingerprints"] = json!({"GET /repos/acme/katz-backend": "sha256:…"});
    document["changes"][0]["from_the_future"] = json!([1, 2]);
    document["changes"][0]["diffs"][0]["why"] = json!("because");
    let read = parse("saved.plan", &document.to_string()).unwrap();
    assert_eq!(read.plans, Plans::Repository(as_written(drifted_plan())));
}

#[test]
fn the_weakening_the_plan_declares_is_kept() {
    let mut document: Value = serde_json::from_str(&json_of(&drifted_plan())).unwrap();
    document["weakens"] = json!(1);
    document["changes"][1]["weakens"] = json!(true);
    let address = document["changes"][1]["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let read = parse("plan.json", &document.to_string()).unwrap();
    assert_eq!(
        read.weakening,
        Weakening {
            count: 1,
            changes: vec![("acme/katz-backend".to_owned(), address)],
        }
    );
}

#[test]
fn an_organisation_plan_reads_with_its_errors_and_its_repositories_weakening() {
    let repository: Value = serde_json::from_str(&json_of(&drifted_plan())).unwrap();
    let mut weakening = repository.clone();
    weakening["repository"] = json!("acme/web");
    weakening["weakens"] = json!(2);
    let document = json!({
        "organization": "acme",
        "repositories": [repository, weakening],
        "errors": [{"repository": "acme/old", "error": "GitHub API call failed"}]
    });
    let read = parse("org.json", &document.to_string()).unwrap();
    let Plans::Organization(org) = read.plans else {
        panic!("not an organisation's plan");
    };
    assert_eq!(org.organization, "acme");
    assert_eq!(org.plans.len(), 2);
    assert_eq!(org.errors[0].repository, "acme/old");
    assert_eq!(read.weakening.count, 2, "the repositories' counts, summed");
}

#[test]
fn what_is_not_a_plan_is_refused_naming_the_file() {
    let error = |text: &str| parse("plan.json", text).unwrap_err().to_string();
    assert!(
        error("{\"repository\": ").starts_with("plan.json:1:"),
        "{}",
        error("{")
    );
    assert!(error("[]").contains("neither `repository` and `changes` nor `organization`"));
    let missing = error(
        "{\"repository\": \"acme/api\", \"in_sync\": false,\n \"changes\": [{\"address\": \"branches.main\"}]}",
    );
    assert_eq!(
        missing,
        "plan.json:2:41: not a plan as `gh-policy plan --format json` writes it: missing field `kind`"
    );
    let kind = error(
        r#"{"repository": "a/b", "in_sync": false, "changes": [{"address": "x", "kind": "nonsense", "action": "update", "diffs": []}]}"#,
    );
    assert!(kind.contains("unknown variant `nonsense`"), "{kind}");
    let disagrees = error(r#"{"repository": "a/b", "in_sync": false, "changes": []}"#);
    assert!(disagrees.contains("says `in_sync: false`"), "{disagrees}");
}
