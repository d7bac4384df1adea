//! Branches whose protection converts to the same ruleset share one, with several includes;
//! each ruleset gets a name no other ruleset has, or is the trial a previous
//! `migrate --evaluate` wrote, which this run leaves on trial or finishes.

use std::collections::{BTreeMap, BTreeSet};

use super::convert::AsRuleset;
use crate::model::names::{Pattern, Text};
use crate::model::{BypassActor, Enforcement, Rules, Ruleset, RulesetTarget};

/// A ruleset the migration writes (or finishes), and the branches it takes over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// Its name.
    pub name: Text,
    /// The branches it takes over, in the policy's order.
    pub branches: Vec<String>,
    /// The ruleset as the new policy has it.
    pub ruleset: Ruleset,
    /// True when the policy has it already, from `migrate --evaluate`: it is only switched
    /// to `active` (or left on trial).
    pub trial: bool,
}

/// Groups branches whose protection converts to the same ruleset, in order of first
/// appearance.
pub fn group(converted: Vec<(String, AsRuleset)>) -> Vec<(Vec<String>, AsRuleset)> {
    let mut groups: Vec<(Vec<String>, AsRuleset)> = Vec::new();
    for (branch, as_ruleset) in converted {
        match groups.iter_mut().find(|(_, r)| same(r, &as_ruleset)) {
            Some((branches, _)) => branches.push(branch),
            None => groups.push((vec![branch], as_ruleset)),
        }
    }
    groups
}

/// Names each group's ruleset: the trial the policy has for exactly those branches and
/// that protection, or a new name that neither `existing` nor `taken` (lower-case names
/// GitHub has) uses. With `evaluate` the rulesets are written in evaluate mode.
pub fn name(
    groups: &[(Vec<String>, AsRuleset)],
    existing: &BTreeMap<Text, Ruleset>,
    taken: &BTreeSet<String>,
    evaluate: bool,
) -> Vec<Planned> {
    let mut used: BTreeSet<String> = existing
        .keys()
        .map(|name| name.to_lowercase())
        .chain(taken.iter().cloned())
        .collect();
    let enforcement = if evaluate {
        Enforcement::Evaluate
    } else {
        Enforcement::Active
    };
    groups
        .iter()
        .map(|(branches, as_ruleset)| {
            if let Some((name, trial)) = existing
                .iter()
                .find(|(_, r)| is_trial_of(r, branches, as_ruleset))
            {
                return Planned {
                    name: name.clone(),
                    branches: branches.clone(),
                    ruleset: Ruleset {
                        enforcement: enforcement.clone(),
                        ..trial.clone()
                    },
                    trial: true,
                };
            }
            let name = unique(&base_name(branches), &used);
            used.insert(name.as_str().to_lowercase());
            Planned {
                name,
                branches: branches.clone(),
                ruleset: Ruleset {
                    target: RulesetTarget::Branch,
                    enforcement: enforcement.clone(),
                    // `migrate` stops a branch whose name is not a pattern (`blockers`).
                    include: branches
                        .iter()
                        .filter_map(|branch| Pattern::parse(branch.as_str()).ok())
                        .collect(),
                    exclude: Vec::new(),
                    bypass: as_ruleset.bypass.clone(),
                    rules: as_ruleset.rules.clone(),
                },
                trial: false,
            }
        })
        .collect()
}

/// Returns true when two conversions are the same ruleset (checks and bypass actors as
/// sets).
fn same(a: &AsRuleset, b: &AsRuleset) -> bool {
    sorted_checks(&a.rules) == sorted_checks(&b.rules)
        && actor_set(&a.bypass) == actor_set(&b.bypass)
}

fn sorted_checks(rules: &Rules) -> Rules {
    let mut rules = rules.clone();
    if let Some(checks) = &mut rules.status_checks {
        checks.required.sort();
        checks.required.dedup();
    }
    rules
}

fn actor_set(actors: &[BypassActor]) -> BTreeSet<&BypassActor> {
    actors.iter().collect()
}

/// Returns true when the policy's ruleset is the evaluate-mode trial of these branches'
/// protection: exactly them, no exclusions, the same rules and bypass.
fn is_trial_of(ruleset: &Ruleset, branches: &[String], as_ruleset: &AsRuleset) -> bool {
    ruleset.enforcement == Enforcement::Evaluate
        && ruleset.target == RulesetTarget::Branch
        && ruleset.exclude.is_empty()
        && ruleset
            .include
            .iter()
            .map(Pattern::as_str)
            .collect::<BTreeSet<_>>()
            == branches.iter().map(String::as_str).collect()
        && same(
            &AsRuleset {
                rules: ruleset.rules.clone(),
                bypass: ruleset.bypass.clone(),
            },
            as_ruleset,
        )
}

/// What a ruleset's name says of its branches: `main`, `stage-and-dev`, `a-b-and-c`,
/// `a-and-4-more` (`unique` prefixes `protect-`).
fn base_name(branches: &[String]) -> String {
    match branches {
        [one] => one.clone(),
        [a, b] => format!("{a}-and-{b}"),
        [a, b, c] => format!("{a}-{b}-and-{c}"),
        [a, rest @ ..] => format!("{a}-and-{}-more", rest.len()),
        [] => String::new(),
    }
}

/// Returns `protect-BASE`, or `protect-BASE-2`, `-3`… : the first that `used` (lower-case)
/// lacks.
fn unique(base: &str, used: &BTreeSet<String>) -> Text {
    let mut name = Text::written("protect-", base);
    let mut n = 2;
    while used.contains(&name.as_str().to_lowercase()) {
        name = Text::written("protect-", &format!("{base}-{n}"));
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RepositoryRole;

    fn as_ruleset(approvals: bool, admins_bypass: bool) -> AsRuleset {
        AsRuleset {
            rules: Rules {
                block_force_pushes: true,
                restrict_deletions: approvals,
                ..Rules::default()
            },
            bypass: if admins_bypass {
                vec![BypassActor {
                    role: Some(RepositoryRole::Admin),
                    ..BypassActor::default()
                }]
            } else {
                Vec::new()
            },
        }
    }

    #[test]
    fn identical_protection_shares_one_ruleset() {
        let groups = group(vec![
            ("main".into(), as_ruleset(true, false)),
            ("stage".into(), as_ruleset(true, true)),
            ("dev".into(), as_ruleset(true, true)),
            ("release/1".into(), as_ruleset(false, true)),
        ]);
        let branches: Vec<&[String]> = groups.iter().map(|(b, _)| b.as_slice()).collect();
        assert_eq!(
            branches,
            vec![
                &["main".to_owned()][..],
                &["stage".to_owned(), "dev".to_owned()][..],
                &["release/1".to_owned()][..],
            ]
        );
        let taken = BTreeSet::from(["protect-main".to_owned()]);
        let mut existing = BTreeMap::new();
        existing.insert(
            Text::parse("Protect-Release-1").unwrap(),
            Ruleset::default(),
        );
        let planned = name(&groups, &existing, &taken, false);
        let names: Vec<&str> = planned.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "protect-main-2",
                "protect-stage-and-dev",
                "protect-release-1-2"
            ]
        );
        assert_eq!(planned[1].ruleset.include, ["stage", "dev"]);
        assert_eq!(planned[1].ruleset.enforcement, Enforcement::Active);
        assert!(planned.iter().all(|p| !p.trial));
    }

    #[test]
    fn many_branches_make_a_short_name() {
        let branches: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        let name = |branches: &[String]| unique(&base_name(branches), &BTreeSet::new());
        assert_eq!(name(&branches), "protect-a-and-4-more");
        assert_eq!(name(&branches[..3]), "protect-a-b-and-c");
    }

    #[test]
    fn a_trial_is_found_and_finished() {
        let groups = group(vec![
            ("stage".into(), as_ruleset(true, true)),
            ("dev".into(), as_ruleset(true, true)),
        ]);
        let trial = name(&groups, &BTreeMap::new(), &BTreeSet::new(), true);
        assert_eq!(trial[0].ruleset.enforcement, Enforcement::Evaluate);
        let mut existing = BTreeMap::new();
        existing.insert(Text::parse("my-trial").unwrap(), trial[0].ruleset.clone());
        let finished = name(&groups, &existing, &BTreeSet::new(), false);
        assert_eq!(finished[0].name, "my-trial");
        assert!(finished[0].trial);
        assert_eq!(finished[0].ruleset.enforcement, Enforcement::Active);
        // A trial of other branches, or of other rules, is not this one.
        let other = group(vec![("stage".into(), as_ruleset(true, true))]);
        assert!(!name(&other, &existing, &BTreeSet::new(), false)[0].trial);
        let changed = group(vec![
            ("stage".into(), as_ruleset(false, true)),
            ("dev".into(), as_ruleset(false, true)),
        ]);
        assert!(!name(&changed, &existing, &BTreeSet::new(), false)[0].trial);
    }
}
