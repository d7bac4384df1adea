//! Classic branch protection: which branches change, what a person sees, what `apply` writes.

use std::collections::BTreeSet;

use serde_json::json;

use super::checks::{aligned, app_id};
use super::leaves::{self, Leaves};
use super::{Unresolved, change};
use crate::live::{Identities, LiveState};
use crate::model::{Actors, Branch, RepoSettings, RequiredCheck};
use crate::plan::{
    Action, Change, ProtectionPut, ProtectionWrite, ResolvedCheck, ResourceKind, Target,
};
use crate::weakening::Protects;

/// Why a missing branch cannot be protected.
pub const REASON_BRANCH_MISSING: &str = "branch does not exist";

/// Adds a change for every listed branch whose protection differs, and for every protected
/// branch the policy does not list when pruning.
pub fn diff(desired: &RepoSettings, live: &LiveState, changes: &mut Vec<Change>) {
    let names: BTreeSet<&String> = desired
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
        if live.missing_branches.contains(name) {
            if want.protected {
                let mut change = put(name, Action::Create, None, want, live);
                change.applicable = false;
                change.reason = Some(REASON_BRANCH_MISSING.to_owned());
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
        format!("branches.{name}"),
        ResourceKind::BranchProtection,
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
    change(
        format!("branches.{name}"),
        ResourceKind::BranchProtection,
        action,
        diffs,
        target,
    )
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
        leaves.presence("pull_request", "required");
        leaves.setting(
            "pull_request.required_approvals",
            json!(pr.required_approvals),
            json!(0),
            Protects::AtLeast,
        );
        for (key, on) in [
            ("dismiss_stale_reviews", pr.dismiss_stale_reviews),
            ("require_code_owner_reviews", pr.require_code_owner_reviews),
            ("require_last_push_approval", pr.require_last_push_approval),
        ] {
            leaves.setting(
                format!("pull_request.{key}"),
                json!(on),
                json!(false),
                Protects::WhenOn,
            );
        }
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
    for (path, on, protects) in [
        ("enforce_admins", branch.enforce_admins, Protects::WhenOn),
        (
            "required_linear_history",
            branch.required_linear_history,
            Protects::WhenOn,
        ),
        (
            "allow_force_pushes",
            branch.allow_force_pushes,
            Protects::WhenOff,
        ),
        ("allow_deletions", branch.allow_deletions, Protects::WhenOff),
        ("block_creations", branch.block_creations, Protects::WhenOn),
        (
            "required_conversation_resolution",
            branch.required_conversation_resolution,
            Protects::WhenOn,
        ),
        (
            "required_signatures",
            branch.required_signatures,
            Protects::WhenOn,
        ),
        ("lock_branch", branch.lock_branch, Protects::WhenOn),
        // Fork syncing lets a locked branch take changes.
        (
            "allow_fork_syncing",
            branch.allow_fork_syncing,
            Protects::WhenOff,
        ),
    ] {
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
