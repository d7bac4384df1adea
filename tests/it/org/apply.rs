//! `apply` over an organisation: converging, stopped half-way and rerun, going on past
//! a repository whose write fails.

use std::time::{Duration, Instant};

use gh_policy_emulator::{Emulator, RepositorySeed, Seed};

use super::{acme, bare, org_repo, plan_json, planned};
use crate::common::{TestRepo, assert_exit};

#[test]
fn org_applies_a_repository_policy_to_every_repository() {
    let repo = TestRepo::with(Emulator::start(acme()));
    repo.policy("version: 1\nbranches:\n  main:\n    pull_request: { required_approvals: 1 }\n    enforce_admins: true\n");
    let (code, plan, stderr) = plan_json(&repo, &["--org", "acme"]);
    assert_eq!(code, 2, "{stderr}");
    // Archived repositories and forks are skipped; nothing is excluded.
    assert_eq!(
        planned(&plan),
        [
            "acme/sandbox-1",
            "acme/svc-mail",
            "acme/svc-pay",
            "acme/web"
        ]
    );
    // A repository policy naming its repository is not silently widened.
    repo.policy("version: 1\nrepository: acme/web\nbranches: {}\n");
    let output = repo.cmd().args(["plan", "--org", "acme"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("remove `repository:`"));
}

#[test]
fn apply_over_the_organisation_converges_and_a_rerun_writes_nothing() {
    let repo = org_repo(acme());
    let output = repo
        .cmd()
        .args(["apply", "--no-cache", "--yes"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The archived repository keeps drift apply cannot fix.
    assert_eq!(
        output.status.code(),
        Some(2),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("acme/svc-pay matches the policy."),
        "{stdout}"
    );
    let writes = repo.writes();
    assert_eq!(
        writes.len(),
        3,
        "one protection write per writable repository: {writes:?}"
    );
    assert!(
        writes.iter().all(|w| !w.path.contains("/acme/old/")),
        "{writes:?}"
    );
    repo.assert_conformant();
    repo.emu.clear_log();
    let output = repo
        .cmd()
        .args(["apply", "--no-cache", "--yes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(repo.writes().is_empty(), "{:?}", repo.writes());
}

#[test]
fn apply_stopped_half_way_converges_when_run_again_without_repeating_a_write() {
    let mut seed = Seed::organization("acme", 9000)
        .with_user("reviewer-1", 7001)
        .with_user("reviewer-2", 7002)
        .with_user("reviewer-3", 7003);
    for i in 0..8 {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("repo-{i}")).protected_branch("main", bare()),
        );
    }
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy("version: 1\norganization: acme\ndefaults:\n  branches:\n    main:\n      pull_request: { required_approvals: 2 }\n");
    let mut child = repo
        .std_cmd()
        .args(["apply", "--no-cache", "--yes"])
        .env("GH_POLICY_WRITE_DELAY_MS", "150")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while repo.writes().len() < 3 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let first: Vec<String> = repo
        .writes()
        .iter()
        .filter(|w| w.status < 300)
        .map(|w| w.path.clone())
        .collect();
    assert!((3..8).contains(&first.len()), "stopped half-way: {first:?}");
    repo.emu.clear_log();
    let output = repo
        .cmd()
        .args(["apply", "--no-cache", "--yes"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let second: Vec<String> = repo.writes().iter().map(|w| w.path.clone()).collect();
    assert_eq!(first.len() + second.len(), 8, "{first:?} then {second:?}");
    assert!(
        second.iter().all(|path| !first.contains(path)),
        "repeated: {first:?} then {second:?}"
    );
    let (code, _, _) = plan_json(&repo, &[]);
    assert_eq!(code, 0);
}

#[test]
fn apply_over_the_organisation_goes_on_past_a_repository_whose_write_fails() {
    use gh_policy_emulator::{Fault, FaultKind};
    let repo = org_repo(acme());
    repo.emu.inject(
        Fault::new(FaultKind::Status(422))
            .method("PUT")
            .repository("acme/svc-mail")
            .always(),
    );
    let output = repo
        .cmd()
        .args(["apply", "--no-cache", "--yes"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    // The repositories after it were applied, and the run names the one that failed.
    assert!(stdout.contains("acme/web matches the policy."), "{stdout}");
    assert!(stdout.contains("1 failed"), "{stdout}");
    assert!(
        stderr.contains("repositories that failed: acme/svc-mail"),
        "{stderr}"
    );
    let written: Vec<String> = repo
        .writes()
        .iter()
        .filter(|w| w.status < 300)
        .map(|w| w.path.clone())
        .collect();
    assert!(
        written.iter().any(|p| p.contains("/acme/web/"))
            && written.iter().any(|p| p.contains("/acme/svc-pay/")),
        "{written:?}"
    );
}
