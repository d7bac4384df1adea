//! Writes, and what GitHub does with them.

use super::super::*;
use super::{find, find_mut};

fn on(flag: bool) -> Enabled {
    Enabled { enabled: flag }
}

/// What GitHub keeps of a list of names: the ones it knows, as objects.
fn objects(names: &ActorNames) -> ActorObjects {
    ActorObjects {
        users: names
            .users
            .iter()
            .map(|login| Login {
                login: login.clone(),
            })
            .collect(),
        teams: names
            .teams
            .iter()
            .map(|slug| Slug { slug: slug.clone() })
            .collect(),
        apps: names
            .apps
            .iter()
            .map(|slug| Slug { slug: slug.clone() })
            .collect(),
    }
}

/// Performs a PUT of protection as GitHub does: the body replaces the protection; checks
/// given by name are "any app"; signed commits are kept.
fn protect(old: Option<&Protection>, body: &ProtectionRequest) -> Protection {
    let reviews = body.required_pull_request_reviews.as_ref().map(|r| {
        let old = old.and_then(|o| o.required_pull_request_reviews.as_ref());
        PullRequestReviews {
            dismissal_restrictions: match &r.dismissal_restrictions {
                Some(ActorNamesOrOff::Actors(names)) => Some(objects(names)),
                Some(ActorNamesOrOff::Off(_)) => None,
                None => old.and_then(|o| o.dismissal_restrictions.clone()),
            },
            dismiss_stale_reviews: Some(r.dismiss_stale_reviews),
            require_code_owner_reviews: Some(r.require_code_owner_reviews),
            required_approving_review_count: Some(r.required_approving_review_count),
            require_last_push_approval: Some(r.require_last_push_approval),
            bypass_pull_request_allowances: match &r.bypass_pull_request_allowances {
                Some(names) => Some(objects(names)),
                None => old.and_then(|o| o.bypass_pull_request_allowances.clone()),
            },
        }
    });
    Protection {
        required_status_checks: body
            .required_status_checks
            .as_ref()
            .map(|c| StatusCheckPolicy {
                strict: Some(c.strict),
                contexts: c.contexts.clone(),
                checks: Some(
                    c.contexts
                        .iter()
                        .map(|context| Check {
                            context: context.clone(),
                            app_id: None,
                        })
                        .collect(),
                ),
            }),
        enforce_admins: Some(on(body.enforce_admins)),
        required_pull_request_reviews: reviews,
        restrictions: body.restrictions.as_ref().map(objects),
        required_linear_history: Some(on(body.required_linear_history)),
        allow_force_pushes: Some(on(body.allow_force_pushes)),
        allow_deletions: Some(on(body.allow_deletions)),
        block_creations: Some(on(body.block_creations)),
        required_conversation_resolution: Some(on(body.required_conversation_resolution)),
        lock_branch: Some(on(body.lock_branch)),
        allow_fork_syncing: Some(on(body.allow_fork_syncing)),
        required_signatures: old
            .and_then(|o| o.required_signatures.clone())
            .or(Some(on(false))),
    }
}

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
            ApiError::new(ApiErrorKind::Rejected, "put_environment_secret")
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
}

/// Applies an environment PUT as GitHub does: keys left out keep their values.
fn update_environment(
    environment: &mut FakeEnvironment,
    body: &EnvironmentRequest,
    users: &BTreeMap<String, (String, u64)>,
    teams: &BTreeMap<String, (String, u64)>,
) {
    let rules = &mut environment.wire.protection_rules;
    let rule = |rules: &mut Vec<ProtectionRule>, kind: &str| {
        if !rules.iter().any(|r| r.kind == kind) {
            rules.push(ProtectionRule {
                kind: kind.to_owned(),
                wait_timer: None,
                prevent_self_review: None,
                reviewers: Vec::new(),
            });
        }
        rules
            .iter()
            .position(|r| r.kind == kind)
            .unwrap_or_default()
    };
    if let Some(minutes) = body.wait_timer {
        let at = rule(rules, "wait_timer");
        rules[at].wait_timer = Some(minutes);
    }
    if let Some(reviewers) = &body.reviewers {
        let at = rule(rules, "required_reviewers");
        rules[at].reviewers = reviewers
            .iter()
            .flatten()
            .map(|r| {
                let (login, slug) = if r.kind == "Team" {
                    (
                        None,
                        teams
                            .values()
                            .find(|(_, id)| *id == r.id)
                            .map(|(s, _)| s.clone()),
                    )
                } else {
                    (
                        users
                            .values()
                            .find(|(_, id)| *id == r.id)
                            .map(|(l, _)| l.clone()),
                        None,
                    )
                };
                ReviewerEntry {
                    kind: Some(r.kind.to_owned()),
                    reviewer: Some(ReviewerObject {
                        id: Some(r.id),
                        login,
                        slug,
                    }),
                }
            })
            .collect();
    }
    if let Some(flag) = body.prevent_self_review {
        let at = rule(rules, "required_reviewers");
        rules[at].prevent_self_review = Some(flag);
    }
    rules.retain(|r| r.kind != "required_reviewers" || !r.reviewers.is_empty());
    environment.wire.deployment_branch_policy = body
        .deployment_branch_policy
        .map(|p| BranchPolicySettings { ..p });
    if environment
        .wire
        .deployment_branch_policy
        .is_none_or(|p| !p.custom_branch_policies)
    {
        environment.patterns.clear();
    }
    if let Some(flag) = body.can_admins_bypass {
        environment.wire.can_admins_bypass = Some(flag);
    }
}
