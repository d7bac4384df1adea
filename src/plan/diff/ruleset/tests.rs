//! The writer, the reader and the diff agree: a ruleset written as the plan writes it and
//! read back as GitHub stores it is in sync, however its patterns and actors were written.

use serde_json::json;

use super::*;
use crate::github::convert::ruleset::{ruleset_from, ruleset_request};
use crate::github::wire::ruleset::Ruleset as WireRuleset;
use crate::model::RepoSettings;

fn live() -> LiveState {
    let settings: RepoSettings = serde_json::from_value(json!({ "version": 1 })).unwrap();
    let mut live = LiveState::from_settings(settings);
    live.ids = Identities {
        users: [("octocat".to_owned(), 7)].into(),
        teams: [("ops".to_owned(), 41)].into(),
        apps: [("deployer".to_owned(), 99)].into(),
        offline: false,
    };
    live
}

#[test]
fn a_ruleset_written_and_read_back_is_in_sync_however_it_was_written() {
    let want: Ruleset = serde_json::from_value(json!({
        "include": ["main", "refs/heads/release/*", "~DEFAULT_BRANCH", "main"],
        "exclude": ["refs/heads/release/old"],
        "bypass": [
            { "team": "OPS" }, { "app": "deployer" }, { "app_id": 12 }, { "role_id": 5 },
            { "role": "maintain" }, { "user": "OctoCat", "mode": "pull_request" },
            { "org_admins": true }, { "deploy_keys": true, "mode": "exempt" }
        ],
        "rules": {
            "pull_request": { "required_approvals": 1 },
            "block_force_pushes": true,
            "other": [{ "type": "merge_queue", "parameters": { "merge_method": "SQUASH" } }]
        }
    }))
    .unwrap();
    let live = live();
    let put = put(&want, None, &live).expect("every name is known");
    let body = serde_json::to_value(ruleset_request("protect", &put)).unwrap();
    // The writer qualifies every pattern, once each, and sends GitHub's own names as they are.
    assert_eq!(
        body["conditions"]["ref_name"],
        json!({
            "include": ["refs/heads/main", "refs/heads/release/*", "~DEFAULT_BRANCH"],
            "exclude": ["refs/heads/release/old"]
        })
    );
    assert_eq!(
        body["bypass_actors"][0],
        json!({ "actor_id": 2, "actor_type": "RepositoryRole", "bypass_mode": "always" })
    );
    // GitHub answers with what it stored.
    let mut answer = body;
    answer["id"] = json!(1);
    let read: WireRuleset = serde_json::from_value(answer).unwrap();
    let parts = ruleset_from(read, &live.ids).unwrap();
    let diffs = leaves::compare(
        &ruleset_leaves(&parts.ruleset, Some(&want), &live.ids, true),
        &ruleset_leaves(&want, None, &live.ids, true),
    );
    assert_eq!(diffs, Vec::new());
}
