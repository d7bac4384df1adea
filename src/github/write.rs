//! Turning one plan target into its requests. Only `apply` reaches this module.
//!
//! Each target becomes one request, or a short fixed sequence (a protection PUT, then the
//! PATCH that pins checks, then signed commits; a secret's public key, then its PUT; the
//! rules GitHub enforces on a branch, then the removal of the classic protection rulesets
//! take over, `handover`). The order of targets and what happens on failure are `apply`'s
//! business.

mod handover;
mod switches;

pub use switches::{Refusal, perform_switches};

use super::api::{reads, writes};
use super::convert::environment::{environment_request, pattern_request};
use super::convert::protection::{checks_request, dropped_actors, protection_request};
use super::convert::ruleset::ruleset_request;
use super::convert::secret::secret_request;
use super::error::{ApiError, ApiErrorKind};
use super::rest::RestWriter;
use super::wire::actions::VariableRequest;
use crate::model::names::RepoName;
use crate::plan::{
    EnvironmentWrite, PatternWrite, ProtectionWrite, RulesetWrite, SecretWrite, Target,
    VariableWrite,
};

/// Secret values, by the name of the environment variable they came from. Read once,
/// before any write, by the command that runs `apply`.
pub trait SecretValues: Send + Sync {
    /// Returns the value of the variable, if it is set and not empty.
    fn value(&self, var: &str) -> Option<&[u8]>;
}

/// Makes one target's writes. Returns warnings about what GitHub silently did differently
/// (users dropped from a restriction).
pub async fn perform(
    github: &RestWriter,
    repo: &RepoName,
    target: &Target,
    secrets: &dyn SecretValues,
) -> Result<Vec<String>, ApiError> {
    match target {
        Target::BranchProtection { branch, write } => protection(github, repo, branch, write).await,
        Target::Environment { name, write } => {
            match write {
                EnvironmentWrite::Put(put) => {
                    let body = environment_request(put);
                    github
                        .write(writes::put_environment(repo, name, &body))
                        .await
                }
                EnvironmentWrite::Delete => {
                    github.write(writes::delete_environment(repo, name)).await
                }
            }?;
            Ok(Vec::new())
        }
        Target::DeploymentPattern { environment, write } => {
            match write {
                PatternWrite::Create(pattern) => {
                    let body = pattern_request(pattern);
                    let write = writes::create_deployment_branch_policy(repo, environment, &body);
                    github.write(write).await
                }
                PatternWrite::Delete { id } => {
                    let write = writes::delete_deployment_branch_policy(repo, environment, *id);
                    github.write(write).await
                }
            }?;
            Ok(Vec::new())
        }
        Target::Secret {
            environment,
            name,
            write,
        } => {
            secret(github, repo, environment, name, write, secrets).await?;
            Ok(Vec::new())
        }
        Target::Ruleset { name, write } => {
            match write {
                RulesetWrite::Create(put) => {
                    let body = ruleset_request(name, put);
                    github
                        .write(writes::create_ruleset(repo, &body))
                        .await
                        .map(drop)
                }
                RulesetWrite::Update { id, put } => {
                    let body = ruleset_request(name, put);
                    let write = writes::update_ruleset(repo, *id, &body);
                    github.write(write).await.map(drop)
                }
                RulesetWrite::Delete { id } => {
                    github.write(writes::delete_ruleset(repo, *id)).await
                }
            }?;
            Ok(Vec::new())
        }
        Target::Variable {
            environment,
            name,
            write,
        } => {
            variable(github, repo, environment, name, write).await?;
            Ok(Vec::new())
        }
        Target::RepositorySettings(_) | Target::Security(_) | Target::Actions(_) => {
            // `apply` writes these through `perform_switches`, which keeps refusals apart.
            match perform_switches(github, repo, target).await {
                Some(Ok(refusals)) => Ok(refusals
                    .into_iter()
                    .map(|r| format!("{}: {}", r.path, r.message))
                    .collect()),
                Some(Err(error)) => Err(error),
                None => Ok(Vec::new()),
            }
        }
    }
}

/// A protection PUT, then the PATCH that pins checks, then signed commits; or a DELETE, once
/// the rulesets it hands over to are confirmed in force.
async fn protection(
    github: &RestWriter,
    repo: &RepoName,
    branch: &str,
    write: &ProtectionWrite,
) -> Result<Vec<String>, ApiError> {
    let put = match write {
        ProtectionWrite::Put(put) => put,
        ProtectionWrite::Remove { handover } => {
            if let Some(handover) = handover {
                handover::confirm(github, repo, branch, handover).await?;
            }
            github
                .write(writes::delete_branch_protection(repo, branch))
                .await?;
            return Ok(Vec::new());
        }
    };
    let body = protection_request(put);
    let answer = github
        .write(writes::put_branch_protection(repo, branch, &body))
        .await?;
    let warnings = dropped_actors(&answer, &put.settings);
    if let (Some(checks), Some(settings)) = (&put.pinned_checks, &put.settings.status_checks) {
        let body = checks_request(settings.strict, checks);
        github
            .write(writes::set_status_checks(repo, branch, &body))
            .await?;
    }
    if let Some(on) = put.signatures {
        github
            .write(writes::set_required_signatures(repo, branch, on))
            .await?;
    }
    Ok(warnings)
}

/// A secret: sealed with the environment's key from the value read before any write (an
/// empty value is never uploaded), or deleted.
async fn secret(
    github: &RestWriter,
    repo: &RepoName,
    environment: &str,
    name: &str,
    write: &SecretWrite,
    secrets: &dyn SecretValues,
) -> Result<(), ApiError> {
    let SecretWrite::Create { from_env } = write else {
        return github
            .write(writes::delete_environment_secret(repo, environment, name))
            .await;
    };
    let call = super::Call::new(
        http::Method::PUT,
        format!("secret {name} of environment {environment}"),
    );
    let value = secrets
        .value(from_env)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            ApiError::new(ApiErrorKind::Rejected, call.clone()).with_detail(format!(
                "environment variable `{from_env}` is not set or is empty; nothing was sent"
            ))
        })?;
    let key = github
        .read(reads::environment_public_key(repo, environment))
        .await?;
    let body = secret_request(&key, value)
        .map_err(|detail| ApiError::new(ApiErrorKind::Malformed, call).with_detail(detail))?;
    github
        .write(writes::put_environment_secret(
            repo,
            environment,
            name,
            &body,
        ))
        .await
}

/// A variable: created, updated or deleted.
async fn variable(
    github: &RestWriter,
    repo: &RepoName,
    environment: &str,
    name: &str,
    write: &VariableWrite,
) -> Result<(), ApiError> {
    let body = |value: &String| VariableRequest {
        name: name.to_owned(),
        value: value.clone(),
    };
    match write {
        VariableWrite::Create(value) => {
            let body = body(value);
            let write = writes::create_environment_variable(repo, environment, &body);
            github.write(write).await
        }
        VariableWrite::Update(value) => {
            let body = body(value);
            let write = writes::update_environment_variable(repo, environment, name, &body);
            github.write(write).await
        }
        VariableWrite::Delete => {
            let write = writes::delete_environment_variable(repo, environment, name);
            github.write(write).await
        }
    }
}
