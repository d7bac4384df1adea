//! What a run takes from this process: the values of the environment variables a policy
//! names as secrets' sources (read here and nowhere else), and the clock exceptions are
//! judged at.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::github::write::SecretValues;
use crate::model::RepoSettings;
use crate::model::names::EnvVarName;
use crate::plan::diff::{self, SecretSources};
use crate::plan::{Plan, SecretWrite, Target};

/// Secret values read from this process's environment: the variables set and not empty.
pub(crate) struct ProcessSecrets(BTreeMap<String, Vec<u8>>);

impl ProcessSecrets {
    fn read<'a>(vars: impl IntoIterator<Item = &'a str>) -> Self {
        let values = vars
            .into_iter()
            .filter_map(|var| {
                let value = std::env::var_os(var)?;
                (!value.is_empty()).then(|| (var.to_owned(), value.into_encoded_bytes()))
            })
            .collect();
        Self(values)
    }

    /// The values the plans upload. Read once, before any write.
    pub(crate) fn of_plans(plans: &[&Plan]) -> Self {
        Self::read(
            plans
                .iter()
                .flat_map(|plan| &plan.changes)
                .filter_map(|c| match c.target() {
                    Some(Target::Secret {
                        write: SecretWrite::Create { from_env },
                        ..
                    }) => Some(from_env.as_str()),
                    _ => None,
                }),
        )
    }
}

impl SecretValues for ProcessSecrets {
    fn value(&self, var: &str) -> Option<&[u8]> {
        self.0.get(var).map(Vec::as_slice)
    }
}

/// Which of the policy's secrets have a value here: what `apply` could create where the
/// plan is made. The values themselves are not kept.
pub(crate) fn sources_for(desired: &RepoSettings) -> SecretSources {
    let secrets = ProcessSecrets::read(
        desired
            .environments
            .values()
            .flat_map(|e| &e.secrets)
            .filter_map(|s| s.from_env.as_ref().map(EnvVarName::as_str)),
    );
    SecretSources::of(secrets.0.into_keys())
}

/// The context of a plan made here: the secrets with a value, and the clock.
pub(crate) fn context(desired: &RepoSettings) -> Result<diff::Context, Error> {
    Ok(diff::Context {
        sources: sources_for(desired),
        now: crate::plan::exceptions::now().map_err(Error::new)?,
    })
}
