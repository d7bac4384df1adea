//! The writes of the repository-wide sections (DESIGN §12). GitHub may refuse one switch
//! for the repository's plan, visibility or an organisation policy (403/409/422): that
//! switch is a refusal, with GitHub's message, and the others are still written.

use crate::github::api::switches as api;
use crate::github::convert::switches::{
    analysis_name, analysis_patch, permissions_body, repository_patch, selected_body, workflow_body,
};
use crate::github::error::{ApiError, ApiErrorKind, Cause};
use crate::github::rest::RestWriter;
use crate::github::wire::switches::Switch;
use crate::model::SecurityFeature;
use crate::model::names::RepoName;
use crate::plan::{ActionsWrite, SecurityWrite, Target};

/// A setting GitHub refused to change, and why, in its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The setting, as the plan's path names it (`push_protection`).
    pub path: String,
    /// GitHub's message.
    pub message: String,
}

/// Makes the writes of a `settings`, `security` or `actions` target; returns what GitHub
/// refused. `None` for any other target.
pub async fn perform_switches(
    github: &RestWriter,
    repo: &RepoName,
    target: &Target,
) -> Option<Result<Vec<Refusal>, ApiError>> {
    let mut refusals = Vec::new();
    let result = match target {
        Target::RepositorySettings(settings) => {
            let body = repository_patch(settings);
            refused(
                github.write(api::update_repository(repo, &body)).await,
                "settings",
                &mut refusals,
            )
        }
        Target::Security(write) => security(github, repo, write, &mut refusals).await,
        Target::Actions(write) => actions(github, repo, write, &mut refusals).await,
        _ => return None,
    };
    Some(result.map(|()| refusals))
}

async fn security(
    github: &RestWriter,
    repo: &RepoName,
    write: &SecurityWrite,
    refusals: &mut Vec<Refusal>,
) -> Result<(), ApiError> {
    // The two features of `security_and_analysis`: one PATCH, one refusal for both.
    if let Some(body) = analysis_patch(&write.switches) {
        let keys: Vec<&str> = write
            .switches
            .iter()
            .filter(|(feature, _)| analysis_name(*feature).is_some())
            .map(|(feature, _)| feature.key())
            .collect();
        let answer = github.write(api::update_repository(repo, &body)).await;
        refused(answer, &keys.join(", "), refusals)?;
    }
    for (feature, on) in &write.switches {
        let switch = match feature {
            SecurityFeature::DependabotAlerts => Switch::VulnerabilityAlerts,
            SecurityFeature::DependabotSecurityUpdates => Switch::AutomatedSecurityFixes,
            SecurityFeature::PrivateVulnerabilityReporting => Switch::PrivateVulnerabilityReporting,
            SecurityFeature::ImmutableReleases => Switch::ImmutableReleases,
            SecurityFeature::SecretScanning | SecurityFeature::PushProtection => continue,
        };
        let answer = github.write(api::set_switch(repo, switch, *on)).await;
        refused(answer, feature.key(), refusals)?;
    }
    Ok(())
}

async fn actions(
    github: &RestWriter,
    repo: &RepoName,
    write: &ActionsWrite,
    refusals: &mut Vec<Refusal>,
) -> Result<(), ApiError> {
    if let Some(put) = &write.permissions {
        let body = permissions_body(put);
        let answer = github
            .write(api::put_actions_permissions(repo, &body))
            .await;
        refused(
            answer,
            "enabled, allowed_actions, sha_pinning_required",
            refusals,
        )?;
    }
    if let Some(selected) = &write.selected {
        let body = selected_body(selected);
        let answer = github.write(api::put_selected_actions(repo, &body)).await;
        refused(answer, "selected", refusals)?;
    }
    if let Some(put) = &write.workflow {
        let body = workflow_body(put);
        let answer = github
            .write(api::put_workflow_permissions(repo, &body))
            .await;
        refused(
            answer,
            "workflow_permissions, can_approve_pull_requests",
            refusals,
        )?;
    }
    Ok(())
}

/// Keeps a refusal (and goes on); any other failure stops.
fn refused(
    answer: Result<(), ApiError>,
    path: &str,
    refusals: &mut Vec<Refusal>,
) -> Result<(), ApiError> {
    match answer {
        Ok(()) => Ok(()),
        Err(error) => match refusal_message(&error) {
            Some(message) => {
                refusals.push(Refusal {
                    path: path.to_owned(),
                    message,
                });
                Ok(())
            }
            None => Err(error),
        },
    }
}

/// GitHub's message when it refused a change for the repository's plan, visibility or an
/// organisation policy: a 409 or 422, or a 403 that names no token permission it lacks.
fn refusal_message(error: &ApiError) -> Option<String> {
    let refused = error.kind == ApiErrorKind::Rejected
        || (error.kind == ApiErrorKind::Permission && error.accepted.is_none());
    if !refused {
        return None;
    }
    match error.cause.as_deref() {
        Some(Cause::Status {
            status, message, ..
        }) => Some(format!("GitHub refused it ({status}): {message}")),
        _ => Some(error.to_string()),
    }
}
