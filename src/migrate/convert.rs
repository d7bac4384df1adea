//! One branch's classic protection as the rules and bypass of a ruleset, setting by setting,
//! or the settings a ruleset cannot express exactly (DESIGN §14).
//!
//! | classic | ruleset |
//! |---|---|
//! | `pull_request` (approvals, stale reviews, code owners, last push) | `pull_request` rule |
//! | `required_conversation_resolution` | the `pull_request` rule's, which needs a pull request |
//! | `status_checks` (`strict`, `required`) | `status_checks` rule; a check pinned only where it was |
//! | `allow_force_pushes: false`, `allow_deletions: false` | `block_force_pushes`, `restrict_deletions` |
//! | `required_linear_history`, `required_signatures` | the rules of those names |
//! | `lock_branch` | `restrict_updates: true` |
//! | `enforce_admins: false` | `bypass: [{role: admin}]` (admins may bypass, as they could) |
//!
//! `block_creations` and `allow_fork_syncing` do nothing on their own (without push
//! restrictions, or a lock), so nothing carries them.

use crate::model::live::Identities;
use crate::model::names::Slug;
use crate::model::{
    Branch, BypassActor, PullRequestRule, RepositoryRole, RequiredCheck, RestrictUpdates, Rules,
    RulesetTarget, StatusChecksRule,
};
use crate::output::untrusted::quote;

/// A branch's protection as a ruleset: its rules, and who may bypass them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsRuleset {
    /// The rules, checks in the policy's order.
    pub rules: Rules,
    /// Who may bypass them.
    pub bypass: Vec<BypassActor>,
}

/// Converts a branch's classic protection as the policy declares it. `live` is its classic
/// protection as GitHub has it, when that was read: a check the policy names without an app
/// is pinned in the ruleset only where GitHub pins it live. Returns the settings a ruleset
/// cannot express exactly, each saying why, when there are any.
pub fn convert(
    name: &str,
    branch: &Branch,
    live: Option<&Branch>,
    ids: &Identities,
) -> Result<AsRuleset, Vec<String>> {
    let gaps = gaps(name, branch);
    if !gaps.is_empty() {
        return Err(gaps);
    }
    let conversation = branch.required_conversation_resolution;
    let rules = Rules {
        pull_request: branch.pull_request.as_ref().map(|pr| PullRequestRule {
            required_approvals: pr.required_approvals,
            dismiss_stale_reviews: pr.dismiss_stale_reviews,
            require_code_owner_reviews: pr.require_code_owner_reviews,
            require_last_push_approval: pr.require_last_push_approval,
            required_conversation_resolution: conversation,
            allowed_merge_methods: None,
        }),
        status_checks: branch
            .status_checks
            .as_ref()
            .filter(|checks| checks.strict || !checks.required.is_empty())
            .map(|checks| StatusChecksRule {
                strict: checks.strict,
                do_not_enforce_on_create: false,
                required: pinned_as_live(&checks.required, live, ids),
            }),
        required_deployments: Vec::new(),
        block_force_pushes: !branch.allow_force_pushes,
        restrict_deletions: !branch.allow_deletions,
        restrict_creations: false,
        restrict_updates: RestrictUpdates::Flag(branch.lock_branch),
        required_linear_history: branch.required_linear_history,
        required_signatures: branch.required_signatures,
        other: Vec::new(),
    };
    let bypass = if branch.enforce_admins {
        Vec::new()
    } else {
        vec![BypassActor {
            role: Some(RepositoryRole::Admin),
            ..BypassActor::default()
        }]
    };
    Ok(AsRuleset { rules, bypass })
}

/// Returns what a ruleset cannot express exactly of this branch's protection.
fn gaps(name: &str, branch: &Branch) -> Vec<String> {
    let mut gaps = Vec::new();
    if !is_literal(name) {
        gaps.push(format!(
            "the branch name {} is not a literal pattern: a ruleset's include would read `*`, `?`, `[` or `\\` in it as a pattern, and `~` or `refs/` at its start as GitHub's own names",
            quote(name)
        ));
    }
    if let Some(pr) = &branch.pull_request {
        if !pr.dismissal_restrictions.is_empty() {
            gaps.push("`pull_request.dismissal_restrictions`: a ruleset cannot restrict who may dismiss reviews".to_owned());
        }
        if !pr.bypass.is_empty() {
            gaps.push("`pull_request.bypass`: a ruleset's bypass actors skip every rule of the ruleset, not only the pull request".to_owned());
        }
    } else if branch.required_conversation_resolution {
        gaps.push("`required_conversation_resolution` without `pull_request`: a ruleset asks for it only in its pull_request rule, which would require pull requests too".to_owned());
    }
    if branch.push_restrictions.is_some() {
        gaps.push("`push_restrictions`: a ruleset limits pushes with an `update` rule that only its bypass actors escape, and they would escape its other rules too (a personal repository has no push restrictions at all)".to_owned());
    }
    if branch.lock_branch && branch.allow_fork_syncing {
        gaps.push("`lock_branch` with `allow_fork_syncing`: a ruleset's `update` rule that allows fetch and merge is not the same lock".to_owned());
    }
    gaps
}

/// Returns true when the name, as a branch ruleset's include, matches that branch alone.
fn is_literal(name: &str) -> bool {
    // `~DEFAULT_BRANCH` names a branch, but not one called so.
    RulesetTarget::Branch.branch_named(name, "") == Some(name)
}

/// Returns the checks as the ruleset requires them: pinned where the policy pins them, or
/// where GitHub pins the same check live; by any app otherwise. In the policy's order,
/// without duplicates.
fn pinned_as_live(
    checks: &[RequiredCheck],
    live: Option<&Branch>,
    ids: &Identities,
) -> Vec<RequiredCheck> {
    let live_pin = |context: &str| {
        live.and_then(|b| b.status_checks.as_ref())
            .into_iter()
            .flat_map(|s| &s.required)
            .find(|c| c.context == context && c.app_id.is_some())
            .and_then(|c| c.app_id)
    };
    let mut out: Vec<RequiredCheck> = Vec::new();
    let converted = checks.iter().map(|check| match live_pin(&check.context) {
        Some(app_id) if !check.is_pinned() => {
            let slug = u64::try_from(app_id).ok().and_then(|id| ids.app_slug(id));
            RequiredCheck {
                context: check.context.clone(),
                // The slug GitHub answered for the app, as GitHub wrote it.
                app: slug.map(Slug::from_github),
                app_id: slug.is_none().then_some(app_id),
            }
        }
        _ => check.clone(),
    });
    for check in converted {
        if !out.contains(&check) {
            out.push(check);
        }
    }
    out
}

#[cfg(test)]
mod tests;
