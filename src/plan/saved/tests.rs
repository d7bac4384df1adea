use serde_json::{Value, json};

use super::reads::{Changed, compare, fingerprints};
use super::*;
use crate::model::live::LiveState;
use crate::plan::diff;
use crate::plan::file;

/// The flow policy against the drifted state, and that state.
fn drifted() -> (Plan, LiveState) {
    let policy = crate::testing::flow_policy();
    let live = LiveState::from_settings(
        crate::policy::parse(
            "drifted-state.yaml",
            include_str!("../../../examples/drifted-state.yaml"),
        )
        .unwrap(),
    );
    let context = diff::Context {
        sources: diff::SecretSources::of(["PROD_SSH_KEY"]),
        now: time::OffsetDateTime::UNIX_EPOCH,
    };
    (
        diff::plan("acme/katz-backend", &policy, &live, &context),
        live,
    )
}

fn made_from(live: &LiveState) -> MadeFrom {
    MadeFrom {
        format: FORMAT,
        gh_policy: "0.1.0".to_owned(),
        made_at: "2026-12-07T09:00:00Z".to_owned(),
        policy: PolicyDigest::of(Path::new("policy.yaml"), b"version: 1\n"),
        secret_values: vec!["PROD_SSH_KEY".to_owned()],
        reads: fingerprints(live),
    }
}

#[test]
fn a_saved_plan_reads_back_whole_and_stays_a_plan_file() {
    let (plan, live) = drifted();
    assert!(!plan.changes.is_empty());
    let text = render(&plan, &made_from(&live));
    let saved = parse("plan.json", text.clone()).unwrap();
    assert_eq!(saved.made_from, made_from(&live));
    assert_eq!(saved.differences(&plan), Vec::new());
    // `issue` and `comment` read it as the plan it is.
    let read = file::parse("plan.json", &text).unwrap();
    assert_eq!(read.plans, file::Plans::Repository(saved.plan));
    assert!(
        PolicyDigest::of(Path::new("p"), b"version: 1\n").sha256
            != PolicyDigest::of(Path::new("p"), b"version: 1 \n").sha256
    );
}

#[test]
fn a_change_to_one_thing_read_names_only_it() {
    let (_, live) = drifted();
    let before = fingerprints(&live);
    assert!(before.contains_key("branches.main"), "{before:#?}");
    assert_eq!(compare(&before, &fingerprints(&live)), Vec::new());

    let mut changed = live.clone();
    let main = changed.settings.branches.get_mut("main").unwrap();
    main.enforce_admins = !main.enforce_admins;
    changed.settings.environments.remove("staging");
    changed.missing_branches.insert("release".to_owned());
    assert_eq!(
        compare(&before, &fingerprints(&changed)),
        vec![
            Changed::Changed("branches.main".to_owned()),
            Changed::Appeared("branches.release".to_owned()),
            Changed::Gone("environments.staging".to_owned()),
        ]
    );
    let mut ids = live;
    ids.ids.users.insert("octocat".to_owned(), 1);
    assert_eq!(
        compare(&before, &fingerprints(&ids)),
        vec![Changed::Changed(
            "the ids of the users, teams and apps named".to_owned()
        )]
    );
}

#[test]
fn an_edited_change_is_located_at_its_address_in_the_file() {
    let (plan, live) = drifted();
    let text = render(&plan, &made_from(&live));
    let mut document: Value = serde_json::from_str(&text).unwrap();
    let changes = document["changes"].as_array_mut().unwrap();
    let index = changes
        .iter()
        .position(|c| c["address"] == "branches.main")
        .unwrap();
    changes[index]["diffs"][0]["policy"] = json!(7);
    // A change dropped from the plan is one the reviewer did not see.
    let dropped = changes.remove(changes.len() - 1);
    let edited = serde_json::to_string_pretty(&document).unwrap();
    let saved = parse("plan.json", edited.clone()).unwrap();
    let main_line = edited
        .lines()
        .position(|l| l.contains("\"address\": \"branches.main\""))
        .unwrap()
        + 1;
    let found = saved.differences(&plan);
    assert_eq!(
        found,
        vec![
            Differs {
                address: "branches.main".to_owned(),
                at: format!("plan.json:{main_line}:7"),
                how: "differs from the plan made now",
            },
            Differs {
                address: dropped["address"].as_str().unwrap().to_owned(),
                at: "plan.json".to_owned(),
                how: "is in the plan made now, not in the saved plan",
            },
        ]
    );
}

#[test]
fn the_saved_object_is_read_strictly_at_its_line() {
    let (plan, live) = drifted();
    let text = render(&plan, &made_from(&live));
    let unknown = text.replacen(
        "\"format\": 1,",
        "\"format\": 1,\n    \"trust_me\": true,",
        1,
    );
    let error = parse("plan.json", unknown).unwrap_err().to_string();
    assert!(error.starts_with("plan.json:"), "{error}");
    assert!(error.contains("unknown field `trust_me`"), "{error}");
    let later = text.replacen("\"format\": 1,", "\"format\": 2,", 1);
    let error = parse("plan.json", later).unwrap_err().to_string();
    assert!(error.contains("`saved.format` is 2"), "{error}");
    let org = json!({"organization": "acme", "repositories": []}).to_string();
    let error = parse("org.json", org).unwrap_err().to_string();
    assert!(error.contains("the plan of the organisation"), "{error}");
}
