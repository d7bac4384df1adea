//! Exceptions (DESIGN §9): drift accepted until a date.
//!
//! - `mod.rs`: the clock (`GH_POLICY_NOW` overrides it), when an exception expires, and
//!   what its `path` names, resolved against the policy's own keys (so names with dots
//!   work).
//! - `mark`: marks the drift of a plan that active exceptions accept, and says which are
//!   about to expire or match nothing.
//! - `check`: what `validate` refuses (a missing `expires`, one too far away, a path that
//!   names nothing).

pub mod check;
pub mod mark;

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, Time};

use crate::model::RepoSettings;
use crate::model::names::{BranchName, EnvironmentName, Text};
use crate::plan::{Address, SettingPath};

/// The variable that overrides the clock (RFC 3339), for tests and reproducible reports.
pub const NOW_VAR: &str = "GH_POLICY_NOW";

/// Returns the time exceptions are judged at: `GH_POLICY_NOW`, else now.
pub fn now() -> Result<OffsetDateTime, String> {
    match std::env::var(NOW_VAR) {
        Ok(text) if !text.trim().is_empty() => OffsetDateTime::parse(text.trim(), &Rfc3339)
            .map_err(|err| format!("{NOW_VAR} is not an RFC 3339 time ({err})")),
        _ => Ok(OffsetDateTime::now_utc()),
    }
}

/// Returns when an exception stops being active: a date lasts to the end of that day, UTC
/// (it is expired from the next midnight); an RFC 3339 time is the moment itself.
pub fn expires_at(expires: &str) -> Result<OffsetDateTime, String> {
    let text = expires.trim();
    if let Ok(moment) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(moment);
    }
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str| s.parse::<i32>().ok();
    if let [year, month, day] = parts[..]
        && let (Some(year), Some(month), Some(day)) = (number(year), number(month), number(day))
        && let Ok(month) = Month::try_from(u8::try_from(month).unwrap_or(0))
        && let Ok(date) = Date::from_calendar_date(year, month, u8::try_from(day).unwrap_or(0))
        && let Some(next) = date.next_day()
    {
        return Ok(next.with_time(Time::MIDNIGHT).assume_utc());
    }
    Err(format!(
        "`{}` is not a date (2026-12-28) or an RFC 3339 time (2026-12-28T18:00:00Z)",
        crate::output::untrusted::escape(expires)
    ))
}

/// Returns what an exception is about, as people read it: its path, or its finding and
/// target.
pub fn subject(exception: &crate::model::Exception) -> String {
    match (&exception.finding, &exception.target) {
        (Some(finding), Some(target)) => format!("{finding} on {target}"),
        (Some(finding), None) => finding.clone(),
        _ => exception.path.clone(),
    }
}

/// The problem of an exception's form, at its key: exactly one of `path` (drift) and
/// `finding` (with its `target`), and a finding id that exists.
pub fn finding_problem(exception: &crate::model::Exception) -> Option<(&'static str, String)> {
    let Some(finding) = &exception.finding else {
        return exception.path.trim().is_empty().then(|| {
            (
                "path",
                "an exception needs a `path` (the drift it accepts) or a `finding` with its `target`"
                    .to_owned(),
            )
        });
    };
    if !exception.path.is_empty() {
        return Some((
            "finding",
            "an exception accepts either drift (`path`) or a finding (`finding` and `target`), not both".to_owned(),
        ));
    }
    if crate::protection::findings::FindingId::parse(finding).is_none() {
        let known: Vec<&str> = crate::protection::findings::FindingId::ALL
            .iter()
            .map(|id| id.as_str())
            .collect();
        return Some((
            "finding",
            format!(
                "{} is not a finding id; the ids are {}",
                crate::output::untrusted::quote(finding),
                known.join(", ")
            ),
        ));
    }
    match exception.target.as_deref() {
        None | Some("") => Some((
            "finding",
            "an exception for a finding needs its `target`, as the plan shows it (e.g. `branches.main`)".to_owned(),
        )),
        Some(_) => None,
    }
}

/// What an exception's `path` names: a plan address, and optionally a setting in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The resource, e.g. `branches.main`, `environments.prod.secrets.KEY` or `settings`.
    pub address: Address,
    /// The setting, e.g. `pull_request.required_approvals`; `None` names the whole change.
    pub setting: Option<SettingPath>,
}

impl Named {
    /// Returns true when this names the setting `path` of the change at `address` (a
    /// section names every setting in it).
    pub fn covers(&self, address: &Address, path: &SettingPath) -> bool {
        self.address == *address
            && self
                .setting
                .as_ref()
                .is_none_or(|setting| setting.covers(path))
    }
}

/// Resolves an exception path against the policy's keys; `None` when it names nothing the
/// policy manages. The repository-wide sections (DESIGN §12) are addresses of their own
/// (`settings`, `security`, `actions`), managed when the policy has them.
pub fn resolve(path: &str, policy: &RepoSettings) -> Option<Named> {
    let (section, rest) = path.split_once('.').unwrap_or((path, ""));
    let whole_section = match section {
        "settings" => policy.settings.as_ref().map(|_| Address::Settings),
        "security" => policy.security.as_ref().map(|_| Address::Security),
        "actions" => policy.actions.as_ref().map(|_| Address::Actions),
        _ => None,
    };
    if let Some(address) = whole_section {
        let setting = (!rest.is_empty()).then(|| SettingPath::parse(rest));
        return Some(Named { address, setting });
    }
    let keys: Vec<&str> = match section {
        "branches" => policy.branches.keys().map(BranchName::as_str).collect(),
        "environments" => policy
            .environments
            .keys()
            .map(EnvironmentName::as_str)
            .collect(),
        "rulesets" => policy.rulesets.keys().map(Text::as_str).collect(),
        "requirements" => policy.requirements.keys().map(String::as_str).collect(),
        _ => return None,
    };
    // The longest key that the rest starts with, as a whole segment.
    let key = keys
        .into_iter()
        .filter(|k| rest == *k || rest.starts_with(&format!("{k}.")))
        .max_by_key(|k| k.len())?;
    let mut address = match section {
        "branches" => Address::Branch(key.to_owned()),
        "environments" => Address::Environment(key.to_owned()),
        "rulesets" => Address::Ruleset(key.to_owned()),
        _ => Address::Requirement(key.to_owned()),
    };
    let mut remainder = rest[key.len()..].strip_prefix('.').map(str::to_owned);
    // An environment's secrets, variables and patterns are resources of their own.
    if section == "environments"
        && let Some(rest) = remainder.clone()
        && let Some((kind, tail)) = rest.split_once('.')
        && matches!(kind, "secrets" | "variables" | "deployment_branches")
    {
        let environment = &policy.environments[key];
        let names: Vec<String> = match kind {
            "secrets" => environment
                .secrets
                .iter()
                .map(|s| s.name.to_string())
                .collect(),
            "variables" => environment
                .variables
                .keys()
                .map(ToString::to_string)
                .collect(),
            _ => match &environment.deployment_branches {
                crate::model::DeploymentBranches::Custom(patterns) => {
                    patterns.iter().map(ToString::to_string).collect()
                }
                _ => Vec::new(),
            },
        };
        let name = names
            .into_iter()
            .filter(|n| tail == n.as_str() || tail.starts_with(&format!("{n}.")))
            .max_by_key(String::len)?;
        address = Address::in_environment(key, kind, &name)?;
        remainder = tail[name.len()..].strip_prefix('.').map(str::to_owned);
    }
    Some(Named {
        address,
        setting: remainder.map(|setting| SettingPath::parse(&setting)),
    })
}

#[cfg(test)]
mod tests;
