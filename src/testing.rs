//! What the tests below the binary share (compiled only under `cfg(test)`): the policy
//! this project exists for, GitHub as the emulator models it (seeded as the integration
//! tests seed it) behind the real client, and secret values.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use gh_policy_emulator::{Emulator, Seed};

use crate::github::client::{ApiRoot, ClientConfig, Token, WriteClient};
use crate::github::write::SecretValues;
use crate::github::{RestWriter, read};
use crate::model::RepoSettings;
use crate::model::names::RepoName;
use crate::output::progress::MemoryLog;
use crate::plan::Plan;
use crate::plan::diff::{self, SecretSources};

/// Returns a name (`EnvironmentName`, `SecretName`, …) a test writes, which keeps its rule.
pub fn name<'a, T: TryFrom<&'a str, Error = String>>(text: &'a str) -> T {
    T::try_from(text).unwrap_or_else(|reason| panic!("{reason}"))
}

/// Returns the repository's own `policy.yaml`: main/stage/dev and staging/production.
pub fn flow_policy() -> RepoSettings {
    crate::policy::parse("policy.yaml", include_str!("../policy.yaml"))
        .expect("the repository's own policy is valid")
}

/// GitHub for one test: the emulator, and the seam over HTTP to it as `apply` holds it.
pub struct Github {
    /// The emulator: its state, its log of requests, its faults.
    pub emu: Emulator,
    /// Reads and writes through the real client.
    pub rest: RestWriter,
    /// The seed's top-level repository (empty names for an organisation-only seed).
    repo: RepoName,
}

/// Returns the integration tests' empty repository (`tests/fixtures/live/empty.json`):
/// `acme/katz-backend` with the branches main, stage and dev, and the users, team and app
/// the flow policy names.
pub fn flow_repository() -> Github {
    let seed = Emulator::load_seed(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/live/empty.json"
    ))
    .expect("the integration tests' seed loads");
    Github::start(seed)
}

impl Github {
    /// Starts the emulator on `seed` and a client of it that neither paces nor retries.
    pub fn start(seed: Seed) -> Self {
        let repo = RepoName {
            owner: seed.repo.owner.clone(),
            name: seed.repo.name.clone(),
        };
        let emu = Emulator::start(seed);
        let root = ApiRoot::parse(&emu.url()).expect("the emulator's URL is a loopback URL");
        let mut config = ClientConfig::new(root, Arc::new(Token::new(emu.token())));
        config.write_pace = Duration::ZERO;
        config.points_per_minute = 0;
        config.read_retries = 0;
        config.overall_timeout = None;
        config.log = Arc::new(MemoryLog::default());
        let rest = RestWriter::new(WriteClient::new(config));
        Self { emu, rest, repo }
    }

    /// Returns the seed's top-level repository (`acme/katz-backend` for
    /// [`flow_repository`]).
    pub fn repo(&self) -> RepoName {
        self.repo.clone()
    }

    /// Returns the requests so far as `METHOD /path` (without the query), oldest first.
    pub fn calls(&self) -> Vec<String> {
        self.emu
            .requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    /// Returns the writes so far (every request but a GET), as [`Github::calls`] does.
    pub fn writes(&self) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(|call| !call.starts_with("GET "))
            .collect()
    }
}

/// The values of the flow policy's secrets.
pub struct Values(pub BTreeMap<String, Vec<u8>>);

impl Values {
    /// Returns values for `STAGING_SSH_KEY` and `PROD_SSH_KEY`.
    pub fn flow() -> Self {
        Self(
            [
                ("STAGING_SSH_KEY", "staging-key"),
                ("PROD_SSH_KEY", "prod-key"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.as_bytes().to_vec()))
            .collect(),
        )
    }

    /// Returns the sources a plan made with these values sees.
    pub fn sources(&self) -> SecretSources {
        SecretSources::of(
            self.0
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, _)| k.clone()),
        )
    }
}

impl SecretValues for Values {
    fn value(&self, var: &str) -> Option<&[u8]> {
        self.0.get(var).map(Vec::as_slice)
    }
}

/// Reads the repository and plans the policy against it.
pub async fn plan(github: &Github, desired: &RepoSettings, values: &Values) -> Plan {
    let repo = github.repo();
    let live = read::read_live(github.rest.reader(), &repo, desired)
        .await
        .expect("the emulator answers every read");
    diff::plan(
        &repo.to_string(),
        desired,
        &live,
        &diff::Context {
            sources: values.sources(),
            ..diff::Context::default()
        },
    )
}
