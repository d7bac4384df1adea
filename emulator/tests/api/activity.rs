//! What pull requests meet beyond protection (DESIGN §13): collaborators, CODEOWNERS, pull
//! requests and what reported on each commit, answered as the API data says.

use crate::common;

use gh_policy_emulator::{ActivitySeed, Emulator, RepositorySeed, Role, Seed, TokenSeed};

use common::{assert_clean, call_as, get};

fn world(activity: ActivitySeed) -> Emulator {
    let seed = Seed::organization("acme", 9000)
        .with_app("github-actions", 15368)
        .with_app("circleci", 18001)
        .with_user("octocat", 1)
        .with_user("hubot", 2)
        .with_token(TokenSeed::new("reader", Role::Read))
        .with_repository(RepositorySeed::new("api").activity(activity));
    Emulator::start(seed)
}

#[test]
fn collaborators_are_filtered_by_permission_and_hidden_from_readers() {
    let emu = world(ActivitySeed::default().collaborators(&[
        ("octocat", "admin"),
        ("hubot", "write"),
        ("reader-person", "read"),
    ]));
    let all = get(&emu, "/repos/acme/api/collaborators?per_page=100").json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let push = get(
        &emu,
        "/repos/acme/api/collaborators?permission=push&per_page=100",
    )
    .json();
    let logins: Vec<&str> = push
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["login"].as_str().unwrap())
        .collect();
    assert_eq!(logins, ["octocat", "hubot"]);
    assert_eq!(push[0]["permissions"]["admin"], true);
    assert_eq!(push[1]["role_name"], "write");
    let refused = call_as(&emu, "reader", "GET", "/repos/acme/api/collaborators", None);
    assert_eq!(refused.status, 403);
    assert_clean(&emu);
}

#[test]
fn without_seeded_collaborators_the_users_with_write_access_are_writers() {
    let emu = world(ActivitySeed::default());
    let push = get(&emu, "/repos/acme/api/collaborators?permission=push").json();
    assert_eq!(push.as_array().unwrap().len(), 2);
    assert_clean(&emu);
}

#[test]
fn codeowners_errors_answer_404_without_a_file_and_list_each_error_with_its_line() {
    let none = world(ActivitySeed::default());
    assert_eq!(get(&none, "/repos/acme/api/codeowners/errors").status, 404);
    let clean = world(ActivitySeed::default().codeowners(&[]));
    assert_eq!(
        get(&clean, "/repos/acme/api/codeowners/errors?ref=main").json()["errors"],
        serde_json::json!([])
    );
    let broken = world(ActivitySeed::default().codeowners(&[(7, "Invalid owner", "*.txt docs@")]));
    let body = get(&broken, "/repos/acme/api/codeowners/errors").json();
    assert_eq!(body["errors"][0]["line"], 7);
    assert_eq!(body["errors"][0]["path"], ".github/CODEOWNERS");
    assert_clean(&broken);
    assert_clean(&clean);
}

#[test]
fn pulls_filter_by_state_and_base_newest_first_and_commits_have_their_own_reports() {
    let emu = world(
        ActivitySeed::default()
            .merged("main", "aaaa", &[("lint", "github-actions")], &[])
            .merged("dev", "bbbb", &[], &["ci/jenkins"])
            .merged("main", "cccc", &[("lint", "circleci")], &["security"]),
    );
    let pulls = get(
        &emu,
        "/repos/acme/api/pulls?state=closed&base=main&sort=updated&direction=desc&per_page=10",
    )
    .json();
    let heads: Vec<&str> = pulls
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["head"]["sha"].as_str().unwrap())
        .collect();
    assert_eq!(heads, ["cccc", "aaaa"]);
    assert!(pulls[0]["merged_at"].is_string());
    assert_eq!(
        get(&emu, "/repos/acme/api/pulls").json(),
        serde_json::json!([]),
        "open is the default state"
    );
    let runs = get(&emu, "/repos/acme/api/commits/cccc/check-runs?per_page=100").json();
    assert_eq!(runs["check_runs"][0]["app"]["slug"], "circleci");
    let status = get(&emu, "/repos/acme/api/commits/cccc/status?per_page=100").json();
    assert_eq!(status["statuses"][0]["context"], "security");
    assert_eq!(status["total_count"], 1);
    let none = get(&emu, "/repos/acme/api/commits/aaaa/status").json();
    assert_eq!(none["total_count"], 0);
    assert_eq!(none["state"], "pending");
    assert_clean(&emu);
}

#[test]
fn the_seeded_merge_methods_show_in_the_repository() {
    let mut repository = RepositorySeed::new("api");
    repository.settings.allow_squash_merge = false;
    repository.settings.allow_rebase_merge = false;
    let emu = Emulator::start(Seed::organization("acme", 9000).with_repository(repository));
    let repo = get(&emu, "/repos/acme/api").json();
    assert_eq!(repo["allow_merge_commit"], true);
    assert_eq!(repo["allow_squash_merge"], false);
    assert_eq!(repo["allow_rebase_merge"], false);
    assert_clean(&emu);
}
