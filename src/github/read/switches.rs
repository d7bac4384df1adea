//! Reading the repository-wide sections (DESIGN §12, emulator/github-api/QUIRKS.md 58–61):
//! only the sections the policy has, and inside them only the endpoints its keys need. A key
//! the policy manages that GitHub did not show is an error naming the call, never a default.

use crate::github::api::switches as api;
use crate::github::convert::switches::{
    actions_permissions, add_workflow, merge_settings, selected_actions, status_on,
};
use crate::github::error::{ApiError, ApiErrorKind, Permission};
use crate::github::rest::RestReader;
use crate::github::wire::account::Repository;
use crate::github::wire::switches::{Switch, SwitchRead};
use crate::model::live::SwitchFacts;
use crate::model::names::RepoName;
use crate::model::{
    Actions, AllowedActions, RepoSettings, RepositorySettings, Security, SecurityFeature,
};

/// The security features that each have an endpoint of their own, with that endpoint.
const SWITCHED: [(SecurityFeature, Switch); 4] = [
    (
        SecurityFeature::DependabotAlerts,
        Switch::VulnerabilityAlerts,
    ),
    (
        SecurityFeature::DependabotSecurityUpdates,
        Switch::AutomatedSecurityFixes,
    ),
    (
        SecurityFeature::PrivateVulnerabilityReporting,
        Switch::PrivateVulnerabilityReporting,
    ),
    (
        SecurityFeature::ImmutableReleases,
        Switch::ImmutableReleases,
    ),
];

/// What the sections the policy has read as.
#[derive(Debug, Default)]
pub struct Switches {
    /// `settings`, when the policy has it.
    pub settings: Option<RepositorySettings>,
    /// `security`, when the policy has it.
    pub security: Option<Security>,
    /// `actions`, when the policy has it.
    pub actions: Option<Actions>,
    /// What GitHub said besides the values.
    pub facts: SwitchFacts,
}

/// Returns true when reading the policy's sections needs `GET /repos/{o}/{r}`.
pub fn needs_repository(desired: &RepoSettings) -> bool {
    desired.settings.is_some()
        || desired.security.as_ref().is_some_and(|security| {
            security.secret_scanning.is_some() || security.push_protection.is_some()
        })
}

/// The reads of the sections `desired` has when the repository is in sync with them (the
/// allowed actions are read only while they are `selected`, as the policy asks in sync).
pub fn reads_in_sync(desired: &RepoSettings) -> Vec<super::Read> {
    use super::Read;
    let mut reads = Vec::new();
    if needs_repository(desired) {
        reads.push(Read::Repository);
    }
    if let Some(security) = &desired.security {
        for (feature, switch) in SWITCHED {
            if security.get(feature).is_some() {
                reads.push(Read::Switch(switch.segment()));
            }
        }
        if security
            .managed()
            .any(|(feature, _)| feature != SecurityFeature::ImmutableReleases)
        {
            reads.push(Read::CodeSecurityConfiguration);
        }
    }
    if let Some(actions) = &desired.actions {
        if actions.enabled.is_some()
            || actions.allowed_actions.is_some()
            || actions.sha_pinning_required.is_some()
            || actions.selected.is_some()
        {
            reads.push(Read::ActionsPermissions);
        }
        if actions.selected.is_some() && actions.allowed_actions == Some(AllowedActions::Selected) {
            reads.push(Read::SelectedActions);
        }
        if actions.workflow_permissions.is_some() || actions.can_approve_pull_requests.is_some() {
            reads.push(Read::WorkflowPermissions);
        }
    }
    reads
}

/// Reads the sections `desired` has; `repository` is the answer of `GET /repos/{o}/{r}`
/// when `needs_repository` asked for it.
pub async fn read(
    github: &RestReader,
    repo: &RepoName,
    desired: &RepoSettings,
    repository: Option<&Repository>,
) -> Result<Switches, ApiError> {
    let security = read_security(github, repo, desired.security.as_ref(), repository);
    let actions = read_actions(github, repo, desired.actions.as_ref());
    let ((security, facts), actions) = futures::try_join!(security, actions)?;
    let settings = match (&desired.settings, repository) {
        (Some(wanted), Some(repository)) => {
            let live = merge_settings(&repository.switches);
            refuse_hidden_settings(repo, wanted, &live)?;
            Some(live)
        }
        _ => None,
    };
    Ok(Switches {
        settings,
        security,
        actions,
        facts,
    })
}

/// A merge setting the policy manages that GitHub left out of the answer
/// (emulator/github-api/QUIRKS.md 58).
fn refuse_hidden_settings(
    repo: &RepoName,
    wanted: &RepositorySettings,
    live: &RepositorySettings,
) -> Result<(), ApiError> {
    let hidden = [
        (
            "merge_methods",
            wanted.merge_methods.is_some() && live.merge_methods.is_none(),
        ),
        (
            "auto_merge",
            wanted.auto_merge.is_some() && live.auto_merge.is_none(),
        ),
        (
            "delete_branch_on_merge",
            wanted.delete_branch_on_merge.is_some() && live.delete_branch_on_merge.is_none(),
        ),
        (
            "allow_update_branch",
            wanted.allow_update_branch.is_some() && live.allow_update_branch.is_none(),
        ),
        (
            "squash_commit",
            wanted.squash_commit.is_some() && live.squash_commit.is_none(),
        ),
        (
            "merge_commit",
            wanted.merge_commit.is_some() && live.merge_commit.is_none(),
        ),
        (
            "web_commit_signoff_required",
            wanted.web_commit_signoff_required.is_some()
                && live.web_commit_signoff_required.is_none(),
        ),
    ];
    match hidden.iter().find(|(_, missing)| *missing) {
        Some((key, _)) => Err(hidden_key(repo, &format!("settings.{key}"))),
        None => Ok(()),
    }
}

fn hidden_key(repo: &RepoName, key: &str) -> ApiError {
    ApiError::new(ApiErrorKind::Permission, crate::github::error::Call::get(format!("/repos/{repo}")))
        .with_detail(format!(
            "GitHub left `{key}` out of its answer: it shows it only to tokens with administration access"
        ))
        .needing(Permission::AdministrationRead)
}

async fn read_security(
    github: &RestReader,
    repo: &RepoName,
    wanted: Option<&Security>,
    repository: Option<&Repository>,
) -> Result<(Option<Security>, SwitchFacts), ApiError> {
    let mut facts = SwitchFacts::default();
    let Some(wanted) = wanted else {
        return Ok((None, facts));
    };
    let mut live = Security::default();
    // `security_and_analysis`: only admins see it; a feature left out of it is one the
    // repository's plan or visibility does not offer.
    let analysis = repository.and_then(|r| r.switches.security_and_analysis.as_ref());
    for (feature, status) in [
        (
            SecurityFeature::SecretScanning,
            analysis.map(|a| &a.secret_scanning),
        ),
        (
            SecurityFeature::PushProtection,
            analysis.map(|a| &a.secret_scanning_push_protection),
        ),
    ] {
        if wanted.get(feature).is_none() {
            continue;
        }
        match status {
            None => {
                return Err(hidden_key(
                    repo,
                    &format!("security.{} (security_and_analysis)", feature.key()),
                ));
            }
            Some(None) => {
                facts.unavailable.insert(
                    feature,
                    "GitHub does not offer it for this repository's plan or visibility (it is not in `security_and_analysis`)".to_owned(),
                );
            }
            Some(Some(status)) => live.set(feature, status_on(status)),
        }
    }
    let reads = SWITCHED
        .iter()
        .filter(|(feature, _)| wanted.get(*feature).is_some())
        .map(|(feature, switch)| read_switch(github, repo, *feature, *switch));
    let governed = wanted
        .managed()
        .any(|(feature, _)| feature != SecurityFeature::ImmutableReleases);
    let configuration = async {
        if governed {
            github.read(api::code_security_configuration(repo)).await
        } else {
            Ok(None)
        }
    };
    let (answers, configuration) =
        futures::try_join!(futures::future::try_join_all(reads), configuration)?;
    for (feature, answer) in answers {
        match answer {
            SwitchRead::Known { enabled, enforced } => {
                live.set(feature, Some(enabled));
                if enforced {
                    facts.enforced.insert(feature);
                }
            }
            SwitchRead::Unavailable(message) => {
                facts.unavailable.insert(feature, message);
            }
        }
    }
    facts.configuration = configuration
        .filter(|c| {
            matches!(
                c.status.as_deref(),
                Some("attached" | "enforced" | "attaching" | "updating")
            )
        })
        .map(|c| {
            c.configuration
                .and_then(|c| c.name.or_else(|| c.id.map(|id| format!("#{id}"))))
                .unwrap_or_else(|| "(unnamed)".to_owned())
        });
    Ok((Some(live), facts))
}

/// Reads a feature's security switch as its own endpoint answers (emulator/github-api/QUIRKS.md
/// 60).
async fn read_switch(
    github: &RestReader,
    repo: &RepoName,
    feature: SecurityFeature,
    switch: Switch,
) -> Result<(SecurityFeature, SwitchRead), ApiError> {
    let read = match switch {
        Switch::VulnerabilityAlerts => github.read(api::vulnerability_alerts(repo)).await,
        other => github.read(api::switch(repo, other)).await,
    };
    read.map(|answer| (feature, answer))
}

async fn read_actions(
    github: &RestReader,
    repo: &RepoName,
    wanted: Option<&Actions>,
) -> Result<Option<Actions>, ApiError> {
    let Some(wanted) = wanted else {
        return Ok(None);
    };
    let permissions_needed = wanted.enabled.is_some()
        || wanted.allowed_actions.is_some()
        || wanted.sha_pinning_required.is_some()
        || wanted.selected.is_some();
    let workflow_needed =
        wanted.workflow_permissions.is_some() || wanted.can_approve_pull_requests.is_some();
    let permissions = async {
        if permissions_needed {
            github.read(api::actions_permissions(repo)).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let workflow = async {
        if workflow_needed {
            github.read(api::workflow_permissions(repo)).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let (permissions, workflow) = futures::try_join!(permissions, workflow)?;
    let mut live = permissions
        .as_ref()
        .map(actions_permissions)
        .unwrap_or_default();
    if let Some(workflow) = &workflow {
        add_workflow(&mut live, workflow);
    }
    // The allowed actions exist only while they are `selected` (emulator/github-api/QUIRKS.md 61).
    if wanted.selected.is_some() && live.allowed_actions == Some(AllowedActions::Selected) {
        let selected = github.read(api::selected_actions(repo)).await?;
        live.selected = selected_actions(&selected);
    }
    Ok(Some(live))
}
