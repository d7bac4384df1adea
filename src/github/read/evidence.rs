//! What protects a branch: its classic protection and every ruleset that applies to it —
//! the active ones from `…/rules/branches/{branch}` (one item per rule per ruleset, grouped
//! back into rulesets here), and the `evaluate` ones matched against their conditions here
//! (GitHub lists only active rules). Each ruleset is named from the rulesets list and read
//! once by id, for its bypass actors.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::try_join_all;

use crate::github::api::{ProtectionRead, reads};
use crate::github::convert::protection::branch_from;
use crate::github::convert::ruleset::{MissingParameter, actor_from, rules_from};
use crate::github::error::{ApiError, ApiErrorKind, Call};
use crate::github::rest::RestReader;
use crate::github::wire::ruleset::{Rule, Ruleset as WireRuleset, RulesetSummary, SourceType};
use crate::model::live::{AppliedRuleset, BranchEvidence, Classic, Identities, LiveState, Source};
use crate::model::names::RepoName;
use crate::model::ref_pattern::selects_branch;
use crate::model::{Enforcement, RulesetTarget};

/// What was read of one branch: its classic protection, whether it exists, and its
/// active rules grouped by ruleset id.
pub(super) struct BranchReads {
    classic: Classic,
    exists: bool,
    grouped: Vec<(u64, Vec<Rule>)>,
}

impl BranchReads {
    /// Returns the ids of the rulesets with active rules on the branch.
    pub(super) fn ruleset_ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.grouped.iter().map(|(id, _)| *id)
    }
}

/// Reads each branch's classic protection (unless `live` has it already: a branch the
/// policy manages) and effective rules, concurrently.
pub(super) async fn read_branches(
    github: &RestReader,
    repo: &RepoName,
    branches: &BTreeSet<String>,
    live: &LiveState,
) -> Result<BTreeMap<String, BranchReads>, ApiError> {
    let reads = try_join_all(branches.iter().map(|branch| async move {
        let known = if live.missing_branches.contains(branch) {
            Some((Classic::None, false))
        } else {
            live.settings.branches.get(branch.as_str()).map(|b| {
                let classic = if b.protected {
                    Classic::Protected(Box::new(b.clone()))
                } else {
                    Classic::None
                };
                (classic, true)
            })
        };
        let classic = async {
            match known {
                Some(known) => Ok(known),
                None => classic(github, repo, branch).await,
            }
        };
        let ((classic, exists), rules) =
            futures::try_join!(classic, github.read(reads::branch_rules(repo, branch)))?;
        // The rules grouped by ruleset, in the order GitHub lists them.
        let mut grouped: Vec<(u64, Vec<Rule>)> = Vec::new();
        for item in rules {
            let id = item.ruleset_id.unwrap_or_default();
            match grouped.iter_mut().find(|(g, _)| *g == id) {
                Some((_, list)) => list.push(item.rule),
                None => grouped.push((id, vec![item.rule])),
            }
        }
        Ok::<_, ApiError>((
            branch.clone(),
            BranchReads {
                classic,
                exists,
                grouped,
            },
        ))
    }))
    .await?;
    Ok(reads.into_iter().collect())
}

/// Reads a branch's classic protection: what it is, and whether the branch exists. A token
/// that may not read it gets `Unreadable`, never a guess.
async fn classic(
    github: &RestReader,
    repo: &RepoName,
    branch: &str,
) -> Result<(Classic, bool), ApiError> {
    match github.read(reads::branch_protection(repo, branch)).await {
        Ok(ProtectionRead::Protected(protection)) => {
            let signatures = match &protection.required_signatures {
                Some(flag) => flag.enabled,
                None => {
                    github
                        .read(reads::required_signatures(repo, branch))
                        .await?
                }
            };
            Ok((
                Classic::Protected(Box::new(branch_from(*protection, signatures))),
                true,
            ))
        }
        Ok(ProtectionRead::NotProtected) => Ok((Classic::None, true)),
        Ok(ProtectionRead::BranchMissing) => Ok((Classic::None, false)),
        Err(err) if err.kind == ApiErrorKind::Permission => Ok((Classic::Unreadable, true)),
        Err(err) => Err(err),
    }
}

/// Reads, by id, the rulesets the evidence needs that `known` lacks: every ruleset with an
/// active rule on one of the branches, and every `evaluate` one.
pub(super) async fn details(
    github: &RestReader,
    repo: &RepoName,
    summaries: &[RulesetSummary],
    active_ids: &BTreeSet<u64>,
    known: &[WireRuleset],
) -> Result<Vec<WireRuleset>, ApiError> {
    let needed = summaries
        .iter()
        .filter(|s| active_ids.contains(&s.id) || s.enforcement == Enforcement::Evaluate)
        .filter(|s| !known.iter().any(|k| k.id == s.id))
        .map(|s| s.id);
    let mut details = try_join_all(needed.map(|id| github.read(reads::ruleset(repo, id)))).await?;
    // Only the rulesets the repository's list names apply to it (an organisation ruleset
    // read once for the run may select other repositories only).
    details.extend(
        known
            .iter()
            .filter(|k| summaries.iter().any(|s| s.id == k.id))
            .cloned(),
    );
    Ok(details)
}

/// Assembles one branch's evidence; fails when a rule lacks a parameter GitHub's schema
/// requires (never read as "off"), naming the call that sent it.
pub(super) fn assemble(
    branch: &str,
    reads: BranchReads,
    details: &[WireRuleset],
    default_branch: &str,
    ids: &Identities,
) -> Result<BranchEvidence, ApiError> {
    let malformed = |call: Call, missing: MissingParameter| {
        ApiError::new(ApiErrorKind::Malformed, call).with_detail(format!(
            "the answer is not what GitHub documents: {missing}"
        ))
    };
    let BranchReads {
        classic,
        exists,
        grouped,
    } = reads;
    let by_id: BTreeMap<u64, &WireRuleset> = details.iter().map(|d| (d.id, d)).collect();
    let bypass = |d: Option<&&WireRuleset>| {
        d.and_then(|d| d.bypass_actors.as_ref())
            .map(|actors| actors.iter().map(|a| actor_from(a, ids)).collect())
    };
    let mut rulesets = Vec::new();
    for (id, rules) in grouped {
        let detail = by_id.get(&id);
        rulesets.push(AppliedRuleset {
            id: Some(id),
            source: source_of(detail.copied(), id),
            active: true,
            rules: rules_from(&rules).map_err(|missing| {
                malformed(
                    Call::get(format!(
                        "…/rules/branches/{}",
                        crate::output::untrusted::escape(branch)
                    )),
                    missing,
                )
            })?,
            bypass: bypass(detail),
        });
    }
    for detail in details
        .iter()
        .filter(|d| d.enforcement == Enforcement::Evaluate)
    {
        let target_branch = detail
            .target
            .as_ref()
            .is_none_or(|t| *t == RulesetTarget::Branch);
        let ref_name = detail
            .conditions
            .as_ref()
            .and_then(|c| c.ref_name.clone())
            .unwrap_or_default();
        if target_branch
            && selects_branch(&ref_name.include, &ref_name.exclude, branch, default_branch)
        {
            rulesets.push(AppliedRuleset {
                id: Some(detail.id),
                source: source_of(Some(detail), detail.id),
                active: false,
                rules: rules_from(&detail.rules).map_err(|missing| {
                    malformed(Call::get(format!("…/rulesets/{}", detail.id)), missing)
                })?,
                bypass: bypass(Some(&detail)),
            });
        }
    }
    Ok(BranchEvidence {
        branch: branch.to_owned(),
        exists,
        classic,
        rulesets,
    })
}

fn source_of(detail: Option<&WireRuleset>, id: u64) -> Source {
    match detail {
        Some(d) if d.source_type == Some(SourceType::Organization) => Source::Ruleset {
            name: d.name.clone(),
            organization: d.source.clone(),
        },
        Some(d) => Source::Ruleset {
            name: d.name.clone(),
            organization: None,
        },
        None => Source::Ruleset {
            name: format!("#{id}"),
            organization: None,
        },
    }
}
