//! A plan file: the JSON `plan --format json` writes — one repository's plan, or an
//! organisation's (`{organization, repositories, errors}`) — read back for `issue` and
//! `comment`.
//!
//! Keys this version does not know are ignored, so a newer plan file (a saved plan with the
//! fingerprints of its reads, say) stays readable; a key it needs that is missing or of the
//! wrong type is an error naming the file and the key. The read plan is checked against
//! what the file says of itself (`in_sync`), so a file that is not what `plan` wrote is
//! refused rather than misread. The weakening marks (DESIGN §11: `weakens: true` on a
//! change and on each setting that lowers protection) are kept on the plan, so that it
//! renders `⚠ weakens` as `plan` did, and the count the plan declares (`weakens` at the top
//! level) must agree with them. `contradictions` and `gaps`, which the plans a person reads
//! do not show, are not read back.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{
    Action, Address, Change, Disposition, ExceptionNote, FieldDiff, OrgPlan, Plan, Refusal,
    RepositoryError, RequirementReport, ResourceKind,
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
        let mut plans = Vec::new();
        for repository in org.repositories {
            let plan = repository.into_plan(display, &mut weakening)?;
            plans.push(plan);
        }
        if let Some(declared) = org.weakens
            && declared != weakening.count
        {
            return Err(disagrees(display, &org.organization, declared, &weakening));
        }
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
        let mut weakening = Weakening::default();
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
    #[serde(default)]
    findings: Vec<crate::protection::findings::Finding>,
    #[serde(default)]
    finding_notes: Vec<String>,
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
    sources: Option<Vec<String>>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    excepted: Option<ExceptionNote>,
    #[serde(default)]
    exception_expired: Option<ExceptionNote>,
    #[serde(default)]
    weakens: bool,
}

fn yes() -> bool {
    true
}

impl PlanIn {
    /// The plan with its weakening marks, checked against its own `in_sync` and `weakens`;
    /// its weakening changes added to `weakening`.
    fn into_plan(self, display: &str, weakening: &mut Weakening) -> Result<Plan, PlanFileError> {
        let changes = self
            .changes
            .into_iter()
            .map(ChangeIn::into_change)
            .collect::<Option<Vec<Change>>>()
            .ok_or_else(|| {
                PlanFileError(format!(
                    "{display}: the plan of {} has a change whose address is not one gh-policy writes, or does not match its kind; it is not a plan gh-policy wrote (or it was edited)",
                    crate::output::untrusted::quote(&self.repository)
                ))
            })?;
        let plan = Plan {
            repository: self.repository,
            changes,
            requirements: self.requirements,
            warnings: Vec::new(),
            contradictions: Vec::new(),
            gaps: Vec::new(),
            findings: crate::protection::findings::Findings {
                findings: self.findings,
                notes: self.finding_notes,
                skipped: false,
            },
        };
        if plan.in_sync() != self.in_sync {
            return Err(PlanFileError(format!(
                "{display}: the plan of {} says `in_sync: {}`, and its changes say otherwise; it is not a plan gh-policy wrote (or it was edited)",
                crate::output::untrusted::quote(&plan.repository),
                self.in_sync
            )));
        }
        let marked = Weakening {
            count: plan.weakening(),
            changes: plan
                .changes
                .iter()
                .filter(|change| change.weakens())
                .map(|change| (plan.repository.clone(), change.address.to_string()))
                .collect(),
        };
        if self.weakens != marked.count {
            return Err(disagrees(display, &plan.repository, self.weakens, &marked));
        }
        weakening.count += marked.count;
        weakening.changes.extend(marked.changes);
        Ok(plan)
    }
}

impl ChangeIn {
    /// The change, its weakening marks kept (on the change and on the settings that lower
    /// protection), without a write; `None` when its address is not one `plan` writes or
    /// is not of its kind.
    fn into_change(self) -> Option<Change> {
        let address = Address::parse(&self.address).filter(|a| a.kind() == self.kind)?;
        let refusal = Refusal(self.reason);
        let disposition = match (self.excepted, self.applicable, self.weakens) {
            (true, applicable, _) => Disposition::Excepted {
                whole: None,
                refused: (!applicable).then_some(refusal),
            },
            (false, false, _) => Disposition::Inapplicable(refusal),
            (false, true, true) => Disposition::Weakening(None),
            (false, true, false) => Disposition::Applicable(None),
        };
        Some(Change {
            address,
            action: self.action,
            diffs: self.diffs.into_iter().map(DiffIn::into_diff).collect(),
            disposition,
            note: self.note,
        })
    }
}

/// The error of a plan whose `weakens` count disagrees with the changes it marks.
fn disagrees(display: &str, of: &str, declared: usize, marked: &Weakening) -> PlanFileError {
    PlanFileError(format!(
        "{display}: the plan of {} says `weakens: {declared}`, and {} of its changes weaken protection as marked; it is not a plan gh-policy wrote (or it was edited)",
        crate::output::untrusted::quote(of),
        marked.count
    ))
}

impl DiffIn {
    fn into_diff(self) -> FieldDiff {
        FieldDiff {
            path: self.path.into(),
            live: self.live,
            policy: self.policy,
            sources: self.sources,
            note: self.note,
            excepted: self.excepted,
            exception_expired: self.exception_expired,
            lowers: self.weakens,
        }
    }
}

#[cfg(test)]
mod tests;
