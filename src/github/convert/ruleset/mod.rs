//! Rulesets: GET answers into the model (keeping what it does not model), plan targets into
//! POST/PUT bodies. GitHub's quirks live here: `refs/heads/` and `refs/tags/` qualifiers,
//! parameters GitHub fills with defaults (`allowed_merge_methods`, `do_not_enforce_on_create`,
//! `bypass_mode`), `OrganizationAdmin` read back with `actor_id` 0, 1 or `null`, and actors
//! by id where the policy names them.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::github::wire::ruleset::{
    BypassActor as WireActor, Conditions, RefName, Rule, Ruleset as WireRuleset, RulesetRequest,
};
use crate::live::Identities;
use crate::model::{
    BypassActor, BypassMode, Enforcement, MergeMethod, OtherRule, PullRequestRule, RepositoryRole,
    RequiredCheck, RestrictUpdates, Rules, Ruleset, RulesetTarget, StatusChecksRule,
};
use crate::plan::{ActorKind, RulesetPut};

/// The parameters gh-policy models, by rule type (the types of `model::MODELLED_RULES`);
/// every other parameter is kept.
const MODELLED: &[(&str, &[&str])] = &[
    (
        "pull_request",
        &[
            "required_approving_review_count",
            "dismiss_stale_reviews_on_push",
            "require_code_owner_review",
            "require_last_push_approval",
            "required_review_thread_resolution",
            "allowed_merge_methods",
        ],
    ),
    (
        "required_status_checks",
        &[
            "required_status_checks",
            "strict_required_status_checks_policy",
            "do_not_enforce_on_create",
        ],
    ),
    (
        "required_deployments",
        &["required_deployment_environments"],
    ),
    ("update", &["update_allows_fetch_and_merge"]),
    ("non_fast_forward", &[]),
    ("deletion", &[]),
    ("creation", &[]),
    ("required_linear_history", &[]),
    ("required_signatures", &[]),
];

/// A live ruleset in the model's terms, and the parameters the model cannot hold.
pub struct LiveRulesetParts {
    /// The ruleset, actors named where their ids are known.
    pub ruleset: Ruleset,
    /// Unmodelled parameters by rule type.
    pub kept: BTreeMap<String, Map<String, Value>>,
    /// False when GitHub left the bypass actors out (a token without write access).
    pub bypass_visible: bool,
}

/// Converts GitHub's answer into the model.
pub fn ruleset_from(wire: WireRuleset, ids: &Identities) -> LiveRulesetParts {
    let target = match wire.target.as_deref() {
        Some("tag") => RulesetTarget::Tag,
        Some("push") => RulesetTarget::Push,
        _ => RulesetTarget::Branch,
    };
    let enforcement = match wire.enforcement.as_str() {
        "evaluate" => Enforcement::Evaluate,
        "disabled" => Enforcement::Disabled,
        _ => Enforcement::Active,
    };
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
        .filter_map(|actor| actor_from(actor, ids))
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
        read_rule(&rule.kind, &parameters, &mut rules);
        let extra: Map<String, Value> = parameters
            .into_iter()
            .filter(|(key, _)| !keys.contains(&key.as_str()))
            .collect();
        if !extra.is_empty() {
            kept.insert(rule.kind, extra);
        }
    }
    LiveRulesetParts {
        ruleset: Ruleset {
            target,
            enforcement,
            include: unqualify(ref_name.include),
            exclude: unqualify(ref_name.exclude),
            bypass,
            rules,
        },
        kept,
        bypass_visible,
    }
}

fn read_rule(kind: &str, parameters: &Map<String, Value>, rules: &mut Rules) {
    let flag = |key: &str| {
        parameters
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    match kind {
        "pull_request" => {
            let methods: Option<Vec<MergeMethod>> = parameters
                .get("allowed_merge_methods")
                .and_then(|v| serde_json::from_value(v.clone()).ok());
            let mut methods = methods.unwrap_or_else(|| MergeMethod::ALL.to_vec());
            methods.sort();
            methods.dedup();
            rules.pull_request = Some(PullRequestRule {
                required_approvals: parameters
                    .get("required_approving_review_count")
                    .and_then(Value::as_u64)
                    .and_then(|n| u8::try_from(n).ok())
                    .unwrap_or(0),
                dismiss_stale_reviews: flag("dismiss_stale_reviews_on_push"),
                require_code_owner_reviews: flag("require_code_owner_review"),
                require_last_push_approval: flag("require_last_push_approval"),
                required_conversation_resolution: flag("required_review_thread_resolution"),
                // All three is GitHub's default: the same as not choosing.
                allowed_merge_methods: (methods != MergeMethod::ALL).then_some(methods),
            });
        }
        "required_status_checks" => {
            let checks = parameters
                .get("required_status_checks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|check| {
                    Some(RequiredCheck {
                        context: check.get("context")?.as_str()?.to_owned(),
                        app: None,
                        app_id: check
                            .get("integration_id")
                            .and_then(Value::as_i64)
                            .filter(|id| *id > 0),
                    })
                })
                .collect();
            rules.status_checks = Some(StatusChecksRule {
                strict: flag("strict_required_status_checks_policy"),
                do_not_enforce_on_create: flag("do_not_enforce_on_create"),
                required: checks,
            });
        }
        "required_deployments" => {
            rules.required_deployments = parameters
                .get("required_deployment_environments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.as_str().map(str::to_owned))
                .collect();
        }
        "update" => {
            rules.restrict_updates =
                RestrictUpdates::from_parameter(Some(flag("update_allows_fetch_and_merge")));
        }
        "non_fast_forward" => rules.block_force_pushes = true,
        "deletion" => rules.restrict_deletions = true,
        "creation" => rules.restrict_creations = true,
        "required_linear_history" => rules.required_linear_history = true,
        "required_signatures" => rules.required_signatures = true,
        _ => {}
    }
}

/// Returns the rules in the model's terms (other rule types kept as `other`), for rules
/// read without their ruleset (the effective rules of a branch).
pub fn rules_from(wire: &[Rule]) -> Rules {
    let mut rules = Rules::default();
    for rule in wire {
        let parameters = rule.parameters.clone().unwrap_or_default();
        if MODELLED.iter().any(|(kind, _)| *kind == rule.kind) {
            read_rule(&rule.kind, &parameters, &mut rules);
        } else {
            rules.other.push(OtherRule {
                kind: rule.kind.clone(),
                parameters: (!parameters.is_empty()).then_some(parameters),
            });
        }
    }
    rules
}

/// Returns an actor in policy terms, named where its id is known.
pub fn actor_from(actor: &WireActor, ids: &Identities) -> Option<BypassActor> {
    let mode = match actor.bypass_mode.as_deref() {
        Some("pull_request") => BypassMode::PullRequest,
        Some("exempt") => BypassMode::Exempt,
        _ => BypassMode::Always,
    };
    let mut out = BypassActor {
        mode,
        ..BypassActor::default()
    };
    match ActorKind::parse(&actor.actor_type)? {
        // Whatever `actor_id` GitHub sends with it (0, 1 or null), it is the same actor.
        ActorKind::OrganizationAdmin => out.org_admins = true,
        ActorKind::DeployKey => out.deploy_keys = true,
        ActorKind::RepositoryRole => {
            let id = actor.actor_id?;
            match RepositoryRole::from_id(id) {
                Some(role) => out.role = Some(role),
                None => out.role_id = Some(id),
            }
        }
        ActorKind::Team => {
            let id = actor.actor_id?;
            match ids.team_slug(id) {
                Some(slug) => out.team = Some(slug.to_owned()),
                None => out.team_id = Some(id),
            }
        }
        ActorKind::Integration => {
            let id = actor.actor_id?;
            match ids.app_slug(id) {
                Some(slug) => out.app = Some(slug.to_owned()),
                None => out.app_id = Some(id),
            }
        }
        ActorKind::User => {
            let id = actor.actor_id?;
            match ids.user_login(id) {
                Some(login) => out.user = Some(login.to_owned()),
                None => out.user_id = Some(id),
            }
        }
    }
    Some(out)
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
