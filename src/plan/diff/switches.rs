//! The repository-wide sections (DESIGN §12): `settings`, `security` and `actions`, each one
//! change at its section's address when a key it manages differs, the paths the keys as
//! written. A security feature GitHub will not let `apply` change (a code security
//! configuration governs it, the owner enforces it, the repository's plan or visibility
//! does not offer it) is a change of its own, not applicable, saying why.

mod held;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

pub(super) use held::held;

use super::{Unresolved, change, inapplicable};
use crate::model::live::LiveState;
use crate::model::{
    Actions, RepoSettings, RepositorySettings, Security, SecurityFeature, SelectedActions,
};
use crate::plan::{
    Action, ActionsWrite, Address, Change, FieldDiff, PermissionsPut, SecurityWrite, SettingPath,
    Target, WorkflowPut,
};
use crate::protection::weakening::{self, ALLOWED_ACTIONS, Protects, Side, WORKFLOW_PERMISSIONS};

/// Adds the changes of the three sections.
pub fn diff(desired: &RepoSettings, live: &LiveState, changes: &mut Vec<Change>) {
    if let Some(wanted) = &desired.settings {
        settings(wanted, live, changes);
    }
    if let Some(wanted) = &desired.security {
        security(wanted, live, changes);
    }
    if let Some(wanted) = &desired.actions {
        actions(wanted, live, changes);
    }
}

/// One key's difference, if any: the live value (`None`: unknown) against the policy's.
fn key<T: Serialize + PartialEq>(
    path: &str,
    have: Option<&T>,
    want: Option<&T>,
    protects: Protects,
) -> Option<FieldDiff> {
    let want = want?;
    if have == Some(want) {
        return None;
    }
    let have = have.map_or(Value::Null, json);
    let want = json(want);
    let mut diff = FieldDiff::new(path, have.clone(), want.clone());
    let side = |value| Side { value, protects };
    diff.lowers = !have.is_null() && weakening::lowers(Some(side(&have)), Some(side(&want)), None);
    Some(diff)
}

fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn settings(wanted: &RepositorySettings, live: &LiveState, changes: &mut Vec<Change>) {
    let have = live.settings.settings.clone().unwrap_or_default();
    let diffs: Vec<FieldDiff> = [
        key(
            "merge_methods",
            have.merge_methods.as_ref(),
            wanted.merge_methods.as_ref(),
            Protects::Nothing,
        ),
        key(
            "auto_merge",
            have.auto_merge.as_ref(),
            wanted.auto_merge.as_ref(),
            Protects::Nothing,
        ),
        key(
            "delete_branch_on_merge",
            have.delete_branch_on_merge.as_ref(),
            wanted.delete_branch_on_merge.as_ref(),
            Protects::Nothing,
        ),
        key(
            "allow_update_branch",
            have.allow_update_branch.as_ref(),
            wanted.allow_update_branch.as_ref(),
            Protects::Nothing,
        ),
        key(
            "squash_commit",
            have.squash_commit.as_ref(),
            wanted.squash_commit.as_ref(),
            Protects::Nothing,
        ),
        key(
            "merge_commit",
            have.merge_commit.as_ref(),
            wanted.merge_commit.as_ref(),
            Protects::Nothing,
        ),
        key(
            "web_commit_signoff_required",
            have.web_commit_signoff_required.as_ref(),
            wanted.web_commit_signoff_required.as_ref(),
            Protects::WhenOn,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if diffs.is_empty() {
        return;
    }
    // Only the keys that differ are sent.
    let differs = |path: &str| diffs.iter().any(|d| d.path == path);
    let write = RepositorySettings {
        merge_methods: wanted
            .merge_methods
            .clone()
            .filter(|_| differs("merge_methods")),
        auto_merge: wanted.auto_merge.filter(|_| differs("auto_merge")),
        delete_branch_on_merge: wanted
            .delete_branch_on_merge
            .filter(|_| differs("delete_branch_on_merge")),
        allow_update_branch: wanted
            .allow_update_branch
            .filter(|_| differs("allow_update_branch")),
        squash_commit: wanted
            .squash_commit
            .clone()
            .filter(|_| differs("squash_commit")),
        merge_commit: wanted
            .merge_commit
            .clone()
            .filter(|_| differs("merge_commit")),
        web_commit_signoff_required: wanted
            .web_commit_signoff_required
            .filter(|_| differs("web_commit_signoff_required")),
    };
    changes.push(change(
        Address::Settings,
        Action::Update,
        diffs,
        Ok(Target::RepositorySettings(write)),
    ));
}

fn security(wanted: &Security, live: &LiveState, changes: &mut Vec<Change>) {
    let have = live.settings.security.clone().unwrap_or_default();
    let facts = &live.switches;
    let mut writable = Vec::new();
    let mut switches = Vec::new();
    let mut blocked: BTreeMap<String, Vec<FieldDiff>> = BTreeMap::new();
    for (feature, on) in wanted.managed() {
        let Some(diff) = key(
            feature.key(),
            have.get(feature).as_ref(),
            Some(&on),
            Protects::WhenOn,
        ) else {
            continue;
        };
        if let Some(reason) = blocked_by(feature, on, facts) {
            blocked.entry(reason).or_default().push(diff);
        } else {
            writable.push(diff);
            switches.push((feature, on));
        }
    }
    if !writable.is_empty() {
        changes.push(change(
            Address::Security,
            Action::Update,
            writable,
            Ok(Target::Security(SecurityWrite { switches })),
        ));
    }
    for (reason, diffs) in blocked {
        let mut refused = inapplicable(Address::Security, Action::Update, reason);
        refused.diffs = diffs;
        changes.push(refused);
    }
}

/// Why `apply` cannot switch a feature, if it cannot.
fn blocked_by(
    feature: SecurityFeature,
    on: bool,
    facts: &crate::model::live::SwitchFacts,
) -> Option<String> {
    if let Some(message) = facts.unavailable.get(&feature) {
        return Some(format!(
            "GitHub does not allow it for this repository: {message}"
        ));
    }
    if let Some(name) = &facts.configuration
        && feature != SecurityFeature::ImmutableReleases
    {
        return Some(format!(
            "governed by the code security configuration {} attached to the repository: change it there, or detach it",
            crate::output::untrusted::quote(name)
        ));
    }
    (facts.enforced.contains(&feature) && !on)
        .then(|| "enforced by the repository's owner".to_owned())
}

fn actions(wanted: &Actions, live: &LiveState, changes: &mut Vec<Change>) {
    let have = live.settings.actions.clone().unwrap_or_default();
    let diffs = actions_diffs(wanted, &have);
    if diffs.is_empty() {
        return;
    }
    let target = actions_target(wanted, &have, &diffs, live);
    changes.push(change(Address::Actions, Action::Update, diffs, target));
}

/// The keys of `actions` that differ; the allowed actions' parts one by one.
fn actions_diffs(wanted: &Actions, have: &Actions) -> Vec<FieldDiff> {
    let selected = |s: Option<&SelectedActions>, part: &str| -> Option<Value> {
        s.map(|s| match part {
            "github_owned" => Value::Bool(s.github_owned),
            "verified" => Value::Bool(s.verified),
            _ => json(&s.pattern_set()),
        })
    };
    let mut diffs: Vec<Option<FieldDiff>> = vec![
        key(
            "enabled",
            have.enabled.as_ref(),
            wanted.enabled.as_ref(),
            Protects::WhenOff,
        ),
        key(
            "allowed_actions",
            have.allowed_actions.as_ref(),
            wanted.allowed_actions.as_ref(),
            Protects::Ranked(ALLOWED_ACTIONS),
        ),
    ];
    for (part, protects) in [
        ("github_owned", Protects::WhenOff),
        ("verified", Protects::WhenOff),
        ("patterns", Protects::NoItem),
    ] {
        let want = selected(wanted.selected.as_ref(), part);
        let have = selected(have.selected.as_ref(), part);
        diffs.push(key(
            &format!("selected.{part}"),
            have.as_ref(),
            want.as_ref(),
            protects,
        ));
    }
    diffs.extend([
        key(
            "sha_pinning_required",
            have.sha_pinning_required.as_ref(),
            wanted.sha_pinning_required.as_ref(),
            Protects::WhenOn,
        ),
        key(
            "workflow_permissions",
            have.workflow_permissions.as_ref(),
            wanted.workflow_permissions.as_ref(),
            Protects::Ranked(WORKFLOW_PERMISSIONS),
        ),
        key(
            "can_approve_pull_requests",
            have.can_approve_pull_requests.as_ref(),
            wanted.can_approve_pull_requests.as_ref(),
            Protects::WhenOff,
        ),
    ]);
    diffs.into_iter().flatten().collect()
}

/// The PUTs that make the keys that differ: the permissions whole (GitHub requires
/// `enabled`), the allowed actions whole, the workflow keys that differ.
fn actions_target(
    wanted: &Actions,
    have: &Actions,
    diffs: &[FieldDiff],
    live: &LiveState,
) -> Result<Target, Unresolved> {
    let differs = |section: &str| {
        let section = SettingPath::parse(section);
        diffs.iter().any(|d| section.covers(&d.path))
    };
    let permissions =
        if differs("enabled") || differs("allowed_actions") || differs("sha_pinning_required") {
            match wanted.enabled.or(have.enabled) {
                Some(enabled) => Ok(Some(PermissionsPut {
                    enabled,
                    allowed_actions: wanted
                        .allowed_actions
                        .clone()
                        .or(have.allowed_actions.clone()),
                    sha_pinning_required: wanted.sha_pinning_required.or(have.sha_pinning_required),
                })),
                None => Err(Unresolved::new("whether Actions is enabled", &live.ids)),
            }
        } else {
            Ok(None)
        };
    let workflow =
        (differs("workflow_permissions") || differs("can_approve_pull_requests")).then(|| {
            WorkflowPut {
                default_workflow_permissions: wanted
                    .workflow_permissions
                    .clone()
                    .filter(|_| differs("workflow_permissions")),
                can_approve_pull_request_reviews: wanted
                    .can_approve_pull_requests
                    .filter(|_| differs("can_approve_pull_requests")),
            }
        });
    permissions.map(|permissions| {
        Target::Actions(ActionsWrite {
            permissions,
            selected: wanted.selected.clone().filter(|_| differs("selected")),
            workflow,
        })
    })
}
