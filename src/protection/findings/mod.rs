//! Rules that can never be met, or protect nothing (DESIGN §13): findings about the
//! effective protection `apply` leaves, each with a stable id, a severity, its target, the
//! sources involved and what to do.
//!
//! Pure: the facts GitHub gives (who may write, the CODEOWNERS file, what reported the
//! checks of the last merged pull request, the merge methods, the branches) are read by
//! `github::read::findings` into `Facts`; `judge` weighs them against the predicted
//! protection, `offline` finds what the policy alone shows (`validate`), `accept` applies
//! the `exceptions` that accept a finding until a date.

pub mod accept;
mod branch;
pub mod facts;
mod judge;
pub mod merge;
pub mod merge_methods;
pub mod offline;
mod patterns;
pub mod plan;

#[cfg(test)]
mod tests;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use facts::{BranchFacts, Codeowners, CodeownersError, Facts, Reported, ReportedRun};
pub use judge::{Needs, Subject, findings, needs};

use crate::model::ExceptionNote;

/// The findings of §13's table. The ids are stable: scripts and `exceptions` name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingId {
    /// Fewer people with write access than the approvals plus the author.
    NotEnoughReviewers,
    /// A pinned check reported only by another app.
    CheckAppMismatch,
    /// A required check nothing reported on the last merged pull request.
    CheckNotReported,
    /// Linear history required and merge commits the only method allowed.
    LinearHistoryMergeOnly,
    /// Code-owner review required and no CODEOWNERS file.
    CodeownersMissing,
    /// The CODEOWNERS file has syntax errors.
    CodeownersErrors,
    /// `prevent_self_review` with one user as the only reviewer.
    SoleReviewerSelfReview,
    /// A pattern that matches no existing branch.
    PatternMatchesNothing,
    /// A ruleset every writer (or every admin, while `no_bypass` is asked) may bypass.
    BypassByEveryone,
}

impl FindingId {
    /// Every id, in the order of DESIGN §13's table.
    pub const ALL: [Self; 9] = [
        Self::NotEnoughReviewers,
        Self::CheckAppMismatch,
        Self::CheckNotReported,
        Self::LinearHistoryMergeOnly,
        Self::CodeownersMissing,
        Self::CodeownersErrors,
        Self::SoleReviewerSelfReview,
        Self::PatternMatchesNothing,
        Self::BypassByEveryone,
    ];

    /// Returns the id as written (`not-enough-reviewers`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotEnoughReviewers => "not-enough-reviewers",
            Self::CheckAppMismatch => "check-app-mismatch",
            Self::CheckNotReported => "check-not-reported",
            Self::LinearHistoryMergeOnly => "linear-history-merge-only",
            Self::CodeownersMissing => "codeowners-missing",
            Self::CodeownersErrors => "codeowners-errors",
            Self::SoleReviewerSelfReview => "sole-reviewer-self-review",
            Self::PatternMatchesNothing => "pattern-matches-nothing",
            Self::BypassByEveryone => "bypass-by-everyone",
        }
    }

    /// Returns the id a text names, if any.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|id| id.as_str() == text)
    }

    /// `error` when no pull request (or deployment) can satisfy the rule; `warning` when it
    /// protects nothing.
    pub fn severity(self) -> Severity {
        match self {
            Self::NotEnoughReviewers | Self::CheckAppMismatch | Self::LinearHistoryMergeOnly => {
                Severity::Error
            }
            _ => Severity::Warning,
        }
    }
}

impl fmt::Display for FindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// No pull request (or deployment) can satisfy it: `plan` exits 2, like drift.
    Error,
    /// It protects nothing: shown, never changes the exit code.
    Warning,
}

impl Severity {
    /// Returns the severity as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The stable id.
    pub id: FindingId,
    /// `error` or `warning` (the id's).
    pub severity: Severity,
    /// What it is about, as a plan address: `branches.main`, `environments.production`,
    /// `rulesets.protect-main`.
    pub target: String,
    /// What is wrong, for people.
    pub message: String,
    /// The sources involved: `classic`, `ruleset "…"`, `settings`, `environments.production`.
    pub sources: Vec<String>,
    /// What to do about it.
    pub fix: String,
    /// The exception that accepts it, while that is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excepted: Option<ExceptionNote>,
}

impl Finding {
    /// Returns a finding of this id (its severity the id's), not excepted.
    pub fn new(
        id: FindingId,
        target: impl Into<String>,
        message: impl Into<String>,
        sources: Vec<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            id,
            severity: id.severity(),
            target: target.into(),
            message: message.into(),
            sources,
            fix: fix.into(),
            excepted: None,
        }
    }

    /// Returns true for an error no exception accepts: it fails the gate.
    pub fn fails(&self) -> bool {
        self.severity == Severity::Error && self.excepted.is_none()
    }
}

/// The findings of one repository, and what could not be judged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    /// The findings, by target then id.
    pub findings: Vec<Finding>,
    /// What was not judged, each saying why: a read the token cannot make (naming the
    /// permission), a branch with no merged pull request yet.
    pub notes: Vec<String>,
    /// True when `--no-findings` skipped them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skipped: bool,
}

impl Findings {
    /// Returns the findings of a run that skipped them (`--no-findings`).
    pub fn skipped() -> Self {
        Self {
            skipped: true,
            ..Self::default()
        }
    }

    /// Returns how many error findings fail the gate (no exception accepts them).
    pub fn failing(&self) -> usize {
        self.findings.iter().filter(|f| f.fails()).count()
    }

    /// Returns how many findings there are, accepted ones included.
    pub fn len(&self) -> usize {
        self.findings.len()
    }

    /// Returns true when there is no finding.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// Sorts the findings by target, then id, then message: a stable order for every format.
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| (&a.target, a.id, &a.message).cmp(&(&b.target, b.id, &b.message)));
        self.findings.dedup();
        self.notes.sort();
        self.notes.dedup();
    }
}
