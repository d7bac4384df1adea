//! The findings the policy alone shows, for `validate` (no network): an environment whose
//! only reviewer may not approve their own deployment, and linear history with merge
//! commits the only method the policy allows.

use std::collections::{BTreeMap, BTreeSet};

use super::merge_methods::predicted_merge_methods;
use super::{Finding, FindingId, branch};
use crate::model::live::Identities;
use crate::model::names::{BranchName, EnvironmentName};
use crate::model::ref_pattern::DEFAULT_BRANCH;
use crate::model::{Environment, RepoSettings, Reviewer};
use crate::protection::effective::contributions;

/// The findings of the policy alone.
pub fn findings(desired: &RepoSettings) -> Vec<Finding> {
    let mut out = sole_reviewer_self_review(&desired.environments);
    let methods = predicted_merge_methods(desired);
    let ids = Identities {
        offline: true,
        ..Identities::default()
    };
    let mut names: BTreeSet<&str> = desired.branches.keys().map(BranchName::as_str).collect();
    names.extend(desired.requirements.keys().map(String::as_str));
    for name in names {
        // Offline the default branch is not known: `~DEFAULT_BRANCH` stands for itself.
        let evidence = crate::plan::diff::policy_evidence(desired, name, DEFAULT_BRANCH);
        let (enforced, _) = contributions(&evidence, &ids);
        let mut linear = branch::linear_sources(&enforced);
        if desired
            .requirements
            .get(name)
            .is_some_and(|r| r.required_linear_history)
        {
            linear.push(format!("requirements.{name}"));
        }
        out.extend(branch::linear_history_merge_only(
            &format!("branches.{name}"),
            linear,
            &evidence,
            methods.as_ref(),
        ));
    }
    out
}

/// `sole-reviewer-self-review`: `prevent_self_review` where one user is the only reviewer —
/// a deployment that user starts can never be approved.
pub fn sole_reviewer_self_review(
    environments: &BTreeMap<EnvironmentName, Environment>,
) -> Vec<Finding> {
    environments
        .iter()
        .filter(|(_, env)| env.prevent_self_review)
        .filter_map(|(name, env)| match env.reviewers.as_slice() {
            [Reviewer::User(login)] => Some(Finding::new(
                FindingId::SoleReviewerSelfReview,
                format!("environments.{name}"),
                format!(
                    "`prevent_self_review` is on and `{login}` is the only reviewer: a deployment {login} starts can never be approved"
                ),
                vec![format!("environments.{name}")],
                "add another reviewer (or a team), or turn `prevent_self_review` off",
            )),
            _ => None,
        })
        .collect()
}
