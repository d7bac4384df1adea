//! GitHub Actions integration: the Markdown plan in the job summary, one `::error`
//! annotation per drifting setting, pointing at its line in the policy file so the drift
//! shows on the pull request diff, and the one writer of workflow commands
//! ([`workflow_command`]) that `validate` uses for its warnings too.
//!
//! See GitHub's "Workflow commands for GitHub Actions": `::error file=F,line=L,title=T::MSG`,
//! with `%`, CR and LF escaped in the message, and `,` and `:` too in properties.

use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

use crate::plan::{Action, Change, OrgPlan, Plan};
use crate::policy::{Layers, SourceMap};
use crate::render;

/// Returns true when running as a GitHub Actions step.
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// Appends the Markdown plan to the file `$GITHUB_STEP_SUMMARY` names, if it is set.
pub fn append_step_summary(plan: &Plan) -> io::Result<()> {
    append_summary(|file| render::render(plan, render::Format::Markdown, false, file))
}

/// Appends the Markdown plan of an organisation (its table first) to `$GITHUB_STEP_SUMMARY`.
pub fn append_org_step_summary(plan: &OrgPlan) -> io::Result<()> {
    append_summary(|file| render::org::render(plan, render::Format::Markdown, false, file))
}

fn append_summary(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let file = OpenOptions::new().create(true).append(true).open(path)?;
    let mut file = crate::output::redact::Redacting::new(file);
    write(&mut file)?;
    writeln!(file)
}

/// Writes one annotation per change (and per setting of an update), located in the policy.
pub fn write_annotations(
    plan: &Plan,
    policy_path: &Path,
    map: &SourceMap,
    out: &mut dyn Write,
) -> io::Result<()> {
    let file = policy_path.to_string_lossy();
    for change in &plan.changes {
        for (line, message) in annotations_of(change, map) {
            let title = format!("policy drift: {}", change.address);
            let line = line.to_string();
            let properties = [("file", &*file), ("line", &line), ("title", &title)];
            writeln!(out, "{}", workflow_command("error", &properties, &message))?;
        }
    }
    Ok(())
}

/// Returns one workflow command line, `::COMMAND key=value,…::MESSAGE`, with the property
/// values and the message escaped as GitHub asks, so that no outside text can end the
/// command early or start another, and with every other control, line-separator and
/// bidirectional character written as a visible escape (GitHub shows annotations as they
/// are). `command` and the keys are ours, never outside text.
pub fn workflow_command(command: &str, properties: &[(&str, &str)], message: &str) -> String {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(&visible(value))))
        .collect();
    let separator = if properties.is_empty() { "" } else { " " };
    format!(
        "::{command}{separator}{}::{}",
        properties.join(","),
        escape_data(&visible(message))
    )
}

/// Returns `(line, message)` pairs for one change: one per differing setting for updates,
/// one for the whole resource otherwise.
fn annotations_of(change: &Change, map: &SourceMap) -> Vec<(usize, String)> {
    let layers = Layers::repository();
    if change.action == Action::Update && !change.diffs.is_empty() {
        return change
            .diffs
            .iter()
            .map(|diff| {
                let (line, _) =
                    layers.setting(map, &change.address.to_string(), &diff.path.to_string());
                let message = format!(
                    "{} {}: live {}, policy {}",
                    change.address,
                    diff.path,
                    compact(&diff.live),
                    compact(&diff.policy)
                );
                (line, message)
            })
            .collect();
    }
    let verb = match change.action {
        Action::Create => "missing on GitHub",
        Action::Update => "differs on GitHub",
        Action::Delete => "on GitHub but not in the policy",
    };
    let mut message = format!("{} is {verb}", change.address);
    if let Some(reason) = change.reason() {
        let _ = write!(message, " ({reason}; apply cannot fix it)");
    }
    let (line, _) = layers.resource(map, &change.address.to_string());
    vec![(line, message)]
}

fn compact(value: &serde_json::Value) -> String {
    if value.is_null() {
        "(none)".to_owned()
    } else {
        value.to_string()
    }
}

/// Returns text with every control (but CR and LF, which GitHub's own escapes carry),
/// line-separator and bidirectional character written as a visible `\u{…}`.
fn visible(text: &str) -> String {
    text.chars()
        .fold(String::with_capacity(text.len()), |mut out, c| {
            if c != '\n' && c != '\r' && crate::model::names::is_unprintable(c) {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            } else {
                out.push(c);
            }
            out
        })
}

/// Escapes the message of a workflow command: `%`, CR and LF.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command: as a message, and `:` and `,` too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidirectional_characters_never_reach_an_annotation() {
        let line = workflow_command(
            "error",
            &[("title", "policy drift: rulesets.a\u{1b}[31m\u{202e}")],
            "bell\u{7} and\u{85}next\u{2028}",
        );
        assert_eq!(
            line,
            "::error title=policy drift%3A rulesets.a\\u{1b}[31m\\u{202e}::bell\\u{7} and\\u{85}next\\u{2028}"
        );
    }

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(
            workflow_command(
                "warning",
                &[("file", "dir,1/a:b.yml"), ("line", "3")],
                "50%\r\n::error::x"
            ),
            "::warning file=dir%2C1/a%3Ab.yml,line=3::50%25%0D%0A::error::x"
        );
        assert_eq!(workflow_command("notice", &[], "m"), "::notice::m");
    }
}
