//! `explain`'s answer to "can a pull request merge here, and what must it have" (DESIGN §13):
//! what the effective protection asks of a pull request, in words, and whether any finding
//! says no pull request can have it.

use serde::Serialize;

use super::{Finding, Severity};
use crate::protection::effective::Setting;

/// The answer for one branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeAnswer {
    /// False when an error finding says no pull request can meet the protection; true
    /// otherwise (`not_judged` says what could not be looked at).
    pub can_merge: bool,
    /// What a pull request must have, one requirement a line.
    pub must_have: Vec<String>,
}

/// Answers for a branch from its effective settings and its findings.
pub fn answer(branch: &str, settings: &[Setting], findings: &[Finding]) -> MergeAnswer {
    let mut must_have = Vec::new();
    for setting in settings {
        let line = match setting.setting {
            "required_approvals" => {
                let n = setting.value.as_u64().unwrap_or(0);
                Some(format!(
                    "{n} approving review{} from people with write access other than its author",
                    if n == 1 { "" } else { "s" }
                ))
            }
            "require_code_owner_reviews" => {
                Some("an approving review from a code owner of the files it changes".to_owned())
            }
            "require_last_push_approval" => {
                Some("its last push approved by someone other than who pushed it".to_owned())
            }
            "dismiss_stale_reviews" => {
                Some("approvals given after its last push (new commits dismiss them)".to_owned())
            }
            "required_checks" => Some(format!(
                "these checks passing on its head commit: {}",
                checks(&setting.value)
            )),
            "strict" => Some(format!("its branch up to date with `{branch}`")),
            "required_conversation_resolution" => {
                Some("every review conversation resolved".to_owned())
            }
            "required_linear_history" => {
                Some("to be merged by squash or rebase (linear history)".to_owned())
            }
            "required_signatures" => Some("signed commits only".to_owned()),
            _ => None,
        };
        must_have.extend(line);
    }
    if must_have.is_empty() {
        must_have.push("nothing: no rule asks anything of a pull request into it".to_owned());
    }
    MergeAnswer {
        can_merge: !findings
            .iter()
            .any(|f| f.severity == Severity::Error && f.excepted.is_none()),
        must_have,
    }
}

/// The checks as a person reads them: `lint`, `Security Checks (from github-actions)`.
fn checks(value: &serde_json::Value) -> String {
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|check| match check {
            serde_json::Value::String(name) => format!("`{name}`"),
            other => {
                let name = other["context"].as_str().unwrap_or("?");
                match (other["app"].as_str(), other["app_id"].as_u64()) {
                    (Some(app), _) => format!("`{name}` (from {app})"),
                    (None, Some(id)) => format!("`{name}` (from app {id})"),
                    (None, None) => format!("`{name}`"),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
