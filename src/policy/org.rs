//! A policy file is a repository's policy, or an organisation's (`organization:` at the
//! top). The organisation policy goes through the same pipeline: its schema holds every
//! layer to a repository policy's names, its rules run a repository policy's rules on each
//! layer and refuse a name glob that is not well formed, and on top `validate` refuses a
//! group or a `repositories` entry that would loosen a requirement an earlier layer sets;
//! every problem located at its own line.

use std::path::Path;

use super::document::{Document, Findings, Rule};
use super::source_map::Segment;
use super::validate::{EXCEPTIONS_RULE, check_exceptions};
use super::{Diagnostic, PolicyError, SourceMap, parse_document, read, to_json};
use crate::model::ref_pattern::malformed;
use crate::model::{OrgPolicy, PolicyBody, RepoSettings};
use crate::org::merge::loosenings;
use crate::output::untrusted::quote;

impl Document for OrgPolicy {
    const RULES: &'static [Rule<Self>] = &[
        Rule {
            name: "every-layer-keeps-the-repository-rules",
            why_in_code: "runs the repository policy's rules on each layer: `defaults`, each group's `policy`, each `repositories` entry",
            check: layer_rules,
        },
        Rule {
            name: "name-globs-are-well-formed",
            why_in_code: "parses each glob of `select.names` and `exclude` (a pattern cannot say that a `[` is closed)",
            check: name_globs,
        },
        Rule {
            name: "repository-entries-differ-in-more-than-case",
            why_in_code: "compares mapping keys with each other, ignoring case",
            check: repository_case_duplicates,
        },
    ];
}

/// The layers of an organisation policy, each with its path in the file.
fn layers(policy: &OrgPolicy) -> Vec<(Vec<Segment>, &PolicyBody)> {
    std::iter::once((vec![Segment::from("defaults")], &policy.defaults))
        .chain(policy.groups.iter().map(|(name, group)| {
            (
                vec!["groups".into(), name.as_str().into(), "policy".into()],
                &group.policy,
            )
        }))
        .chain(
            policy
                .repositories
                .iter()
                .map(|(name, body)| (vec!["repositories".into(), name.as_str().into()], body)),
        )
        .collect()
}

/// A layer as a repository policy.
fn as_settings(body: &PolicyBody) -> RepoSettings {
    RepoSettings {
        version: 1,
        repository: None,
        branches: body.branches.clone(),
        environments: body.environments.clone(),
        rulesets: body.rulesets.clone(),
        requirements: body.requirements.clone(),
        settings: body.settings.clone(),
        security: body.security.clone(),
        actions: body.actions.clone(),
        exceptions: body.exceptions.clone(),
        prune: body.prune.clone(),
    }
}

/// Every layer is checked by the rules of a repository policy, each problem at its own
/// line. An exception may name what another layer sets, so exceptions are checked against
/// all the layers' keys together.
fn layer_rules(policy: &OrgPolicy, findings: &mut Findings) {
    let layers = layers(policy);
    let mut everything = RepoSettings::empty();
    for (_, body) in &layers {
        let settings = as_settings(body);
        for (name, branch) in settings.branches {
            everything.branches.entry(name).or_insert(branch);
        }
        for (name, environment) in settings.environments {
            everything.environments.entry(name).or_insert(environment);
        }
        for (name, ruleset) in settings.rulesets {
            everything.rulesets.entry(name).or_insert(ruleset);
        }
        for (name, requirement) in settings.requirements {
            everything.requirements.entry(name).or_insert(requirement);
        }
    }
    for (prefix, body) in &layers {
        let mut settings = as_settings(body);
        let exceptions = std::mem::take(&mut settings.exceptions);
        findings.under(prefix, |inner| {
            for rule in RepoSettings::RULES
                .iter()
                .filter(|r| r.name != EXCEPTIONS_RULE)
            {
                (rule.check)(&settings, inner);
            }
        });
        if !exceptions.is_empty() {
            let mut named = everything.clone();
            named.exceptions = exceptions;
            findings.under(prefix, |inner| check_exceptions(&named, inner));
        }
    }
}

/// A glob of `select.names` or `exclude` that is not well formed would select nothing.
fn name_globs(policy: &OrgPolicy, findings: &mut Findings) {
    let mut check = |path: Vec<Segment>, glob: &str| {
        if let Some(reason) = malformed(glob) {
            findings.at_value(
                path,
                format!(
                    "{} is not a well-formed name glob: {reason}",
                    crate::output::untrusted::quote(glob)
                ),
            );
        }
    };
    for (name, group) in &policy.groups {
        for (i, glob) in group.select.names.iter().enumerate() {
            check(
                vec![
                    "groups".into(),
                    name.as_str().into(),
                    "select".into(),
                    "names".into(),
                    i.into(),
                ],
                glob,
            );
        }
    }
    for (i, glob) in policy.exclude.iter().enumerate() {
        check(vec!["exclude".into(), i.into()], glob);
    }
}

/// `svc-004` and `SVC-004` are one repository on GitHub: two entries would merge into one
/// policy and one of them, perhaps the stricter, would be lost.
fn repository_case_duplicates(policy: &OrgPolicy, findings: &mut Findings) {
    let path = |name: &str| -> Vec<Segment> { vec!["repositories".into(), name.into()] };
    let mut seen: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for name in policy.repositories.keys() {
        match seen.get(&name.to_lowercase()) {
            Some(first) => findings.with_other(
                path(name),
                path(first),
                format!(
                    "repositories {} and {} ({{other}}) are one repository: GitHub matches repository names without case; keep one entry",
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

/// A policy file of either kind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "one value per run, read once: boxing the repository policy too would buy nothing"
)]
pub enum PolicyFile {
    /// One repository's policy.
    Repository(RepoSettings),
    /// An organisation's.
    Organization(Box<OrgPolicy>),
}

/// Reads a policy file of either kind; `-` reads standard input.
pub fn load_any(path: &Path) -> Result<(PolicyFile, SourceMap), PolicyError> {
    let display = read::display_name(path);
    let text = read::read(path, &display)?;
    parse_any(&display, &text)
}

/// Parses policy text of either kind.
pub fn parse_any(display: &str, text: &str) -> Result<(PolicyFile, SourceMap), PolicyError> {
    let json = to_json(display, text).unwrap_or(serde_json::Value::Null);
    if json.get("organization").is_none() {
        let (settings, map) = parse_document::<RepoSettings>(display, text)?;
        return Ok((PolicyFile::Repository(settings), map));
    }
    let (mut policy, map) = parse_document::<OrgPolicy>(display, text)?;
    policy.written = json.clone();
    let diagnostics: Vec<Diagnostic> = loosenings(&policy, &json)
        .into_iter()
        .map(|(dotted, message)| {
            let path: Vec<Segment> = dotted_to_path(&dotted, &policy);
            match map.locate_value_path(&path) {
                Some((line, column)) => Diagnostic::at(display, line, column, message),
                None => Diagnostic::file(display, message),
            }
        })
        .collect();
    if diagnostics.is_empty() {
        Ok((PolicyFile::Organization(Box::new(policy)), map))
    } else {
        Err(PolicyError { diagnostics })
    }
}

/// Splits a loosening's dotted path back into segments, keeping group, repository and
/// branch names whole (they may contain dots).
fn dotted_to_path(dotted: &str, policy: &OrgPolicy) -> Vec<Segment> {
    let (layer, rest): (Vec<Segment>, &str) = if let Some(rest) = dotted.strip_prefix("groups.") {
        let name = policy
            .groups
            .keys()
            .filter(|n| rest.starts_with(&format!("{n}.policy.")))
            .max_by_key(|n| n.len())
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default();
        let tail = &rest[(name.len() + ".policy.".len()).min(rest.len())..];
        (
            vec!["groups".into(), name.as_str().into(), "policy".into()],
            tail,
        )
    } else if let Some(rest) = dotted.strip_prefix("repositories.") {
        let name = policy
            .repositories
            .keys()
            .filter(|n| rest.starts_with(&format!("{n}.")))
            .max_by_key(|n| n.len())
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default();
        let tail = &rest[(name.len() + 1).min(rest.len())..];
        (vec!["repositories".into(), name.as_str().into()], tail)
    } else {
        (Vec::new(), dotted)
    };
    // `requirements.BRANCH.KEY`: the key has no dot, the branch may.
    let mut path = layer;
    if let Some(rest) = rest.strip_prefix("requirements.")
        && let Some((branch, key)) = rest.rsplit_once('.')
    {
        path.extend(["requirements".into(), branch.into(), key.into()]);
    } else if let Some((section, key)) = rest.split_once('.')
        && matches!(section, "security" | "actions")
    {
        path.extend([section.into(), key.into()]);
    }
    path
}
