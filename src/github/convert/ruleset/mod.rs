//! Rulesets: GET answers into the model (keeping what it does not model), plan targets into
//! POST/PUT bodies. GitHub's quirks live here: `refs/heads/` and `refs/tags/` qualifiers,
//! parameters GitHub fills with defaults (`allowed_merge_methods`, `do_not_enforce_on_create`,
//! `bypass_mode`), `OrganizationAdmin` read back with `actor_id` 0, 1 or `null`, and actors
//! by id where the policy names them. What GitHub sends that gh-policy does not know (an
//! enforcement, an actor type, a bypass mode) is kept as written, never read as a known value.
//! The rules themselves are read in `rules`.

mod rules;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::github::wire::ruleset::{
    BypassActor as WireActor, Conditions, RefName, Rule, Ruleset as WireRuleset, RulesetRequest,
};
use crate::live::Identities;
use crate::model::{
    BypassActor, BypassMode, Enforcement, MergeMethod, OtherRule, RepositoryRole, Rules, Ruleset,
    RulesetTarget, UnknownActor,
};
use crate::plan::{ActorKind, RulesetPut};
use rules::{MODELLED, read_rule};

pub use rules::{MissingParameter, rules_from};

/// A live ruleset in the model's terms, and the parameters the model cannot hold.
pub struct LiveRulesetParts {
    /// The ruleset, actors named where their ids are known.
    pub ruleset: Ruleset,
    /// Unmodelled parameters by rule type.
    pub kept: BTreeMap<String, Map<String, Value>>,
    /// False when GitHub left the bypass actors out (a token without write access).
    pub bypass_visible: bool,
}

/// Converts GitHub's answer into the model; fails when a rule lacks a parameter GitHub's
/// schema requires.
pub fn ruleset_from(
    wire: WireRuleset,
    ids: &Identities,
) -> Result<LiveRulesetParts, MissingParameter> {
    let target = wire
        .target
        .as_deref()
        .map_or(RulesetTarget::Branch, RulesetTarget::parse);
    let enforcement = Enforcement::parse(&wire.enforcement);
    let ref_name = wire.conditions.and_then(|c| c.ref_name).unwrap_or_default();
    let unqualify = |patterns: Vec<String>| -> Vec<String> {
        patterns
            .into_iter()
            .map(|p| target.unqualified(&p))
            .collect()
    };
    let bypass_visible = wire.bypass_actors.is_some();
    let bypass = wire
        .bypass_actors
        .unwrap_or_default()
        .iter()
        .map(|actor| actor_from(actor, ids))
        .collect();
    let mut rules = Rules::default();
    let mut kept = BTreeMap::new();
    for rule in wire.rules {
        let parameters = rule.parameters.unwrap_or_default();
        let modelled = MODELLED.iter().find(|(kind, _)| *kind == rule.kind);
        let Some((_, keys)) = modelled else {
            kept.insert(rule.kind.clone(), parameters.clone());
            rules.other.push(OtherRule {
                kind: rule.kind,
                parameters: (!parameters.is_empty()).then_some(parameters),
            });
            continue;
        };
        read_rule(&rule.kind, &parameters, &mut rules)?;
        let extra: Map<String, Value> = parameters
            .into_iter()
            .filter(|(key, _)| !keys.contains(&key.as_str()))
            .collect();
        if !extra.is_empty() {
            kept.insert(rule.kind, extra);
        }
    }
    Ok(LiveRulesetParts {
        ruleset: Ruleset {
            include: unqualify(ref_name.include),
            exclude: unqualify(ref_name.exclude),
            target,
            enforcement,
            bypass,
            rules,
        },
        kept,
        bypass_visible,
    })
}

/// Returns an actor in policy terms, named where its id is known. An actor of a type
/// gh-policy does not know, or without the id its type needs, is kept as GitHub wrote it:
/// it may bypass, so it is never read as nobody.
pub fn actor_from(actor: &WireActor, ids: &Identities) -> BypassActor {
    let mode = actor
        .bypass_mode
        .as_deref()
        .map_or(BypassMode::Always, BypassMode::parse);
    let unknown = || BypassActor {
        unknown: Some(UnknownActor {
            actor_type: actor.actor_type.clone(),
            actor_id: actor.actor_id,
        }),
        mode: mode.clone(),
        ..BypassActor::default()
    };
    let mut out = BypassActor {
        mode: mode.clone(),
        ..BypassActor::default()
    };
    let Some(kind) = ActorKind::parse(&actor.actor_type) else {
        return unknown();
    };
    let needs_id = || actor.actor_id.ok_or(());
    let Ok(()) = (match kind {
        // Whatever `actor_id` GitHub sends with it (0, 1 or null), it is the same actor.
        ActorKind::OrganizationAdmin => {
            out.org_admins = true;
            Ok(())
        }
        ActorKind::DeployKey => {
            out.deploy_keys = true;
            Ok(())
        }
        ActorKind::RepositoryRole => needs_id().map(|id| match RepositoryRole::from_id(id) {
            Some(role) => out.role = Some(role),
            None => out.role_id = Some(id),
        }),
        ActorKind::Team => needs_id().map(|id| match ids.team_slug(id) {
            Some(slug) => out.team = Some(slug.to_owned()),
            None => out.team_id = Some(id),
        }),
        ActorKind::Integration => needs_id().map(|id| match ids.app_slug(id) {
            Some(slug) => out.app = Some(slug.to_owned()),
            None => out.app_id = Some(id),
        }),
        ActorKind::User => needs_id().map(|id| match ids.user_login(id) {
            Some(login) => out.user = Some(login.to_owned()),
            None => out.user_id = Some(id),
        }),
    }) else {
        return unknown();
    };
    out
}

/// Builds the POST/PUT body: every rule, every array (`bypass_actors: []` clears them),
/// and the live parameters the policy does not model, unchanged.
pub fn ruleset_request(name: &str, put: &RulesetPut) -> RulesetRequest {
    let settings = &put.settings;
    let conditions = settings.target.ref_prefix().map(|_| Conditions {
        ref_name: Some(RefName {
            include: put.include.clone(),
            exclude: put.exclude.clone(),
        }),
        other: Map::new(),
    });
    RulesetRequest {
        name: name.to_owned(),
        target: settings.target.as_str().to_owned(),
        enforcement: settings.enforcement.as_str().to_owned(),
        bypass_actors: put
            .bypass
            .iter()
            .map(|actor| WireActor {
                actor_id: actor.id,
                actor_type: actor.kind.as_str().to_owned(),
                bypass_mode: Some(actor.mode.as_str().to_owned()),
            })
            .collect(),
        conditions,
        rules: rules_of(put),
    }
}

/// Every rule of the ruleset, each with its modelled parameters over the kept live ones.
fn rules_of(put: &RulesetPut) -> Vec<Rule> {
    let settings = &put.settings;
    let mut rules = Vec::new();
    let mut rule = |kind: &str, modelled: Map<String, Value>| {
        let mut parameters = put.kept.get(kind).cloned().unwrap_or_default();
        parameters.extend(modelled);
        let has_parameters = !parameters.is_empty()
            || MODELLED
                .iter()
                .any(|(k, keys)| *k == kind && !keys.is_empty());
        rules.push(Rule {
            kind: kind.to_owned(),
            parameters: has_parameters.then_some(parameters),
        });
    };
    let object = |value: Value| match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let r = &settings.rules;
    if let Some(pr) = &r.pull_request {
        let methods = pr
            .allowed_merge_methods
            .clone()
            .unwrap_or_else(|| MergeMethod::ALL.to_vec());
        rule(
            "pull_request",
            object(json!({
                "required_approving_review_count": pr.required_approvals,
                "dismiss_stale_reviews_on_push": pr.dismiss_stale_reviews,
                "require_code_owner_review": pr.require_code_owner_reviews,
                "require_last_push_approval": pr.require_last_push_approval,
                "required_review_thread_resolution": pr.required_conversation_resolution,
                "allowed_merge_methods": methods,
            })),
        );
    }
    if let Some(checks) = &r.status_checks {
        let list: Vec<Value> = put
            .checks
            .iter()
            .map(|c| match c.integration_id {
                Some(id) => json!({ "context": c.context, "integration_id": id }),
                None => json!({ "context": c.context }),
            })
            .collect();
        rule(
            "required_status_checks",
            object(json!({
                "required_status_checks": list,
                "strict_required_status_checks_policy": checks.strict,
                "do_not_enforce_on_create": checks.do_not_enforce_on_create,
            })),
        );
    }
    if !r.required_deployments.is_empty() {
        rule(
            "required_deployments",
            object(json!({ "required_deployment_environments": r.required_deployments })),
        );
    }
    for (on, kind) in [
        (r.block_force_pushes, "non_fast_forward"),
        (r.restrict_deletions, "deletion"),
        (r.restrict_creations, "creation"),
        (r.required_linear_history, "required_linear_history"),
        (r.required_signatures, "required_signatures"),
    ] {
        if on {
            rule(kind, Map::new());
        }
    }
    if let Some(allow) = r.restrict_updates.on() {
        rule(
            "update",
            object(json!({ "update_allows_fetch_and_merge": allow })),
        );
    }
    for other in &r.other {
        rule(&other.kind, other.parameters.clone().unwrap_or_default());
    }
    rules
}

#[cfg(test)]
mod tests;
