//! What `apply` writes when exceptions accept part of a change's drift: an excepted setting
//! stays as it is live (DESIGN §9). A change excepted whole has no write (its disposition
//! says so); a change excepted in part gets the write of its resource built again by the
//! resource's own module, from the policy's resource with the excepted settings held at
//! their live values. Nothing else of the plan is compared again.

use super::{branch, environment, ruleset, switches};
use crate::model::RepoSettings;
use crate::model::live::LiveState;
use crate::plan::{Address, Plan, SettingPath, Target};

/// Why a change with a setting held back cannot be written at all.
pub const REASON_HELD: &str =
    "an exception holds back part of it, and the rest cannot be written without it";

/// Rewrites the writes of the changes exceptions accept in part.
pub fn withhold(plan: &mut Plan, desired: &RepoSettings, live: &LiveState) {
    for change in &mut plan.changes {
        if change.target().is_none() {
            continue;
        }
        let held: Vec<SettingPath> = change
            .diffs
            .iter()
            .filter(|diff| diff.excepted.is_some())
            .map(|diff| diff.path.clone())
            .collect();
        if held.is_empty() {
            continue;
        }
        match held_target(&change.address, &held, desired, live) {
            Some(target) => {
                if let Some(write) = change.target_mut() {
                    *write = target;
                }
            }
            // The settings could not be held at their live values: write nothing of this
            // change rather than the excepted setting.
            None => change.refuse(REASON_HELD),
        }
    }
}

/// Returns the write of the resource at `address` with the `held` settings at their live
/// values; `None` when a setting cannot be held.
fn held_target(
    address: &Address,
    held: &[SettingPath],
    desired: &RepoSettings,
    live: &LiveState,
) -> Option<Target> {
    match address {
        Address::Branch(name) => {
            branch::held(name, desired.branches.get(name.as_str())?, held, live)
        }
        Address::Environment(name) => {
            environment::held(name, desired.environments.get(name.as_str())?, held, live)
        }
        Address::Ruleset(name) => {
            ruleset::held(name, desired.rulesets.get(name.as_str())?, held, live)
        }
        Address::Settings | Address::Security | Address::Actions => {
            switches::held(address, desired, held, live)
        }
        // One setting (a variable's value) or none: never excepted in part.
        Address::DeploymentPattern { .. }
        | Address::Secret { .. }
        | Address::Variable { .. }
        | Address::Requirement(_) => None,
    }
}
