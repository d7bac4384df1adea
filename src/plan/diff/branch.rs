//! Classic branch protection: which branches change, what a person sees, what `apply` writes.

use std::collections::BTreeSet;

use serde_json::json;

use super::checks::{aligned, app_id};
use super::leaves::{self, Leaves};
use super::{Unresolved, change};
use crate::model::live::{Identities, LiveState};
use crate::model::names::BranchName;
use crate::model::{Actors, Branch, RepoSettings, RequiredCheck};
use crate::plan::{
    Action, Address, Change, ProtectionPut, ProtectionWrite, ResolvedCheck, SettingPath, Target,
};
use crate::protection::weakening::Protects;

/// Why a missing branch cannot be protected.
pub const REASON_BRANCH_MISSING: &str = "branch does not exist";

/// Adds a change for every listed branch whose protection differs, and for every protected
/// branch the policy does not list when pruning.
pub fn diff(desired: &RepoSettings, live: &LiveState, changes: &mut Vec<Change>) {
    let names: BTreeSet<&BranchName> = desired
        .branches
        .keys()
        .chain(live.settings.branches.keys())
        .collect();
    for name in names {
        let have = live.settings.branches.get(name).filter(|b| b.protected);
        let Some(want) = desired.branches.get(name) else {
            if desired.prune.branch_protection
                && let Some(have) = have
            {
                changes.push(remove(name, have, live));
            }
            continue;
        };
        if live.missing_branches.contains(name.as_str()) {
            if want.protected {
                let mut change = put(name, Action::Create, None, want, live);
                change.refuse(REASON_BRANCH_MISSING);
                changes.push(change);
            }
            continue;
        }
        match (want.protected, have) {
            (false, None) => {}
            (false, Some(have)) => changes.push(remove(name, have, live)),
            (true, None) => changes.push(put(name, Action::Create, None, want, live)),
            (true, Some(have)) => {
                let change = put(name, Action::Update, Some(have), want, live);
                if !change.diffs.is_empty() {
                    changes.push(change);
                }
            }
        }
    }
}

fn remove(name: &str, have: &Branch, live: &LiveState) -> Change {
    let diffs = leaves::compare(&branch_leaves(have, None, &live.ids), &Leaves::default());
    change(
        Address::Branch(name.to_owned()),
        Action::Delete,
        diffs,
        Ok(Target::BranchProtection {
            branch: name.to_owned(),
            write: ProtectionWrite::Remove { handover: None },
        }),
    )
}

fn put(
    name: &str,
    action: Action,
    have: Option<&Branch>,
    want: &Branch,
    live: &LiveState,
) -> Change {
    let wanted_checks = want.status_checks.as_ref().map(|s| s.required.as_slice());
    let diffs = leaves::compare(
        &have.map_or_else(Leaves::default, |have| {
            branch_leaves(have, wanted_checks, &live.ids)
        }),
        &branch_leaves(want, None, &live.ids),
    );
    let target = protection_put(want, have, &live.ids).map(|put| Target::BranchProtection {
        branch: name.to_owned(),
        write: ProtectionWrite::Put(Box::new(put)),
    });
    change(Address::Branch(name.to_owned()), action, diffs, target)
}

/// Builds the writes of a protected branch: the settings, the pinned checks with their
/// apps' ids, what live sub-resources to clear, and signed commits when they change.
fn protection_put(
    want: &Branch,
    have: Option<&Branch>,
    ids: &Identities,
) -> Result<ProtectionPut, Unresolved> {
    let checks = want
        .status_checks
        .as_ref()
        .map_or(&[][..], |s| s.required.as_slice());
    let pinned_checks = if checks.iter().any(RequiredCheck::is_pinned) {
        let mut resolved = Vec::new();
        for check in checks {
            resolved.push(ResolvedCheck {
                context: check.context.clone(),
                app_id: app_id(check, ids)?,
            });
        }
        resolved.sort();
        resolved.dedup();
        Some(resolved)
    } else {
        None
    };
    let live_reviews = have.and_then(|b| b.pull_request.as_ref());
    let want_reviews = want.pull_request.as_ref();
    let clears = |live: Option<&Actors>, want: Option<&Actors>| {
        live.is_some_and(|l| !l.is_empty()) && want.is_some_and(Actors::is_empty)
    };
    let live_signatures = have.is_some_and(|b| b.required_signatures);
    Ok(ProtectionPut {
        settings: want.clone(),
        pinned_checks,
        clear_dismissal_restrictions: clears(
            live_reviews.map(|r| &r.dismissal_restrictions),
            want_reviews.map(|r| &r.dismissal_restrictions),
        ),
        clear_bypass: clears(
            live_reviews.map(|r| &r.bypass),
            want_reviews.map(|r| &r.bypass),
        ),
        signatures: (live_signatures != want.required_signatures)
            .then_some(want.required_signatures),
    })
}

/// Flattens a branch's protection. `align`, given for the live side, lets a live check take
/// the policy's spelling when the two are equivalent (a bare policy check is satisfied by
/// the context from any app; a pinned one by the same app), and names live apps by slug.
fn branch_leaves(branch: &Branch, align: Option<&[RequiredCheck]>, ids: &Identities) -> Leaves {
    let mut leaves = Leaves::default();
    if let Some(pr) = &branch.pull_request {
        leaves.reviews(
            "pull_request",
            pr.required_approvals,
            &[
                ("dismiss_stale_reviews", pr.dismiss_stale_reviews),
                ("require_code_owner_reviews", pr.require_code_owner_reviews),
                ("require_last_push_approval", pr.require_last_push_approval),
            ],
        );
        // Nobody listed: anyone with write access may dismiss reviews.
        let restricted = !pr.dismissal_restrictions.is_empty();
        actor_leaves(
            &mut leaves,
            "pull_request.dismissal_restrictions",
            &pr.dismissal_restrictions,
            Protects::Allowlist { restricted },
        );
        actor_leaves(
            &mut leaves,
            "pull_request.bypass",
            &pr.bypass,
            Protects::NoItem,
        );
    }
    if let Some(checks) = &branch.status_checks {
        leaves.presence("status_checks", "required");
        leaves.setting(
            "status_checks.strict",
            json!(checks.strict),
            json!(false),
            Protects::WhenOn,
        );
        leaves.setting(
            "status_checks.required",
            aligned(&checks.required, align, ids),
            json!([]),
            Protects::Checks,
        );
    }
    // `flag` names each switch's field, the one place that does.
    let mut switches = branch.clone();
    for (path, protects) in FLAGS {
        let on = flag(&mut switches, path).is_some_and(|on| *on);
        leaves.setting(path, json!(on), json!(false), protects);
    }
    if let Some(actors) = &branch.push_restrictions {
        leaves.presence("push_restrictions", "restricted");
        // Present, even empty: only administrators may push.
        actor_leaves(
            &mut leaves,
            "push_restrictions",
            actors,
            Protects::Allowlist { restricted: true },
        );
    }
    leaves
}

fn actor_leaves(leaves: &mut Leaves, prefix: &str, actors: &Actors, protects: Protects) {
    leaves.name_set(format!("{prefix}.users"), &actors.users, protects);
    leaves.name_set(format!("{prefix}.teams"), &actors.teams, protects);
    leaves.name_set(format!("{prefix}.apps"), &actors.apps, protects);
}

/// The switches of a protected branch, as the diff shows them, and how each protects.
const FLAGS: [(&str, Protects); 9] = [
    ("enforce_admins", Protects::WhenOn),
    ("required_linear_history", Protects::WhenOn),
    ("allow_force_pushes", Protects::WhenOff),
    ("allow_deletions", Protects::WhenOff),
    ("block_creations", Protects::WhenOn),
    ("required_conversation_resolution", Protects::WhenOn),
    ("required_signatures", Protects::WhenOn),
    ("lock_branch", Protects::WhenOn),
    // Fork syncing lets a locked branch take changes.
    ("allow_fork_syncing", Protects::WhenOff),
];

/// Returns the switch of `FLAGS` named `name`.
fn flag<'a>(branch: &'a mut Branch, name: &str) -> Option<&'a mut bool> {
    Some(match name {
        "enforce_admins" => &mut branch.enforce_admins,
        "required_linear_history" => &mut branch.required_linear_history,
        "allow_force_pushes" => &mut branch.allow_force_pushes,
        "allow_deletions" => &mut branch.allow_deletions,
        "block_creations" => &mut branch.block_creations,
        "required_conversation_resolution" => &mut branch.required_conversation_resolution,
        "required_signatures" => &mut branch.required_signatures,
        "lock_branch" => &mut branch.lock_branch,
        "allow_fork_syncing" => &mut branch.allow_fork_syncing,
        _ => return None,
    })
}

/// Returns the write of a protected branch with the `held` settings at their live values
/// (an exception accepts their drift); `None` when one is not a setting of the branch.
pub(super) fn held(
    name: &str,
    want: &Branch,
    held: &[SettingPath],
    live: &LiveState,
) -> Option<Target> {
    let have = live.settings.branches.get(name).filter(|b| b.protected);
    let mut relaxed = want.clone();
    let unprotected = Branch::unprotected();
    for path in held {
        hold(&mut relaxed, have.unwrap_or(&unprotected), path)?;
    }
    let put = protection_put(&relaxed, have, &live.ids).ok()?;
    Some(Target::BranchProtection {
        branch: name.to_owned(),
        write: ProtectionWrite::Put(Box::new(put)),
    })
}

/// Sets one setting of `want`, a path as `branch_leaves` writes it, to its value in `have`.
fn hold(want: &mut Branch, have: &Branch, path: &SettingPath) -> Option<()> {
    let keys: Vec<&str> = path.keys().iter().map(String::as_str).collect();
    match keys.as_slice() {
        ["pull_request"] => want.pull_request.clone_from(&have.pull_request),
        ["pull_request", setting @ ..] => {
            let live = have.pull_request.clone().unwrap_or_default();
            let rules = want.pull_request.get_or_insert_with(Default::default);
            match setting {
                ["required_approvals"] => rules.required_approvals = live.required_approvals,
                ["dismiss_stale_reviews"] => {
                    rules.dismiss_stale_reviews = live.dismiss_stale_reviews;
                }
                ["require_code_owner_reviews"] => {
                    rules.require_code_owner_reviews = live.require_code_owner_reviews;
                }
                ["require_last_push_approval"] => {
                    rules.require_last_push_approval = live.require_last_push_approval;
                }
                ["dismissal_restrictions", kind] => hold_actors(
                    &mut rules.dismissal_restrictions,
                    &live.dismissal_restrictions,
                    kind,
                )?,
                ["bypass", kind] => hold_actors(&mut rules.bypass, &live.bypass, kind)?,
                _ => return None,
            }
        }
        ["status_checks"] => want.status_checks.clone_from(&have.status_checks),
        ["status_checks", setting] => {
            let live = have.status_checks.clone().unwrap_or_default();
            let checks = want.status_checks.get_or_insert_with(Default::default);
            match *setting {
                "strict" => checks.strict = live.strict,
                "required" => checks.required = live.required,
                _ => return None,
            }
        }
        ["push_restrictions"] => want.push_restrictions.clone_from(&have.push_restrictions),
        ["push_restrictions", kind] => hold_actors(
            want.push_restrictions.get_or_insert_with(Actors::default),
            &have.push_restrictions.clone().unwrap_or_default(),
            kind,
        )?,
        [name] => {
            let live = *flag(&mut have.clone(), name)?;
            *flag(want, name)? = live;
        }
        _ => return None,
    }
    Some(())
}

/// Sets one list of `want` (`users`, `teams`, `apps`) to its value in `have`.
fn hold_actors(want: &mut Actors, have: &Actors, kind: &str) -> Option<()> {
    match kind {
        "users" => want.users.clone_from(&have.users),
        "teams" => want.teams.clone_from(&have.teams),
        "apps" => want.apps.clone_from(&have.apps),
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::name;

    /// A branch with every setting set, so that every setting has a leaf.
    fn everything() -> Branch {
        let actors = Actors {
            users: vec![name("octocat")],
            teams: vec![name("core")],
            apps: vec![name("ci")],
        };
        let mut branch: Branch = crate::policy::parse(
            "p.yaml",
            "version: 1\nbranches:\n  main:\n    pull_request: {required_approvals: 2, dismiss_stale_reviews: true}\n    status_checks: {strict: true, required: [build]}\n",
        )
        .expect("a valid policy, because it is written so")
        .branches
        .remove("main")
        .expect("main, because the policy lists it");
        for (name, _) in FLAGS {
            *flag(&mut branch, name).expect("every flag, because FLAGS lists it") = true;
        }
        let rules = branch.pull_request.as_mut().expect("pull_request is set");
        rules.dismissal_restrictions = actors.clone();
        rules.bypass = actors.clone();
        branch.push_restrictions = Some(actors);
        branch
    }

    #[test]
    fn every_setting_the_diff_shows_can_be_held_at_its_live_value() {
        let want = everything();
        let have = Branch::unprotected();
        let leaves = branch_leaves(&want, None, &Identities::default());
        let shown = leaves::compare(&Leaves::default(), &leaves);
        assert!(shown.len() > 20, "{shown:#?}");
        for diff in shown {
            let mut relaxed = want.clone();
            assert_eq!(
                hold(&mut relaxed, &have, &diff.path),
                Some(()),
                "{}",
                diff.path
            );
            let after = leaves::compare(
                &branch_leaves(&have, None, &Identities::default()),
                &branch_leaves(&relaxed, None, &Identities::default()),
            );
            assert!(
                after.iter().all(|d| !diff.path.covers(&d.path)),
                "{} still differs: {after:#?}",
                diff.path
            );
        }
        assert_eq!(
            hold(&mut want.clone(), &have, &SettingPath::parse("nothing")),
            None
        );
    }
}
