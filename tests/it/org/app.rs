//! A GitHub App as the credential: an organisation planned while its token is renewed, and
//! a repository of a user's account.

use std::time::Duration;

use gh_policy_emulator::{Emulator, RepositorySeed};
use serde_json::{Value, json};

use super::{ORG_POLICY, acme, app_credentials, bare, planned};
use crate::common::{TestRepo, assert_exit};

/// App credentials from the flags and the environment, end to end: every repository read
/// as the installation, and with tokens living 3 s and 250 ms of latency, a token renewed
/// while the run goes on.
#[test]
fn a_github_app_plans_the_organisation_renewing_its_token_mid_run() {
    use gh_policy_emulator::InstallationSeed;
    let mut seed = acme()
        .with_app("gh-policy", 15368)
        .with_installation(InstallationSeed::new(77, "gh-policy"));
    for i in 0..6 {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("svc-extra-{i}")).protected_branch("main", bare()),
        );
    }
    let repo = TestRepo::with(
        Emulator::builder(seed)
            .installation_token_ttl(Duration::from_secs(3))
            .start(),
    );
    repo.policy(ORG_POLICY);
    repo.emu.set_latency(Duration::from_millis(250));
    let key = repo.dir.path().join("app.pem");
    std::fs::write(&key, gh_policy_emulator::test_keys::PRIVATE_KEY_PEM).unwrap();
    let output = repo
        .cmd()
        .args([
            "plan",
            "--no-cache",
            "--format",
            "json",
            "--concurrency",
            "2",
            "--app-id",
            "15368",
        ])
        .arg("--private-key")
        .arg(&key)
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["errors"], json!([]), "{plan:#}");
    assert_eq!(planned(&plan).len(), 10);
    let requests = repo.emu.requests();
    let minted = requests
        .iter()
        .filter(|r| r.path == "/app/installations/77/access_tokens")
        .count();
    assert!(
        minted >= 2,
        "the token was renewed during the run: {minted} minted"
    );
    for request in requests
        .iter()
        .filter(|r| r.path.starts_with("/repos/") || r.path.starts_with("/orgs/acme/repos"))
    {
        assert_eq!(
            request.caller.as_deref(),
            Some("installation:77"),
            "{} {}",
            request.method,
            request.path
        );
        assert_eq!(request.status, 200, "{} {}", request.method, request.path);
    }
    // The key's text in the environment works the same; the App wins over a token.
    repo.emu.set_latency(Duration::ZERO);
    repo.emu.clear_log();
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--repo", "web", "-v"])
        .envs(app_credentials())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    // `-v` logs the app's own calls too, never the JWT, the key or the token.
    assert!(
        stderr.contains("GET /orgs/acme/installation → 200"),
        "{stderr}"
    );
    assert!(
        stderr.contains("POST /app/installations/77/access_tokens → 201"),
        "{stderr}"
    );
    for secret in ["ghs_", "eyJ", "PRIVATE KEY", "Bearer"] {
        assert!(!stderr.contains(secret), "{secret} in the log: {stderr}");
    }
    assert!(
        repo.emu
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/repos/"))
            .all(|r| r.caller.as_deref() == Some("installation:77"))
    );
    // Half a pair is a mistake, said so before any request.
    repo.cmd()
        .args(["plan", "--app-id", "15368"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("without its private key"));
}

/// A command about one repository finds the App's installation through the repository, so
/// a repository a user owns works too (a user has no `/orgs/…/installation`).
#[test]
fn a_github_app_installed_on_a_users_account_reads_that_users_repository() {
    use gh_policy_emulator::InstallationSeed;
    let mut installation = InstallationSeed::new(78, "gh-policy");
    installation.account = Some("octocat".to_owned());
    let seed = acme()
        .with_user("octocat", 583_231)
        .with_app("gh-policy", 15368)
        .with_installation(installation)
        .with_repository(
            RepositorySeed::new("dotfiles")
                .owner("octocat", "User")
                .protected_branch("main", bare()),
        );
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy("version: 1\nbranches:\n  main:\n    pull_request: { required_approvals: 1 }\n");
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--repo", "octocat/dotfiles"])
        .env_remove("GITHUB_TOKEN")
        .envs(app_credentials())
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let requests = repo.emu.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.path == "/repos/octocat/dotfiles/installation" && r.status == 200)
    );
    assert!(
        requests
            .iter()
            .filter(|r| r.path.starts_with("/repos/octocat/dotfiles/branches"))
            .all(|r| r.caller.as_deref() == Some("installation:78"))
    );
    // An App not installed there: the error says where it looked and what to do.
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--repo", "acme/web"])
        .env_remove("GITHUB_TOKEN")
        .envs(app_credentials())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("GET /repos/acme/web/installation")
            && stderr.contains("not installed on the repository `acme/web`"),
        "{stderr}"
    );
}
