//! The weakening changes of one or many plans as `apply` lists them: in its refusal (with
//! `--yes` and without `--allow-weakening`) and in the question it asks on a terminal.

use crate::error::Error;
use crate::output::untrusted::escape;
use crate::plan::{Action, Plan};

use super::diff_weakens;

/// One change that weakens protection, as one line: the repository (in an organisation
/// run), the change, and each setting that lowers protection with its two values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weakening(pub String);

/// Returns the weakening changes of the plans, each named with its repository when
/// `with_repository` (an organisation run).
pub fn listed<'a>(
    plans: impl IntoIterator<Item = &'a Plan>,
    with_repository: bool,
) -> Vec<Weakening> {
    let mut lines = Vec::new();
    for plan in plans {
        for change in plan.changes.iter().filter(|c| c.weakens()) {
            let action = match change.action {
                Action::Create => "+",
                Action::Update => "~",
                Action::Delete => "-",
            };
            let mut line = String::new();
            if with_repository {
                line.push_str(&escape(&plan.repository));
                line.push_str(": ");
            }
            line.push_str(action);
            line.push(' ');
            line.push_str(&escape(&change.address.to_string()));
            let settings: Vec<String> = change
                .diffs
                .iter()
                .filter(|diff| diff_weakens(change, diff))
                .map(|diff| {
                    format!(
                        "{} {} → {}",
                        escape(&diff.path.to_string()),
                        escape(&shown(&diff.live)),
                        escape(&shown(&diff.policy))
                    )
                })
                .collect();
            if change.action == Action::Delete {
                line.push_str(" (deleted)");
            } else if !settings.is_empty() {
                line.push_str(": ");
                line.push_str(&settings.join(", "));
            }
            lines.push(Weakening(line));
        }
    }
    lines
}

/// Returns the refusal of `apply --yes` without `--allow-weakening`: exit 1, nothing
/// written, every weakening change listed.
pub fn refusal(weakening: &[Weakening]) -> Error {
    let count = weakening.len();
    let mut error = Error::new(format!(
        "apply --yes refuses {} that {} protection; nothing was written",
        if count == 1 {
            "1 change".to_owned()
        } else {
            format!("{count} changes")
        },
        if count == 1 { "weakens" } else { "weaken" }
    ));
    for Weakening(line) in weakening {
        error = error.detail(line.clone());
    }
    error
        .with_hint("check that the policy means to lower them (a group that selects nothing, a misspelt property or branch lowers protection as surely as a real decision)")
        .with_hint("to apply them, run apply again with --allow-weakening")
}

/// A value as one short line: `(none)` for absent.
fn shown(value: &serde_json::Value) -> String {
    if value.is_null() {
        "(none)".to_owned()
    } else {
        value.to_string()
    }
}
