//! What the second round of outside attacks (issue 28) found, one module per finding: a
//! server that echoes credentials, rate limits that ask for an hour, a cache someone else
//! wrote, organisation entries that vanish, rulesets that never converge, resource limits,
//! output that carries terminal escapes, an interrupted apply, and messages that said
//! nothing. Each test runs the real binary against the emulator or a scripted server.

use std::process::Output;

use gh_policy_emulator::{Emulator, InstallationSeed, RepositorySeed, Seed};
use serde_json::{Value, json};

use crate::common::TestRepo;

mod cache;
mod credentials;
mod entries;
mod interrupt;
mod limits;
mod messages;
mod output;
mod rate_limits;
mod rulesets;

/// The App (id 15368, the emulator's test key) in the environment, and no token.
pub const APP_ID: &str = "15368";

/// An unprotected branch, as GitHub has it before anyone protects it.
pub fn bare() -> Value {
    json!({
        "required_status_checks": null,
        "enforce_admins": false,
        "required_pull_request_reviews": {"required_approving_review_count": 1, "dismiss_stale_reviews": false,
            "require_code_owner_reviews": false, "require_last_push_approval": false},
        "restrictions": null
    })
}

/// acme with `count` repositories `svc-N` (main protected with one approval) and the App
/// installed (installation 77).
pub fn org_seed(count: usize) -> Seed {
    let mut seed = Seed::organization("acme", 9000)
        .with_app("gh-policy", 15368)
        .with_installation(InstallationSeed::new(77, "gh-policy"));
    for i in 0..count {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("svc-{i}")).protected_branch("main", bare()),
        );
    }
    seed
}

/// Two approvals on every repository's `main`: drift on every repository of `org_seed`.
pub const ORG_POLICY: &str = "version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 2 }
";

/// An organisation on a fresh emulator, with `ORG_POLICY` written.
pub fn org(count: usize) -> TestRepo {
    let repo = TestRepo::with(Emulator::builder(org_seed(count)).start());
    // The faults here sit on REST reads: a server without GraphQL, so that organisation
    // runs read branch protection through REST as well.
    repo.emu.inject(
        gh_policy_emulator::Fault::new(gh_policy_emulator::FaultKind::Status(404))
            .path("/graphql")
            .always(),
    );
    repo.policy(ORG_POLICY);
    repo
}

/// Sets the App's credentials on a command (and removes the token).
pub fn as_app(cmd: &mut std::process::Command) -> &mut std::process::Command {
    cmd.env("GH_POLICY_APP_ID", APP_ID)
        .env(
            "GH_POLICY_APP_PRIVATE_KEY",
            gh_policy_emulator::test_keys::PRIVATE_KEY_PEM,
        )
        .env_remove("GITHUB_TOKEN")
}

/// Runs a command with tiny retry pauses.
pub fn run(cmd: &mut std::process::Command, args: &[&str]) -> Output {
    cmd.env("GH_POLICY_RETRY_BASE_MS", "1")
        .args(args)
        .output()
        .unwrap()
}

/// Both streams of an output, for assertions on everything printed.
pub fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Asserts the exit code, showing both streams when it is wrong.
pub fn assert_code(output: &Output, code: i32) {
    assert_eq!(output.status.code(), Some(code), "{}", printed(output));
}
