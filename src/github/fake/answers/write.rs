//! Writes, and what GitHub does with them.

use super::super::*;
use super::changes::{on, protect, update_environment};
use super::{find, find_mut};

#[async_trait]
impl GithubWrite for FakeGithub {
    async fn put_branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
        body: &ProtectionRequest,
    ) -> Result<Protection, ApiError> {
        self.check_repo(repo, "put_branch_protection")?;
        let mut state = self.call("put_branch_protection", branch, json(body))?;
        let Some(entry) = state.branches.get_mut(branch) else {
            return Err(not_found("put_branch_protection", branch));
        };
        let protection = protect(entry.protection.as_ref(), body);
        entry.protection = Some(protection.clone());
        Ok(protection)
    }

    async fn delete_branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "delete_branch_protection")?;
        let mut state = self.call("delete_branch_protection", branch, None)?;
        match state.branches.get_mut(branch) {
            Some(entry) if entry.protection.is_some() => {
                entry.protection = None;
                Ok(())
            }
            _ => Err(not_found("delete_branch_protection", branch)),
        }
    }

    async fn set_status_checks(
        &self,
        repo: &RepoName,
        branch: &str,
        body: &ChecksRequest,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "set_status_checks")?;
        let mut state = self.call("set_status_checks", branch, json(body))?;
        let Some(policy) = state
            .branches
            .get_mut(branch)
            .and_then(|b| b.protection.as_mut())
            .and_then(|p| p.required_status_checks.as_mut())
        else {
            return Err(not_found("set_status_checks", branch));
        };
        policy.strict = Some(body.strict);
        policy.contexts = body.checks.iter().map(|c| c.context.clone()).collect();
        policy.checks = Some(body.checks.clone());
        Ok(())
    }

    async fn set_required_signatures(
        &self,
        repo: &RepoName,
        branch: &str,
        enabled: bool,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "set_required_signatures")?;
        let mut state = self.call(
            "set_required_signatures",
            &format!("{branch}={enabled}"),
            None,
        )?;
        let Some(protection) = state
            .branches
            .get_mut(branch)
            .and_then(|b| b.protection.as_mut())
        else {
            return Err(not_found("set_required_signatures", branch));
        };
        protection.required_signatures = Some(on(enabled));
        Ok(())
    }

    async fn put_environment(
        &self,
        repo: &RepoName,
        name: &str,
        body: &EnvironmentRequest,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "put_environment")?;
        let mut state = self.call("put_environment", name, json(body))?;
        let users = state.users.clone();
        let teams = state.teams.clone();
        if find(&state, name).is_none() {
            state.environments.push(FakeEnvironment {
                wire: Environment {
                    name: name.to_owned(),
                    protection_rules: Vec::new(),
                    deployment_branch_policy: None,
                    can_admins_bypass: Some(true),
                },
                patterns: Vec::new(),
                secrets: BTreeMap::new(),
                variables: BTreeMap::new(),
            });
        }
        let Some(environment) = find_mut(&mut state, name) else {
            return Err(not_found("put_environment", name));
        };
        update_environment(environment, body, &users, &teams);
        Ok(())
    }

    async fn delete_environment(&self, repo: &RepoName, name: &str) -> Result<(), ApiError> {
        self.check_repo(repo, "delete_environment")?;
        let mut state = self.call("delete_environment", name, None)?;
        state
            .environments
            .retain(|e| !e.wire.name.eq_ignore_ascii_case(name));
        Ok(())
    }

    async fn create_deployment_branch_policy(
        &self,
        repo: &RepoName,
        environment: &str,
        body: &DeploymentBranchPolicyRequest,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "create_deployment_branch_policy")?;
        let mut state = self.call("create_deployment_branch_policy", environment, json(body))?;
        state.next_id += 1;
        let id = state.next_id;
        let Some(env) = find_mut(&mut state, environment) else {
            return Err(not_found("create_deployment_branch_policy", environment));
        };
        env.patterns.push(DeploymentBranchPolicy {
            id,
            name: body.name.clone(),
            kind: Some(body.kind.to_owned()),
        });
        Ok(())
    }

    async fn delete_deployment_branch_policy(
        &self,
        repo: &RepoName,
        environment: &str,
        id: u64,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "delete_deployment_branch_policy")?;
        let mut state = self.call(
            "delete_deployment_branch_policy",
            &format!("{environment}/{id}"),
            None,
        )?;
        let Some(env) = find_mut(&mut state, environment) else {
            return Err(not_found("delete_deployment_branch_policy", environment));
        };
        env.patterns.retain(|p| p.id != id);
        Ok(())
    }

    async fn put_environment_secret(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
        body: &SecretRequest,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "put_environment_secret")?;
        let sealed = base64::engine::general_purpose::STANDARD
            .decode(&body.encrypted_value)
            .unwrap_or_default();
        let value = self.secret_key.unseal(&sealed).map_err(|_| {
            ApiError::new(
                ApiErrorKind::Rejected,
                crate::github::Call::new(http::Method::PUT, "put_environment_secret"),
            )
            .with_detail("the value does not open with the environment's key")
        })?;
        let mut state = self.call(
            "put_environment_secret",
            &format!("{environment}/{name}"),
            json(body),
        )?;
        let Some(env) = find_mut(&mut state, environment) else {
            return Err(not_found("put_environment_secret", environment));
        };
        env.secrets.insert(name.to_uppercase(), value);
        Ok(())
    }

    async fn delete_environment_secret(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "delete_environment_secret")?;
        let mut state = self.call(
            "delete_environment_secret",
            &format!("{environment}/{name}"),
            None,
        )?;
        if let Some(env) = find_mut(&mut state, environment) {
            env.secrets.remove(&name.to_uppercase());
        }
        Ok(())
    }

    async fn create_environment_variable(
        &self,
        repo: &RepoName,
        environment: &str,
        body: &VariableRequest,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "create_environment_variable")?;
        let mut state = self.call(
            "create_environment_variable",
            &format!("{environment}/{}", body.name),
            json(body),
        )?;
        let Some(env) = find_mut(&mut state, environment) else {
            return Err(not_found("create_environment_variable", environment));
        };
        env.variables
            .insert(body.name.to_uppercase(), body.value.clone());
        Ok(())
    }

    async fn update_environment_variable(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
        body: &VariableRequest,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "update_environment_variable")?;
        let mut state = self.call(
            "update_environment_variable",
            &format!("{environment}/{name}"),
            json(body),
        )?;
        let Some(env) = find_mut(&mut state, environment) else {
            return Err(not_found("update_environment_variable", environment));
        };
        env.variables
            .insert(name.to_uppercase(), body.value.clone());
        Ok(())
    }

    async fn delete_environment_variable(
        &self,
        repo: &RepoName,
        environment: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "delete_environment_variable")?;
        let mut state = self.call(
            "delete_environment_variable",
            &format!("{environment}/{name}"),
            None,
        )?;
        if let Some(env) = find_mut(&mut state, environment) {
            env.variables.remove(&name.to_uppercase());
        }
        Ok(())
    }

    async fn create_ruleset(
        &self,
        repo: &RepoName,
        body: &RulesetRequest,
    ) -> Result<WireRuleset, ApiError> {
        self.write_ruleset(repo, "create_ruleset", None, Some(body))
    }

    async fn update_ruleset(
        &self,
        repo: &RepoName,
        id: u64,
        body: &RulesetRequest,
    ) -> Result<WireRuleset, ApiError> {
        self.write_ruleset(repo, "update_ruleset", Some(id), Some(body))
    }

    async fn delete_ruleset(&self, repo: &RepoName, id: u64) -> Result<(), ApiError> {
        self.write_ruleset(repo, "delete_ruleset", Some(id), None)
            .map(drop)
    }

    async fn update_repository(
        &self,
        repo: &RepoName,
        body: &crate::github::wire::switches::RepositoryPatch,
    ) -> Result<(), ApiError> {
        self.patch_repository(repo, body)
    }

    async fn set_switch(
        &self,
        repo: &RepoName,
        switch: crate::github::wire::switches::Switch,
        on: bool,
    ) -> Result<(), ApiError> {
        self.write_switch(repo, switch, on)
    }

    async fn put_actions_permissions(
        &self,
        repo: &RepoName,
        body: &crate::github::wire::switches::ActionsPermissions,
    ) -> Result<(), ApiError> {
        self.write_actions(repo, "put_actions_permissions", body, |s| {
            s.actions = Some(body.clone());
        })
    }

    async fn put_selected_actions(
        &self,
        repo: &RepoName,
        body: &crate::github::wire::switches::SelectedActions,
    ) -> Result<(), ApiError> {
        self.write_actions(repo, "put_selected_actions", body, |s| {
            s.selected = body.clone();
        })
    }

    async fn put_workflow_permissions(
        &self,
        repo: &RepoName,
        body: &crate::github::wire::switches::WorkflowPermissions,
    ) -> Result<(), ApiError> {
        self.write_actions(repo, "put_workflow_permissions", body, |s| {
            if body.default_workflow_permissions.is_some() {
                s.workflow.default_workflow_permissions = body.default_workflow_permissions.clone();
            }
            if body.can_approve_pull_request_reviews.is_some() {
                s.workflow.can_approve_pull_request_reviews = body.can_approve_pull_request_reviews;
            }
        })
    }
}
