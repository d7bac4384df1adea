//! Environments: the list, and for the listed ones (or all, when pruning) their deployment
//! patterns, secret names and variables.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::try_join_all;

use crate::github::api::reads;
use crate::github::convert::environment::{
    environment_from, has_custom_patterns, learn_reviewer_ids, pattern_from,
};
use crate::github::error::ApiError;
use crate::github::rest::RestReader;
use crate::model::live::LiveState;
use crate::model::names::{EnvironmentName, RepoName};
use crate::model::{Environment, RepoSettings, Secret};

pub(super) async fn read_environments(
    github: &RestReader,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<(BTreeMap<EnvironmentName, Environment>, LiveState), ApiError> {
    // GitHub matches environment names without regard to case.
    let listed: BTreeSet<String> = desired
        .environments
        .keys()
        .map(|n| n.to_lowercase())
        .collect();
    // Secrets and variables of listed environments do not depend on the list: start them at
    // once; `None` means the environment does not exist. They are read only where the plan
    // compares them: the environment lists some, or the policy prunes the unlisted ones.
    let details = try_join_all(
        desired
            .environments
            .iter()
            .map(|(name, wanted)| async move {
                let secrets = async {
                    if wanted.secrets.is_empty() && !desired.prune.secrets {
                        return Ok(Some(Vec::new()));
                    }
                    github.read(reads::environment_secrets(repo, name)).await
                };
                let variables = async {
                    if wanted.variables.is_empty() && !desired.prune.variables {
                        return Ok(Some(Vec::new()));
                    }
                    github.read(reads::environment_variables(repo, name)).await
                };
                let (secrets, variables) = futures::try_join!(secrets, variables)?;
                Ok::<_, ApiError>((name.to_lowercase(), secrets, variables))
            }),
    );
    let infos = async {
        let all = github.read(reads::environments(repo)).await?;
        // Custom patterns are read only where they are on, and only for environments the
        // policy manages or may prune.
        try_join_all(
            all.into_iter()
                .filter(|info| {
                    desired.prune.environments || listed.contains(&info.name.to_lowercase())
                })
                .map(|info| async move {
                    let patterns = if has_custom_patterns(&info) {
                        github
                            .read(reads::deployment_branch_policies(repo, &info.name))
                            .await?
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

#[cfg(test)]
mod tests {
    use crate::github::read::{read_all, read_live};
    use crate::model::{Environment, RepoSettings, Secret};
    use crate::plan::apply::execute;
    use crate::testing::{Github, Values, flow_policy, flow_repository, name, plan};

    /// The reads so far, sorted, then forgotten.
    fn reads(github: &Github) -> Vec<String> {
        let mut reads = github.calls();
        reads.sort_unstable();
        github.emu.clear_log();
        reads
    }

    /// Secrets and variables are read only where the plan compares them; `export` reads them
    /// all.
    #[tokio::test]
    async fn secrets_and_variables_are_read_where_the_plan_compares_them() {
        let github = flow_repository();
        let repo = github.repo();
        let environments = "GET /repos/acme/katz-backend/environments";
        let mut policy = RepoSettings::empty();
        policy
            .environments
            .insert(name("production"), Environment::default());
        read_live(github.rest.reader(), &repo, &policy)
            .await
            .unwrap();
        assert_eq!(reads(&github), [environments]);

        policy.prune.variables = true;
        read_live(github.rest.reader(), &repo, &policy)
            .await
            .unwrap();
        let variables = "GET /repos/acme/katz-backend/environments/production/variables";
        assert_eq!(reads(&github), [environments, variables]);

        policy.prune.variables = false;
        let production = policy.environments.get_mut("production").unwrap();
        production.secrets.push(Secret {
            name: name("KEY"),
            from_env: None,
        });
        read_live(github.rest.reader(), &repo, &policy)
            .await
            .unwrap();
        let secrets = "GET /repos/acme/katz-backend/environments/production/secrets";
        assert_eq!(reads(&github), [environments, secrets]);
    }

    #[tokio::test]
    async fn export_reads_every_secret_and_variable() {
        let github = flow_repository();
        let repo = github.repo();
        let values = Values::flow();
        let flow = flow_policy();
        let plan = plan(&github, &flow, &values).await;
        execute(&plan, &repo, &github.rest, &values).await;
        let live = read_all(github.rest.reader(), &repo, None).await.unwrap();
        let production = &live.settings.environments["production"];
        // Apply created the one secret with a source; the others need a person.
        let names: Vec<&str> = production.secrets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["SSH_PRIVATE_KEY"]);
        assert_eq!(
            production.variables,
            flow.environments["production"].variables
        );
    }
}
