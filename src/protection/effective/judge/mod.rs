//! Holding a requirement against the contributions of a branch's sources.
//!
//! A requirement is a floor: met when the effective value reaches it. The sources of a met
//! requirement are every source whose own value meets it; a source below the floor is not a
//! source. A pinned check is met only by a source that requires it from that app.

use serde_json::{Value, json};

use super::{Check, Contribution, Verdict};
use crate::model::live::{Identities, Source};
use crate::model::{REQUIREMENT_FLAGS, RequiredCheck, Requirement};

/// One requirement judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The requirement key, e.g. `required_approvals`.
    pub setting: &'static str,
    /// How it fares.
    pub verdict: Verdict,
    /// The effective value (for checks, the effective list).
    pub live: Value,
    /// The floor.
    pub policy: Value,
    /// Met: the sources that meet it; unmet: the sources of the effective value.
    pub sources: Vec<Source>,
    /// Evaluate-mode sources that would meet it if they were enforced.
    pub evaluate_only: Vec<Source>,
}

/// Judges every requirement the policy sets (a requirement at `false`/0/empty asks for
/// nothing and is not judged).
pub fn judge(
    requirement: &Requirement,
    enforced: &[Contribution],
    evaluate: &[Contribution],
    ids: &Identities,
) -> Vec<Judged> {
    let mut out = Vec::new();
    let sources = |list: &[Contribution], keep: &dyn Fn(&Contribution) -> bool| -> Vec<Source> {
        list.iter()
            .filter(|c| keep(c))
            .map(|c| c.source.clone())
            .collect()
    };
    if requirement.required_approvals > 0 {
        let floor = requirement.required_approvals;
        let effective = enforced.iter().map(|c| c.approvals).max().unwrap_or(0);
        let meets = |c: &Contribution| c.approvals >= floor;
        let met = effective >= floor;
        out.push(Judged {
            setting: "required_approvals",
            verdict: if met { Verdict::Met } else { Verdict::Unmet },
            live: json!(effective),
            policy: json!(floor),
            sources: if met {
                sources(enforced, &meets)
            } else {
                sources(enforced, &|c| c.approvals == effective && effective > 0)
            },
            evaluate_only: sources(evaluate, &meets),
        });
    }
    if !requirement.required_checks.is_empty() {
        out.push(judge_checks(
            &requirement.required_checks,
            enforced,
            evaluate,
            ids,
        ));
    }
    for flag in REQUIREMENT_FLAGS {
        if !requirement.flag(flag) {
            continue;
        }
        let meets = |c: &Contribution| c.flags.contains(&flag);
        let met = enforced.iter().any(meets);
        out.push(Judged {
            setting: flag,
            verdict: if met { Verdict::Met } else { Verdict::Unmet },
            live: json!(met),
            policy: json!(true),
            sources: sources(enforced, &meets),
            evaluate_only: sources(evaluate, &meets),
        });
    }
    if requirement.no_bypass {
        let (verdict, sources) = super::bypass::judge(
            &super::bypass::asked_by(requirement, enforced, ids),
            enforced,
        );
        out.push(Judged {
            setting: "no_bypass",
            live: json!(verdict == Verdict::Met),
            verdict,
            policy: json!(true),
            sources,
            evaluate_only: Vec::new(),
        });
    }
    out
}

fn judge_checks(
    wanted: &[RequiredCheck],
    enforced: &[Contribution],
    evaluate: &[Contribution],
    ids: &Identities,
) -> Judged {
    let provides = |c: &Contribution, want: &RequiredCheck| {
        let want = Check::of(want, ids);
        c.checks.iter().any(|have| have.meets(&want))
    };
    let met = wanted
        .iter()
        .all(|want| enforced.iter().any(|c| provides(c, want)));
    let mut effective: Vec<Check> = enforced.iter().flat_map(|c| c.checks.clone()).collect();
    effective.sort();
    effective.dedup();
    let mut sources: Vec<Source> = if met {
        enforced
            .iter()
            .filter(|c| wanted.iter().any(|w| provides(c, w)))
            .map(|c| c.source.clone())
            .collect()
    } else {
        enforced
            .iter()
            .filter(|c| !c.checks.is_empty())
            .map(|c| c.source.clone())
            .collect()
    };
    sources.dedup();
    let missing: Vec<&RequiredCheck> = wanted
        .iter()
        .filter(|want| !enforced.iter().any(|c| provides(c, want)))
        .collect();
    Judged {
        setting: "required_checks",
        verdict: if met { Verdict::Met } else { Verdict::Unmet },
        live: Value::Array(effective.iter().map(Check::value).collect()),
        policy: serde_json::to_value(wanted).unwrap_or(Value::Null),
        sources,
        evaluate_only: evaluate
            .iter()
            .filter(|c| missing.iter().any(|w| provides(c, w)))
            .map(|c| c.source.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests;
