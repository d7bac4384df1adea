//! A plan file: the JSON `plan --format json` writes — one repository's plan, or an
//! organisation's (`{organization, repositories, errors}`) — read back for `issue` and
//! `comment`.
//!
//! Keys this version does not know are ignored, so a newer plan file (a saved plan with the
//! fingerprints of its reads, say) stays readable; a key it needs that is missing or of the
//! wrong type is an error naming the file and the key. The read plan is checked against
//! what the file says of itself (`in_sync`), so a file that is not what `plan` wrote is
//! refused rather than misread. The weakening the plan declares (DESIGN §11: `weakens`, a
//! count at the top level and `true` on each weakening change) is kept beside it.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{
    Action, Change, ExceptionNote, FieldDiff, OrgPlan, Plan, RepositoryError, RequirementReport,
    ResourceKind,
};

/// A plan file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFile {
    /// The plans.
    pub plans: Plans,
    /// The changes that weaken protection, as the file declares them.
    pub weakening: Weakening,
}

/// One repository's plan, or an organisation's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plans {
    /// `plan` for one repository.
    Repository(Plan),
    /// `plan` over an organisation.
    Organization(OrgPlan),
}

/// How many changes weaken protection, and which.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Weakening {
    /// The plan's own count (`weakens` at the top level; for an organisation, its own or
    /// the sum of its repositories').
    pub count: usize,
    /// `(repository, address)` of each change marked `weakens: true`.
    pub changes: Vec<(String, String)>,
}

/// Why a plan file cannot be used: what, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlanFileError(String);

/// Reads a plan file; `-` reads standard input.
pub fn read(path: &Path) -> Result<PlanFile, PlanFileError> {
    let display = path.display().to_string();
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|err| PlanFileError(format!("cannot read the plan file {display}: {err}")))?;
    parse(&display, &text)
}

/// Parses the text of a plan file; `display` names it in errors.
pub fn parse(display: &str, text: &str) -> Result<PlanFile, PlanFileError> {
    let document: Value = serde_json::from_str(text).map_err(|err| {
        PlanFileError(format!(
            "{display}:{}:{}: not JSON: {err}",
            err.line(),
            err.column()
        ))
    })?;
    // Typed from the text, not the value, so that an error has its line and column.
    let invalid = |err: serde_json::Error| {
        let message = err.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(message, _)| message);
        PlanFileError(format!(
            "{display}:{}:{}: not a plan as `gh-policy plan --format json` writes it: {message}",
            err.line(),
            err.column()
        ))
    };
    let file = if document.get("organization").is_some() {
        let org: OrgIn = serde_json::from_str(text).map_err(invalid)?;
        let mut weakening = Weakening::default();
        let mut sum = 0;
        let mut plans = Vec::new();
        for repository in org.repositories {
            sum += repository.weakens;
            let plan = repository.into_plan(display, &mut weakening)?;
            plans.push(plan);
        }
        weakening.count = org.weakens.unwrap_or(sum);
        PlanFile {
            plans: Plans::Organization(OrgPlan {
                organization: org.organization,
                plans,
                errors: org.errors,
            }),
            weakening,
        }
    } else if document.get("repository").is_some() && document.get("changes").is_some() {
        let plan: PlanIn = serde_json::from_str(text).map_err(invalid)?;
        let mut weakening = Weakening {
            count: plan.weakens,
            changes: Vec::new(),
        };
        let plan = plan.into_plan(display, &mut weakening)?;
        PlanFile {
            plans: Plans::Repository(plan),
            weakening,
        }
    } else {
        return Err(PlanFileError(format!(
            "{display} is not a plan as `gh-policy plan --format json` writes it: it has neither `repository` and `changes` nor `organization`"
        )));
    };
    Ok(file)
}

/// An organisation's plan as written.
#[derive(Deserialize)]
struct OrgIn {
    organization: String,
    repositories: Vec<PlanIn>,
    #[serde(default)]
    errors: Vec<RepositoryError>,
    #[serde(default)]
    weakens: Option<usize>,
}

/// One repository's plan as written.
#[derive(Deserialize)]
struct PlanIn {
    repository: String,
    in_sync: bool,
    changes: Vec<ChangeIn>,
    #[serde(default)]
    requirements: Vec<RequirementReport>,
    #[serde(default)]
    weakens: usize,
}

/// One change as written.
#[derive(Deserialize)]
struct ChangeIn {
    address: String,
    kind: ResourceKind,
    action: Action,
    diffs: Vec<DiffIn>,
    #[serde(default = "yes")]
    applicable: bool,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    excepted: bool,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    weakens: bool,
}

/// One setting of a change as written.
#[derive(Deserialize)]
struct DiffIn {
    path: String,
    live: Value,
    policy: Value,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    excepted: Option<ExceptionNote>,
    #[serde(default)]
    exception_expired: Option<ExceptionNote>,
}

fn yes() -> bool {
    true
}

impl PlanIn {
    /// The plan, checked against its own `in_sync`; its weakening changes noted.
    fn into_plan(self, display: &str, weakening: &mut Weakening) -> Result<Plan, PlanFileError> {
        let changes: Vec<Change> = self
            .changes
            .into_iter()
            .map(|change| {
                if change.weakens {
                    weakening
                        .changes
                        .push((self.repository.clone(), change.address.clone()));
                }
                Change {
                    address: change.address,
                    kind: change.kind,
                    action: change.action,
                    diffs: change.diffs.into_iter().map(DiffIn::into_diff).collect(),
                    applicable: change.applicable,
                    reason: change.reason,
                    excepted: change.excepted,
                    note: change.note,
                    target: None,
                }
            })
            .collect();
        let plan = Plan {
            repository: self.repository,
            changes,
            requirements: self.requirements,
            warnings: Vec::new(),
        };
        if plan.in_sync() != self.in_sync {
            return Err(PlanFileError(format!(
                "{display}: the plan of {} says `in_sync: {}`, and its changes say otherwise; it is not a plan gh-policy wrote (or it was edited)",
                crate::untrusted::quote(&plan.repository),
                self.in_sync
            )));
        }
        Ok(plan)
    }
}

impl DiffIn {
    fn into_diff(self) -> FieldDiff {
        FieldDiff {
            path: self.path,
            live: self.live,
            policy: self.policy,
            sources: self.sources,
            note: self.note,
            excepted: self.excepted,
            exception_expired: self.exception_expired,
        }
    }
}

#[cfg(test)]
mod tests;
