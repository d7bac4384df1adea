//! Before classic protection gives way to rulesets: what GitHub enforces on the branch is
//! read back, and the removal is sent only when the rulesets written before it are in force
//! (DESIGN §14). Otherwise the protection stays, and the branch is never unprotected.

use crate::github::api::reads;
use crate::github::convert::ruleset::rules_from;
use crate::github::error::{ApiError, Call, Cause};
use crate::github::rest::RestWriter;
use crate::github::wire::ruleset::Rule;
use crate::model::names::RepoName;
use crate::output::untrusted::quote;
use crate::plan::Handover;
use crate::protection::effective::cover;

/// Returns `Ok` when GitHub enforces on the branch everything the handover's rulesets
/// provide; otherwise an error for the removal, which is then not sent.
pub(super) async fn confirm(
    github: &RestWriter,
    repo: &RepoName,
    branch: &str,
    handover: &Handover,
) -> Result<(), ApiError> {
    if handover.rulesets.is_empty() {
        // Only rulesets in force when the plan was made take over: nothing to wait for.
        return Ok(());
    }
    let call = Call::new(
        http::Method::DELETE,
        format!(
            "/repos/{repo}/branches/{}/protection",
            crate::output::untrusted::escape(branch)
        ),
    );
    let names = handover
        .rulesets
        .iter()
        .map(|name| quote(name))
        .collect::<Vec<_>>()
        .join(", ");
    let enforced = github
        .read(reads::branch_rules(repo, branch))
        .await
        .map_err(|err| {
        let why = err
            .cause
            .as_ref()
            .map_or_else(String::new, |cause| format!(" ({cause})"));
        ApiError::new(err.kind, call.clone())
            .because(Cause::Detail(format!(
                "not sent: {} failed{why}, so nothing confirmed that ruleset {names} took over branch {}; the classic protection stays",
                err.call,
                quote(branch)
            )))
            .with_hint(err.hint())
    })?;
    // The rules grouped back into their rulesets, in the order GitHub lists them.
    let mut grouped: Vec<(Option<u64>, Vec<Rule>)> = Vec::new();
    for item in enforced {
        match grouped.iter_mut().find(|(id, _)| *id == item.ruleset_id) {
            Some((_, rules)) => rules.push(item.rule),
            None => grouped.push((item.ruleset_id, vec![item.rule])),
        }
    }
    // A rule GitHub sends without a parameter its schema requires confirms nothing.
    let have = grouped
        .iter()
        .map(|(_, rules)| rules_from(rules))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|missing| {
            ApiError::new(crate::github::ApiErrorKind::Malformed, call.clone()).with_detail(
                format!(
                    "not sent: GitHub's rules for branch {} are not what it documents ({missing}), so nothing confirmed that ruleset {names} took over; the classic protection stays",
                    quote(branch)
                ),
            )
        })?;
    let missing = cover::uncovered_rules(&have, &handover.rules);
    if missing.is_empty() {
        return Ok(());
    }
    Err(ApiError::new(crate::github::ApiErrorKind::Rejected, call)
        .with_detail(format!(
            "not sent: GitHub does not enforce {} on branch {} yet, which ruleset {names} should take over; the classic protection stays",
            missing.join(", "),
            quote(branch)
        ))
        .with_hint(format!(
            "see what applies with `gh-policy explain {}`, then run apply again",
            crate::output::untrusted::escape(branch)
        )))
}
