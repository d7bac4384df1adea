//! Messages that said nothing or the wrong thing (issue 28, finding 9): a 401 in App mode
//! speaks of the App's installation, not of `GITHUB_TOKEN`; a renamed repository's 301
//! says it moved and where.

use gh_policy_emulator::{Fault, FaultKind};

use super::{as_app, assert_code, org, printed, run};
use crate::common::{Policy, TestRepo};

#[test]
fn a_401_in_app_mode_speaks_of_the_apps_installation() {
    let repo = org(1);
    repo.emu.inject(
        Fault::new(FaultKind::Status(401))
            .method("GET")
            .path("/branches/main/protection")
            .always(),
    );
    let output = run(as_app(&mut repo.std_cmd()), &["plan", "--no-cache"]);
    assert_code(&output, 1);
    let all = printed(&output);
    assert!(
        all.contains("GitHub refused the installation token of the GitHub App 15368 on `acme`"),
        "{all}"
    );
    assert!(!all.contains("GITHUB_TOKEN"), "{all}");
    // Refused, renewed, refused again: two tokens were minted, no more.
    let minted = repo
        .emu
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/access_tokens"))
        .count();
    assert_eq!(minted, 2);
}

#[test]
fn a_renamed_repositorys_301_says_it_moved_and_where() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    repo.emu
        .rename_repository("acme/katz-backend", "katz-api")
        .unwrap();
    let output = run(&mut repo.std_cmd(), &["plan", "--no-cache"]);
    assert_code(&output, 1);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("caused by: 301: Moved Permanently"), "{err}");
    assert!(
        err.contains("hint: the repository was renamed or transferred: GitHub points at `http://"),
        "{err}"
    );
    assert!(err.contains("/repositories/"), "{err}");
    assert!(err.contains("use its new name"), "{err}");
}
