//! `gh-policy validate`: parse and check a policy file offline.

use std::path::Path;

use crate::ci::actions;
use crate::ci::workflows::{self, WorkflowWarning};
use crate::cli::ValidateArgs;
use crate::commands::console::Console;
use crate::error::{Error, ExitStatus};
use crate::model::OrgPolicy;
use crate::model::RepoSettings;
use crate::output::untrusted::escape;
use crate::policy::{self, Dotted, PolicyFile, SourceMap};

/// Checks the policy file; prints every problem as `FILE:LINE:COLUMN: message` on `err`.
///
/// Never touches the network. A valid file gets one summary line on `out`, then the
/// workflow warnings on `err`, each located as `FILE:LINE:` (the workflow file to blame, or
/// the policy's line of the setting it is about); an invalid one gets every diagnostic and a
/// count on `err`, and ends in `ExitStatus::Failure`. The workflows are read before anything
/// is printed, so an unreadable workflow directory is an error, never "valid" first.
pub fn run(args: &ValidateArgs, console: &mut Console<'_>) -> Result<ExitStatus, Error> {
    let path = &args.policy.policy;
    let display = path.display().to_string();
    let (settings, map) = match policy::load_any(path) {
        Ok((PolicyFile::Repository(settings), map)) => {
            if args.repo.is_some() {
                return Err(Error::new(
                    "--repo shows what a repository gets from an organisation policy; this policy is for one repository",
                ));
            }
            (settings, map)
        }
        Ok((PolicyFile::Organization(org), _)) => {
            return validate_org(args, &org, &display, console);
        }
        Err(error) => {
            for diagnostic in &error.diagnostics {
                writeln!(console.err(), "{diagnostic}")?;
            }
            let n = error.diagnostics.len();
            writeln!(
                console.err(),
                "error: {display} has {}",
                count(n, "problem", "problems")
            )?;
            return Ok(ExitStatus::Failure);
        }
    };
    let warnings = check_workflows(args, &settings)?;
    let now = crate::plan::exceptions::now().map_err(Error::new)?;
    // Rules no pull request can meet, where the policy alone shows them (DESIGN §13).
    let failing = super::findings::report_offline(&settings, &map, &display, now, console.err())?;
    if failing > 0 {
        writeln!(
            console.err(),
            "error: {display}: {} no pull request can meet (accept one with an `exceptions` entry `finding: ID`, `target: …`)",
            count(failing, "rule", "rules")
        )?;
        return Ok(ExitStatus::Failure);
    }
    writeln!(
        console.out(),
        "{display}: valid ({}, {})",
        count(settings.branches.len(), "branch", "branches"),
        count(settings.environments.len(), "environment", "environments"),
    )?;
    // Expired exceptions are warnings, never errors: policy files live long.
    for warning in crate::plan::exceptions::check::check(&settings, now).1 {
        console.warn(format_args!("{display}: {warning}"))?;
    }
    // Where the policy alone shows that apply could lower a requirement met today: a
    // warning (an organisation's ruleset may provide it); `plan` knows and refuses.
    for shortfall in crate::plan::diff::shortfalls(&settings) {
        let place = map.locate_value_path(&shortfall.lowered_by).map_or_else(
            || display.clone(),
            |(line, column)| format!("{display}:{line}:{column}"),
        );
        writeln!(
            console.err(),
            "warning: {place}: `{}` gives {}, below `{}: {}`, and no ruleset of the policy provides it: where the branch meets the requirement through its classic protection today, plan refuses to lower it",
            Dotted(&shortfall.lowered_by),
            shortfall.gives,
            Dotted(&shortfall.requirement),
            shortfall.floor
        )?;
    }
    let annotate = actions::in_actions();
    for warning in &warnings {
        let (file, line) = location(warning, &display, &map);
        let place = match (&file, line) {
            (Some(file), Some(line)) => format!("{file}:{line}: "),
            (Some(file), None) => format!("{file}: "),
            _ => String::new(),
        };
        console.warn(format_args!("{place}{}", warning.message))?;
        if annotate {
            let line = line.map(|l| l.to_string());
            let mut properties = Vec::new();
            if let Some(file) = &file {
                properties.push(("file", file.as_str()));
            }
            if let Some(line) = &line {
                properties.push(("line", line.as_str()));
            }
            let command = actions::workflow_command("warning", &properties, &warning.message);
            writeln!(console.err(), "{command}")?;
        }
    }
    if !warnings.is_empty() && args.strict {
        writeln!(
            console.err(),
            "error: {} (--strict)",
            count(warnings.len(), "workflow warning", "workflow warnings")
        )?;
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}

/// A valid organisation policy: a summary line, or with `--repo NAME` the policy that
/// repository gets, as YAML. Groups that select by custom properties are left out of that
/// (validate reads nothing from GitHub), and said so.
fn validate_org(
    args: &ValidateArgs,
    policy: &OrgPolicy,
    display: &str,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    let Some(name) = &args.repo else {
        writeln!(
            console.out(),
            "{display}: valid (organisation {}: {}, {})",
            policy.organization,
            count(policy.groups.len(), "group", "groups"),
            count(
                policy.repositories.len(),
                "repository entry",
                "repository entries"
            ),
        )?;
        return Ok(ExitStatus::Success);
    };
    let name = name.split_once('/').map_or(name.as_str(), |(_, name)| name);
    let merged = crate::org::merge::policy_for(
        policy,
        &policy.organization,
        name,
        &std::collections::BTreeMap::new(),
    )
    .map_err(Error::new)?;
    let by_property: Vec<&str> = policy
        .groups
        .iter()
        .filter(|(_, g)| {
            !g.select.properties.is_empty()
                && g.select
                    .names
                    .iter()
                    .all(|n| crate::org::select::name_matches(n, name))
        })
        .map(|(n, _)| n.as_str())
        .collect();
    if !by_property.is_empty() {
        writeln!(
            console.err(),
            "note: left out, as they select by custom properties validate cannot read: {} (`gh-policy plan --repo {name}` reads them)",
            by_property.join(", ")
        )?;
    }
    let yaml = serde_saphyr::to_string(&merged)
        .map_err(|e| Error::new("failed to write the merged policy as YAML").caused_by(e))?;
    writeln!(
        console.out(),
        "# The policy {}/{name} gets from {display}.\n{}",
        policy.organization,
        yaml.trim_end()
    )?;
    Ok(ExitStatus::Success)
}

/// Returns where a warning points: its workflow file and line, else the policy file and the
/// line of the setting it is about. The file is escaped (a file name may hold any character
/// but `/`); the message already is.
fn location(
    warning: &WorkflowWarning,
    policy: &str,
    map: &SourceMap,
) -> (Option<String>, Option<usize>) {
    if let Some(file) = &warning.file {
        return (
            Some(escape(&file.to_string_lossy()).into_owned()),
            warning.line,
        );
    }
    match &warning.setting {
        Some(setting) => (
            Some(escape(policy).into_owned()),
            map.locate(setting).map(|(line, _)| line),
        ),
        None => (None, None),
    }
}

/// Cross-checks the policy with the workflows, when asked or when `.github/workflows`
/// exists, and returns the warnings.
fn check_workflows(
    args: &ValidateArgs,
    settings: &RepoSettings,
) -> Result<Vec<WorkflowWarning>, Error> {
    if args.no_workflows {
        return Ok(Vec::new());
    }
    let dir = if let Some(dir) = &args.workflows {
        dir.clone()
    } else {
        let default = Path::new(".github/workflows");
        if !default.is_dir() {
            return Ok(Vec::new());
        }
        default.to_path_buf()
    };
    let index = workflows::scan(&dir)?;
    Ok(workflows::check(settings, &index))
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
