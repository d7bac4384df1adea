//! Environments: the list, and for the listed ones (or all, when pruning) their deployment
//! patterns, secret names and variables.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::try_join_all;

use crate::github::api::GithubRead;
use crate::github::convert::environment::{
    environment_from, has_custom_patterns, learn_reviewer_ids, pattern_from,
};
use crate::github::error::ApiError;
use crate::live::LiveState;
use crate::model::{Environment, RepoSettings, Secret};
use crate::names::RepoName;

pub(super) async fn read_environments(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<(BTreeMap<String, Environment>, LiveState), ApiError> {
    // GitHub matches environment names without regard to case.
    let listed: BTreeSet<String> = desired
        .environments
        .keys()
        .map(|n| n.to_lowercase())
        .collect();
    // Secrets and variables of listed environments do not depend on the list: start them at
    // once; `None` means the environment does not exist.
    let details = try_join_all(desired.environments.keys().map(|name| async move {
        let (secrets, variables) = futures::try_join!(
            github.environment_secrets(repo, name),
            github.environment_variables(repo, name)
        )?;
        Ok::<_, ApiError>((name.to_lowercase(), secrets, variables))
    }));
    let infos = async {
        let all = github.environments(repo).await?;
        // Custom patterns are read only where they are on, and only for environments the
        // policy manages or may prune.
        try_join_all(
            all.into_iter()
                .filter(|info| {
                    desired.prune.environments || listed.contains(&info.name.to_lowercase())
                })
                .map(|info| async move {
                    let patterns = if has_custom_patterns(&info) {
                        github.deployment_branch_policies(repo, &info.name).await?
                    } else {
                        Vec::new()
                    };
                    Ok::<_, ApiError>((info, patterns))
                }),
        )
        .await
    };
    let (infos, details) = futures::try_join!(infos, details)?;

    let mut live = LiveState::from_settings(RepoSettings::empty());
    let mut environments = BTreeMap::new();
    for (info, patterns) in infos {
        learn_reviewer_ids(&info, &mut live.ids);
        let lower = info.name.to_lowercase();
        for policy in &patterns {
            live.pattern_ids
                .insert((lower.clone(), pattern_from(policy)), policy.id);
        }
        let name = info.name.clone();
        environments.insert(
            name,
            environment_from(info, patterns.iter().map(pattern_from).collect()),
        );
    }
    let details: BTreeMap<String, _> = details.into_iter().map(|(n, s, v)| (n, (s, v))).collect();
    for (name, environment) in &mut environments {
        if let Some((secrets, variables)) = details.get(&name.to_lowercase()) {
            environment.secrets = secrets
                .iter()
                .flatten()
                .map(|s| Secret {
                    name: s.name.clone(),
                    from_env: None,
                })
                .collect();
            environment.variables = variables
                .iter()
                .flatten()
                .map(|v| (v.name.clone(), v.value.clone()))
                .collect();
        }
    }
    Ok((environments, live))
}
