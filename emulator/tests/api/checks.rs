//! What reported a commit's checks (`GET …/commits/{ref}/check-runs`, github-api/QUIRKS.md 63).

use gh_policy_emulator::{Emulator, RepositorySeed, Seed};

use crate::common::{assert_clean, get};

#[test]
fn a_commits_check_runs_name_the_app_that_reported_each() {
    let seed = Seed::organization("acme", 9000)
        .with_app("github-actions", 15368)
        .with_repository(
            RepositorySeed::new("api")
                .check_run("dev - lint and test", "github-actions")
                .check_run("Security Checks", "github-actions"),
        );
    let emu = Emulator::start(seed);
    let runs = get(&emu, "/repos/acme/api/commits/main/check-runs?per_page=100");
    assert_eq!(runs.status, 200);
    let body = runs.json();
    assert_eq!(body["total_count"], 2);
    assert_eq!(body["check_runs"][1]["name"], "Security Checks");
    assert_eq!(body["check_runs"][1]["app"]["slug"], "github-actions");
    assert_eq!(body["check_runs"][1]["app"]["id"], 15368);
    // By name, as GitHub filters them.
    let one = get(
        &emu,
        "/repos/acme/api/commits/main/check-runs?check_name=Security%20Checks",
    )
    .json();
    assert_eq!(one["total_count"], 1);
    assert_eq!(
        get(&emu, "/repos/acme/nope/commits/main/check-runs").status,
        404
    );
    assert_clean(&emu);
}
