//! A ruleset flattened into leaves for people: actors named where their names are known,
//! patterns as the policy writes them, each rule's settings with how they protect.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::super::checks::aligned;
use super::super::leaves::{Leaves, sorted_list};
use crate::model::live::Identities;
use crate::model::names::Pattern;
use crate::model::{
    AccountRef, Actor, BypassActor, BypassMode, MergeMethod, Ruleset, StatusChecksRule,
};
use crate::protection::weakening::{self, Protects};

/// An actor as a person reads it, the same whichever way it was written: named where the
/// name is known (`{team: ops}` for team 41 and for `team_id: 41`), by id otherwise.
fn actor_value(actor: &BypassActor, ids: &Identities) -> Value {
    let mut value = match actor.actor().map(|who| who.canonical(ids)) {
        Some(Actor::Role(role)) => json!({ "role": role }),
        Some(Actor::RoleId(id)) => json!({ "role_id": id }),
        Some(Actor::Account(account, AccountRef::Name(name))) => json!({ account.keys().0: name }),
        Some(Actor::Account(account, AccountRef::Id(id))) => json!({ account.keys().1: id }),
        Some(Actor::OrgAdmins) => json!({ "org_admins": true }),
        Some(Actor::DeployKeys) => json!({ "deploy_keys": true }),
        // As GitHub wrote it: never the same as an actor the policy names.
        Some(Actor::Unknown(unknown)) => {
            json!({ "actor_type": unknown.actor_type, "actor_id": unknown.actor_id })
        }
        None => Value::Null,
    };
    if actor.mode != BypassMode::Always
        && let Value::Object(map) = &mut value
    {
        map.insert("mode".to_owned(), json!(actor.mode));
    }
    value
}

/// Flattens a ruleset. `want`, given for the live side, aligns live checks with the policy's
/// and limits the parameters of other rule types to those the policy sets; `bypass` is
/// false when the live actors cannot be read (then neither side shows them).
pub(super) fn ruleset_leaves(
    ruleset: &Ruleset,
    want: Option<&Ruleset>,
    ids: &Identities,
    bypass: bool,
) -> Leaves {
    let mut leaves = Leaves::default();
    // Another target protects other refs: the ones protected now would lose it.
    leaves.setting(
        "target",
        json!(ruleset.target),
        json!("branch"),
        Protects::AnyChange,
    );
    leaves.setting(
        "enforcement",
        json!(ruleset.enforcement),
        json!("active"),
        Protects::Ranked(weakening::ENFORCEMENT),
    );
    // Compared as GitHub stores them (qualified), shown as the policy writes them.
    let patterns = |list: &[Pattern]| {
        let set: BTreeSet<String> = list.iter().map(|p| ruleset.target.normalized(p)).collect();
        Value::from(set.into_iter().collect::<Vec<_>>())
    };
    leaves.setting(
        "include",
        patterns(&ruleset.include),
        json!([]),
        Protects::EachItem,
    );
    leaves.setting(
        "exclude",
        patterns(&ruleset.exclude),
        json!([]),
        Protects::NoItem,
    );
    // Actors GitHub hid from the token are not compared: they are not "nobody".
    if bypass {
        leaves.setting(
            "bypass",
            sorted_list(ruleset.bypass.iter().map(|a| actor_value(a, ids))),
            json!([]),
            Protects::Actors,
        );
    }
    rule_leaves(ruleset, want, ids, &mut leaves);
    leaves
}

fn rule_leaves(ruleset: &Ruleset, want: Option<&Ruleset>, ids: &Identities, leaves: &mut Leaves) {
    let rules = &ruleset.rules;
    if let Some(pr) = &rules.pull_request {
        pull_request_leaves(pr, leaves);
    }
    if let Some(checks) = &rules.status_checks {
        let wanted = want
            .and_then(|w| w.rules.status_checks.as_ref())
            .map(|s| s.required.as_slice());
        status_check_leaves(checks, wanted, ids, leaves);
    }
    let environments: BTreeSet<String> = rules
        .required_deployments
        .iter()
        .map(|e| e.to_lowercase())
        .collect();
    leaves.setting(
        "rules.required_deployments",
        json!(environments),
        json!([]),
        Protects::EachItem,
    );
    for (key, on) in [
        ("block_force_pushes", rules.block_force_pushes),
        ("restrict_deletions", rules.restrict_deletions),
        ("restrict_creations", rules.restrict_creations),
        ("required_linear_history", rules.required_linear_history),
        ("required_signatures", rules.required_signatures),
    ] {
        leaves.setting(
            format!("rules.{key}"),
            json!(on),
            json!(false),
            Protects::WhenOn,
        );
    }
    let updates = match rules.restrict_updates.on() {
        None => json!(false),
        Some(false) => json!(true),
        Some(true) => json!({ "allow_fetch_and_merge": true }),
    };
    leaves.setting(
        "rules.restrict_updates",
        updates,
        json!(false),
        Protects::Ranked(weakening::RESTRICT_UPDATES),
    );
    for other in &rules.other {
        // Only the parameters the policy writes are compared (a live parameter it leaves
        // out is kept by apply); on the policy side, the policy's own.
        let policy_keys: Option<Map<String, Value>> = match want {
            Some(want) => want
                .rules
                .other
                .iter()
                .find(|o| o.kind == other.kind)
                .map(|o| o.parameters.clone().unwrap_or_default()),
            None => other.parameters.clone(),
        };
        let path = format!("rules.other.{}", other.kind);
        leaves.presence(&path, "required");
        let live = other.parameters.clone().unwrap_or_default();
        for key in policy_keys.unwrap_or_default().keys() {
            // A rule gh-policy does not model: which way a parameter protects is unknown.
            leaves.setting(
                format!("{path}.{key}"),
                live.get(key).cloned().unwrap_or(Value::Null),
                Value::Null,
                Protects::AnyChange,
            );
        }
    }
}

/// The `pull_request` rule's settings.
fn pull_request_leaves(pr: &crate::model::PullRequestRule, leaves: &mut Leaves) {
    leaves.reviews(
        "rules.pull_request",
        pr.required_approvals,
        &[
            ("dismiss_stale_reviews", pr.dismiss_stale_reviews),
            ("require_code_owner_reviews", pr.require_code_owner_reviews),
            ("require_last_push_approval", pr.require_last_push_approval),
            (
                "required_conversation_resolution",
                pr.required_conversation_resolution,
            ),
        ],
    );
    let all = MergeMethod::ALL;
    let methods: BTreeSet<_> = pr
        .allowed_merge_methods
        .as_deref()
        .unwrap_or(&all)
        .iter()
        .copied()
        .collect();
    leaves.setting(
        "rules.pull_request.allowed_merge_methods",
        json!(methods),
        json!(all),
        Protects::NoItem,
    );
}

/// The `required_status_checks` rule's settings; `wanted` aligns live checks with the
/// policy's.
fn status_check_leaves(
    checks: &StatusChecksRule,
    wanted: Option<&[crate::model::RequiredCheck]>,
    ids: &Identities,
    leaves: &mut Leaves,
) {
    leaves.presence("rules.status_checks", "required");
    leaves.setting(
        "rules.status_checks.strict",
        json!(checks.strict),
        json!(false),
        Protects::WhenOn,
    );
    leaves.setting(
        "rules.status_checks.do_not_enforce_on_create",
        json!(checks.do_not_enforce_on_create),
        json!(false),
        Protects::WhenOff,
    );
    leaves.setting(
        "rules.status_checks.required",
        aligned(&checks.required, wanted, ids),
        json!([]),
        Protects::Checks,
    );
}
