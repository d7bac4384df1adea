//! A ruleset's rules as GitHub sends them (`{type, parameters}`), read into the model. The
//! types gh-policy models are read parameter by parameter; a parameter GitHub's schema
//! requires and the answer lacks is an error, never a default that would read as "off";
//! every other rule type is kept verbatim, and counts toward nothing.

use std::fmt;

use serde_json::{Map, Value};

use crate::github::wire::ruleset::Rule;
use crate::model::{
    MergeMethod, OtherRule, PullRequestRule, RequiredCheck, RestrictUpdates, Rules,
    StatusChecksRule,
};

/// The parameters gh-policy models, by rule type (the types of `model::MODELLED_RULES`);
/// every other parameter is kept.
pub(super) const MODELLED: &[(&str, &[&str])] = &[
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

/// A parameter GitHub's schema requires of a rule that an answer lacks, or sends of another
/// type: read as a default, it would lower what the rule asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingParameter {
    /// The rule type.
    pub rule: String,
    /// The parameter.
    pub parameter: &'static str,
}

impl fmt::Display for MissingParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "its `{}` rule has no `{}` (or one of another type), which GitHub's schema requires",
            crate::untrusted::escape(&self.rule),
            self.parameter
        )
    }
}

/// Returns true when gh-policy models the rule type.
pub(super) fn is_modelled(kind: &str) -> bool {
    MODELLED.iter().any(|(modelled, _)| *modelled == kind)
}

/// Reads one rule of a modelled type into `rules`.
pub(super) fn read_rule(
    kind: &str,
    parameters: &Map<String, Value>,
    rules: &mut Rules,
) -> Result<(), MissingParameter> {
    let missing = |parameter: &'static str| MissingParameter {
        rule: kind.to_owned(),
        parameter,
    };
    let flag = |key: &'static str| {
        parameters
            .get(key)
            .and_then(Value::as_bool)
            .ok_or_else(|| missing(key))
    };
    // An optional flag GitHub fills with its default, off.
    let optional = |key: &str| {
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
                    .ok_or_else(|| missing("required_approving_review_count"))?,
                dismiss_stale_reviews: flag("dismiss_stale_reviews_on_push")?,
                require_code_owner_reviews: flag("require_code_owner_review")?,
                require_last_push_approval: flag("require_last_push_approval")?,
                required_conversation_resolution: flag("required_review_thread_resolution")?,
                // All three is GitHub's default: the same as not choosing.
                allowed_merge_methods: (methods != MergeMethod::ALL).then_some(methods),
            });
        }
        "required_status_checks" => {
            let mut checks = Vec::new();
            for check in parameters
                .get("required_status_checks")
                .and_then(Value::as_array)
                .ok_or_else(|| missing("required_status_checks"))?
            {
                checks.push(RequiredCheck {
                    context: check
                        .get("context")
                        .and_then(Value::as_str)
                        .ok_or_else(|| missing("required_status_checks[].context"))?
                        .to_owned(),
                    app: None,
                    app_id: check
                        .get("integration_id")
                        .and_then(Value::as_i64)
                        .filter(|id| *id > 0),
                });
            }
            rules.status_checks = Some(StatusChecksRule {
                strict: flag("strict_required_status_checks_policy")?,
                do_not_enforce_on_create: optional("do_not_enforce_on_create"),
                required: checks,
            });
        }
        "required_deployments" => {
            rules.required_deployments = parameters
                .get("required_deployment_environments")
                .and_then(Value::as_array)
                .ok_or_else(|| missing("required_deployment_environments"))?
                .iter()
                .map(|e| {
                    e.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| missing("required_deployment_environments"))
                })
                .collect::<Result<_, _>>()?;
        }
        "update" => {
            rules.restrict_updates =
                RestrictUpdates::from_parameter(Some(flag("update_allows_fetch_and_merge")?));
        }
        "non_fast_forward" => rules.block_force_pushes = true,
        "deletion" => rules.restrict_deletions = true,
        "creation" => rules.restrict_creations = true,
        "required_linear_history" => rules.required_linear_history = true,
        "required_signatures" => rules.required_signatures = true,
        _ => {}
    }
    Ok(())
}

/// Returns the rules in the model's terms (other rule types kept as `other`), for rules
/// read without their ruleset (the effective rules of a branch).
pub fn rules_from(wire: &[Rule]) -> Result<Rules, MissingParameter> {
    let mut rules = Rules::default();
    for rule in wire {
        let parameters = rule.parameters.clone().unwrap_or_default();
        if is_modelled(&rule.kind) {
            read_rule(&rule.kind, &parameters, &mut rules)?;
        } else {
            rules.other.push(OtherRule {
                kind: rule.kind.clone(),
                parameters: (!parameters.is_empty()).then_some(parameters),
            });
        }
    }
    Ok(rules)
}
