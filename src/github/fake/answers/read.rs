//! Reads.

use super::super::*;
use super::find;
use super::rulesets::summary;

#[async_trait]
impl GithubRead for FakeGithub {
    async fn branch_protection(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<ProtectionRead, ApiError> {
        self.check_repo(repo, "branch_protection")?;
        let state = self.call("branch_protection", branch, None)?;
        Ok(match state.branches.get(branch) {
            None => ProtectionRead::BranchMissing,
            Some(FakeBranch { protection: None }) => ProtectionRead::NotProtected,
            Some(FakeBranch {
                protection: Some(p),
            }) => ProtectionRead::Protected(Box::new(p.clone())),
        })
    }

    async fn required_signatures(&self, repo: &RepoName, branch: &str) -> Result<bool, ApiError> {
        self.check_repo(repo, "required_signatures")?;
        let state = self.call("required_signatures", branch, None)?;
        let protection = state
            .branches
            .get(branch)
            .and_then(|b| b.protection.as_ref());
        Ok(
            protection
                .is_some_and(|p| crate::github::wire::enabled(p.required_signatures.as_ref())),
        )
    }

    async fn protected_branches(&self, repo: &RepoName) -> Result<Vec<String>, ApiError> {
        self.check_repo(repo, "protected_branches")?;
        let state = self.call("protected_branches", "", None)?;
        Ok(state
            .branches
            .iter()
            .filter(|(_, b)| b.protection.is_some())
            .map(|(n, _)| n.clone())
            .collect())
    }

    async fn environments(&self, repo: &RepoName) -> Result<Vec<Environment>, ApiError> {
        self.check_repo(repo, "environments")?;
        let state = self.call("environments", "", None)?;
        Ok(state.environments.iter().map(|e| e.wire.clone()).collect())
    }

    async fn deployment_branch_policies(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Vec<DeploymentBranchPolicy>, ApiError> {
        self.check_repo(repo, "deployment_branch_policies")?;
        let state = self.call("deployment_branch_policies", environment, None)?;
        find(&state, environment)
            .map(|e| e.patterns.clone())
            .ok_or_else(|| not_found("deployment_branch_policies", environment))
    }

    async fn environment_secrets(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<SecretItem>>, ApiError> {
        self.check_repo(repo, "environment_secrets")?;
        let state = self.call("environment_secrets", environment, None)?;
        Ok(find(&state, environment).map(|e| {
            e.secrets
                .keys()
                .map(|name| SecretItem { name: name.clone() })
                .collect()
        }))
    }

    async fn environment_variables(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<Option<Vec<VariableItem>>, ApiError> {
        self.check_repo(repo, "environment_variables")?;
        let state = self.call("environment_variables", environment, None)?;
        Ok(find(&state, environment).map(|e| {
            e.variables
                .iter()
                .map(|(name, value)| VariableItem {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect()
        }))
    }

    async fn environment_public_key(
        &self,
        repo: &RepoName,
        environment: &str,
    ) -> Result<PublicKey, ApiError> {
        self.check_repo(repo, "environment_public_key")?;
        let state = self.call("environment_public_key", environment, None)?;
        find(&state, environment)
            .ok_or_else(|| not_found("environment_public_key", environment))?;
        Ok(PublicKey {
            key_id: KeyId::Text("fake-key".to_owned()),
            key: base64::engine::general_purpose::STANDARD
                .encode(self.secret_key.public_key().as_bytes()),
        })
    }

    async fn user(&self, login: &str) -> Result<Option<User>, ApiError> {
        let state = self.call("user", login, None)?;
        Ok(state
            .users
            .get(&login.to_lowercase())
            .map(|(login, id)| User {
                login: login.clone(),
                id: *id,
            }))
    }

    async fn team(&self, _org: &str, slug: &str) -> Result<Option<Team>, ApiError> {
        let state = self.call("team", slug, None)?;
        Ok(state
            .teams
            .get(&slug.to_lowercase())
            .map(|(slug, id)| Team {
                slug: slug.clone(),
                id: *id,
            }))
    }

    async fn app(&self, slug: &str) -> Result<Option<App>, ApiError> {
        let state = self.call("app", slug, None)?;
        Ok(state.apps.get(&slug.to_lowercase()).map(|id| App {
            id: *id,
            slug: Some(slug.to_owned()),
        }))
    }

    async fn user_by_id(&self, id: u64) -> Result<Option<User>, ApiError> {
        let state = self.call("user_by_id", &id.to_string(), None)?;
        Ok(state
            .users
            .values()
            .find(|(_, user)| *user == id)
            .map(|(login, id)| User {
                login: login.clone(),
                id: *id,
            }))
    }

    async fn org_teams(&self, _org: &str) -> Result<Vec<Team>, ApiError> {
        let state = self.call("org_teams", "", None)?;
        Ok(state
            .teams
            .values()
            .map(|(slug, id)| Team {
                slug: slug.clone(),
                id: *id,
            })
            .collect())
    }

    async fn rulesets(&self, repo: &RepoName) -> Result<Vec<RulesetSummary>, ApiError> {
        self.list_rulesets(repo)
    }

    async fn ruleset(&self, repo: &RepoName, id: u64) -> Result<WireRuleset, ApiError> {
        self.get_ruleset(repo, id)
    }

    async fn branch_rules(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<Vec<EffectiveRule>, ApiError> {
        self.effective_rules(repo, branch)
    }

    async fn repository(
        &self,
        repo: &RepoName,
    ) -> Result<crate::github::wire::account::Repository, ApiError> {
        self.check_repo(repo, "repository")?;
        let _state = self.call("repository", "", None)?;
        Ok(crate::github::wire::account::Repository {
            name: repo.name.clone(),
            full_name: Some(repo.to_string()),
            default_branch: Some("main".to_owned()),
            archived: false,
            fork: false,
            switches: super::switches::merge_settings(),
        })
    }

    async fn org_repositories(
        &self,
        _org: &str,
    ) -> Result<Vec<crate::github::wire::account::Repository>, ApiError> {
        let _state = self.call("org_repositories", "", None)?;
        Ok(vec![crate::github::wire::account::Repository {
            name: self.repo().name.clone(),
            full_name: Some(self.repo().to_string()),
            default_branch: Some("main".to_owned()),
            archived: false,
            fork: false,
            switches: crate::github::wire::switches::MergeSettings::default(),
        }])
    }

    async fn org_property_values(
        &self,
        org: &str,
    ) -> Result<Vec<crate::github::wire::properties::RepositoryValues>, ApiError> {
        let _state = self.call("org_property_values", org, None)?;
        Ok(vec![crate::github::wire::properties::RepositoryValues {
            repository_name: self.repo().name.clone(),
            properties: Vec::new(),
        }])
    }

    async fn org_property_schema(
        &self,
        org: &str,
    ) -> Result<Vec<crate::github::wire::properties::PropertyDefinition>, ApiError> {
        let _state = self.call("org_property_schema", org, None)?;
        Ok(Vec::new())
    }

    async fn org_rulesets(&self, org: &str) -> Result<Vec<RulesetSummary>, ApiError> {
        let state = self.call("org_rulesets", org, None)?;
        Ok(state
            .rulesets
            .iter()
            .filter(|r| r.source_type.as_deref() == Some("Organization"))
            .map(summary)
            .collect())
    }

    async fn org_ruleset(&self, org: &str, id: u64) -> Result<WireRuleset, ApiError> {
        let state = self.call("org_ruleset", &format!("{org}/{id}"), None)?;
        state
            .rulesets
            .iter()
            .find(|r| r.id == id && r.source_type.as_deref() == Some("Organization"))
            .cloned()
            .ok_or_else(|| not_found("org_ruleset", &id.to_string()))
    }

    async fn check_runs(
        &self,
        repo: &RepoName,
        reference: &str,
    ) -> Result<Vec<crate::github::wire::checks::CheckRun>, ApiError> {
        self.check_repo(repo, "check_runs")?;
        let _state = self.call("check_runs", reference, None)?;
        Ok(Vec::new())
    }

    async fn branch_names(&self, repo: &RepoName) -> Result<Vec<String>, ApiError> {
        self.check_repo(repo, "branch_names")?;
        let state = self.call("branch_names", "", None)?;
        Ok(state.branches.keys().cloned().collect())
    }

    async fn writers(
        &self,
        repo: &RepoName,
    ) -> Result<Vec<crate::github::wire::findings::Collaborator>, ApiError> {
        self.check_repo(repo, "writers")?;
        let _state = self.call("writers", "", None)?;
        Ok(Vec::new())
    }

    async fn codeowners_errors(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<Option<Vec<crate::github::wire::findings::CodeownersError>>, ApiError> {
        self.check_repo(repo, "codeowners_errors")?;
        let _state = self.call("codeowners_errors", branch, None)?;
        // No CODEOWNERS file, as GitHub answers for a repository without one.
        Ok(None)
    }

    async fn closed_pulls(
        &self,
        repo: &RepoName,
        base: &str,
    ) -> Result<Vec<crate::github::wire::findings::PullRequest>, ApiError> {
        self.check_repo(repo, "closed_pulls")?;
        let _state = self.call("closed_pulls", base, None)?;
        Ok(Vec::new())
    }

    async fn commit_statuses(&self, repo: &RepoName, sha: &str) -> Result<Vec<String>, ApiError> {
        self.check_repo(repo, "commit_statuses")?;
        let _state = self.call("commit_statuses", sha, None)?;
        Ok(Vec::new())
    }

    async fn rate_limit(&self) -> Result<RateLimit, ApiError> {
        let state = self.call("rate_limit", "", None)?;
        Ok(state.rate_limit.unwrap_or_else(|| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            RateLimit {
                limit: 5000,
                remaining: 5000,
                reset: now + 3600,
                used: 0,
            }
        }))
    }

    async fn switch(
        &self,
        repo: &RepoName,
        switch: crate::github::wire::switches::Switch,
    ) -> Result<crate::github::wire::switches::SwitchRead, ApiError> {
        self.read_switch(repo, switch)
    }

    async fn code_security_configuration(
        &self,
        repo: &RepoName,
    ) -> Result<Option<crate::github::wire::switches::ConfigurationForRepository>, ApiError> {
        self.check_repo(repo, "code_security_configuration")?;
        self.call("code_security_configuration", "", None)
            .map(|_| None)
    }

    async fn actions_permissions(
        &self,
        repo: &RepoName,
    ) -> Result<crate::github::wire::switches::ActionsPermissions, ApiError> {
        self.read_actions(repo)
    }

    async fn selected_actions(
        &self,
        repo: &RepoName,
    ) -> Result<crate::github::wire::switches::SelectedActions, ApiError> {
        self.check_repo(repo, "selected_actions")?;
        let state = self.call("selected_actions", "", None)?;
        Ok(state.switches.selected.clone())
    }

    async fn workflow_permissions(
        &self,
        repo: &RepoName,
    ) -> Result<crate::github::wire::switches::WorkflowPermissions, ApiError> {
        self.check_repo(repo, "workflow_permissions")?;
        let state = self.call("workflow_permissions", "", None)?;
        let mut workflow = state.switches.workflow.clone();
        workflow
            .default_workflow_permissions
            .get_or_insert_with(|| "read".to_owned());
        workflow
            .can_approve_pull_request_reviews
            .get_or_insert(false);
        Ok(workflow)
    }
}
