//! A ruleset's rules as GitHub sends them (`{type, parameters}`), read into the model. The
//! types gh-policy models are read parameter by parameter; a parameter GitHub's schema
//! requires and the answer lacks is an error, never a default that would read as "off";
//! every other rule type is kept verbatim, and counts toward nothing.

use std::fmt;

use serde_json::{Map, Value};

use crate::github::wire::ruleset::Rule;
use crate::model::names::EnvironmentName;
use crate::model::{
    MergeMethod, OtherRule, PullRequestRule, RequiredCheck, RestrictUpdates, RuleType, Rules,
    StatusChecksRule,
};

/// Returns the parameters gh-policy models of a rule type (none for a type it does not
/// model); every other parameter is kept.
pub(super) fn modelled_parameters(kind: &RuleType) -> &'static [&'static str] {
    match kind {
        RuleType::PullRequest => &[
            "required_approving_review_count",
            "dismiss_stale_reviews_on_push",
            "require_code_owner_review",
            "require_last_push_approval",
            "required_review_thread_resolution",
            "allowed_merge_methods",
        ],
        RuleType::RequiredStatusChecks => &[
            "required_status_checks",
            "strict_required_status_checks_policy",
            "do_not_enforce_on_create",
        ],
        RuleType::RequiredDeployments => &["required_deployment_environments"],
        RuleType::Update => &["update_allows_fetch_and_merge"],
        RuleType::NonFastForward
        | RuleType::Deletion
        | RuleType::Creation
        | RuleType::RequiredLinearHistory
        | RuleType::RequiredSignatures
        | RuleType::Unknown(_) => &[],
    }
}

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
            crate::output::untrusted::escape(&self.rule),
            self.parameter
        )
    }
}

/// Reads one rule into `rules`: a modelled type into its settings, any other type into
/// `other`, verbatim.
pub(super) fn read_rule(
    kind: &RuleType,
    parameters: &Map<String, Value>,
    rules: &mut Rules,
) -> Result<(), MissingParameter> {
    let missing = |parameter: &'static str| MissingParameter {
        rule: kind.as_str().to_owned(),
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
        RuleType::PullRequest => {
            // Absent: all three, GitHub's default. A method gh-policy does not know is an
            // error, never read as "all three".
            let mut methods: Vec<MergeMethod> = match parameters.get("allowed_merge_methods") {
                None | Some(Value::Null) => MergeMethod::ALL.to_vec(),
                Some(listed) => serde_json::from_value(listed.clone())
                    .map_err(|_| missing("allowed_merge_methods"))?,
            };
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
        RuleType::RequiredStatusChecks => {
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
        RuleType::RequiredDeployments => {
            rules.required_deployments = parameters
                .get("required_deployment_environments")
                .and_then(Value::as_array)
                .ok_or_else(|| missing("required_deployment_environments"))?
                .iter()
                .map(|e| {
                    // A name against the environment rule is read as one of another type.
                    e.as_str()
                        .and_then(|name| EnvironmentName::parse(name).ok())
                        .ok_or_else(|| missing("required_deployment_environments"))
                })
                .collect::<Result<_, _>>()?;
        }
        RuleType::Update => {
            rules.restrict_updates =
                RestrictUpdates::from_parameter(Some(flag("update_allows_fetch_and_merge")?));
        }
        RuleType::NonFastForward => rules.block_force_pushes = true,
        RuleType::Deletion => rules.restrict_deletions = true,
        RuleType::Creation => rules.restrict_creations = true,
        RuleType::RequiredLinearHistory => rules.required_linear_history = true,
        RuleType::RequiredSignatures => rules.required_signatures = true,
        RuleType::Unknown(name) => rules.other.push(OtherRule {
            kind: name.clone(),
            parameters: (!parameters.is_empty()).then(|| parameters.clone()),
        }),
    }
    Ok(())
}

/// Returns the rules in the model's terms (other rule types kept as `other`), for rules
/// read without their ruleset (the effective rules of a branch).
pub fn rules_from(wire: &[Rule]) -> Result<Rules, MissingParameter> {
    let mut rules = Rules::default();
    for rule in wire {
        read_rule(
            &rule.kind,
            rule.parameters.as_ref().unwrap_or(&Map::new()),
            &mut rules,
        )?;
    }
    Ok(rules)
}
