//! Repository rulesets: one list (with the organisation's that apply), then each ruleset
//! the policy manages or may prune, by id. Only rulesets whose source is the repository are
//! ever managed; an organisation's are read for requirements, never written.

use std::collections::BTreeMap;

use futures::future::try_join_all;

use crate::github::api::reads;
use crate::github::convert::ruleset::ruleset_from;
use crate::github::error::{ApiError, ApiErrorKind, Permission};
use crate::github::rest::RestReader;
use crate::github::wire::ruleset::{Ruleset as WireRuleset, RulesetSummary, SourceType};
use crate::model::live::{Identities, LiveRuleset};
use crate::model::names::{RepoName, Text};
use crate::model::{RepoSettings, Ruleset};
use crate::output::untrusted::quote;
use crate::plan::{Gap, Unread};

/// The rulesets read: the repository's own that matter, in GitHub's shapes.
#[derive(Debug, Default)]
pub(super) struct Fetched {
    /// The list: the repository's rulesets and the organisation's that apply to it.
    pub summaries: Vec<RulesetSummary>,
    /// The repository's own rulesets the policy manages or may prune.
    pub own: Vec<WireRuleset>,
}

/// Returns true when a summary is the repository's own (not an organisation's).
pub(super) fn is_own(summary: &RulesetSummary) -> bool {
    summary
        .source_type
        .as_ref()
        .is_none_or(|s| *s == SourceType::Repository)
}

/// Reads the rulesets `desired` covers: the list, then each listed or prunable one.
pub(super) async fn fetch(
    github: &RestReader,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<Fetched, ApiError> {
    if desired.rulesets.is_empty() && !desired.prune.rulesets && desired.requirements.is_empty() {
        return Ok(Fetched::default());
    }
    let summaries = github.read(reads::rulesets(repo)).await?;
    let wanted = summaries
        .iter()
        .filter(|s| is_own(s))
        .filter(|s| desired.prune.rulesets || desired.rulesets.contains_key(s.name.as_str()));
    let own = try_join_all(wanted.map(|s| github.read(reads::ruleset(repo, s.id)))).await?;
    Ok(Fetched { summaries, own })
}

/// Live rulesets in the model's terms, and what the model cannot say, by name.
pub(super) type Converted = (BTreeMap<Text, Ruleset>, BTreeMap<String, LiveRuleset>);

/// The gaps of what was read: each managed ruleset whose bypass actors GitHub hid (a token
/// that cannot edit it), named with the permission that shows them. They are never read as
/// "nobody": the plan compares everything else and leaves them alone.
pub(super) fn gaps(desired: &RepoSettings, facts: &BTreeMap<String, LiveRuleset>) -> Vec<Gap> {
    facts
        .iter()
        .filter(|(name, fact)| !fact.bypass_visible && desired.rulesets.contains_key(name.as_str()))
        .map(|(name, _)| Gap {
            address: crate::plan::Address::Ruleset(name.clone()),
            what: Unread::Bypass,
            permission: Permission::AdministrationWrite.label().to_owned(),
        })
        .collect()
}

/// Returns the error of an export that cannot see a ruleset's bypass actors: an export is
/// whole, and would otherwise write "nobody may bypass".
pub(super) fn refuse_hidden(facts: &BTreeMap<String, LiveRuleset>) -> Result<(), ApiError> {
    match facts.iter().find(|(_, fact)| !fact.bypass_visible) {
        Some((name, fact)) => Err(hidden_actors(name, fact.id)),
        None => Ok(()),
    }
}

/// Converts the fetched rulesets into the model.
pub(super) fn into_model(fetched: Fetched, ids: &Identities) -> Result<Converted, ApiError> {
    let mut models = BTreeMap::new();
    let mut facts = BTreeMap::new();
    for wire in fetched.own {
        let id = wire.id;
        let name = wire.name.clone();
        let parts = ruleset_from(wire, ids).map_err(|missing| {
            ApiError::new(
                ApiErrorKind::Malformed,
                crate::github::Call::get(format!("ruleset {} (id {id})", quote(&name))),
            )
            .with_detail(format!(
                "the answer is not what GitHub documents: {missing}"
            ))
        })?;
        models.insert(Text::from_github(name.clone()), parts.ruleset);
        facts.insert(
            name,
            LiveRuleset {
                id,
                kept: parts.kept,
                bypass_visible: parts.bypass_visible,
            },
        );
    }
    Ok((models, facts))
}

fn hidden_actors(name: &str, id: u64) -> ApiError {
    ApiError::new(ApiErrorKind::Permission, crate::github::Call::get(format!("ruleset {} (id {id})", quote(name))))
        .with_detail("GitHub left out the ruleset's bypass actors: it shows them only to tokens that can edit the ruleset")
        .with_hint(format!(
            "{}; an export writes every ruleset whole, its bypass actors too",
            Permission::AdministrationWrite.hint()
        ))
}
