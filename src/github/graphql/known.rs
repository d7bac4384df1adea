//! What one repository's part of a query told, as the REST answers it stands for, and why
//! each part it does not answer whole is read through REST instead.

use std::collections::BTreeMap;

use super::answer::RepositoryNode;
use super::page::{Edges, Page};
use crate::github::wire::account::Repository;
use crate::github::wire::protection::Protection;
use crate::github::wire::ruleset::{Ruleset, RulesetSummary};
use crate::output::untrusted::quote;

/// A repository's rulesets as GraphQL told them.
#[derive(Debug, Clone, Default)]
pub(super) struct KnownRulesets {
    /// The list (REST's `…/rulesets?includes_parents=true`), whole.
    pub summaries: Vec<RulesetSummary>,
    /// The repository's own rulesets GraphQL showed whole, by id; any other is read
    /// through REST.
    pub whole: BTreeMap<u64, Ruleset>,
}

/// What one repository's part of a query told.
#[derive(Debug, Clone, Default)]
pub(super) struct Known {
    /// The repository (`None`: read through REST).
    pub repository: Option<Repository>,
    /// Each rule's protection (`None` where part of it was not known) and the branches it
    /// protects; `None` when the rules are not known whole.
    pub rules: Option<Vec<(Option<Protection>, Vec<String>)>>,
    /// The rulesets; `None` when the list is not known whole.
    pub rulesets: Option<KnownRulesets>,
    /// Every branch's name; `None` when not known whole.
    pub branches: Option<Vec<String>>,
    /// The logins of the people with write access; `None` when not known whole.
    pub writers: Option<Vec<String>>,
}

/// The fields of a repository whose errors leave the rest of its part known: an error
/// there makes only that part unknown.
pub(super) const PARTS: [(&str, &str); 4] = [
    ("branchProtectionRules", "classic protection"),
    ("rulesets", "rulesets"),
    ("refs", "the branches"),
    ("collaborators", "the people with write access"),
];

/// Reads a repository's part, given the errors GraphQL answered for its fields in
/// [`PARTS`] (field, message); returns it with why each part not answered whole is read
/// through REST (`part: why`).
pub(super) fn known(node: &RepositoryNode, errors: &[(&str, String)]) -> (Known, Vec<String>) {
    let mut gaps = Vec::new();
    let repository = node.repository();
    if repository.is_none() {
        gaps.push("the repository: GraphQL did not name its default branch".to_owned());
    }
    for (field, part) in PARTS {
        if let Some((_, message)) = errors.iter().find(|(f, _)| *f == field) {
            gaps.push(format!("{part}: GraphQL answered with an error{message}"));
        }
    }
    let erred = |field: &str| errors.iter().any(|(f, _)| *f == field);
    let rules = if erred("branchProtectionRules") {
        None
    } else {
        classic_rules(node, &mut gaps)
    };
    let rulesets = if erred("rulesets") {
        None
    } else {
        rulesets(node, &mut gaps)
    };
    let branches = if erred("refs") {
        None
    } else {
        whole(node.refs.as_ref(), Page::whole, "the branches", &mut gaps)
            .map(|refs| refs.into_iter().map(|r| r.name.clone()).collect())
    };
    let writers = if erred("collaborators") {
        None
    } else {
        whole(
            node.collaborators.as_ref(),
            Edges::whole,
            "the people with write access",
            &mut gaps,
        )
        .map(|edges| {
            edges
                .into_iter()
                .filter(|e| e.writes())
                .map(|e| e.node.login.clone())
                .collect()
        })
    };
    (
        Known {
            repository,
            rules,
            rulesets,
            branches,
            writers,
        },
        gaps,
    )
}

/// A list's items when GraphQL gave it whole; otherwise notes why `part` is read through
/// REST: the list is null, or `items` finds it more than one page (or an item null).
fn whole<'a, P, T>(
    page: Option<&'a P>,
    items: impl Fn(&'a P) -> Option<Vec<T>>,
    part: &str,
    gaps: &mut Vec<String>,
) -> Option<Vec<T>> {
    let Some(page) = page else {
        gaps.push(format!("{part}: GraphQL answered them null"));
        return None;
    };
    let found = items(page);
    if found.is_none() {
        gaps.push(format!("{part}: more than one page"));
    }
    found
}

fn classic_rules(
    node: &RepositoryNode,
    gaps: &mut Vec<String>,
) -> Option<Vec<(Option<Protection>, Vec<String>)>> {
    if !node.sees_protection() {
        gaps.push(format!(
            "classic protection: GraphQL shows it only to writers (the token's permission: {})",
            node.viewer_permission.as_deref().unwrap_or("none")
        ));
        return None;
    }
    let Some(rules) = node.branch_protection_rules.as_ref().and_then(Page::whole) else {
        gaps.push("classic protection: its rules are null or more than one page".to_owned());
        return None;
    };
    let mut known = Vec::new();
    for rule in rules {
        let Some(refs) = rule.matching_refs.whole() else {
            gaps.push("classic protection: a rule protects more branches than one page".to_owned());
            return None;
        };
        let refs: Vec<String> = refs.into_iter().map(|r| r.name.clone()).collect();
        let protection = rule.protection();
        if protection.is_none() {
            let names: Vec<String> = refs.iter().map(|r| quote(r)).collect();
            gaps.push(format!(
                "classic protection of {}: GraphQL does not show its rule whole",
                names.join(", ")
            ));
        }
        known.push((protection, refs));
    }
    Some(known)
}

fn rulesets(node: &RepositoryNode, gaps: &mut Vec<String>) -> Option<KnownRulesets> {
    let Some(page) = node.rulesets.as_ref() else {
        gaps.push("rulesets: GraphQL answered them null".to_owned());
        return None;
    };
    let Some(nodes) = page.whole() else {
        gaps.push("rulesets: more than one page".to_owned());
        return None;
    };
    let mut known = KnownRulesets::default();
    for ruleset in nodes {
        let Some(summary) = ruleset.summary() else {
            gaps.push(format!(
                "rulesets: GraphQL did not give the id or source of {}",
                quote(&ruleset.name)
            ));
            return None;
        };
        // An organisation's ruleset is read once for the run, or through REST where it
        // applies: only the repository's own are read whole here.
        if ruleset.is_own() {
            match ruleset.whole() {
                Ok(whole) => {
                    known.whole.insert(summary.id, whole);
                }
                Err(why) => gaps.push(format!(
                    "ruleset {} (id {}): {why}",
                    quote(&summary.name),
                    summary.id
                )),
            }
        }
        known.summaries.push(summary);
    }
    Some(known)
}
