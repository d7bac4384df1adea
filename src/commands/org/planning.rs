//! Planning an organisation run: which repositories, whether the rest of the run fits the
//! rate limit left, and each repository's plan; problems of the policy located in its file.

use crate::commands::budget;
use crate::error::Error;
use std::sync::Arc;

use crate::github::RestReader;
use crate::github::read::OrgRulesets;
use crate::model::OrgPolicy;
use crate::org::budget::{Estimate, OrgCache};
use crate::org::properties::Problem;
use crate::org::run::{self, Planned, Scope};
use crate::org::selection::{self, Selection, SelectionError};
use crate::output::untrusted::quote;
use crate::policy::Located;

use super::context_for;

/// Lists the organisation's repositories and (when requirements need them) reads the
/// organisation's rulesets, at once; then reads in bulk through GraphQL what it serves of
/// the selected repositories, reads the rate limit left (free) and checks that the rest of
/// the run fits, before any repository is read through REST. Returns the reader that
/// answers from the bulk read what it has.
async fn start(
    github: &RestReader,
    policy: &OrgPolicy,
    located: &Located,
    scope: Scope<'_>,
    force: bool,
) -> Result<(Selection, OrgRulesets, Estimate, RestReader), Error> {
    // Asked before the reads are made: once made, the cache holds them.
    let cache = OrgCache::of(github, &policy.organization);
    let (selection, org_rulesets) = futures::try_join!(
        async {
            selection::targets(github, policy, scope)
                .await
                .map_err(|err| match err {
                    SelectionError::Api(err) => Error::from(err),
                    SelectionError::Policy(problems) => {
                        let mut error = Error::new(format!(
                            "the policy's groups select by custom properties {} does not have; no repository was read",
                            quote(&policy.organization)
                        ));
                        for problem in &problems {
                            error = error.detail(placed(located, problem));
                        }
                        error.with_hint(format!(
                            "the organisation's properties: Settings → Custom properties of {}",
                            policy.organization
                        ))
                    }
                })
        },
        async {
            run::org_rulesets_for(github, policy)
                .await
                .map_err(Error::from)
        },
    )?;
    if let Some(only) = scope.only
        && selection.targets.is_empty()
    {
        if let Some((_, reason)) = selection.refused.first() {
            return Err(Error::new(reason.clone()));
        }
        return Err(Error::new(format!(
            "the policy does not select {} in {}",
            quote(only),
            quote(&policy.organization)
        ))
        .with_hint("a repository that is excluded, archived or a fork is selected only by a `repositories` entry"));
    }
    // What GraphQL answered costs REST nothing: the estimate counts it as free.
    let through = github.with_bulk(Arc::new(
        run::read_in_bulk(github, &selection.targets).await,
    ));
    let estimate = crate::org::budget::estimate(
        &through,
        policy,
        cache,
        selection.listed,
        run::reads_org_rulesets(policy).then(|| org_rulesets.len()),
        &selection.targets,
    );
    // After the reads made once, so that what is left is what the rest may spend.
    let limit = budget::rate_limit_left(github, force).await?;
    budget::check(limit, &estimate, scope.shard)?;
    Ok((selection, org_rulesets, estimate, through))
}

/// What planning the run found: each repository's plan (or error), the repositories the
/// run covers but cannot plan, the organisation's rulesets (read once), and what a person should
/// know of the selection (located warnings).
pub(super) struct Planning {
    pub planned: Vec<Planned>,
    pub refused: Vec<(String, String)>,
    pub org_rulesets: OrgRulesets,
    pub warnings: Vec<String>,
    pub estimate: Estimate,
}

/// Selects the repositories, checks the rate budget, reads the organisation's rulesets once
/// and plans every repository, `concurrency` at a time.
pub(super) async fn plan_run(
    github: &RestReader,
    policy: &OrgPolicy,
    located: &Located,
    scope: Scope<'_>,
    force: bool,
    concurrency: usize,
    findings: bool,
) -> Result<Planning, Error> {
    let (
        Selection {
            targets,
            refused,
            warnings,
            ..
        },
        org_rulesets,
        estimate,
        through,
    ) = start(github, policy, located, scope, force).await?;
    let planned = run::plan_all(
        &through,
        targets,
        &org_rulesets,
        &context_for,
        located,
        concurrency,
        findings,
    )
    .await;
    Ok(Planning {
        planned,
        refused,
        org_rulesets,
        warnings: warnings
            .iter()
            .map(|warning| placed(located, warning))
            .collect(),
        estimate,
    })
}

/// A problem of the organisation policy as `FILE:LINE:COLUMN: message`.
fn placed(located: &Located, problem: &Problem) -> String {
    let whole = [Vec::new()];
    let at = if problem.at_key {
        located.key_at(&whole, &problem.path)
    } else {
        located.at(&whole, &problem.path)
    };
    format!("{at}: {}", problem.message)
}
