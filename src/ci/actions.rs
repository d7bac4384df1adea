//! GitHub Actions integration of `plan`: the Markdown plan in the job summary, and one
//! `::error` annotation per drifting setting, pointing at its line in the policy file so the
//! drift shows on the pull request diff.
//!
//! See GitHub's "Workflow commands for GitHub Actions": `::error file=F,line=L,title=T::MSG`,
//! with `%`, CR and LF escaped in the message, and `,` and `:` too in properties.

use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

use crate::plan::{Action, Change, Plan};
use crate::policy::SourceMap;
use crate::render;

/// Returns true when running as a GitHub Actions step.
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// Appends the Markdown plan to the file `$GITHUB_STEP_SUMMARY` names, if it is set.
pub fn append_step_summary(plan: &Plan) -> io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    render::render(plan, render::Format::Markdown, false, &mut file)?;
    writeln!(file)
}

/// Writes one annotation per change (and per setting of an update), located in the policy.
pub fn write_annotations(
    plan: &Plan,
    policy_path: &Path,
    map: &SourceMap,
    out: &mut dyn Write,
) -> io::Result<()> {
    let file = escape_property(&policy_path.to_string_lossy());
    for change in &plan.changes {
        for (line, message) in annotations_of(change, map) {
            let title = escape_property(&format!("policy drift: {}", change.address));
            writeln!(
                out,
                "::error file={file},line={line},title={title}::{}",
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

/// Returns `(line, message)` pairs for one change: one per differing setting for updates,
/// one for the whole resource otherwise.
fn annotations_of(change: &Change, map: &SourceMap) -> Vec<(usize, String)> {
    let line_of = |path: &str| map.locate(path).map_or(1, |(line, _)| line);
    let resource_line = line_of(&policy_address(&change.address));
    if change.action == Action::Update && !change.diffs.is_empty() {
        return change
            .diffs
            .iter()
            .map(|diff| {
                let line = line_of(&format!(
                    "{}.{}",
                    policy_address(&change.address),
                    diff.path
                ));
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
    if let Some(reason) = &change.reason {
        let _ = write!(message, " ({reason}; apply cannot fix it)");
    }
    vec![(resource_line, message)]
}

/// Maps a plan address to the policy path that declares it: the deployment pattern and
/// secret segments name items, which the source map knows only by their list, so those
/// point at the list.
fn policy_address(address: &str) -> String {
    let parts: Vec<&str> = address.splitn(4, '.').collect();
    match parts.as_slice() {
        [
            "environments",
            env,
            list @ ("deployment_branches" | "secrets"),
            _,
        ] => {
            format!("environments.{env}.{list}")
        }
        _ => address.to_owned(),
    }
}

fn compact(value: &serde_json::Value) -> String {
    if value.is_null() {
        "(none)".to_owned()
    } else {
        value.to_string()
    }
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn item_addresses_point_at_their_list() {
        assert_eq!(
            policy_address("environments.prod.secrets.KEY"),
            "environments.prod.secrets"
        );
        assert_eq!(
            policy_address("environments.prod.deployment_branches.release/*"),
            "environments.prod.deployment_branches"
        );
        assert_eq!(
            policy_address("environments.prod.variables.URL"),
            "environments.prod.variables.URL"
        );
        assert_eq!(policy_address("branches.main"), "branches.main");
    }
}
