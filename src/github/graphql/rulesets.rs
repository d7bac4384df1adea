//! The rulesets part of the answer (`Repository.rulesets`), typed, and each ruleset as the
//! REST answer it stands for: the list's summary always, the whole ruleset only when GraphQL
//! shows everything the model reads of it.
//!
//! Fail safe: GraphQL does not show everything REST does. A ruleset whose bypass actors it
//! hides (a token that cannot edit it), with an actor it cannot name (a user, an enterprise
//! owner), a bypass mode it has no value for (`exempt`), a `pull_request` rule (GraphQL
//! leaves out its required reviewers and dismissal restrictions), a rule type whose
//! parameters the query does not ask, or a list longer than one page, is read through REST,
//! and [`RulesetNode::whole`] says why.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::page::Page;
use crate::github::wire::ruleset::{
    BypassActor, Conditions, RefName, Rule, Ruleset, RulesetSummary, SourceType,
};
use crate::model::{ActorKind, BypassMode, Enforcement, RuleType, RulesetTarget};
use crate::output::untrusted::quote;

/// `source { __typename ... }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "__typename")]
pub enum SourceNode {
    /// The repository's own.
    Repository {
        /// `owner/name`.
        #[serde(rename = "nameWithOwner")]
        name_with_owner: String,
    },
    /// An organisation's.
    Organization {
        /// The organisation's login.
        login: String,
    },
    /// An enterprise's, or a source this reader does not know.
    #[serde(other)]
    Other,
}

/// `refName { include exclude }`.
#[derive(Debug, Clone, Deserialize)]
pub struct RefNameNode {
    /// Patterns included.
    pub include: Vec<String>,
    /// Patterns excluded.
    pub exclude: Vec<String>,
}

/// `conditions { refName }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionsNode {
    /// Null when the ruleset has no ref name condition.
    pub ref_name: Option<RefNameNode>,
}

/// A bypass actor's `actor`: GraphQL names only apps and teams.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "__typename")]
pub enum ActorNode {
    /// An app (REST's `Integration`).
    App {
        /// Its id.
        #[serde(rename = "databaseId")]
        database_id: Option<u64>,
    },
    /// A team.
    Team {
        /// Its id.
        #[serde(rename = "databaseId")]
        database_id: Option<u64>,
    },
}

/// One of `bypassActors`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BypassNode {
    /// The app or team; null for any other actor.
    pub actor: Option<ActorNode>,
    /// `ALWAYS` or `PULL_REQUEST`; null for a mode GraphQL has no value for.
    pub bypass_mode: Option<String>,
    /// A deploy key.
    pub deploy_key: bool,
    /// Organisation owners.
    pub organization_admin: bool,
    /// A repository role's id.
    pub repository_role_database_id: Option<u64>,
}

/// One check of `RequiredStatusChecksParameters`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckNode {
    /// The check's name.
    pub context: String,
    /// The app that must report it.
    pub integration_id: Option<i64>,
}

/// A rule's `parameters`, for the types the query asks.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "__typename")]
pub enum ParametersNode {
    /// `required_status_checks`.
    #[serde(rename_all = "camelCase")]
    RequiredStatusChecksParameters {
        /// Checks skipped on creation.
        do_not_enforce_on_create: bool,
        /// Up to date before merging.
        strict_required_status_checks_policy: bool,
        /// The checks.
        required_status_checks: Vec<CheckNode>,
    },
    /// `required_deployments`.
    #[serde(rename_all = "camelCase")]
    RequiredDeploymentsParameters {
        /// The environments.
        required_deployment_environments: Vec<String>,
    },
    /// `update`.
    #[serde(rename_all = "camelCase")]
    UpdateParameters {
        /// Fork syncing allowed.
        update_allows_fetch_and_merge: bool,
    },
    /// Parameters the query does not ask.
    #[serde(other)]
    Other,
}

/// One of `rules`.
#[derive(Debug, Clone, Deserialize)]
pub struct RuleNode {
    /// The rule type, in GraphQL's capitals.
    #[serde(rename = "type")]
    pub kind: String,
    /// Null for the types without parameters.
    pub parameters: Option<ParametersNode>,
}

/// One ruleset of `Repository.rulesets`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesetNode {
    /// REST's id.
    pub database_id: Option<u64>,
    /// The name.
    pub name: String,
    /// `ACTIVE`, `EVALUATE` or `DISABLED`.
    pub enforcement: String,
    /// `BRANCH`, `TAG` or `PUSH`.
    pub target: Option<String>,
    /// Whose it is.
    pub source: SourceNode,
    /// Which refs.
    pub conditions: ConditionsNode,
    /// Null when the caller may not see them.
    pub bypass_actors: Option<Page<BypassNode>>,
    /// The rules.
    pub rules: Option<Page<RuleNode>>,
}

/// The rule types without parameters, as REST spells them.
const BARE: [&str; 5] = [
    "creation",
    "deletion",
    "non_fast_forward",
    "required_linear_history",
    "required_signatures",
];

impl RulesetNode {
    /// The item of REST's list (`GET …/rulesets?includes_parents=true`) it stands for;
    /// `None` without an id or a known source.
    pub fn summary(&self) -> Option<RulesetSummary> {
        let (source_type, source) = match &self.source {
            SourceNode::Repository { name_with_owner } => (SourceType::Repository, name_with_owner),
            SourceNode::Organization { login } => (SourceType::Organization, login),
            SourceNode::Other => return None,
        };
        Some(RulesetSummary {
            id: self.database_id?,
            name: self.name.clone(),
            source_type: Some(source_type),
            source: Some(source.clone()),
            enforcement: enforcement(&self.enforcement),
        })
    }

    /// Returns true when the ruleset is the repository's own (not an organisation's).
    pub fn is_own(&self) -> bool {
        matches!(self.source, SourceNode::Repository { .. })
    }

    /// The whole ruleset as `GET …/rulesets/{id}` gives what gh-policy reads of it, or why
    /// it must be read through REST.
    pub fn whole(&self) -> Result<Ruleset, String> {
        let id = self.database_id.ok_or("GraphQL did not give its id")?;
        let actors = self
            .bypass_actors
            .as_ref()
            .ok_or("GraphQL hides its bypass actors from this token")?
            .whole()
            .ok_or("its bypass actors are more than one page")?;
        let bypass_actors = actors
            .into_iter()
            .map(bypass_actor)
            .collect::<Result<Vec<_>, _>>()?;
        let rules = self
            .rules
            .as_ref()
            .and_then(Page::whole)
            .ok_or("its rules are more than one page")?
            .into_iter()
            .map(rule)
            .collect::<Result<Vec<_>, _>>()?;
        let (source_type, source) = match &self.source {
            SourceNode::Repository { name_with_owner } => {
                (SourceType::Repository, name_with_owner.clone())
            }
            SourceNode::Organization { login } => (SourceType::Organization, login.clone()),
            SourceNode::Other => return Err("GraphQL did not say whose it is".into()),
        };
        Ok(Ruleset {
            id,
            name: self.name.clone(),
            target: self.target.as_deref().map(target),
            source_type: Some(source_type),
            source: Some(source),
            enforcement: enforcement(&self.enforcement),
            bypass_actors: Some(bypass_actors),
            conditions: self.conditions.ref_name.as_ref().map(|r| Conditions {
                ref_name: Some(RefName {
                    include: r.include.clone(),
                    exclude: r.exclude.clone(),
                }),
                other: Map::new(),
            }),
            rules,
        })
    }
}

fn bypass_actor(node: &BypassNode) -> Result<BypassActor, String> {
    let mode = match node.bypass_mode.as_deref() {
        Some("ALWAYS") => BypassMode::Always,
        Some("PULL_REQUEST") => BypassMode::PullRequest,
        _ => return Err("a bypass actor has a bypass mode GraphQL does not show".into()),
    };
    let (actor_type, actor_id) = match (&node.actor, node.repository_role_database_id) {
        (Some(ActorNode::App { database_id }), _) => (ActorKind::Integration, *database_id),
        (Some(ActorNode::Team { database_id }), _) => (ActorKind::Team, *database_id),
        (None, Some(role)) => (ActorKind::RepositoryRole, Some(role)),
        (None, None) if node.organization_admin => (ActorKind::OrganizationAdmin, None),
        (None, None) if node.deploy_key => (ActorKind::DeployKey, None),
        _ => {
            return Err(
                "a bypass actor GraphQL does not name (a user or an enterprise owner)".into(),
            );
        }
    };
    if actor_id.is_none() && matches!(actor_type, ActorKind::Integration | ActorKind::Team) {
        return Err("GraphQL did not give a bypass actor's id".into());
    }
    Ok(BypassActor {
        actor_id,
        actor_type,
        bypass_mode: Some(mode),
    })
}

fn rule(node: &RuleNode) -> Result<Rule, String> {
    let kind = node.kind.to_lowercase();
    let object = |value: Value| match value {
        Value::Object(map) => Some(map),
        _ => None,
    };
    let parameters = match (kind.as_str(), &node.parameters) {
        (bare, None) if BARE.contains(&bare) => None,
        (
            "required_status_checks",
            Some(ParametersNode::RequiredStatusChecksParameters {
                do_not_enforce_on_create,
                strict_required_status_checks_policy,
                required_status_checks,
            }),
        ) => {
            let checks: Vec<Value> = required_status_checks
                .iter()
                .map(|c| match c.integration_id {
                    Some(id) => json!({ "context": c.context, "integration_id": id }),
                    None => json!({ "context": c.context }),
                })
                .collect();
            object(json!({
                "required_status_checks": checks,
                "strict_required_status_checks_policy": strict_required_status_checks_policy,
                "do_not_enforce_on_create": do_not_enforce_on_create,
            }))
        }
        (
            "required_deployments",
            Some(ParametersNode::RequiredDeploymentsParameters {
                required_deployment_environments,
            }),
        ) => object(json!({
            "required_deployment_environments": required_deployment_environments,
        })),
        (
            "update",
            Some(ParametersNode::UpdateParameters {
                update_allows_fetch_and_merge,
            }),
        ) => object(json!({
            "update_allows_fetch_and_merge": update_allows_fetch_and_merge,
        })),
        ("pull_request", _) => {
            return Err(
                "its pull_request rule, whose required reviewers and dismissal restrictions GraphQL does not show"
                    .into(),
            );
        }
        _ => {
            return Err(format!(
                "its {} rule, whose parameters the query does not read",
                quote(&kind)
            ));
        }
    };
    Ok(Rule {
        kind: RuleType::parse(&kind),
        parameters,
    })
}

/// GraphQL's `RuleEnforcement` (`ACTIVE` …) as REST's value; a value gh-policy does not
/// know stays unknown, never enforced.
fn enforcement(name: &str) -> Enforcement {
    match name {
        "ACTIVE" => Enforcement::Active,
        "EVALUATE" => Enforcement::Evaluate,
        "DISABLED" => Enforcement::Disabled,
        other => Enforcement::Unknown(other.to_lowercase()),
    }
}

/// GraphQL's `RepositoryRulesetTarget` (`BRANCH` …) as REST's value.
fn target(name: &str) -> RulesetTarget {
    match name {
        "BRANCH" => RulesetTarget::Branch,
        "TAG" => RulesetTarget::Tag,
        "PUSH" => RulesetTarget::Push,
        other => RulesetTarget::Unknown(other.to_lowercase()),
    }
}
