//! The repository-wide switches in memory: the security switches and the Actions
//! permissions keep what was written; the merge settings are GitHub's defaults for a new
//! repository and their PATCH is only logged (the emulator keeps them).

use super::super::*;
use crate::github::wire::switches::{
    ActionsPermissions, RepositoryPatch, SelectedActions, Switch, SwitchRead, WorkflowPermissions,
};

/// GitHub's merge settings of a new repository, as an admin reads them.
pub fn merge_settings() -> crate::github::wire::switches::MergeSettings {
    use crate::github::wire::switches::{FeatureStatus, MergeSettings, SecurityAndAnalysis};
    let disabled = || {
        Some(FeatureStatus {
            status: "disabled".to_owned(),
        })
    };
    MergeSettings {
        allow_merge_commit: Some(true),
        allow_squash_merge: Some(true),
        allow_rebase_merge: Some(true),
        allow_auto_merge: Some(false),
        delete_branch_on_merge: Some(false),
        allow_update_branch: Some(false),
        squash_merge_commit_title: Some("COMMIT_OR_PR_TITLE".to_owned()),
        squash_merge_commit_message: Some("COMMIT_MESSAGES".to_owned()),
        merge_commit_title: Some("MERGE_MESSAGE".to_owned()),
        merge_commit_message: Some("PR_TITLE".to_owned()),
        web_commit_signoff_required: Some(false),
        security_and_analysis: Some(SecurityAndAnalysis {
            secret_scanning: disabled(),
            secret_scanning_push_protection: disabled(),
        }),
    }
}

/// The switches' state.
#[derive(Debug, Clone, Default)]
pub struct FakeSwitches {
    /// Security switches that are on, by endpoint segment.
    pub on: std::collections::BTreeSet<&'static str>,
    /// `…/actions/permissions`, once written.
    pub actions: Option<ActionsPermissions>,
    /// `…/actions/permissions/selected-actions`.
    pub selected: SelectedActions,
    /// `…/actions/permissions/workflow`.
    pub workflow: WorkflowPermissions,
}

impl FakeGithub {
    pub(in crate::github::fake) fn read_switch(
        &self,
        repo: &RepoName,
        switch: Switch,
    ) -> Result<SwitchRead, ApiError> {
        self.check_repo(repo, "switch")?;
        let state = self.call("switch", switch.segment(), None)?;
        Ok(SwitchRead::Known {
            enabled: state.switches.on.contains(switch.segment()),
            enforced: false,
        })
    }

    pub(in crate::github::fake) fn read_actions(
        &self,
        repo: &RepoName,
    ) -> Result<ActionsPermissions, ApiError> {
        self.check_repo(repo, "actions_permissions")?;
        let state = self.call("actions_permissions", "", None)?;
        Ok(state
            .switches
            .actions
            .clone()
            .unwrap_or(ActionsPermissions {
                enabled: true,
                allowed_actions: Some("all".to_owned()),
                sha_pinning_required: Some(false),
            }))
    }

    pub(in crate::github::fake) fn write_switch(
        &self,
        repo: &RepoName,
        switch: Switch,
        on: bool,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "set_switch")?;
        let mut state = self.call("set_switch", switch.segment(), Some(serde_json::json!(on)))?;
        if on {
            state.switches.on.insert(switch.segment());
        } else {
            state.switches.on.remove(switch.segment());
        }
        Ok(())
    }

    pub(in crate::github::fake) fn patch_repository(
        &self,
        repo: &RepoName,
        body: &RepositoryPatch,
    ) -> Result<(), ApiError> {
        self.check_repo(repo, "update_repository")?;
        self.call("update_repository", "", json(body)).map(drop)
    }

    pub(in crate::github::fake) fn write_actions(
        &self,
        repo: &RepoName,
        op: &'static str,
        body: &impl serde::Serialize,
        change: impl FnOnce(&mut FakeSwitches),
    ) -> Result<(), ApiError> {
        self.check_repo(repo, op)?;
        let mut state = self.call(op, "", json(body))?;
        change(&mut state.switches);
        Ok(())
    }
}
