//! What the tests below the binary share (compiled only under `cfg(test)`): the policy
//! this project exists for, a fake repository ready for it, and secret values.

use std::collections::BTreeMap;

use crate::diff::{self, SecretSources};
use crate::github::fake::FakeGithub;
use crate::github::read;
use crate::github::write::SecretValues;
use crate::model::RepoSettings;
use crate::plan::Plan;

/// Returns the repository's own `policy.yaml`: main/stage/dev and staging/production.
pub fn flow_policy() -> RepoSettings {
    crate::policy::parse("policy.yaml", include_str!("../policy.yaml"))
        .expect("the repository's own policy is valid")
}

/// Returns an empty `acme/katz-backend` that knows the names the flow policy uses, with the
/// branches main, stage and dev.
pub fn flow_repository() -> FakeGithub {
    let github = FakeGithub::new();
    github.add_branch("stage");
    github.add_branch("dev");
    github.add_user("octocat", 583_231);
    github.add_team("release-managers", 4001);
    github.add_app("github-actions", 15368);
    github
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

/// Reads the fake and plans the policy against it.
pub async fn plan(github: &FakeGithub, desired: &RepoSettings, values: &Values) -> Plan {
    let live = read::read_live(github, github.repo(), desired)
        .await
        .expect("the fake answers every read");
    diff::plan(
        &github.repo().to_string(),
        desired,
        &live,
        &diff::Context {
            sources: values.sources(),
            ..diff::Context::default()
        },
    )
}
