//! The writes of the repository-wide sections (DESIGN §12) with keys an exception accepts
//! held at their live values. A key a section does not name is not managed and keeps its
//! live value, so holding a key is leaving it out of the section; a part of the allowed
//! actions, which GitHub takes whole, takes its live value instead.

use super::{actions, security, settings};
use crate::model::live::LiveState;
use crate::model::{Actions, RepoSettings, RepositorySettings, Security, SecurityFeature};
use crate::plan::{Address, Change, SettingPath, Target};

/// Returns the write of the section at `address` with the `held` keys at their live values;
/// `None` when one is not a key of the section, or has no live value to hold.
pub(in crate::plan::diff) fn held(
    address: &Address,
    desired: &RepoSettings,
    held: &[SettingPath],
    live: &LiveState,
) -> Option<Target> {
    let mut changes = Vec::new();
    match address {
        Address::Settings => {
            let mut wanted = desired.settings.clone()?;
            for path in held {
                release_setting(&mut wanted, path)?;
            }
            settings(&wanted, live, &mut changes);
        }
        Address::Security => {
            let mut wanted = desired.security.clone()?;
            for path in held {
                release_feature(&mut wanted, path)?;
            }
            security(&wanted, live, &mut changes);
        }
        Address::Actions => {
            let mut wanted = desired.actions.clone()?;
            let have = live.settings.actions.clone().unwrap_or_default();
            for path in held {
                hold_actions(&mut wanted, &have, path)?;
            }
            actions(&wanted, live, &mut changes);
        }
        _ => return None,
    }
    changes.iter().find_map(Change::target).cloned()
}

fn only_key(path: &SettingPath) -> Option<&str> {
    match path.keys() {
        [key] => Some(key),
        _ => None,
    }
}

/// Leaves one key of `settings` unmanaged.
fn release_setting(wanted: &mut RepositorySettings, path: &SettingPath) -> Option<()> {
    match only_key(path)? {
        "merge_methods" => wanted.merge_methods = None,
        "auto_merge" => wanted.auto_merge = None,
        "delete_branch_on_merge" => wanted.delete_branch_on_merge = None,
        "allow_update_branch" => wanted.allow_update_branch = None,
        "squash_commit" => wanted.squash_commit = None,
        "merge_commit" => wanted.merge_commit = None,
        "web_commit_signoff_required" => wanted.web_commit_signoff_required = None,
        _ => return None,
    }
    Some(())
}

/// Leaves one feature of `security` unmanaged.
fn release_feature(wanted: &mut Security, path: &SettingPath) -> Option<()> {
    let key = only_key(path)?;
    let feature = SecurityFeature::ALL
        .into_iter()
        .find(|feature| feature.key() == key)?;
    wanted.set(feature, None);
    Some(())
}

/// Leaves one key of `actions` unmanaged, or sets a part of the allowed actions to its live
/// value.
fn hold_actions(wanted: &mut Actions, have: &Actions, path: &SettingPath) -> Option<()> {
    let keys: Vec<&str> = path.keys().iter().map(String::as_str).collect();
    match keys.as_slice() {
        ["enabled"] => wanted.enabled = None,
        ["allowed_actions"] => wanted.allowed_actions = None,
        ["sha_pinning_required"] => wanted.sha_pinning_required = None,
        ["workflow_permissions"] => wanted.workflow_permissions = None,
        ["can_approve_pull_requests"] => wanted.can_approve_pull_requests = None,
        ["selected", part] => {
            let live = have.selected.as_ref()?;
            let selected = wanted.selected.as_mut()?;
            match *part {
                "github_owned" => selected.github_owned = live.github_owned,
                "verified" => selected.verified = live.verified,
                "patterns" => selected.patterns.clone_from(&live.patterns),
                _ => return None,
            }
        }
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::super::actions_diffs;
    use super::*;
    use crate::model::SelectedActions;

    #[test]
    fn every_key_the_diff_shows_can_be_held_at_its_live_value() {
        let wanted = RepositorySettings::everything();
        let mut live = LiveState::from_settings(RepoSettings::empty());
        let mut shown = Vec::new();
        settings(&wanted, &live, &mut shown);
        assert_eq!(shown[0].diffs.len(), 7, "{shown:#?}");
        for diff in &shown[0].diffs {
            let mut relaxed = wanted.clone();
            assert_eq!(
                release_setting(&mut relaxed, &diff.path),
                Some(()),
                "{}",
                diff.path
            );
        }
        let wanted = Security::everything();
        for feature in SecurityFeature::ALL {
            let mut relaxed = wanted.clone();
            release_feature(&mut relaxed, &feature.key().into()).expect("a feature's key");
            assert_eq!(relaxed.get(feature), None);
        }
        let wanted = Actions::everything();
        let have = Actions {
            selected: Some(SelectedActions {
                github_owned: true,
                verified: true,
                patterns: vec!["docker/*".into()],
            }),
            ..Actions::default()
        };
        live.settings.actions = Some(have.clone());
        let diffs = actions_diffs(&wanted, &have);
        assert_eq!(diffs.len(), 8, "{diffs:#?}");
        for diff in &diffs {
            let mut relaxed = wanted.clone();
            assert_eq!(
                hold_actions(&mut relaxed, &have, &diff.path),
                Some(()),
                "{}",
                diff.path
            );
            assert!(
                actions_diffs(&relaxed, &have)
                    .iter()
                    .all(|d| d.path != diff.path),
                "{} still differs",
                diff.path
            );
        }
        assert_eq!(
            release_setting(&mut RepositorySettings::everything(), &"nothing".into()),
            None
        );
    }
}
