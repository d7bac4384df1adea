//! `no_bypass`, judged on the sources that provide what is asked (DESIGN §8): each setting
//! asked must be provided by at least one source nobody may bypass. A bypassable source
//! that provides nothing asked, or whose setting an unbypassable source also provides, does
//! not matter; neither do the hidden bypass actors of such a source.

use super::{Check, Contribution, Verdict};
use crate::model::live::{Identities, Source};
use crate::model::{REQUIREMENT_FLAGS, Requirement};

/// For each setting asked, the indexes (into the enforced contributions) of its providers.
pub(super) type Asked = Vec<Vec<usize>>;

/// Returns the indexes of the enforced contributions `keep` picks.
fn providers(enforced: &[Contribution], keep: &dyn Fn(&Contribution) -> bool) -> Vec<usize> {
    (0..enforced.len())
        .filter(|i| keep(&enforced[*i]))
        .collect()
}

/// Returns the providers of each setting a requirement asks for (everything the branch's
/// protection has when it asks for nothing but `no_bypass`).
pub(super) fn asked_by(
    requirement: &Requirement,
    enforced: &[Contribution],
    ids: &Identities,
) -> Asked {
    let mut asked = Vec::new();
    if requirement.required_approvals > 0 {
        asked.push(providers(enforced, &|c| {
            c.approvals >= requirement.required_approvals
        }));
    }
    for want in &requirement.required_checks {
        let want = Check::of(want, ids);
        asked.push(providers(enforced, &|c| {
            c.checks.iter().any(|have| have.meets(&want))
        }));
    }
    for flag in REQUIREMENT_FLAGS {
        if requirement.flag(flag) {
            asked.push(providers(enforced, &|c| c.flags.contains(&flag)));
        }
    }
    if asked.is_empty() {
        return effective(enforced);
    }
    asked
}

/// Returns what the effective protection asks: its approval count, each of its checks and
/// each setting on, with their providers (for `explain`, and for a requirement that asks
/// for nothing but `no_bypass`).
pub(super) fn effective(enforced: &[Contribution]) -> Asked {
    let providers = |keep: &dyn Fn(&Contribution) -> bool| -> Vec<usize> {
        (0..enforced.len())
            .filter(|i| keep(&enforced[*i]))
            .collect()
    };
    let mut asked = Vec::new();
    let approvals = enforced.iter().map(|c| c.approvals).max().unwrap_or(0);
    if approvals > 0 {
        asked.push(providers(&|c| c.approvals >= approvals));
    }
    let mut checks: Vec<&Check> = enforced.iter().flat_map(|c| &c.checks).collect();
    checks.sort();
    checks.dedup();
    for check in checks {
        asked.push(providers(&|c| c.checks.contains(check)));
    }
    for flag in REQUIREMENT_FLAGS {
        let on = providers(&|c| c.flags.contains(&flag));
        if !on.is_empty() {
            asked.push(on);
        }
    }
    asked
}

/// Judges `no_bypass`: met when every setting asked has a provider nobody may bypass
/// (with those providers as sources); unmet when one has none, or no provider at all (with
/// its bypassable providers); unknown when it rests on providers whose bypass actors are
/// hidden (with them).
pub(super) fn judge(asked: &Asked, enforced: &[Contribution]) -> (Verdict, Vec<Source>) {
    let with = |ask: &[usize], free: Option<bool>| -> Vec<usize> {
        ask.iter()
            .copied()
            .filter(|i| enforced[*i].bypass_free == free)
            .collect()
    };
    let mut unmet = false;
    let mut open = Vec::new();
    let mut hidden = Vec::new();
    let mut closed = Vec::new();
    for ask in asked {
        let free = with(ask, Some(true));
        if !free.is_empty() {
            closed.extend(free);
        } else if ask.iter().any(|i| enforced[*i].bypass_free.is_none()) {
            hidden.extend(with(ask, None));
        } else {
            // Bypassable, or provided by nobody: either way, not closed.
            unmet = true;
            open.extend(with(ask, Some(false)));
        }
    }
    let sources = |mut indexes: Vec<usize>| -> Vec<Source> {
        indexes.sort_unstable();
        indexes.dedup();
        indexes
            .into_iter()
            .map(|i| enforced[i].source.clone())
            .collect()
    };
    if unmet {
        (Verdict::Unmet, sources(open))
    } else if !hidden.is_empty() {
        (Verdict::Unknown, sources(hidden))
    } else {
        (Verdict::Met, sources(closed))
    }
}
