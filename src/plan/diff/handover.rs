//! Handing a branch over from classic protection to rulesets (DESIGN §14): the rulesets a
//! plan writes go before the removal of the classic protection they take over from, and the
//! removal carries what GitHub must enforce on the branch before it is sent. A failed write,
//! or rulesets GitHub does not enforce, leave the branch protected: it is never unprotected
//! in between.

use super::prediction::{evidence, selects};
use crate::model::live::{AppliedRuleset, LiveState, Source};
use crate::model::{Enforcement, RepoSettings, RequiredCheck, Rules, Ruleset, RulesetTarget};
use crate::output::untrusted::quote;
use crate::plan::{
    Action, Address, Change, Handover, ProtectionWrite, ResourceKind, RulesetPut, RulesetWrite,
    Target, Unread,
};
use crate::protection::effective::cover;
use crate::protection::weakening::handover_of;

/// A ruleset of the plan that applies to branches, as a removal of classic protection sees
/// it.
struct Successor {
    name: String,
    /// The ruleset as the policy has it.
    ruleset: Ruleset,
    /// Its rules as apply sends them: checks by app id where the plan resolved them.
    rules: Rules,
    /// Why apply cannot write it, if it cannot.
    unwritable: Option<String>,
}

/// Gives every classic protection removal the rulesets that protect its branch once it is
/// gone — those the plan writes, and those in force that it leaves as they are — with what
/// they do not provide, and moves the removals that wait for a write after the last ruleset
/// write. A removal that waits for a ruleset apply cannot write cannot be applied either.
pub fn hand_over(desired: &RepoSettings, live: &LiveState, changes: &mut Vec<Change>) {
    let default_branch = live.default_branch();
    let successors = successors(desired, changes);
    let touched: Vec<String> = changes
        .iter()
        .filter_map(|c| match &c.address {
            Address::Ruleset(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    // Removals that wait for a ruleset apply cannot write: refused once they are in place.
    let mut waiting = Vec::new();
    for change in changes.iter_mut() {
        let Some(Target::BranchProtection {
            branch,
            write: ProtectionWrite::Remove { handover },
        }) = change.target_mut()
        else {
            continue;
        };
        let taking: Vec<&Successor> = successors
            .iter()
            .filter(|s| selects(&s.ruleset, branch, default_branch))
            .collect();
        let staying = in_force(live, branch, &touched);
        if taking.is_empty() && staying.is_empty() {
            continue;
        }
        let after: Vec<(Rules, bool)> = taking
            .iter()
            .map(|s| (s.rules.clone(), s.ruleset.bypass.is_empty()))
            .chain(staying.iter().map(|r| {
                let bypass_free = r.bypass.as_ref().is_some_and(Vec::is_empty);
                (r.rules.clone(), bypass_free)
            }))
            .collect();
        let lacks = live
            .settings
            .branches
            .get(branch.as_str())
            .filter(|classic| classic.protected)
            .map_or_else(
                || vec!["the classic protection as GitHub has it".to_owned()],
                |classic| cover::shortfall(classic, &after, &live.ids),
            );
        let names: Vec<String> = taking.iter().map(|s| s.name.clone()).collect();
        let in_force: Vec<String> = staying.iter().map(|r| r.source.to_string()).collect();
        let note = note(&names, &in_force, &lacks);
        *handover = Some(Box::new(Handover {
            rulesets: names,
            rules: taking.iter().map(|s| s.rules.clone()).collect(),
            in_force,
            lacks,
        }));
        change.note = Some(note);
        if let Some((name, why)) = taking
            .iter()
            .find_map(|s| s.unwritable.as_ref().map(|why| (&s.name, why)))
        {
            let reason = format!(
                "it waits for ruleset {}, which apply cannot write ({why})",
                quote(name)
            );
            waiting.push((change.address.clone(), reason));
        }
    }
    let (handed, mut rest): (Vec<Change>, Vec<Change>) = std::mem::take(changes)
        .into_iter()
        .partition(|c| handover_of(c).is_some_and(|h| !h.rulesets.is_empty()));
    let after = rest
        .iter()
        .rposition(|c| c.kind() == ResourceKind::Ruleset)
        .map_or(rest.len(), |i| i + 1);
    rest.splice(after..after, handed);
    *changes = rest;
    for (address, reason) in waiting {
        for change in changes.iter_mut().filter(|c| c.address == address) {
            change.refuse(reason.clone());
        }
    }
}

/// The active rulesets that apply to the branch now and that the plan does not touch: they
/// protect it after apply as they do today (the organisation's among them). Bypass actors
/// the token cannot see are unknown, never "nobody".
fn in_force(live: &LiveState, branch: &str, touched: &[String]) -> Vec<AppliedRuleset> {
    let repository = |source: &Source| match source {
        Source::Ruleset {
            name,
            organization: None,
        } => Some(name.clone()),
        _ => None,
    };
    evidence(live, branch)
        .rulesets
        .into_iter()
        .filter(|r| r.active)
        .filter(|r| {
            repository(&r.source)
                .is_none_or(|name| !touched.iter().any(|t| t.eq_ignore_ascii_case(&name)))
        })
        .map(|mut r| {
            let hidden = repository(&r.source).is_some_and(|name| {
                live.gaps.iter().any(|gap| {
                    gap.address == Address::Ruleset(name.clone()) && gap.what == Unread::Bypass
                })
            });
            if hidden {
                r.bypass = None;
            }
            r
        })
        .collect()
}

/// The removal's note: who takes over, and whether that lowers anything.
fn note(written: &[String], in_force: &[String], lacks: &[String]) -> String {
    let mut parts = Vec::new();
    if !written.is_empty() {
        let listed: Vec<String> = written.iter().map(|name| quote(name)).collect();
        parts.push(format!(
            "handed over to ruleset {}: apply writes it first, and removes this protection only once GitHub enforces it on the branch",
            listed.join(", ")
        ));
    }
    if !in_force.is_empty() {
        parts.push(format!(
            "in force on the branch already: {}",
            in_force.join(", ")
        ));
    }
    parts.push(if lacks.is_empty() {
        "the rulesets provide all this protection does, so removing it lowers nothing".to_owned()
    } else {
        format!(
            "the rulesets do not provide {}, so removing this protection lowers it",
            lacks.join(", ")
        )
    });
    parts.join("; ")
}

/// The active branch rulesets the plan creates or rewrites, applicable or not.
fn successors(desired: &RepoSettings, changes: &[Change]) -> Vec<Successor> {
    changes
        .iter()
        .filter(|c| c.action != Action::Delete)
        .filter_map(|c| {
            let Address::Ruleset(name) = &c.address else {
                return None;
            };
            let ruleset = desired.rulesets.get(name.as_str())?;
            if ruleset.enforcement != Enforcement::Active || ruleset.target != RulesetTarget::Branch
            {
                return None;
            }
            let rules = match c.target() {
                Some(Target::Ruleset {
                    write: RulesetWrite::Create(put) | RulesetWrite::Update { put, .. },
                    ..
                }) => pinned_rules(put),
                // A plan from a state file resolves no ids; it is never applied.
                _ => ruleset.rules.clone(),
            };
            Some(Successor {
                name: name.clone(),
                ruleset: ruleset.clone(),
                rules,
                unwritable: c.refusal().map(|refusal| {
                    refusal
                        .0
                        .clone()
                        .unwrap_or_else(|| "it cannot be applied".to_owned())
                }),
            })
        })
        .collect()
}

/// The rules a ruleset's write sends, each check pinned by the id it is written with.
fn pinned_rules(put: &RulesetPut) -> Rules {
    let mut rules = put.settings.rules.clone();
    if let Some(checks) = &mut rules.status_checks {
        checks.required = put
            .checks
            .iter()
            .map(|check| RequiredCheck {
                context: check.context.clone(),
                app: None,
                app_id: check.integration_id.and_then(|id| i64::try_from(id).ok()),
            })
            .collect();
    }
    rules
}

#[cfg(test)]
mod tests;
