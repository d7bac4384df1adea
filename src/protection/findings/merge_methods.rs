//! Which merge methods a pull request into a branch may use: the repository's settings
//! (predicted from the policy's §12 `settings` when it manages them, else as read live),
//! narrowed by every enforced ruleset's `allowed_merge_methods`.

use std::collections::BTreeSet;

use crate::model::live::BranchEvidence;
use crate::model::{MergeMethod, RepoSettings};

/// The merge methods the repository will allow after `apply`, when the policy manages them
/// (§12's `settings.merge_methods`); `None`: the live settings decide.
pub fn predicted_merge_methods(desired: &RepoSettings) -> Option<BTreeSet<MergeMethod>> {
    desired.settings.as_ref()?.merge_methods.clone()
}

/// The methods a branch allows: the repository's (`None`: not known), narrowed by the
/// enforced rulesets that apply to it. `None` when neither the repository's nor any
/// ruleset's restriction is known.
pub fn allowed_on(
    repository: Option<&BTreeSet<MergeMethod>>,
    evidence: &BranchEvidence,
) -> Option<(BTreeSet<MergeMethod>, Vec<String>)> {
    let mut sources = Vec::new();
    let mut allowed: BTreeSet<MergeMethod> = match repository {
        Some(methods) => {
            sources.push("settings (repository merge methods)".to_owned());
            methods.clone()
        }
        None => MergeMethod::ALL.into_iter().collect(),
    };
    for ruleset in evidence.rulesets.iter().filter(|r| r.active) {
        let Some(methods) = ruleset
            .rules
            .pull_request
            .as_ref()
            .and_then(|p| p.allowed_merge_methods.as_ref())
        else {
            continue;
        };
        let methods: BTreeSet<MergeMethod> = methods.iter().copied().collect();
        if methods.len() < MergeMethod::ALL.len() {
            sources.push(ruleset.source.to_string());
        }
        allowed = allowed.intersection(&methods).copied().collect();
    }
    (!sources.is_empty()).then_some((allowed, sources))
}

/// Returns the method as GitHub's settings name it.
pub fn name(method: MergeMethod) -> &'static str {
    match method {
        MergeMethod::Merge => "merge",
        MergeMethod::Squash => "squash",
        MergeMethod::Rebase => "rebase",
    }
}
