//! Issues, pull request comments and labels over real HTTP: what a drift issue and a pull
//! request comment need (github-api/QUIRKS.md 65), answered as the API description says.

use gh_policy_emulator::{Emulator, IssueSeed, LabelSeed, Role, Seed};
use serde_json::{Value, json};

use crate::common::*;

/// The flow's repository with a pull request (#1) carrying a comment, an issue (#2) and a
/// label.
fn with_issues() -> Emulator {
    let mut seed: Seed = Emulator::load_seed(fixture("flow-in-sync.json")).unwrap();
    seed.issues = vec![
        IssueSeed::pull_request("Raise main's approvals").comment("hubot", "looks good"),
        IssueSeed::new("A bug").label("bug"),
    ];
    seed.labels = vec![LabelSeed {
        name: "bug".into(),
        color: "d73a4a".into(),
        description: Some("Something isn't working".into()),
    }];
    Emulator::builder(seed)
        .token_with_role("read-token", Role::Read)
        .token_with_role("write-token", Role::Write)
        .start()
}

fn numbers(list: &Value) -> Vec<u64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].as_u64().unwrap())
        .collect()
}

#[test]
fn the_issue_list_returns_pull_requests_too_and_filters_by_state_and_label() {
    let emu = with_issues();
    let all = get(&emu, &format!("{R}/issues"));
    assert_eq!(all.status, 200);
    let all = all.json();
    assert_eq!(
        numbers(&all),
        [2, 1],
        "newest first, pull requests included"
    );
    assert!(all[1]["pull_request"]["url"].is_string());
    assert!(all[0].get("pull_request").is_none());
    assert_eq!(all[1]["comments"], 1);
    assert_eq!(all[0]["labels"][0]["name"], "bug");

    let bugs = get(&emu, &format!("{R}/issues?labels=BUG&state=open")).json();
    assert_eq!(numbers(&bugs), [2]);
    let closed = get(&emu, &format!("{R}/issues?state=closed")).json();
    assert_eq!(numbers(&closed), Vec::<u64>::new());
    let ascending = get(&emu, &format!("{R}/issues?direction=asc&per_page=1")).json();
    assert_eq!(numbers(&ascending), [1]);
    assert_clean(&emu);
}

#[test]
fn an_issue_is_opened_updated_and_closed_with_a_reason() {
    let emu = with_issues();
    let created = call(
        &emu,
        "POST",
        &format!("{R}/issues"),
        Some(
            json!({"title": "Protection drift: acme/katz-backend", "body": "first", "labels": ["gh-policy-drift"]}),
        ),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let issue = created.json();
    assert_eq!(
        issue["number"], 3,
        "issues and pull requests share the numbering"
    );
    assert_eq!(issue["state"], "open");
    assert_eq!(issue["user"]["login"], "octocat", "the token's user");
    // A label the repository lacked is made on the fly, grey.
    let labels = get(&emu, &format!("{R}/labels")).json();
    let made = labels
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "gh-policy-drift")
        .unwrap();
    assert_eq!(made["color"], "ededed");

    let updated = call(
        &emu,
        "PATCH",
        &format!("{R}/issues/3"),
        Some(json!({"body": "second"})),
    );
    assert_eq!(updated.status, 200);
    assert_eq!(updated.json()["body"], "second");
    assert_eq!(updated.json()["state"], "open");

    // A reason without a change of state is ignored.
    let ignored = call(
        &emu,
        "PATCH",
        &format!("{R}/issues/3"),
        Some(json!({"state_reason": "not_planned"})),
    );
    assert_eq!(ignored.json()["state_reason"], Value::Null);

    let closed = call(
        &emu,
        "PATCH",
        &format!("{R}/issues/3"),
        Some(json!({"state": "closed", "state_reason": "completed"})),
    );
    let closed = closed.json();
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["state_reason"], "completed");
    assert!(closed["closed_at"].is_string());
    let open = get(&emu, &format!("{R}/issues?labels=gh-policy-drift")).json();
    assert_eq!(numbers(&open), Vec::<u64>::new());

    let reopened = call(
        &emu,
        "PATCH",
        &format!("{R}/issues/3"),
        Some(json!({"state": "open"})),
    );
    assert_eq!(reopened.json()["state_reason"], "reopened");
    assert_eq!(reopened.json()["closed_at"], Value::Null);

    let state = emu.state();
    assert_eq!(state.issues[2].title, "Protection drift: acme/katz-backend");
    assert_eq!(state.issues[2].labels, ["gh-policy-drift"]);
    assert_clean(&emu);
}

#[test]
fn a_pull_request_comment_is_created_listed_and_updated() {
    let emu = with_issues();
    let posted = call(
        &emu,
        "POST",
        &format!("{R}/issues/1/comments"),
        Some(json!({"body": "<!-- marker -->\nplan"})),
    );
    assert_eq!(posted.status, 201, "{}", posted.body);
    let id = posted.json()["id"].as_u64().unwrap();
    assert!(
        posted.json()["html_url"]
            .as_str()
            .unwrap()
            .contains("/pull/1#issuecomment-")
    );

    let listed = get(&emu, &format!("{R}/issues/1/comments")).json();
    let bodies: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies,
        ["looks good", "<!-- marker -->\nplan"],
        "oldest first"
    );

    let edited = call(
        &emu,
        "PATCH",
        &format!("{R}/issues/comments/{id}"),
        Some(json!({"body": "<!-- marker -->\nnew plan"})),
    );
    assert_eq!(edited.status, 200);
    assert_eq!(edited.json()["body"], "<!-- marker -->\nnew plan");
    assert_eq!(
        call(
            &emu,
            "PATCH",
            &format!("{R}/issues/comments/999"),
            Some(json!({"body": "x"}))
        )
        .status,
        404
    );
    assert_eq!(
        call(
            &emu,
            "POST",
            &format!("{R}/issues/99/comments"),
            Some(json!({"body": "x"}))
        )
        .status,
        404
    );
    assert_clean(&emu);
}

#[test]
fn labels_are_unique_without_regard_to_case_and_bodies_are_checked() {
    let emu = with_issues();
    let made = call(
        &emu,
        "POST",
        &format!("{R}/labels"),
        Some(
            json!({"name": "gh-policy-weakens", "color": "B60205", "description": "lowers protection"}),
        ),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.json()["color"], "b60205");
    let again = call(
        &emu,
        "POST",
        &format!("{R}/labels"),
        Some(json!({"name": "GH-policy-weakens"})),
    );
    assert_eq!(again.status, 422);
    assert_eq!(again.json()["errors"][0]["code"], "already_exists");
    let bad_color = call(
        &emu,
        "POST",
        &format!("{R}/labels"),
        Some(json!({"name": "x", "color": "red"})),
    );
    assert_eq!(bad_color.status, 422);
    // The schema requires a name, and a comment's body.
    assert_eq!(
        call(&emu, "POST", &format!("{R}/labels"), Some(json!({}))).status,
        422
    );
    assert_eq!(
        call(
            &emu,
            "POST",
            &format!("{R}/issues/1/comments"),
            Some(json!({"text": "x"}))
        )
        .status,
        422
    );
    assert_eq!(emu.request_violations().len(), 2);

    // Labels of a pull request are replaced as a set.
    let labelled = call(
        &emu,
        "PATCH",
        &format!("{R}/issues/1"),
        Some(json!({"labels": ["bug", "gh-policy-weakens"]})),
    );
    let labelled = labelled.json();
    let names: Vec<&str> = labelled["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["bug", "gh-policy-weakens"]);
    assert_clean(&emu);
}

#[test]
fn writing_issues_needs_write_access_not_administration() {
    let emu = with_issues();
    let body = Some(json!({"title": "t"}));
    let read = call_as(
        &emu,
        "read-token",
        "POST",
        &format!("{R}/issues"),
        body.clone(),
    );
    assert_eq!(read.status, 403);
    assert_eq!(
        read.header("x-accepted-github-permissions"),
        Some("issues=write")
    );
    assert_eq!(
        call_as(&emu, "read-token", "GET", &format!("{R}/issues"), None).status,
        200
    );
    let write = call_as(&emu, "write-token", "POST", &format!("{R}/issues"), body);
    assert_eq!(write.status, 201);
    // ... while protection still needs an administrator.
    let protection = call_as(
        &emu,
        "write-token",
        "DELETE",
        &format!("{R}/branches/main/protection"),
        None,
    );
    assert_eq!(protection.status, 403);
}
