//! Configuration and identity errors, stopped before or at the first request; and secrets
//! kept out of everything the binary prints or stores.

use gh_policy_emulator::{Emulator, Fault, FaultKind};

use super::*;
use crate::common::fixture;

#[test]
fn plain_http_to_a_remote_host_is_refused_before_any_request() {
    let repo = in_sync();
    let output = run(&repo, &["plan", "--api-url", "http://example.com"]);
    assert_fails_with(
        &output,
        &[
            "refusing plain http to `example.com`",
            "clear text",
            "loopback",
        ],
    );
    assert!(repo.emu.requests().is_empty());
}

#[test]
fn a_dns_failure_names_the_call_and_the_host() {
    let repo = in_sync();
    let output = run(
        &repo,
        &[
            "plan",
            "--no-cache",
            "--api-url",
            "https://nonexistent.invalid",
        ],
    );
    assert_fails_with(
        &output,
        &[
            "GitHub API call failed: GET /repos/acme/katz-backend",
            "check the host name in --api-url",
        ],
    );
    // Not retried: a name that does not resolve will not resolve in a second.
    assert!(!stderr(&output).contains("retrying"), "{}", stderr(&output));
}

#[test]
fn a_missing_repository_is_a_404_with_a_hint() {
    let repo = in_sync();
    let output = run(&repo, &["plan", "--no-cache", "--repo", "acme/nope"]);
    assert_fails_with(
        &output,
        &[
            "GET /repos/acme/nope",
            "404: Not Found",
            "repository `acme/nope` was not found, or the token cannot see it",
        ],
    );
}

#[test]
fn a_bad_token_is_a_401_with_a_hint() {
    let repo = in_sync();
    let output = repo
        .cmd()
        .env("GITHUB_TOKEN", "ghp_wrongwrongwrong")
        .args(["plan", "--no-cache"])
        .output()
        .unwrap();
    assert_fails_with(
        &output,
        &["401: Bad credentials", "set a valid GITHUB_TOKEN"],
    );
    assert!(!stderr(&output).contains("ghp_wrongwrongwrong"));
}

#[test]
fn no_token_is_a_clear_error_before_any_request() {
    let repo = in_sync();
    let empty = tempfile::tempdir().unwrap();
    let output = repo
        .cmd()
        .env_remove("GITHUB_TOKEN")
        .env("PATH", empty.path()) // no `gh` to ask
        .args(["plan", "--no-cache"])
        .output()
        .unwrap();
    assert_fails_with(&output, &["no GitHub token found", "GITHUB_TOKEN"]);
    assert!(repo.emu.requests().is_empty());
}

#[test]
fn the_token_and_secret_values_never_appear_in_verbose_output() {
    const TOKEN: &str = "ghp_Zx9TokenThatMustNeverBePrinted1234";
    let seed = Emulator::load_seed(fixture("live/flow-drifted.json")).unwrap();
    let repo = TestRepo::with(Emulator::builder(seed).token(TOKEN).start());
    repo.write(&Policy::flow());
    // A fault on the way, so that error and retry paths are logged too.
    repo.emu.inject(
        Fault::new(FaultKind::Status(502))
            .method("GET")
            .path(MAIN_PROTECTION),
    );
    let mut all = String::new();
    for args in [
        &["plan", "-v", "--no-cache"][..],
        &["apply", "-v", "--yes", "--no-cache"],
        &["export", "-v", "--no-cache", "--repo", "acme/katz-backend"],
        &["plan", "--verbose"],
    ] {
        let output = run(&repo, args);
        assert!(
            matches!(output.status.code(), Some(0 | 2)),
            "{args:?}: {}",
            stderr(&output)
        );
        all.push_str(&stdout(&output));
        all.push_str(&stderr(&output));
    }
    assert!(all.contains(" → 200 ("), "no -v request log in:\n{all}");
    assert!(all.contains(" → 502 ("), "{all}");
    assert!(!all.contains(TOKEN), "the token was printed");
    assert!(
        !all.contains(&TOKEN[4..20]),
        "part of the token was printed"
    );
    assert!(!all.contains(SECRET_VALUE), "the secret value was printed");
    // The secret did reach GitHub, encrypted.
    assert_eq!(
        repo.emu.secret_plaintext("staging", "SSH_PRIVATE_KEY"),
        Some(SECRET_VALUE.as_bytes().to_vec())
    );
    // And the conditional-request cache on disk keeps no token either.
    for entry in walk(&repo.dir.path().join(".cache")) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(TOKEN),
            "{}",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let path = e.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}
