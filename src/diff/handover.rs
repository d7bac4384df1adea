//! Handing a branch over from classic protection to rulesets (DESIGN §14): the rulesets a
//! plan writes go before the removal of the classic protection they take over from, and the
//! removal carries what GitHub must enforce on the branch before it is sent. A failed write,
//! or rulesets GitHub does not enforce, leave the branch protected: it is never unprotected
//! in between.

use super::requirement::selects;
use crate::effective::cover;
use crate::live::LiveState;
use crate::model::{Enforcement, RepoSettings, RequiredCheck, Rules, Ruleset, RulesetTarget};
use crate::plan::{
    Action, Change, Handover, ProtectionWrite, ResourceKind, RulesetPut, RulesetWrite, Target,
};
use crate::untrusted::quote;

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

/// Gives every classic protection removal the rulesets of the plan that apply to its
/// branch, and moves those removals after the last ruleset write. A removal that waits for
/// a ruleset apply cannot write cannot be applied either.
pub fn hand_over(desired: &RepoSettings, live: &LiveState, changes: &mut Vec<Change>) {
    let default_branch = live.branch_of("~DEFAULT_BRANCH");
    let successors = successors(desired, changes);
    if successors.is_empty() {
        return;
    }
    for change in changes.iter_mut() {
        let Some(Target::BranchProtection {
            branch,
            write: ProtectionWrite::Remove { handover },
        }) = &mut change.target
        else {
            continue;
        };
        let taking: Vec<&Successor> = successors
            .iter()
            .filter(|s| selects(&s.ruleset, branch, default_branch))
            .collect();
        if taking.is_empty() {
            continue;
        }
        let rules: Vec<Rules> = taking.iter().map(|s| s.rules.clone()).collect();
        let bypass_free = taking.iter().all(|s| s.ruleset.bypass.is_empty());
        let complete = live
            .settings
            .branches
            .get(branch.as_str())
            .filter(|classic| classic.protected)
            .is_some_and(|classic| cover::replaces(classic, &rules, bypass_free, &live.ids));
        let names: Vec<String> = taking.iter().map(|s| s.name.clone()).collect();
        let listed = names
            .iter()
            .map(|name| quote(name))
            .collect::<Vec<_>>()
            .join(", ");
        change.note = Some(format!(
            "handed over to ruleset {listed}: apply writes it first, and removes this protection only once GitHub enforces it on the branch"
        ));
        if let Some((name, why)) = taking
            .iter()
            .find_map(|s| s.unwritable.as_ref().map(|why| (&s.name, why)))
        {
            change.applicable = false;
            change.reason = Some(format!(
                "it waits for ruleset {}, which apply cannot write ({why})",
                quote(name)
            ));
        }
        *handover = Some(Box::new(Handover {
            rulesets: names,
            rules,
            complete,
        }));
    }
    let (handed, mut rest): (Vec<Change>, Vec<Change>) =
        std::mem::take(changes).into_iter().partition(has_handover);
    let after = rest
        .iter()
        .rposition(|c| c.kind == ResourceKind::Ruleset)
        .map_or(rest.len(), |i| i + 1);
    rest.splice(after..after, handed);
    *changes = rest;
}

/// The active branch rulesets the plan creates or rewrites, applicable or not.
fn successors(desired: &RepoSettings, changes: &[Change]) -> Vec<Successor> {
    changes
        .iter()
        .filter(|c| c.kind == ResourceKind::Ruleset && c.action != Action::Delete)
        .filter_map(|c| {
            let name = c.address.strip_prefix("rulesets.")?;
            let ruleset = desired.rulesets.get(name)?;
            if ruleset.enforcement != Enforcement::Active || ruleset.target != RulesetTarget::Branch
            {
                return None;
            }
            let rules = match &c.target {
                Some(Target::Ruleset {
                    write: RulesetWrite::Create(put) | RulesetWrite::Update { put, .. },
                    ..
                }) => pinned_rules(put),
                // A plan from a state file resolves no ids; it is never applied.
                _ => ruleset.rules.clone(),
            };
            Some(Successor {
                name: name.to_owned(),
                ruleset: ruleset.clone(),
                rules,
                unwritable: (!c.applicable).then(|| {
                    c.reason
                        .clone()
                        .unwrap_or_else(|| "it cannot be applied".to_owned())
                }),
            })
        })
        .collect()
}

/// Returns true for a classic protection removal that rulesets of the plan take over from.
pub fn has_handover(change: &Change) -> bool {
    matches!(
        &change.target,
        Some(Target::BranchProtection {
            write: ProtectionWrite::Remove { handover: Some(_) },
            ..
        })
    )
}

/// Returns true when a change removes classic protection that rulesets of the same plan
/// replace whole (every setting of the branch's effective protection, its lock, and no
/// bypass where it allowed none): a removal that lowers nothing.
pub fn replaced_whole(change: &Change) -> bool {
    matches!(
        &change.target,
        Some(Target::BranchProtection {
            write: ProtectionWrite::Remove {
                handover: Some(handover)
            },
            ..
        }) if handover.complete
    )
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
mod tests {
    use super::*;
    use crate::model::{Branch, PullRequestRule};
    use crate::testing::flow_policy;

    /// The flow policy with `main`'s classic protection handed to a ruleset of these rules.
    fn migrated(rules: Rules) -> crate::model::RepoSettings {
        let mut desired = flow_policy();
        desired.requirements.clear();
        desired
            .branches
            .insert("main".into(), Branch::unprotected());
        desired.rulesets.insert(
            "protect-main".into(),
            Ruleset {
                include: vec!["main".into()],
                rules,
                ..Ruleset::default()
            },
        );
        desired
    }

    fn main_rules(approvals: u8) -> Rules {
        let classic = &flow_policy().branches["main"];
        let pr = classic.pull_request.clone().unwrap_or_default();
        Rules {
            pull_request: Some(PullRequestRule {
                required_approvals: approvals,
                dismiss_stale_reviews: pr.dismiss_stale_reviews,
                required_conversation_resolution: true,
                ..PullRequestRule::default()
            }),
            status_checks: classic
                .status_checks
                .clone()
                .map(|s| crate::model::StatusChecksRule {
                    strict: s.strict,
                    do_not_enforce_on_create: false,
                    required: s.required,
                }),
            block_force_pushes: true,
            restrict_deletions: true,
            ..Rules::default()
        }
    }

    fn live() -> LiveState {
        let mut live = flow_policy();
        live.requirements.clear();
        let mut live = LiveState::from_settings(live);
        // Pinned checks are written by id: as a plan against GitHub knows them.
        live.ids.offline = false;
        live.ids.apps.insert("github-actions".into(), 15368);
        live
    }

    fn handover(change: &Change) -> &Handover {
        match &change.target {
            Some(Target::BranchProtection {
                write:
                    ProtectionWrite::Remove {
                        handover: Some(handover),
                    },
                ..
            }) => handover,
            other => panic!("not a handed-over removal: {other:?}"),
        }
    }

    #[test]
    fn classic_protection_goes_after_the_ruleset_that_takes_over() {
        let plan = crate::diff::plan(
            "acme/katz-backend",
            &migrated(main_rules(2)),
            &live(),
            &crate::diff::Context::default(),
        );
        let order: Vec<(&str, Action)> = plan
            .changes
            .iter()
            .map(|c| (c.address.as_str(), c.action))
            .collect();
        assert_eq!(
            order,
            [
                ("rulesets.protect-main", Action::Create),
                ("branches.main", Action::Delete),
            ]
        );
        let handed = handover(&plan.changes[1]);
        assert_eq!(handed.rulesets, ["protect-main"]);
        assert!(handed.complete);
        // The checks as `rules/branches` shows them: by app id.
        let checks = &handed.rules[0].status_checks.as_ref().unwrap().required;
        let pinned = |context: &str| {
            checks
                .iter()
                .find(|c| c.context == context)
                .map(|c| (c.app.clone(), c.app_id))
        };
        assert_eq!(pinned("Security Checks"), Some((None, Some(15368))));
        assert_eq!(pinned("dev - lint and test"), Some((None, None)));
        assert!(replaced_whole(&plan.changes[1]));
        assert!(
            plan.changes[1]
                .note
                .as_deref()
                .is_some_and(|n| n.starts_with("handed over to ruleset `protect-main`")),
            "{:?}",
            plan.changes[1].note
        );
    }

    #[test]
    fn a_ruleset_that_provides_less_is_still_waited_for_but_does_not_replace() {
        let plan = crate::diff::plan(
            "acme/katz-backend",
            &migrated(main_rules(1)),
            &live(),
            &crate::diff::Context::default(),
        );
        let removal = plan
            .changes
            .iter()
            .find(|c| c.address == "branches.main")
            .unwrap();
        assert!(!handover(removal).complete);
        assert!(!replaced_whole(removal));
        // A removal that no ruleset takes over has no handover, and keeps its place.
        let mut desired = flow_policy();
        desired.requirements.clear();
        desired.branches.insert("dev".into(), Branch::unprotected());
        let plan = crate::diff::plan(
            "acme/katz-backend",
            &desired,
            &live(),
            &crate::diff::Context::default(),
        );
        assert_eq!(plan.changes.len(), 1);
        assert!(!has_handover(&plan.changes[0]));
    }

    #[test]
    fn a_removal_waits_for_a_ruleset_apply_cannot_write() {
        let mut rules = main_rules(2);
        if let Some(checks) = &mut rules.status_checks {
            checks.required.push(RequiredCheck {
                context: "lint".into(),
                app: Some("circleci".into()),
                app_id: None,
            });
        }
        let plan = crate::diff::plan(
            "acme/katz-backend",
            &migrated(rules),
            &live(),
            &crate::diff::Context::default(),
        );
        let (ruleset, removal) = (&plan.changes[0], &plan.changes[1]);
        assert_eq!(ruleset.address, "rulesets.protect-main");
        assert!(!ruleset.applicable);
        assert_eq!(removal.address, "branches.main");
        assert!(!removal.applicable);
        assert_eq!(
            removal.reason.as_deref(),
            Some(
                "it waits for ruleset `protect-main`, which apply cannot write (the id of app `circleci` is not known)"
            )
        );
    }
}
