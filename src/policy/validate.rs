//! The repository policy's rules that a JSON Schema cannot state, by name, in one place.
//!
//! Everything else (names, ranges, limits, shapes, `protected: false` alone,
//! `prevent_self_review` with reviewers) is in the model's JSON Schema, which the loader
//! applies first; these run on a document that passed it. Each finding is located through
//! the source map at the key or value it is about.

use std::collections::BTreeMap;

use super::document::{Document, Findings, Rule};
use super::source_map::Segment;
use crate::model::limits::{MAX_REVIEWERS, MAX_SECRETS, MAX_VARIABLE_BYTES};
use crate::model::{Environment, RepoSettings, Reviewer};
use crate::output::untrusted::quote;

impl Document for RepoSettings {
    const RULES: &'static [Rule<Self>] = &[
        Rule {
            name: "check-pins-agree",
            why_in_code: "compares list items with each other (same context, different app), in branches and rulesets",
            check: check_pins_agree,
        },
        Rule {
            name: "environment-names-differ-in-more-than-case",
            why_in_code: "compares mapping keys with each other, ignoring case",
            check: environment_case_duplicates,
        },
        Rule {
            name: "distinct-reviewers-limit",
            why_in_code: "counts distinct items; maxItems counts every item",
            check: distinct_reviewers,
        },
        Rule {
            name: "secret-names-differ-in-more-than-case",
            why_in_code: "compares list items with each other, ignoring case",
            check: secret_case_duplicates,
        },
        Rule {
            name: "secret-sources-agree",
            why_in_code: "compares list items with each other (same name, different from_env)",
            check: secret_sources_agree,
        },
        Rule {
            name: "distinct-secrets-limit",
            why_in_code: "counts distinct items; maxItems counts every item",
            check: distinct_secrets,
        },
        Rule {
            name: "variable-names-differ-in-more-than-case",
            why_in_code: "compares mapping keys with each other, ignoring case",
            check: variable_case_duplicates,
        },
        Rule {
            name: "variable-value-bytes",
            why_in_code: "a size in UTF-8 bytes; maxLength counts characters",
            check: variable_value_bytes,
        },
        Rule {
            name: "ruleset-conditions-fit-the-target",
            why_in_code: "ties `include`/`exclude` and bypass modes to `target`, one actor key of many, names compared ignoring case, and `other` rule types compared with the modelled ones and each other",
            check: super::rulesets::check_rulesets,
        },
        Rule {
            name: "requirement-keys-name-a-branch",
            why_in_code: "a branch name or GitHub's one name, `~DEFAULT_BRANCH`, with the closest suggested",
            check: requirement_keys,
        },
        Rule {
            name: EXCEPTIONS_RULE,
            why_in_code: "compares `expires` with the clock and `path` with the policy's own keys",
            check: check_exceptions,
        },
    ];
}

/// The rule about exceptions, which an organisation policy's layers run apart (an
/// exception in one layer may name what another layer sets).
pub(super) const EXCEPTIONS_RULE: &str = "exceptions-expire-soon-and-name-something";

/// A requirement is on a branch, or on `~DEFAULT_BRANCH`; `~DEFAULT` is a mistyped one, as
/// in a ruleset's `include`.
fn requirement_keys(settings: &RepoSettings, findings: &mut Findings) {
    for key in settings.requirements.keys() {
        let path = vec!["requirements".into(), key.into()];
        if key.starts_with('~') {
            if key != "~DEFAULT_BRANCH" {
                findings.at_key(
                    path,
                    format!(
                        "{} is not GitHub's: write `~DEFAULT_BRANCH`, or a branch's name",
                        quote(key)
                    ),
                );
            }
        } else if let Err(reason) = crate::model::names::check_branch(key) {
            findings.at_key(
                path,
                format!("{} is not a branch name: {reason}", quote(key)),
            );
        }
    }
}

fn environment_path(name: &str) -> Vec<Segment> {
    vec!["environments".into(), name.into()]
}

/// The same check context listed twice with different apps (or once bare, once pinned):
/// which one is meant? GitHub keeps one, so the other drifts on every run. In classic
/// protection and in rulesets alike.
fn check_pins_agree(settings: &RepoSettings, findings: &mut Findings) {
    let branches = settings.branches.iter().filter_map(|(name, branch)| {
        let checks = branch.status_checks.as_ref()?;
        let path: Vec<Segment> = vec![
            "branches".into(),
            name.as_str().into(),
            "status_checks".into(),
            "required".into(),
        ];
        Some((path, checks.required.as_slice()))
    });
    let rulesets = settings.rulesets.iter().filter_map(|(name, ruleset)| {
        let checks = ruleset.rules.status_checks.as_ref()?;
        let path: Vec<Segment> = vec![
            "rulesets".into(),
            name.as_str().into(),
            "rules".into(),
            "status_checks".into(),
            "required".into(),
        ];
        Some((path, checks.required.as_slice()))
    });
    for (list, checks) in branches.chain(rulesets) {
        // context → (first index, its pin as written).
        let mut seen: BTreeMap<&str, (usize, String)> = BTreeMap::new();
        for (i, check) in checks.iter().enumerate() {
            let pin = match (&check.app, check.app_id) {
                (Some(app), _) => format!("`app: {}`", crate::output::untrusted::escape(app)),
                (None, Some(id)) => format!("`app_id: {id}`"),
                (None, None) => String::from("any app"),
            };
            match seen.get(check.context.as_str()) {
                Some((first, first_pin)) if *first_pin != pin => {
                    let mut path = list.clone();
                    path.push(i.into());
                    findings.at_value(
                        path,
                        format!(
                            "check {} is listed twice with different apps ({first_pin} in item {}, {pin} here): keep one",
                            quote(&check.context),
                            first + 1
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    seen.insert(&check.context, (i, pin));
                }
            }
        }
    }
}

/// `Production` and `production` are one environment on GitHub.
fn environment_case_duplicates(settings: &RepoSettings, findings: &mut Findings) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for name in settings.environments.keys() {
        match seen.get(&name.to_lowercase()) {
            Some(first) => findings.with_other(
                environment_path(name),
                environment_path(first),
                format!(
                    "environment {} and {} ({{other}}) are one environment: GitHub matches environment names without case; keep one",
                    quote(name),
                    quote(first)
                ),
            ),
            None => {
                seen.insert(name.to_lowercase(), name);
            }
        }
    }
}

/// At most six reviewers; one listed twice counts once. (Exact repeats only, as the
/// schema's `uniqueItems` sees them, so that both give one verdict.)
fn distinct_reviewers(settings: &RepoSettings, findings: &mut Findings) {
    for (name, env) in &settings.environments {
        let mut distinct: Vec<&Reviewer> = env.reviewers.iter().collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() > MAX_REVIEWERS {
            let mut path = environment_path(name);
            path.push("reviewers".into());
            findings.at_key(
                path,
                format!(
                    "at most {MAX_REVIEWERS} reviewers (users and teams together) per environment; found {} different ones",
                    distinct.len()
                ),
            );
        }
    }
}

fn secret_path(name: &str, index: usize) -> Vec<Segment> {
    let mut path = environment_path(name);
    path.extend(["secrets".into(), index.into()]);
    path
}

/// `SSH_KEY` and `ssh_key` are one secret on GitHub.
fn secret_case_duplicates(settings: &RepoSettings, findings: &mut Findings) {
    for (name, env) in &settings.environments {
        let mut seen: BTreeMap<String, (usize, &str)> = BTreeMap::new();
        for (i, secret) in env.secrets.iter().enumerate() {
            let key = secret.name.to_uppercase();
            match seen.get(&key) {
                Some((first, spelled)) if *spelled != secret.name.as_str() => findings.with_other(
                    secret_path(name, i),
                    secret_path(name, *first),
                    format!(
                        "secret {} and {} ({{other}}) are one secret: GitHub matches secret names without case; keep one spelling",
                        quote(&secret.name),
                        quote(spelled)
                    ),
                ),
                Some(_) => {}
                None => {
                    seen.insert(key, (i, &secret.name));
                }
            }
        }
    }
}

/// The same secret listed twice with different sources: which value does `apply` upload?
fn secret_sources_agree(settings: &RepoSettings, findings: &mut Findings) {
    for (name, env) in &settings.environments {
        let mut sources: BTreeMap<&str, (usize, Option<&str>)> = BTreeMap::new();
        for (i, secret) in env.secrets.iter().enumerate() {
            let source = secret.from_env.as_deref();
            match sources.get(secret.name.as_str()) {
                Some((first, first_source)) if *first_source != source => {
                    let describe = |source: Option<&str>| {
                        source.map_or_else(
                            || String::from("no `from_env`"),
                            |v| format!("`from_env: {}`", crate::output::untrusted::escape(v)),
                        )
                    };
                    findings.at_value(
                        secret_path(name, i),
                        format!(
                            "secret {} is listed twice with different sources ({} in item {}, {} here): keep one",
                            quote(&secret.name),
                            describe(*first_source),
                            first + 1,
                            describe(source)
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    sources.insert(&secret.name, (i, source));
                }
            }
        }
    }
}

/// At most 100 secrets; one listed twice counts once (names differing in case are refused
/// by their own rule).
fn distinct_secrets(settings: &RepoSettings, findings: &mut Findings) {
    for (name, env) in &settings.environments {
        let mut distinct: Vec<&str> = env.secrets.iter().map(|s| s.name.as_str()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > MAX_SECRETS {
            let mut path = environment_path(name);
            path.push("secrets".into());
            findings.at_key(
                path,
                format!(
                    "at most {MAX_SECRETS} secrets per environment; found {} different ones",
                    distinct.len()
                ),
            );
        }
    }
}

fn variable_path(name: &str, variable: &str) -> Vec<Segment> {
    let mut path = environment_path(name);
    path.extend(["variables".into(), variable.into()]);
    path
}

/// `REGION` and `region` are one variable on GitHub.
fn variable_case_duplicates(settings: &RepoSettings, findings: &mut Findings) {
    for (name, env) in &settings.environments {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for variable in env.variables.keys() {
            match seen.get(&variable.to_uppercase()) {
                Some(first) => findings.with_other(
                    variable_path(name, variable),
                    variable_path(name, first),
                    format!(
                        "variable {} and {} ({{other}}) are one variable: GitHub matches variable names without case; keep one",
                        quote(variable),
                        quote(first)
                    ),
                ),
                None => {
                    seen.insert(variable.to_uppercase(), variable);
                }
            }
        }
    }
}

/// A variable's value is at most 48 KB, counted in bytes.
fn variable_value_bytes(settings: &RepoSettings, findings: &mut Findings) {
    for (name, env) in &settings.environments {
        check_variable_sizes(name, env, findings);
    }
}

fn check_variable_sizes(name: &str, env: &Environment, findings: &mut Findings) {
    for (variable, value) in &env.variables {
        if value.len() > MAX_VARIABLE_BYTES {
            findings.at_value(
                variable_path(name, variable),
                format!(
                    "the value of variable {} is {} bytes; GitHub keeps at most {MAX_VARIABLE_BYTES} (48 KB)",
                    quote(variable),
                    value.len()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests;

/// An exception must expire within 90 days and name something the policy manages; the clock
/// is `GH_POLICY_NOW` or now (when it cannot be read, the command reports that instead).
pub(super) fn check_exceptions(settings: &RepoSettings, findings: &mut Findings) {
    if settings.exceptions.is_empty() {
        return;
    }
    let Ok(now) = crate::plan::exceptions::now() else {
        return;
    };
    for (dotted, message) in crate::plan::exceptions::check::check(settings, now).0 {
        // `exceptions.N.KEY`: no key of its own has a dot.
        let path: Vec<Segment> = dotted
            .split('.')
            .map(|p| {
                p.parse::<usize>()
                    .map_or_else(|_| Segment::from(p), Segment::Index)
            })
            .collect();
        findings.at_value(path, message);
    }
}
