//! `pattern-matches-nothing`: a ruleset include or a deployment branch pattern of the
//! policy that matches no existing branch.

use std::collections::{BTreeMap, BTreeSet};

use super::{Finding, FindingId};
use crate::model::names::EnvironmentName;
use crate::model::ref_pattern::{fnmatch, is_githubs_name, selects_branch};
use crate::model::{
    DeploymentBranches, Enforcement, Environment, RefType, RepoSettings, RulesetTarget,
};

/// Returns true when the policy has a pattern this finding would check: then the branches
/// are worth listing.
pub fn has_patterns(desired: &RepoSettings) -> bool {
    !ruleset_includes(desired).is_empty() || !deployment_patterns(&desired.environments).is_empty()
}

/// The findings for every pattern that matches none of `branches`.
pub fn findings(
    desired: &RepoSettings,
    environments: &BTreeMap<EnvironmentName, Environment>,
    branches: &BTreeSet<String>,
    default_branch: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, pattern, qualified) in ruleset_includes(desired) {
        let hits = branches
            .iter()
            .any(|b| selects_branch(std::slice::from_ref(&qualified), &[], b, default_branch));
        if !hits {
            out.push(Finding::new(
                FindingId::PatternMatchesNothing,
                format!("rulesets.{name}"),
                format!("include `{pattern}` matches no existing branch: it protects nothing yet"),
                vec![format!(
                    "ruleset \"{}\"",
                    crate::output::untrusted::escape(name)
                )],
                "check the pattern against the branch names, or remove it",
            ));
        }
    }
    for (name, pattern) in deployment_patterns(environments) {
        if !branches.iter().any(|b| fnmatch(pattern, b)) {
            out.push(Finding::new(
                FindingId::PatternMatchesNothing,
                format!("environments.{name}"),
                format!(
                    "deployment branch `{pattern}` matches no existing branch: no branch can deploy through it"
                ),
                vec![format!("environments.{name}")],
                "check the pattern against the branch names, or remove it",
            ));
        }
    }
    out
}

/// The include patterns of the policy's enforced branch rulesets, with their qualified form
/// (`~ALL` and `~DEFAULT_BRANCH` always match something).
fn ruleset_includes(desired: &RepoSettings) -> Vec<(&str, &str, String)> {
    desired
        .rulesets
        .iter()
        .filter(|(_, r)| {
            r.target == RulesetTarget::Branch
                && matches!(r.enforcement, Enforcement::Active | Enforcement::Evaluate)
        })
        .flat_map(|(name, r)| {
            r.include
                .iter()
                .filter(|p| !is_githubs_name(p))
                .map(move |p| (name.as_str(), p.as_str(), r.target.qualified(p)))
        })
        .collect()
}

/// The branch patterns of environments that deploy from listed branches only.
fn deployment_patterns(environments: &BTreeMap<EnvironmentName, Environment>) -> Vec<(&str, &str)> {
    environments
        .iter()
        .flat_map(|(name, env)| match &env.deployment_branches {
            DeploymentBranches::Custom(patterns) => patterns
                .iter()
                .filter(|p| p.ref_type == RefType::Branch)
                .map(|p| (name.as_str(), p.pattern.as_str()))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}
