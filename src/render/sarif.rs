//! SARIF 2.1.0 (`plan --format sarif`), for GitHub code scanning.
//!
//! One run of the tool `gh-policy`, one result per change, each located at the policy line
//! that declares it (the caller says where: `Location`, a URI relative to the repository
//! root), so that code scanning shows the drift on the policy file:
//!
//! - `ruleId` is the change's kind (`branch_protection`, `secret`, …); every kind is one of
//!   `tool.driver.rules`, in a fixed order, and `ruleIndex` points at it.
//! - `level` is `error` for drift and `warning` for drift an exception accepts.
//! - `message.text` names the repository, the resource and what differs, each setting
//!   that lowers protection marked `(⚠ weakens)`.
//! - A change that weakens protection (DESIGN §11) says so in its message and carries
//!   `properties.weakens: true` (no `properties` otherwise), so that code scanning can
//!   filter on it.
//! - `partialFingerprints` holds the repository and the address, so that an alert stays
//!   one alert while the policy file is edited around it.
//! - `automationDetails.id` is the caller's category: code scanning keeps one set of
//!   results per category, so shards of an organisation run each keep their own.
//!
//! The document is checked against the published SARIF 2.1.0 schema by the tests
//! (`tests/fixtures/sarif/`).

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::{WEAKENS_SENTENCE, finding, kind_label, printable, setting_lines};
use crate::plan::{Change, Disposition, Plan, ResourceKind};

/// The schema the document names, the published OASIS one.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of the fingerprint each result carries.
const FINGERPRINT: &str = "ghPolicyResource/v1";

/// Every rule, in the order of `tool.driver.rules`.
const KINDS: [ResourceKind; 10] = [
    ResourceKind::BranchProtection,
    ResourceKind::Environment,
    ResourceKind::DeploymentBranchPolicy,
    ResourceKind::Secret,
    ResourceKind::Variable,
    ResourceKind::Ruleset,
    ResourceKind::Requirement,
    ResourceKind::RepositorySettings,
    ResourceKind::Security,
    ResourceKind::Actions,
];

/// Where a change is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The policy file, relative to the repository root, with `/` separators.
    pub uri: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A plan with where each of its changes is declared (one location per change, in order).
pub struct LocatedPlan<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// `locations[i]` is where `plan.changes[i]` is declared.
    pub locations: Vec<Location>,
}

/// Writes the SARIF log of the plans as one run, pretty-printed, with a final newline.
pub fn render(plans: &[LocatedPlan<'_>], category: &str, out: &mut dyn Write) -> io::Result<()> {
    let results = plans
        .iter()
        .flat_map(|located| {
            located
                .plan
                .changes
                .iter()
                .zip(&located.locations)
                .map(|(change, location)| result(&located.plan.repository, change, location))
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "gh-policy",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: KINDS.iter().map(|kind| rule(*kind)).collect(),
                },
            },
            automation_details: AutomationDetails { id: category },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The rule's id: the kind as the JSON plan writes it.
fn rule_id(kind: ResourceKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn rule(kind: ResourceKind) -> Rule {
    let (name, description) = match kind {
        ResourceKind::BranchProtection => (
            "BranchProtectionDrift",
            "A branch's classic protection differs from the policy.",
        ),
        ResourceKind::Environment => (
            "EnvironmentDrift",
            "A deployment environment (its reviewers, wait timer, deployment branches) differs from the policy.",
        ),
        ResourceKind::DeploymentBranchPolicy => (
            "DeploymentBranchPolicyDrift",
            "An environment's custom deployment branch or tag pattern is missing, or not in the policy.",
        ),
        ResourceKind::Secret => (
            "SecretDrift",
            "An environment secret the policy lists is missing, or one it prunes exists.",
        ),
        ResourceKind::Variable => (
            "VariableDrift",
            "An environment variable differs from the policy.",
        ),
        ResourceKind::Ruleset => (
            "RulesetDrift",
            "A repository ruleset differs from the policy.",
        ),
        ResourceKind::Requirement => (
            "RequirementUnmet",
            "A requirement on a branch's effective protection (classic protection and rulesets together) is not met.",
        ),
        ResourceKind::RepositorySettings => (
            "RepositorySettingsDrift",
            "A merge setting of the repository differs from the policy.",
        ),
        ResourceKind::Security => (
            "SecurityDrift",
            "A security feature of the repository differs from the policy.",
        ),
        ResourceKind::Actions => (
            "ActionsDrift",
            "The repository's GitHub Actions permissions differ from the policy.",
        ),
    };
    Rule {
        id: rule_id(kind),
        name,
        short_description: Text {
            text: short_description(kind).to_owned(),
        },
        full_description: Text {
            text: description.to_owned(),
        },
        help: Text {
            text: "Run `gh-policy plan` to see the difference, and `gh-policy apply` to make the repository match the policy (or change the policy).".to_owned(),
        },
        default_configuration: Configuration { level: "error" },
    }
}

fn short_description(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::BranchProtection => "Branch protection differs from the policy",
        ResourceKind::Environment => "Environment differs from the policy",
        ResourceKind::DeploymentBranchPolicy => "Deployment branch pattern differs from the policy",
        ResourceKind::Secret => "Secret differs from the policy",
        ResourceKind::Variable => "Variable differs from the policy",
        ResourceKind::Ruleset => "Ruleset differs from the policy",
        ResourceKind::Requirement => "Requirement is not met",
        ResourceKind::RepositorySettings => "Repository settings differ from the policy",
        ResourceKind::Security => "Security features differ from the policy",
        ResourceKind::Actions => "Actions permissions differ from the policy",
    }
}

fn result(repository: &str, change: &Change, location: &Location) -> SarifResult {
    let kind = KINDS.iter().position(|k| *k == change.kind()).unwrap_or(0);
    SarifResult {
        rule_id: rule_id(change.kind()),
        rule_index: kind,
        level: match change.disposition {
            Disposition::Excepted { .. } => "warning",
            Disposition::Applicable(_)
            | Disposition::Weakening(_)
            | Disposition::Inapplicable(_) => "error",
        },
        message: Text {
            text: message(repository, change),
        },
        locations: [ResultLocation {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: location.uri.clone(),
                },
                region: Region {
                    start_line: location.line.max(1),
                    start_column: location.column.max(1),
                },
            },
        }],
        partial_fingerprints: [(FINGERPRINT, format!("{repository}:{}", change.address))]
            .into_iter()
            .collect(),
        properties: change.weakens().then_some(Properties { weakens: true }),
    }
}

/// The result's text: the repository, the resource, what differs, and what stands in the
/// way of `apply`.
fn message(repository: &str, change: &Change) -> String {
    let mut text = format!(
        "{}: {} ({}) {}",
        printable(repository),
        printable(&change.address.to_string()),
        kind_label(change.kind()),
        finding(change)
    );
    let settings = setting_lines(change);
    if !settings.is_empty() {
        text.push_str(": ");
        text.push_str(&settings.join("; "));
    }
    text.push('.');
    if change.weakens() {
        text.push(' ');
        text.push_str(WEAKENS_SENTENCE);
    }
    if let Some(accepted) = change.accepted_by() {
        let _ = write!(
            text,
            " Accepted until {}: {}.",
            printable(&accepted.expires),
            printable(&accepted.reason)
        );
    }
    if let Some(refusal) = change.refusal() {
        let _ = write!(
            text,
            " apply cannot fix it: {}.",
            printable(refusal.words())
        );
    }
    text
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    version: &'a str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails<'a>,
    column_kind: &'a str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    information_uri: &'a str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [ResultLocation; 1],
    partial_fingerprints: std::collections::BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties>,
}

/// A result's property bag: what SARIF has no field of its own for.
#[derive(Serialize)]
struct Properties {
    /// Applying the change lowers protection.
    weakens: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}
