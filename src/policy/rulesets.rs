//! The rules about rulesets a JSON Schema cannot say (they tie one key to another, or
//! compare names with each other), each reported at the key or value it is about.

use std::collections::BTreeMap;

use super::document::Findings;
use super::source_map::Segment;
use crate::model::names::{Text, check_login, check_slug};
use crate::model::ref_pattern::{is_githubs_name, malformed};
use crate::model::{
    Account, AccountRef, Actor, BypassActor, BypassMode, RepoSettings, RuleType, Ruleset,
    RulesetTarget,
};
use crate::output::untrusted::quote;

/// Where a problem is: at the key of a path, or at its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// The key (or list item).
    Key,
    /// The value.
    Value,
}

/// One problem: its path, where on it, and the message.
type Problem = (Vec<Segment>, At, String);

/// Reports every problem of the policy's rulesets.
pub(super) fn check_rulesets(settings: &RepoSettings, findings: &mut Findings) {
    for (path, at, message) in check(&settings.rulesets) {
        match at {
            At::Key => findings.at_key(path, message),
            At::Value => findings.at_value(path, message),
        }
    }
}

/// Returns `base` extended by `tail` (numbers in `tail` are list indexes).
fn at(base: &[Segment], tail: &[&str]) -> Vec<Segment> {
    let mut path = base.to_vec();
    path.extend(tail.iter().map(|p| {
        p.parse::<usize>()
            .map_or_else(|_| Segment::from(*p), Segment::Index)
    }));
    path
}

/// Returns every problem of the rulesets.
fn check(rulesets: &BTreeMap<Text, Ruleset>) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (name, ruleset) in rulesets {
        let path: Vec<Segment> = vec!["rulesets".into(), name.as_str().into()];
        // GitHub refuses two rulesets whose names differ only in case.
        if let Some(first) = seen.insert(name.to_lowercase(), name) {
            found.push((
                path.clone(),
                At::Key,
                format!(
                    "rulesets {} and {} differ only in case; GitHub treats them as one name",
                    quote(first),
                    quote(name)
                ),
            ));
        }
        check_patterns(ruleset, &path, &mut found);
        check_other_rules(ruleset, &path, &mut found);
        for (i, actor) in ruleset.bypass.iter().enumerate() {
            check_actor(
                actor,
                &ruleset.target,
                &at(&path, &["bypass", &i.to_string()]),
                &mut found,
            );
        }
    }
    found
}

fn check_patterns(ruleset: &Ruleset, path: &[Segment], found: &mut Vec<Problem>) {
    match ruleset.target.ref_prefix() {
        None => {
            for key in ["include", "exclude"] {
                let list = if key == "include" {
                    &ruleset.include
                } else {
                    &ruleset.exclude
                };
                if !list.is_empty() {
                    found.push((
                        at(path, &[key]),
                        At::Key,
                        format!("a `push` ruleset applies to every push; it takes no `{key}`"),
                    ));
                }
            }
        }
        Some(prefix) => {
            if ruleset.include.is_empty() {
                // At `include: []` when it is written, else at the ruleset.
                found.push((
                    at(path, &["include"]),
                    At::Key,
                    format!(
                        "a `{}` ruleset needs `include`: the refs it applies to (`~DEFAULT_BRANCH`, `~ALL`, names or globs)",
                        ruleset.target.as_str()
                    ),
                ));
            }
            for (key, list) in [("include", &ruleset.include), ("exclude", &ruleset.exclude)] {
                for (i, pattern) in list.iter().enumerate() {
                    let item = at(path, &[key, &i.to_string()]);
                    // Blank and unprintable patterns are refused by their type, `Pattern`.
                    if ruleset.target.foreign_ref(pattern) {
                        found.push((
                            item.clone(),
                            At::Value,
                            format!(
                                "{} is not a {} ref: in a `{}` ruleset write patterns without a prefix (`main`), or with `{prefix}`",
                                quote(pattern),
                                ruleset.target.as_str(),
                                ruleset.target.as_str()
                            ),
                        ));
                    } else if pattern.starts_with('~') && !is_githubs_name(pattern) {
                        found.push((
                            item.clone(),
                            At::Value,
                            format!(
                                "{} is not GitHub's: write `~DEFAULT_BRANCH` or `~ALL`",
                                quote(pattern)
                            ),
                        ));
                    } else if let Some(reason) = malformed(pattern) {
                        found.push((
                            item.clone(),
                            At::Value,
                            format!("{} is not a well-formed pattern: {reason}", quote(pattern)),
                        ));
                    }
                }
            }
        }
    }
}

/// `other` holds rule types gh-policy does not model, each once: a modelled type there, or a
/// type twice, would be written twice and read back once, drifting on every run.
fn check_other_rules(ruleset: &Ruleset, path: &[Segment], found: &mut Vec<Problem>) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, other) in ruleset.rules.other.iter().enumerate() {
        let item = at(path, &["rules", "other", &i.to_string(), "type"]);
        if let Some(key) = RuleType::parse(&other.kind).policy_key() {
            found.push((
                item,
                At::Value,
                format!(
                    "rule type {} is one gh-policy models: write it as `rules.{key}`, not in `other`",
                    quote(&other.kind)
                ),
            ));
        } else if let Some(first) = seen.insert(&other.kind, i) {
            found.push((
                item,
                At::Value,
                format!(
                    "rule type {} is listed twice in `other` (item {} too): GitHub keeps one rule of a type; keep one",
                    quote(&other.kind),
                    first + 1
                ),
            ));
        }
    }
}

fn check_actor(
    actor: &BypassActor,
    target: &RulesetTarget,
    path: &[Segment],
    found: &mut Vec<Problem>,
) {
    let Some(who) = actor.actor() else {
        found.push((
            path.to_vec(),
            At::Key,
            "a bypass actor is exactly one of `role`, `role_id`, `team`, `team_id`, `app`, `app_id`, `user`, `user_id`, `org_admins: true`, `deploy_keys: true`".to_owned(),
        ));
        return;
    };
    if let Actor::Account(account, AccountRef::Name(name)) = &who {
        let checked = match account {
            Account::User => check_login(name),
            Account::Team | Account::App => check_slug(name),
        };
        if let Err(reason) = checked {
            let key = account.keys().0;
            found.push((
                at(path, &[key]),
                At::Value,
                format!("invalid {key} {}: {reason}", quote(name)),
            ));
        }
    }
    if actor.mode == BypassMode::PullRequest {
        if who == Actor::DeployKeys {
            found.push((
                at(path, &["mode"]),
                At::Value,
                "deploy keys cannot bypass by pull request only".to_owned(),
            ));
        } else if *target != RulesetTarget::Branch {
            found.push((
                at(path, &["mode"]),
                At::Value,
                "`mode: pull_request` applies to branch rulesets only".to_owned(),
            ));
        }
    }
}
