//! What an organisation run reads once: the repository list, the custom properties
//! (emulator/github-api/QUIRKS.md 57), the organisation's rulesets.

use crate::github::api::reads;
use crate::github::error::ApiError;
use crate::github::rest::RestReader;
use crate::github::wire::ruleset::Ruleset as WireRuleset;
use crate::model::live::{OrgProperties, OrgRepository, PropertyDefinition};

/// Lists an organisation's repositories.
pub async fn org_repositories(
    github: &RestReader,
    org: &str,
) -> Result<Vec<OrgRepository>, ApiError> {
    Ok(github
        .read(reads::org_repositories(org))
        .await?
        .into_iter()
        .map(|repository| OrgRepository {
            name: repository.name,
            archived: repository.archived,
            fork: repository.fork,
        })
        .collect())
}

/// Reads the custom properties the organisation defines and every repository's values, at
/// once (emulator/github-api/QUIRKS.md 57: the repository list does not reliably carry the values).
pub async fn org_properties(github: &RestReader, org: &str) -> Result<OrgProperties, ApiError> {
    let (schema, values) = futures::try_join!(
        github.read(reads::org_property_schema(org)),
        github.read(reads::org_property_values(org))
    )?;
    let defined = schema
        .into_iter()
        .map(|definition| {
            (
                definition.property_name,
                PropertyDefinition {
                    value_type: definition.value_type,
                    allowed: definition.allowed_values,
                },
            )
        })
        .collect();
    let values = values
        .into_iter()
        .map(|repository| {
            let properties = repository
                .properties
                .into_iter()
                .map(|property| {
                    let values = match property.value {
                        serde_json::Value::Array(items) => items
                            .iter()
                            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                            .collect(),
                        serde_json::Value::String(text) => vec![text],
                        serde_json::Value::Null => Vec::new(),
                        other => vec![other.to_string()],
                    };
                    (property.property_name, values)
                })
                .collect();
            (repository.repository_name.to_lowercase(), properties)
        })
        .collect();
    Ok(OrgProperties { defined, values })
}

/// The rulesets of an organisation, read once for a whole run over its repositories.
#[derive(Debug, Clone, Default)]
pub struct OrgRulesets(pub(super) Vec<WireRuleset>);

impl OrgRulesets {
    /// Returns how many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns true when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Reads every ruleset of the organisation (the list, then each by id): once per run, not
/// once per repository.
pub async fn read_org_rulesets(github: &RestReader, org: &str) -> Result<OrgRulesets, ApiError> {
    let summaries = github.read(reads::org_rulesets(org)).await?;
    let rulesets = futures::future::try_join_all(
        summaries
            .iter()
            .map(|s| github.read(reads::org_ruleset(org, s.id))),
    )
    .await?;
    Ok(OrgRulesets(rulesets))
}
