//! Planning and applying over the selected repositories of an organisation.
//!
//! Reads run concurrently across repositories, within the one bound the client holds for the
//! whole run; the organisation's rulesets are read once. Writes go one at a time for the
//! whole run (the client paces them). One repository's failure never stops the others: it
//! gets its row in the errors.

use crate::github::read::{self, OrgRulesets};
use crate::github::{ApiError, ApiErrorKind, RestReader, graphql};
use crate::model::names::RepoName;
use crate::model::{OrgPolicy, RepoSettings};
use crate::plan::Plan;
use crate::plan::diff::{self, Context};
use crate::policy::{Located, Segment};
use futures::stream::{self, StreamExt};

/// Why an archived repository's changes cannot be made.
pub const REASON_ARCHIVED: &str = "archived repositories are read-only";

/// A repository the run covers, and the policy it gets.
#[derive(Debug, Clone)]
pub struct Target {
    /// The repository.
    pub repo: RepoName,
    /// Archived repositories are planned, never written.
    pub archived: bool,
    /// Its merged policy.
    pub settings: RepoSettings,
    /// Where the layers it was merged from are in the policy file, in order.
    pub layers: Vec<Vec<Segment>>,
}

impl Target {
    /// Returns the groups that select it, in file order (where its settings are declared).
    pub fn groups(&self) -> Vec<String> {
        self.layers
            .iter()
            .filter_map(|layer| match layer.as_slice() {
                [Segment::Key(groups), Segment::Key(name), ..] if groups == "groups" => {
                    Some(name.clone())
                }
                _ => None,
            })
            .collect()
    }
}

/// Which repositories a run covers, besides the policy's own selection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    /// Only this repository (`--repo NAME`).
    pub only: Option<&'a str>,
    /// Only this share: shard `.0` of `.1`, 1-based (`--shard I/N`).
    pub shard: Option<(u32, u32)>,
}

/// The outcome of planning one repository.
pub type Planned = (Target, Result<Plan, crate::Error>);

/// What a repository's plan is judged with (the secret values at hand, the time), from its
/// policy.
pub type ContextFor<'a> = &'a (dyn Fn(&RepoSettings) -> Context + Sync);

/// Returns true when the run reads the organisation's rulesets: a layer of the policy sets
/// requirements.
pub fn reads_org_rulesets(policy: &OrgPolicy) -> bool {
    std::iter::once(&policy.defaults)
        .chain(policy.groups.values().map(|group| &group.policy))
        .chain(policy.repositories.values())
        .any(|body| !body.requirements.is_empty())
}

/// Reads the organisation's rulesets once for the run, when a layer of the policy sets
/// requirements (no requirement, no read).
pub async fn org_rulesets_for(
    github: &RestReader,
    policy: &OrgPolicy,
) -> Result<OrgRulesets, ApiError> {
    if !reads_org_rulesets(policy) {
        return Ok(OrgRulesets::default());
    }
    match read::read_org_rulesets(github, &policy.organization).await {
        // Listing them needs "Organization administration: read". Without it, each
        // repository reads the organisation rulesets that apply to it through its own path:
        // more requests, the same answer.
        Err(err) if matches!(err.kind, ApiErrorKind::Permission | ApiErrorKind::NotFound) => {
            Ok(OrgRulesets::default())
        }
        read => read,
    }
}

/// Reads in bulk through GraphQL what it serves of the targets whose policy reads it
/// (classic protection, the default branch, rulesets), 25 repositories to a query
/// (DESIGN §16);
/// a reader made `with_bulk` of it answers from it and reads the rest through REST.
pub async fn read_in_bulk(github: &RestReader, targets: &[Target]) -> graphql::Bulk {
    let in_bulk: Vec<RepoName> = targets
        .iter()
        .filter(|t| {
            let s = &t.settings;
            !s.branches.is_empty()
                || !s.requirements.is_empty()
                || !s.rulesets.is_empty()
                || s.prune.rulesets
        })
        .map(|t| t.repo.clone())
        .collect();
    read::prefetch(github, &in_bulk).await
}

/// Plans every target, `concurrency` repositories at a time (the client's bound on requests
/// in flight holds for the whole run).
pub async fn plan_all(
    github: &RestReader,
    targets: Vec<Target>,
    org_rulesets: &OrgRulesets,
    context_for: ContextFor<'_>,
    located: &Located,
    concurrency: usize,
    findings: bool,
) -> Vec<Planned> {
    let mut planned: Vec<Planned> = stream::iter(targets)
        .map(|target| async move {
            let context = context_for(&target.settings);
            let result = plan_one(github, &target, org_rulesets, &context, located, findings).await;
            (target, result)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    planned.sort_by(|a, b| a.0.repo.cmp(&b.0.repo));
    planned
}

/// Plans one repository of the run, with its findings when asked; a name GitHub does not
/// know is located in the policy file `located`, at the layer that writes it.
pub async fn plan_one(
    github: &RestReader,
    target: &Target,
    org_rulesets: &OrgRulesets,
    context: &Context,
    located: &Located,
    findings: bool,
) -> Result<Plan, crate::Error> {
    let live = read::read_live_in_org(github, &target.repo, &target.settings, org_rulesets)
        .await
        .map_err(|err| err.located(&target.settings, &target.layers, located))?;
    let mut plan = plan_of(target, &live, context);
    // An archived repository is read-only: nothing can be merged into it.
    if findings && !target.archived {
        let found = crate::protection::findings::plan::judge_live(
            github,
            &target.repo,
            &target.settings,
            &live,
            &plan,
        )
        .await?;
        crate::protection::findings::plan::attach(&mut plan, found, &target.settings, context.now);
    }
    Ok(plan)
}

/// The plan of one repository of the run from what was read.
pub fn plan_of(target: &Target, live: &crate::model::live::LiveState, context: &Context) -> Plan {
    let mut plan = diff::plan(&target.repo.to_string(), &target.settings, live, context);
    if target.archived {
        for change in &mut plan.changes {
            change.refuse(REASON_ARCHIVED);
        }
        // Nothing is written, so nothing can be broken.
        plan.contradictions.clear();
    }
    plan
}

#[cfg(test)]
mod tests {
    use gh_policy_emulator::{Fault, FaultKind, Seed};

    use super::*;
    use crate::policy::{PolicyFile, parse_any};
    use crate::testing::Github;

    fn org_policy() -> OrgPolicy {
        let text = "version: 1\norganization: acme\ndefaults:\n  requirements:\n    main: { required_approvals: 1 }\n";
        match parse_any("org.yaml", text) {
            Ok((PolicyFile::Organization(policy), _)) => *policy,
            other => panic!("{other:?}"),
        }
    }

    /// The organisation `acme`, whose ruleset listing answers `status` every time.
    fn listing_fails(status: u16) -> Github {
        let github = Github::start(Seed::organization("acme", 9000));
        github.emu.inject(
            Fault::new(FaultKind::Status(status))
                .operation("GET", "/orgs/{org}/rulesets")
                .always(),
        );
        github
    }

    #[tokio::test]
    async fn without_the_right_to_list_organisation_rulesets_each_repository_reads_its_own() {
        let github = listing_fails(403);
        let rulesets = org_rulesets_for(github.rest.reader(), &org_policy())
            .await
            .unwrap();
        assert!(rulesets.is_empty());
        // Another failure is the run's error.
        let github = listing_fails(500);
        assert!(
            org_rulesets_for(github.rest.reader(), &org_policy())
                .await
                .is_err()
        );
        // No requirement, no read.
        let github = Github::start(Seed::organization("acme", 9000));
        let mut policy = org_policy();
        policy.defaults.requirements.clear();
        org_rulesets_for(github.rest.reader(), &policy)
            .await
            .unwrap();
        assert!(github.calls().is_empty());
    }
}
