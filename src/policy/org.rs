//! A policy file is a repository's policy, or an organisation's (`organization:` at the
//! top). The organisation policy goes through the same pipeline; on top of its schema,
//! `validate` refuses a group or a `repositories` entry that would loosen a requirement an
//! earlier layer sets, located at that value's line.

use std::path::Path;

use super::document::{Document, Findings, Rule};
use super::source_map::Segment;
use super::{Diagnostic, PolicyError, SourceMap, parse_document, read, to_json};
use crate::model::{OrgPolicy, RepoSettings};
use crate::org::merge::loosenings;
use crate::untrusted::quote;

impl Document for OrgPolicy {
    const RULES: &'static [Rule<Self>] = &[Rule {
        name: "repository-entries-differ-in-more-than-case",
        why_in_code: "compares mapping keys with each other, ignoring case",
        check: repository_case_duplicates,
    }];
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
            .cloned()
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
            .cloned()
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
    }
    path
}
