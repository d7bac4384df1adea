use serde_json::json;

use super::*;
use crate::model::live::LiveState;
use crate::plan::diff;
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
        match &mut change.disposition {
            crate::plan::Disposition::Applicable(target)
            | crate::plan::Disposition::Weakening(target) => *target = None,
            _ => {}
        }
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
        change.disposition = crate::plan::Disposition::Excepted {
            whole: None,
            refused: change.refusal().cloned(),
        };
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

/// A plan that lowers `main`'s approvals from two to one (a setting that weakens) and
/// deletes the ruleset `old` (a change that weakens whole).
fn weakening_plan(repository: &str) -> Plan {
    let parse = |name: &str, text: &str| crate::policy::parse(name, text).unwrap();
    let policy = parse(
        "policy.yaml",
        "version: 1\nbranches:\n  main:\n    pull_request: { required_approvals: 1 }\nprune:\n  rulesets: true\n",
    );
    let live = parse(
        "state.yaml",
        "version: 1\nbranches:\n  main:\n    pull_request: { required_approvals: 2 }\nrulesets:\n  old:\n    include: ['~DEFAULT_BRANCH']\n    rules:\n      pull_request: { required_approvals: 1 }\n",
    );
    diff::plan(
        repository,
        &policy,
        &LiveState::from_settings(live),
        &diff::Context::default(),
    )
}

#[test]
fn a_plan_reads_back_with_its_weakening_marks() {
    let plan = weakening_plan("acme/api");
    assert_eq!(plan.weakening(), 2, "{plan:#?}");
    let read = parse("plan.json", &json_of(&plan)).unwrap();
    let Plans::Repository(back) = &read.plans else {
        panic!("not a repository's plan");
    };
    // The same marks, so the same ⚠ weakens wherever the plan is shown.
    for format in [render::Format::Markdown, render::Format::Text] {
        let shown = |plan: &Plan| {
            let mut out = Vec::new();
            render::render(plan, format, false, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert!(shown(back).contains("⚠ weakens"), "{}", shown(back));
        assert_eq!(shown(back), shown(&plan), "{format:?}");
    }
    assert_eq!(json_of(back), json_of(&plan));
    assert_eq!(
        read.weakening,
        Weakening {
            count: 2,
            changes: vec![
                ("acme/api".to_owned(), "branches.main".to_owned()),
                ("acme/api".to_owned(), "rulesets.old".to_owned()),
            ],
        }
    );
}

#[test]
fn a_weakens_count_its_marks_do_not_bear_out_is_refused() {
    let mut document: Value = serde_json::from_str(&json_of(&weakening_plan("acme/api"))).unwrap();
    document["weakens"] = json!(3);
    let error = parse("plan.json", &document.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("says `weakens: 3`, and 2 of its changes weaken protection"),
        "{error}"
    );
}

#[test]
fn an_organisation_plan_reads_with_its_errors_and_its_repositories_weakening() {
    let repository: Value = serde_json::from_str(&json_of(&drifted_plan())).unwrap();
    let weakening: Value = serde_json::from_str(&json_of(&weakening_plan("acme/web"))).unwrap();
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
    assert!(
        read.weakening
            .changes
            .iter()
            .all(|(repository, _)| repository == "acme/web")
    );
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
