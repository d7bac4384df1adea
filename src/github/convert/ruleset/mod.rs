//! Rulesets: GET answers into the model (keeping what it does not model), plan targets into
//! POST/PUT bodies. GitHub's quirks live here: parameters GitHub fills with defaults
//! (`allowed_merge_methods`, `do_not_enforce_on_create`, `bypass_mode`), and parameters
//! the model does not hold, kept for the next PUT. Patterns are qualified in
//! `model::ref_pattern`, actors resolved by `model::Actor`; what GitHub sends that gh-policy
//! does not know (an enforcement, a target, an actor type, a bypass mode, a rule type) is
//! read by the wire's enums as `Unknown`, never as a known value. The rules themselves are
//! read in `rules`.

mod rules;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::github::wire::ruleset::{
    BypassActor as WireActor, Conditions, RefName, Rule, Ruleset as WireRuleset, RulesetRequest,
};
use crate::model::live::Identities;
use crate::model::names::Pattern;
use crate::model::{
    Actor, BypassActor, BypassMode, MergeMethod, RuleType, Rules, Ruleset, RulesetTarget,
};
use crate::plan::RulesetPut;
use rules::{modelled_parameters, read_rule};

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
    // Absent: `branch`, GitHub's default.
    let target = wire.target.unwrap_or(RulesetTarget::Branch);
    let ref_name = wire.conditions.and_then(|c| c.ref_name).unwrap_or_default();
    let unqualify = |patterns: Vec<String>| -> Vec<Pattern> {
        patterns
            .into_iter()
            .map(|p| Pattern::from_github(target.unqualified(&p)))
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
        read_rule(&rule.kind, &parameters, &mut rules)?;
        let modelled = modelled_parameters(&rule.kind);
        let extra: Map<String, Value> = parameters
            .into_iter()
            .filter(|(key, _)| !modelled.contains(&key.as_str()))
            .collect();
        // A type gh-policy does not model is kept whole, even without parameters.
        if !extra.is_empty() || matches!(rule.kind, RuleType::Unknown(_)) {
            kept.insert(rule.kind.as_str().to_owned(), extra);
        }
    }
    Ok(LiveRulesetParts {
        ruleset: Ruleset {
            include: unqualify(ref_name.include),
            exclude: unqualify(ref_name.exclude),
            target,
            enforcement: wire.enforcement,
            bypass,
            rules,
        },
        kept,
        bypass_visible,
    })
}

/// Returns an actor in policy terms, named where its id is known (`model::Actor` resolves).
pub fn actor_from(actor: &WireActor, ids: &Identities) -> BypassActor {
    // GitHub's default mode is `always`.
    let mode = actor.bypass_mode.clone().unwrap_or(BypassMode::Always);
    BypassActor::of(
        Actor::from_github(&actor.actor_type, actor.actor_id, ids),
        mode,
    )
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
        target: settings.target.clone(),
        enforcement: settings.enforcement.clone(),
        bypass_actors: put
            .bypass
            .iter()
            .map(|actor| WireActor {
                actor_id: actor.id,
                actor_type: actor.kind.clone(),
                bypass_mode: Some(actor.mode.clone()),
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
    let mut rule = |kind: RuleType, modelled: Map<String, Value>| {
        let mut parameters = put.kept.get(kind.as_str()).cloned().unwrap_or_default();
        parameters.extend(modelled);
        let has_parameters = !parameters.is_empty() || !modelled_parameters(&kind).is_empty();
        rules.push(Rule {
            kind,
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
            RuleType::PullRequest,
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
            RuleType::RequiredStatusChecks,
            object(json!({
                "required_status_checks": list,
                "strict_required_status_checks_policy": checks.strict,
                "do_not_enforce_on_create": checks.do_not_enforce_on_create,
            })),
        );
    }
    if !r.required_deployments.is_empty() {
        rule(
            RuleType::RequiredDeployments,
            object(json!({ "required_deployment_environments": r.required_deployments })),
        );
    }
    for (on, kind) in [
        (r.block_force_pushes, RuleType::NonFastForward),
        (r.restrict_deletions, RuleType::Deletion),
        (r.restrict_creations, RuleType::Creation),
        (r.required_linear_history, RuleType::RequiredLinearHistory),
        (r.required_signatures, RuleType::RequiredSignatures),
    ] {
        if on {
            rule(kind, Map::new());
        }
    }
    if let Some(allow) = r.restrict_updates.on() {
        rule(
            RuleType::Update,
            object(json!({ "update_allows_fetch_and_merge": allow })),
        );
    }
    for other in &r.other {
        rule(
            RuleType::parse(&other.kind),
            other.parameters.clone().unwrap_or_default(),
        );
    }
    rules
}

#[cfg(test)]
mod tests;
