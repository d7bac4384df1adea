//! Whether some sources provide everything others do: the rulesets that take over from a
//! branch's classic protection are judged by it — when the plan is made (on the policy), and
//! again by `apply` before it removes the protection (on what GitHub then enforces).

use super::{Contribution, classic_contribution, ruleset_contribution};
use crate::model::live::{AppliedRuleset, Identities, Source};
use crate::model::{Branch, Rules};

/// What rules provide, as one contribution, with checks known by app id alone.
pub fn of_rules(rules: &Rules) -> Contribution {
    contribution(rules, &Identities::default())
}

/// What rules provide, as one contribution, apps named where `ids` know them.
fn contribution(rules: &Rules, ids: &Identities) -> Contribution {
    let applied = AppliedRuleset {
        id: None,
        source: Source::Ruleset {
            name: String::new(),
            organization: None,
        },
        active: true,
        rules: rules.clone(),
        bypass: Some(Vec::new()),
    };
    ruleset_contribution(&applied, ids)
}

/// Returns what `want` provides that `have` does not, in the words of requirements
/// (`required_approvals: 2`, `required_checks: "ci"`, `block_force_pushes`); empty when
/// `have` provides it all.
pub fn uncovered(have: &[Contribution], want: &[Contribution]) -> Vec<String> {
    let mut missing = Vec::new();
    let most = |list: &[Contribution]| list.iter().map(|c| c.approvals).max().unwrap_or(0);
    if most(want) > most(have) {
        missing.push(format!("required_approvals: {}", most(want)));
    }
    for check in want.iter().flat_map(|c| &c.checks) {
        if !have.iter().flat_map(|c| &c.checks).any(|h| h.meets(check)) {
            missing.push(format!("required_checks: {}", check.value()));
        }
    }
    for flag in want.iter().flat_map(|c| &c.flags) {
        let provided = have.iter().any(|c| c.flags.contains(flag));
        let said = flag.to_string();
        if !provided && !missing.contains(&said) {
            missing.push(said);
        }
    }
    missing
}

/// Returns what the `want` rules provide that the `have` rules do not, `restrict_updates`
/// included (its fetch-and-merge allowance the looser form).
pub fn uncovered_rules(have: &[Rules], want: &[Rules]) -> Vec<String> {
    let have_contributions: Vec<Contribution> = have.iter().map(of_rules).collect();
    let want_contributions: Vec<Contribution> = want.iter().map(of_rules).collect();
    let mut missing = uncovered(&have_contributions, &want_contributions);
    if let Some(allowed) = strictest_update(want)
        && strictest_update(have).is_none_or(|have| have && !allowed)
    {
        missing.push("restrict_updates".to_owned());
    }
    missing
}

/// Returns what a branch's classic protection provides that rulesets do not, in the words
/// of the policy; empty when they provide it all. `after` is each ruleset's rules and
/// whether nobody may bypass it. Where nobody could bypass the classic protection, the
/// rulesets nobody may bypass must provide it all (else `no_bypass` is what lacks). Who may
/// push or dismiss reviews, and creating the branch, no ruleset says: they always lack.
pub fn shortfall(classic: &Branch, after: &[(Rules, bool)], ids: &Identities) -> Vec<String> {
    let all: Vec<Rules> = after.iter().map(|(rules, _)| rules.clone()).collect();
    let mut missing = settings_lacking(classic, &all, ids);
    if missing.is_empty() && classic_contribution(classic, ids).bypass_free == Some(true) {
        let unbypassable: Vec<Rules> = after
            .iter()
            .filter(|(_, bypass_free)| *bypass_free)
            .map(|(rules, _)| rules.clone())
            .collect();
        if !settings_lacking(classic, &unbypassable, ids).is_empty() {
            missing.push("no_bypass".to_owned());
        }
    }
    if classic.push_restrictions.is_some() {
        missing.push("push_restrictions".to_owned());
    }
    if classic
        .pull_request
        .as_ref()
        .is_some_and(|pr| !pr.dismissal_restrictions.is_empty())
    {
        missing.push("pull_request.dismissal_restrictions".to_owned());
    }
    if classic.block_creations && !all.iter().any(|r| r.restrict_creations) {
        missing.push("block_creations".to_owned());
    }
    missing
}

/// Returns the settings of the classic protection's effective protection, and its lock,
/// that these rules do not provide.
fn settings_lacking(classic: &Branch, rules: &[Rules], ids: &Identities) -> Vec<String> {
    let before = classic_contribution(classic, ids);
    let after: Vec<Contribution> = rules.iter().map(|r| contribution(r, ids)).collect();
    let mut missing = uncovered(&after, std::slice::from_ref(&before));
    if classic.lock_branch
        && !strictest_update(rules).is_some_and(|allowed| !allowed || classic.allow_fork_syncing)
    {
        missing.push("lock_branch".to_owned());
    }
    missing
}

/// Returns the strictest `restrict_updates` of the rules: `Some(false)` when one forbids
/// fetch-and-merge, `Some(true)` when one allows it, `None` when none restricts updates.
fn strictest_update(rules: &[Rules]) -> Option<bool> {
    rules.iter().filter_map(|r| r.restrict_updates.on()).min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PullRequestRule, RequiredCheck, RestrictUpdates, StatusChecksRule};

    fn rules(approvals: u8, checks: &[(&str, Option<i64>)]) -> Rules {
        Rules {
            pull_request: Some(PullRequestRule {
                required_approvals: approvals,
                ..PullRequestRule::default()
            }),
            status_checks: Some(StatusChecksRule {
                required: checks
                    .iter()
                    .map(|(context, app_id)| RequiredCheck {
                        context: (*context).to_owned(),
                        app: None,
                        app_id: *app_id,
                    })
                    .collect(),
                ..StatusChecksRule::default()
            }),
            block_force_pushes: true,
            ..Rules::default()
        }
    }

    #[test]
    fn what_is_enforced_must_cover_every_setting_wanted() {
        let want = [rules(2, &[("ci", None), ("sec", Some(15368))])];
        assert!(uncovered_rules(&want, &want).is_empty());
        // Two rulesets together cover what one asks.
        let split = [rules(2, &[("ci", None)]), rules(0, &[("sec", Some(15368))])];
        assert!(uncovered_rules(&split, &want).is_empty());
        let weaker = [Rules {
            block_force_pushes: false,
            ..rules(1, &[("ci", None), ("sec", Some(99))])
        }];
        assert_eq!(
            uncovered_rules(&weaker, &want),
            vec![
                "required_approvals: 2".to_owned(),
                r#"required_checks: {"context":"sec","app_id":15368}"#.to_owned(),
                "block_force_pushes".to_owned(),
            ]
        );
        assert_eq!(uncovered_rules(&[], &want).len(), 4);
    }

    #[test]
    fn a_lock_is_covered_only_as_strictly() {
        let locked = |allow| Rules {
            restrict_updates: RestrictUpdates::from_parameter(Some(allow)),
            ..Rules::default()
        };
        assert!(uncovered_rules(&[locked(false)], &[locked(true)]).is_empty());
        assert_eq!(
            uncovered_rules(&[locked(true)], &[locked(false)]),
            vec!["restrict_updates".to_owned()]
        );
        assert_eq!(
            uncovered_rules(&[], &[locked(true)]),
            vec!["restrict_updates".to_owned()]
        );
    }

    #[test]
    fn rulesets_replace_classic_protection_only_whole() {
        let ids = Identities::default();
        let classic = Branch {
            pull_request: Some(crate::model::PullRequestRules {
                required_approvals: 2,
                ..Default::default()
            }),
            enforce_admins: true,
            ..Branch::default()
        };
        let same = Rules {
            restrict_deletions: true,
            ..rules(2, &[])
        };
        assert!(shortfall(&classic, &[(same.clone(), true)], &ids).is_empty());
        // Admins could not bypass it; bypass actors on the rulesets lower that.
        assert_eq!(
            shortfall(&classic, &[(same.clone(), false)], &ids),
            ["no_bypass"]
        );
        // Another ruleset that may be bypassed, beside one that provides it all, lowers
        // nothing.
        assert!(
            shortfall(
                &classic,
                &[(same.clone(), true), (rules(1, &[]), false)],
                &ids
            )
            .is_empty()
        );
        assert_eq!(
            shortfall(&classic, &[(rules(2, &[]), true)], &ids),
            ["restrict_deletions"]
        );
        let locked = Branch {
            lock_branch: true,
            ..classic.clone()
        };
        assert_eq!(
            shortfall(&locked, &[(same.clone(), true)], &ids),
            ["lock_branch"]
        );
        assert_eq!(
            shortfall(&locked, &[(rules(1, &[]), false)], &ids),
            ["required_approvals: 2", "restrict_deletions", "lock_branch"]
        );
        // Who may push or dismiss reviews: no ruleset says it.
        let restricted = Branch {
            push_restrictions: Some(crate::model::Actors::default()),
            pull_request: Some(crate::model::PullRequestRules {
                required_approvals: 2,
                dismissal_restrictions: crate::model::Actors {
                    teams: vec![crate::testing::name("leads")],
                    ..Default::default()
                },
                ..Default::default()
            }),
            ..classic
        };
        assert_eq!(
            shortfall(&restricted, &[(same, true)], &ids),
            ["push_restrictions", "pull_request.dismissal_restrictions"]
        );
    }
}
