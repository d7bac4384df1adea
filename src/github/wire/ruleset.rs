//! Rulesets (`…/rulesets[/{ruleset_id}]`, `/orgs/{org}/rulesets…`) and the effective rules
//! of a branch (`…/rules/branches/{branch}`).
//!
//! Rules are kept generic (`{type, parameters}`): `convert` reads the types gh-policy
//! models and keeps every other type, and every parameter it does not model, verbatim.
//! Every field GitHub fills from a list of names is an enum of gh-policy's model whose
//! `Unknown(String)` keeps a name GitHub adds later as written (never a known one).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{ActorKind, BypassMode, Enforcement, RuleType, RulesetTarget};

/// Where a ruleset is defined (`source_type`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub enum SourceType {
    /// The repository's own.
    Repository,
    /// Its organisation's.
    Organization,
    /// Its enterprise's.
    Enterprise,
    /// A source GitHub adds later, as written: never the repository's own.
    #[serde(untagged)]
    Unknown(String),
}

/// One item of GET `…/rulesets`: a summary, without rules, conditions or actors.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RulesetSummary {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// Where it is defined.
    #[serde(default)]
    pub source_type: Option<SourceType>,
    /// The repository's `owner/name` or the organisation's login.
    #[serde(default)]
    pub source: Option<String>,
    /// `active`, `evaluate` or `disabled`.
    pub enforcement: Enforcement,
}

/// GET `…/rulesets/{ruleset_id}`: the whole ruleset.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Ruleset {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// `branch`, `tag`, `push` (or `repository` for organisations); absent: `branch`.
    #[serde(default)]
    pub target: Option<RulesetTarget>,
    /// Where it is defined.
    #[serde(default)]
    pub source_type: Option<SourceType>,
    /// The repository's `owner/name` or the organisation's login.
    #[serde(default)]
    pub source: Option<String>,
    /// `active`, `evaluate` or `disabled`.
    pub enforcement: Enforcement,
    /// Who may bypass; GitHub leaves it out for callers without write access.
    #[serde(default)]
    pub bypass_actors: Option<Vec<BypassActor>>,
    /// The conditions (`ref_name`, and for organisations the repository conditions).
    #[serde(default)]
    pub conditions: Option<Conditions>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// An actor that may bypass a ruleset.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct BypassActor {
    /// The actor's id; `null` for deploy keys, and any value for organisation admins.
    #[serde(default)]
    pub actor_id: Option<u64>,
    /// `Integration`, `OrganizationAdmin`, `RepositoryRole`, `Team`, `DeployKey` or `User`.
    pub actor_type: ActorKind,
    /// `always`, `pull_request` or `exempt`; GitHub's default is `always`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bypass_mode: Option<BypassMode>,
}

/// The conditions of a ruleset. Only `ref_name` is modelled; the rest is kept verbatim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Conditions {
    /// Which refs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_name: Option<RefName>,
    /// The organisation conditions (`repository_name`, `repository_id`,
    /// `repository_property`).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The `ref_name` condition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct RefName {
    /// Ref patterns to include, fully qualified, or `~DEFAULT_BRANCH`, `~ALL`.
    #[serde(default)]
    pub include: Vec<String>,
    /// Ref patterns to exclude.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// One rule: its type and its parameters as GitHub sends them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Rule {
    /// The rule type, e.g. `pull_request`.
    #[serde(rename = "type")]
    pub kind: RuleType,
    /// The parameters, for the types that have some.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Map<String, Value>>,
}

/// The body of POST and PUT `…/rulesets[/{id}]`. PUT replaces the arrays it is given, so
/// every array is always sent (`bypass_actors: []` clears them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesetRequest {
    /// The name.
    pub name: String,
    /// `branch`, `tag` or `push`.
    pub target: RulesetTarget,
    /// `active`, `evaluate` or `disabled`.
    pub enforcement: Enforcement,
    /// Who may bypass; never `null`.
    pub bypass_actors: Vec<BypassActor>,
    /// The conditions; left out for push rulesets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
    /// Every rule.
    pub rules: Vec<Rule>,
}

/// One item of GET `…/rules/branches/{branch}`: a rule and the ruleset it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EffectiveRule {
    /// The rule.
    #[serde(flatten)]
    pub rule: Rule,
    /// Where the ruleset is defined.
    #[serde(default)]
    pub ruleset_source_type: Option<SourceType>,
    /// The repository's `owner/name` or the organisation's login.
    #[serde(default)]
    pub ruleset_source: Option<String>,
    /// The ruleset's id.
    #[serde(default)]
    pub ruleset_id: Option<u64>,
}
