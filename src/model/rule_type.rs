//! GitHub's ruleset rule types (`type` of a rule), each modelled one with the key of
//! `rules` that writes it.

use serde::{Deserialize, Serialize};

/// A rule type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleType {
    /// `pull_request`.
    PullRequest,
    /// `required_status_checks`.
    RequiredStatusChecks,
    /// `required_deployments`.
    RequiredDeployments,
    /// `non_fast_forward`.
    NonFastForward,
    /// `deletion`.
    Deletion,
    /// `creation`.
    Creation,
    /// `update`.
    Update,
    /// `required_linear_history`.
    RequiredLinearHistory,
    /// `required_signatures`.
    RequiredSignatures,
    /// A type gh-policy does not model (`merge_queue`, one GitHub adds later …), as
    /// written: kept verbatim in `rules.other`, it counts toward nothing.
    #[serde(untagged)]
    Unknown(String),
}

impl RuleType {
    /// The types gh-policy models, each with the key of `rules` that writes it: any other
    /// type goes in `other`, and one of these there would be written twice.
    pub const MODELLED: [(Self, &'static str); 9] = [
        (Self::PullRequest, "pull_request"),
        (Self::RequiredStatusChecks, "status_checks"),
        (Self::RequiredDeployments, "required_deployments"),
        (Self::NonFastForward, "block_force_pushes"),
        (Self::Deletion, "restrict_deletions"),
        (Self::Creation, "restrict_creations"),
        (Self::Update, "restrict_updates"),
        (Self::RequiredLinearHistory, "required_linear_history"),
        (Self::RequiredSignatures, "required_signatures"),
    ];

    /// Returns the type GitHub names so, an unknown one kept as written.
    pub fn parse(name: &str) -> Self {
        Self::MODELLED
            .into_iter()
            .map(|(kind, _)| kind)
            .find(|kind| kind.as_str() == name)
            .unwrap_or_else(|| Self::Unknown(name.to_owned()))
    }

    /// Returns the name GitHub uses.
    pub fn as_str(&self) -> &str {
        match self {
            Self::PullRequest => "pull_request",
            Self::RequiredStatusChecks => "required_status_checks",
            Self::RequiredDeployments => "required_deployments",
            Self::NonFastForward => "non_fast_forward",
            Self::Deletion => "deletion",
            Self::Creation => "creation",
            Self::Update => "update",
            Self::RequiredLinearHistory => "required_linear_history",
            Self::RequiredSignatures => "required_signatures",
            Self::Unknown(name) => name,
        }
    }

    /// Returns the key of `rules` that writes the type; `None` for a type only `other` holds.
    pub fn policy_key(&self) -> Option<&'static str> {
        Self::MODELLED
            .iter()
            .find(|(kind, _)| kind == self)
            .map(|(_, key)| *key)
    }
}
