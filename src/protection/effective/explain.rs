//! `explain`'s report: the effective protection of branches, each setting with its sources,
//! what could not be read, and what only evaluate-mode rulesets would add.

use serde::Serialize;
use serde_json::{Value, json};

use super::{Contribution, Verdict, contributions, settings};
use crate::model::live::{BranchEvidence, Classic, Identities, LiveState};

/// The report (`explain --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// `OWNER/NAME`.
    pub repository: String,
    /// One entry per branch asked about.
    pub branches: Vec<BranchExplanation>,
    /// What the findings could not judge, and why (DESIGN §13).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub finding_notes: Vec<String>,
}

/// The effective protection of one branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchExplanation {
    /// The branch.
    pub branch: String,
    /// False when the branch does not exist (rulesets may still name it).
    pub exists: bool,
    /// Each setting some source turns on, with its sources.
    pub settings: Vec<ExplainedSetting>,
    /// What the token could not read: `classic`, or a ruleset's bypass actors.
    pub not_readable: Vec<String>,
    /// What evaluate-mode rulesets would add, were they enforced.
    pub evaluate_only: Vec<ExplainedSetting>,
    /// Can a pull request merge here, and what must it have (DESIGN §13); absent with
    /// `--no-findings`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<crate::protection::findings::merge::MergeAnswer>,
    /// The findings about this branch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<crate::protection::findings::Finding>,
}

/// One setting, named as in `requirements`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedSetting {
    /// The requirement key.
    pub setting: String,
    /// The effective value.
    pub value: Value,
    /// Where it comes from.
    pub sources: Vec<String>,
}

/// Builds the report of the branches `live` holds evidence of.
pub fn explain(repository: &str, live: &LiveState) -> Explanation {
    Explanation {
        repository: repository.to_owned(),
        branches: live
            .evidence
            .values()
            .map(|e| branch(e, &live.ids))
            .collect(),
        finding_notes: Vec::new(),
    }
}

/// Builds the report of one branch from what protects it.
pub fn branch(evidence: &BranchEvidence, ids: &Identities) -> BranchExplanation {
    let (enforced, evaluate) = contributions(evidence, ids);
    let mut shown: Vec<ExplainedSetting> = settings(&enforced).into_iter().map(explained).collect();
    let mut not_readable = Vec::new();
    if evidence.classic == Classic::Unreadable {
        not_readable.push("classic".to_owned());
    }
    for ruleset in evidence.rulesets.iter().filter(|r| r.bypass.is_none()) {
        not_readable.push(format!("bypass actors of {}", ruleset.source));
    }
    if let Some(bypass) = no_bypass(&enforced) {
        shown.push(bypass);
    }
    BranchExplanation {
        branch: evidence.branch.clone(),
        exists: evidence.exists,
        settings: shown,
        not_readable,
        evaluate_only: settings(&evaluate).into_iter().map(explained).collect(),
        pull_request: None,
        findings: Vec::new(),
    }
}

fn explained(setting: super::Setting) -> ExplainedSetting {
    ExplainedSetting {
        setting: setting.setting.to_owned(),
        value: setting.value,
        sources: setting.sources.iter().map(ToString::to_string).collect(),
    }
}

/// `no_bypass` of the effective protection, when it can be told: true when each setting
/// shown has a provider nobody may bypass (with those), false with the bypassable sources
/// that alone provide one; nothing when no source provides anything, or when it rests on
/// hidden bypass actors (`not_readable` names them).
fn no_bypass(enforced: &[Contribution]) -> Option<ExplainedSetting> {
    if !enforced.iter().any(Contribution::provides) {
        return None;
    }
    let (verdict, sources) = super::bypass::judge(&super::bypass::effective(enforced), enforced);
    (verdict != Verdict::Unknown).then(|| ExplainedSetting {
        setting: "no_bypass".to_owned(),
        value: json!(verdict == Verdict::Met),
        sources: sources.iter().map(ToString::to_string).collect(),
    })
}
