//! End to end against the emulator: reads made as the installation, a token that expires
//! under a request (a real 401, one renewal), and a burst paced under a small points budget
//! with tokens renewed as it runs.

use std::sync::Arc;
use std::time::Duration;

use gh_policy_emulator::{Emulator, InstallationSeed, RepositorySeed, SecondaryLimits, Seed};
use serde_json::json;

use super::super::{AppInstallation, installation_credentials};
use super::{APP_ID, KEY};
use crate::github::api::{ProtectionRead, reads};
use crate::github::client::{
    ApiRoot, ClientConfig, Credentials, HttpTransport, ReadClient, Transport,
};
use crate::github::rest::RestReader;
use crate::model::names::RepoName;
use crate::output::progress::MemoryLog;

fn seed(repositories: usize) -> Seed {
    let mut seed = Seed::organization("acme", 9000)
        .with_app("gh-policy", APP_ID)
        .with_installation(InstallationSeed::new(77, "gh-policy"));
    for i in 0..repositories {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("repo-{i:03}")).protected_branch(
                "main",
                json!({"required_status_checks": null, "enforce_admins": true,
                   "required_pull_request_reviews": null, "restrictions": null}),
            ),
        );
    }
    seed
}

fn repo(i: usize) -> RepoName {
    RepoName {
        owner: "acme".to_owned(),
        name: format!("repo-{i:03}"),
    }
}

/// A client of the emulator as the app's installation, logging under `-v`.
fn client(
    emu: &Emulator,
    credentials: impl FnOnce(&ApiRoot, Arc<dyn Transport>) -> Arc<dyn Credentials>,
) -> (RestReader, Arc<MemoryLog>) {
    let root = ApiRoot::parse(&emu.url()).unwrap();
    let transport: Arc<dyn Transport> = Arc::new(HttpTransport::new());
    let log = Arc::new(MemoryLog::default());
    let mut config = ClientConfig::new(root.clone(), credentials(&root, Arc::clone(&transport)));
    config.verbose = true;
    config.log = Arc::clone(&log) as Arc<dyn crate::output::progress::Log>;
    config.concurrency = Some(10);
    config.points_per_minute = 50;
    config.points_window = Duration::from_secs(5);
    let client = ReadClient::with_transport(config, transport);
    (RestReader::new(client), log)
}

fn count(emu: &Emulator, method: &str, path: &str) -> usize {
    emu.requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

#[tokio::test]
async fn reads_are_made_as_the_installation() {
    let emu = Emulator::start(seed(2));
    let (github, log) = client(&emu, |root, transport| {
        installation_credentials(root, transport, APP_ID, KEY, "acme").unwrap()
    });
    for i in 0..2 {
        let read = github
            .read(reads::branch_protection(&repo(i), "main"))
            .await
            .unwrap();
        assert!(matches!(read, ProtectionRead::Protected(_)), "{read:?}");
    }
    let requests = emu.requests();
    let callers: Vec<(String, String, Option<String>)> = requests
        .iter()
        .map(|r| (r.method.clone(), r.path.clone(), r.caller.clone()))
        .collect();
    let caller = |s: &str| Some(s.to_owned());
    assert_eq!(
        callers,
        vec![
            (
                "GET".into(),
                "/orgs/acme/installation".into(),
                caller("app:15368")
            ),
            (
                "POST".into(),
                "/app/installations/77/access_tokens".into(),
                caller("app:15368")
            ),
            (
                "GET".into(),
                "/repos/acme/repo-000/branches/main/protection".into(),
                caller("installation:77")
            ),
            (
                "GET".into(),
                "/repos/acme/repo-001/branches/main/protection".into(),
                caller("installation:77")
            ),
        ]
    );
    assert!(emu.request_violations().is_empty());
    // The -v log names the calls, never a secret.
    let lines = log.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    for line in &lines {
        for secret in ["ghs_", "eyJ", "Bearer", "BEGIN"] {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
    }
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_after_its_401() {
    let emu = Emulator::builder(seed(1))
        .installation_token_ttl(Duration::from_secs(2))
        .start();
    // A clock that stands still: the client believes the token fresh, so it learns of the
    // expiry from GitHub's 401 alone.
    let frozen = Arc::new(super::ManualClock::new());
    let (github, log) = client(&emu, |root, transport| {
        Arc::new(
            AppInstallation::new(root, transport, APP_ID, KEY, "acme")
                .unwrap()
                .with_clock(frozen),
        )
    });
    github
        .read(reads::branch_protection(&repo(0), "main"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let read = github
        .read(reads::branch_protection(&repo(0), "main"))
        .await
        .unwrap();
    assert!(matches!(read, ProtectionRead::Protected(_)), "{read:?}");
    let statuses: Vec<u16> = emu
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/protection"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, vec![200, 401, 200]);
    assert_eq!(
        count(&emu, "POST", "/app/installations/77/access_tokens"),
        2
    );
    assert_eq!(count(&emu, "GET", "/orgs/acme/installation"), 1);
    assert!(log.lines().iter().any(|l| l.contains("→ 401")));
}

/// 100 protection reads under a budget of 50 points per 5 s and 10 in flight, on both
/// sides, with tokens that live 4 s (renewed at half their life as the run goes on).
#[tokio::test]
async fn a_burst_stays_within_the_secondary_limits() {
    let limits = SecondaryLimits {
        max_in_flight: 10,
        points_per_minute: 50,
        window: Duration::from_secs(5),
    };
    let emu = Emulator::builder(seed(100))
        .secondary_limits(limits)
        .installation_token_ttl(Duration::from_secs(4))
        .start();
    // Answers take a while, so requests overlap up to the in-flight limit.
    emu.set_latency(Duration::from_millis(50));
    let (github, log) = client(&emu, |root, transport| {
        installation_credentials(root, transport, APP_ID, KEY, "acme").unwrap()
    });
    let repos: Vec<RepoName> = (0..100).map(repo).collect();
    let reads = repos
        .iter()
        .map(|r| github.read(reads::branch_protection(r, "main")));
    let results = futures::future::join_all(reads).await;
    for result in results {
        assert!(matches!(result.unwrap(), ProtectionRead::Protected(_)));
    }
    let stats = emu.stats();
    assert_eq!(stats.secondary_refusals, 0, "{stats:?}");
    let (busiest, points) = stats.busiest_endpoint.clone().unwrap();
    assert_eq!(
        busiest,
        "GET /repos/{owner}/{repo}/branches/{branch}/protection"
    );
    assert!(points <= 50, "{stats:?}");
    assert!(stats.max_in_flight_per_token <= 10, "{stats:?}");
    // Tokens were renewed before they expired: no 401, and more than one minted.
    assert!(
        !log.lines().iter().any(|l| l.contains("→ 401")),
        "{:?}",
        log.lines()
    );
    assert!(count(&emu, "POST", "/app/installations/77/access_tokens") >= 2);
    assert!(
        log.lines()
            .iter()
            .any(|l| l.starts_with("pacing GET /repos/{}/{}/branches/{}/protection")),
        "{:?}",
        log.lines()
    );
}
