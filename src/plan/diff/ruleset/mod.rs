//! Repository rulesets, matched by name: what a person sees and what `apply` writes.
//!
//! Nothing may drift on every run, so every list GitHub treats as a set is compared as one
//! (patterns, actors, checks, merge methods, environments), patterns are compared qualified
//! the way GitHub stores them, actors by id where known (a team written by slug is the same
//! actor as the team's id GitHub returns), and a live parameter the policy format does not
//! model is neither shown nor changed.

mod flatten;
mod held;

use super::checks::app_id;
use super::leaves::{self, Leaves};
use super::{Unresolved, change};
use crate::model::live::{Identities, LiveState};
use crate::model::{BypassActor, RepoSettings, Ruleset};
use crate::plan::{
    Action, Address, Change, ResolvedActor, ResolvedIntegrationCheck, RulesetPut, RulesetWrite,
    Target,
};
use flatten::ruleset_leaves;
pub(super) use held::held;

/// Adds a change for every listed ruleset that differs, and for every repository ruleset
/// the policy does not list when pruning. Organisation rulesets are never in `live` here.
pub fn diff(desired: &RepoSettings, live: &LiveState, changes: &mut Vec<Change>) {
    for (name, want) in &desired.rulesets {
        let address = Address::Ruleset(name.to_string());
        let target = |write| Target::Ruleset {
            name: name.to_string(),
            write,
        };
        match live.settings.rulesets.get(name) {
            None => {
                let diffs = leaves::compare(
                    &Leaves::default(),
                    &ruleset_leaves(want, None, &live.ids, true),
                );
                let write =
                    put(want, None, live).map(|put| target(RulesetWrite::Create(Box::new(put))));
                changes.push(change(address, Action::Create, diffs, write));
            }
            Some(have) => {
                let visible = live
                    .rulesets
                    .get(name.as_str())
                    .is_none_or(|f| f.bypass_visible);
                let diffs = leaves::compare(
                    &ruleset_leaves(have, Some(want), &live.ids, visible),
                    &ruleset_leaves(want, None, &live.ids, visible),
                );
                if diffs.is_empty() {
                    continue;
                }
                let write = live_id(live, name).and_then(|id| {
                    put(want, Some(name), live).map(|put| {
                        target(RulesetWrite::Update {
                            id,
                            put: Box::new(put),
                        })
                    })
                });
                let mut updated = change(address, Action::Update, diffs, write);
                if !visible {
                    // A PUT replaces the actors whole: never over ones that could not be read.
                    updated.refuse(
                        "its bypass actors cannot be read with this token, and writing the ruleset would replace them",
                    );
                }
                changes.push(updated);
            }
        }
    }
    if desired.prune.rulesets {
        for (name, have) in &live.settings.rulesets {
            if desired.rulesets.contains_key(name) {
                continue;
            }
            let diffs = leaves::compare(
                &ruleset_leaves(have, None, &live.ids, true),
                &Leaves::default(),
            );
            let write = live_id(live, name).map(|id| Target::Ruleset {
                name: name.to_string(),
                write: RulesetWrite::Delete { id },
            });
            changes.push(change(
                Address::Ruleset(name.to_string()),
                Action::Delete,
                diffs,
                write,
            ));
        }
    }
}

fn live_id(live: &LiveState, name: &str) -> Result<u64, Unresolved> {
    live.rulesets
        .get(name)
        .map(|facts| facts.id)
        .ok_or_else(|| Unresolved::new(format!("ruleset `{name}`"), &live.ids))
}

/// Builds the POST/PUT of a ruleset: patterns qualified, actors and checks by id, and the
/// live ruleset's unmodelled parameters kept.
fn put(
    want: &Ruleset,
    live_name: Option<&str>,
    live: &LiveState,
) -> Result<RulesetPut, Unresolved> {
    let ids = &live.ids;
    let mut bypass = want
        .bypass
        .iter()
        .map(|actor| resolve_actor(actor, ids))
        .collect::<Result<Vec<_>, _>>()?;
    bypass.sort();
    bypass.dedup();
    let mut checks = Vec::new();
    for check in want.rules.status_checks.iter().flat_map(|s| &s.required) {
        checks.push(ResolvedIntegrationCheck {
            context: check.context.clone(),
            integration_id: app_id(check, ids)?,
        });
    }
    checks.sort();
    checks.dedup();
    Ok(RulesetPut {
        settings: want.clone(),
        include: want.target.qualified_set(&want.include),
        exclude: want.target.qualified_set(&want.exclude),
        bypass,
        checks,
        kept: live_name
            .and_then(|name| live.rulesets.get(name))
            .map(|facts| facts.kept.clone())
            .unwrap_or_default(),
    })
}

/// Returns the actor by GitHub's type and id (the one resolver: `model::Actor`).
fn resolve_actor(actor: &BypassActor, ids: &Identities) -> Result<ResolvedActor, Unresolved> {
    // The policy's validation refuses an actor without exactly one key.
    let resolved = actor
        .actor()
        .ok_or_else(|| "bypass actor of type `an actor`".to_owned())
        .and_then(|who| who.resolve(ids));
    let (kind, id) = resolved.map_err(|what| Unresolved::new(what, ids))?;
    Ok(ResolvedActor {
        kind,
        id,
        mode: actor.mode.clone(),
    })
}

#[cfg(test)]
mod tests;
