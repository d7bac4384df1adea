//! Deployment environments and what hangs off them: deployment patterns, secrets, variables.
//!
//! GitHub matches environment names without case and stores secret and variable names in
//! upper case; both sides are compared that way, so `Production` in a policy is the live
//! `production`, not a second environment created on every run.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

mod held;

pub(super) use held::held;

use super::leaves::{self, Leaves};
use super::{SecretSources, Unresolved, change, inapplicable};
use crate::model::live::{Identities, LiveState};
use crate::model::names::{EnvVarName, EnvironmentName};
use crate::model::{DeploymentBranches, DeploymentPattern, Environment, RepoSettings, Reviewer};
use crate::plan::{
    Action, Address, Change, DeploymentMode, Disposition, EnvironmentPut, EnvironmentWrite,
    FieldDiff, PatternWrite, ReviewerId, ReviewerKind, SecretWrite, Target, VariableWrite,
};
use crate::protection::weakening::{self, Protects};

/// Why a missing secret without a value source cannot be created.
pub const REASON_SECRET_VALUE: &str = "secret values are not in the policy";

/// Adds the changes of every listed environment (and of unlisted ones when pruning).
pub fn diff(
    desired: &RepoSettings,
    live: &LiveState,
    sources: &SecretSources,
    changes: &mut Vec<Change>,
) {
    let live_by_name: BTreeMap<String, (&EnvironmentName, &Environment)> = live
        .settings
        .environments
        .iter()
        .map(|(name, environment)| (name.to_lowercase(), (name, environment)))
        .collect();
    let listed: BTreeSet<String> = desired
        .environments
        .keys()
        .map(|n| n.to_lowercase())
        .collect();
    for (name, want) in &desired.environments {
        let have = live_by_name.get(&name.to_lowercase()).map(|(_, e)| *e);
        let action = if have.is_some() {
            Action::Update
        } else {
            Action::Create
        };
        let diffs = environment_diffs(have, want);
        if have.is_none() || !diffs.is_empty() {
            let target = environment_put(want, have, &live.ids).map(|put| Target::Environment {
                name: name.to_string(),
                write: EnvironmentWrite::Put(put),
            });
            changes.push(change(
                Address::Environment(name.to_string()),
                action,
                diffs,
                target,
            ));
        }
        let empty = Environment::default();
        let have = have.unwrap_or(&empty);
        diff_patterns(name, want, have, live, changes);
        diff_secrets(name, want, have, desired.prune.secrets, sources, changes);
        diff_variables(name, want, have, desired.prune.variables, changes);
    }
    if desired.prune.environments {
        for (lower, (name, have)) in &live_by_name {
            if !listed.contains(lower) {
                let diffs = leaves::compare(&environment_leaves(have), &Leaves::default());
                let target = Ok(Target::Environment {
                    name: name.to_string(),
                    write: EnvironmentWrite::Delete,
                });
                changes.push(change(
                    Address::Environment(name.to_string()),
                    Action::Delete,
                    diffs,
                    target,
                ));
            }
        }
    }
}

/// The settings differences, with the deployment mode shown in policy terms (the pattern
/// list rather than GitHub's `custom`).
fn environment_diffs(have: Option<&Environment>, want: &Environment) -> Vec<FieldDiff> {
    let live_leaves = have.map_or_else(Leaves::default, environment_leaves);
    let mut diffs = leaves::compare(&live_leaves, &environment_leaves(want));
    for diff in &mut diffs {
        if diff.path == "deployment_branches" {
            diff.live = have.map_or(Value::Null, |h| deployment_value(&h.deployment_branches));
            diff.policy = deployment_value(&want.deployment_branches);
        }
    }
    diffs
}

/// Builds an environment's PUT: a rule is sent when the policy sets it, or to reset a live
/// value that differs.
fn environment_put(
    want: &Environment,
    have: Option<&Environment>,
    ids: &Identities,
) -> Result<EnvironmentPut, Unresolved> {
    let mut reviewers = Vec::new();
    for reviewer in &want.reviewers {
        let (kind, id) = match reviewer {
            Reviewer::User(login) => (ReviewerKind::User, ids.user(login)),
            Reviewer::Team(slug) => (ReviewerKind::Team, ids.team(slug)),
        };
        let id = id.ok_or_else(|| Unresolved::new(format!("reviewer {reviewer}"), ids))?;
        reviewers.push(ReviewerId { kind, id });
    }
    reviewers.sort();
    reviewers.dedup();
    let self_review = effective_self_review(want);
    let live = have.cloned().unwrap_or_default();
    let resets = |differs: bool| have.is_some() && differs;
    Ok(EnvironmentPut {
        wait_timer: (want.wait_timer != 0 || resets(live.wait_timer != want.wait_timer))
            .then_some(want.wait_timer),
        prevent_self_review: (self_review || resets(effective_self_review(&live) != self_review))
            .then_some(self_review),
        reviewers: (!reviewers.is_empty() || resets(reviewer_set(&live) != reviewer_set(want)))
            .then_some(reviewers),
        deployment_branches: match want.deployment_branches {
            DeploymentBranches::All => DeploymentMode::All,
            DeploymentBranches::Protected => DeploymentMode::Protected,
            DeploymentBranches::Custom(_) => DeploymentMode::Custom,
        },
        can_admins_bypass: (!want.can_admins_bypass
            || resets(live.can_admins_bypass != want.can_admins_bypass))
        .then_some(want.can_admins_bypass),
    })
}

/// GitHub keeps the self-review rule inside the required-reviewers rule, which exists only
/// while there are reviewers: without reviewers it cannot be on.
fn effective_self_review(environment: &Environment) -> bool {
    environment.prevent_self_review && !environment.reviewers.is_empty()
}

fn reviewer_set(environment: &Environment) -> BTreeSet<(u8, String)> {
    environment
        .reviewers
        .iter()
        .map(|reviewer| match reviewer {
            Reviewer::User(login) => (0, login.to_lowercase()),
            Reviewer::Team(slug) => (1, slug.to_lowercase()),
        })
        .collect()
}

fn environment_leaves(environment: &Environment) -> Leaves {
    // Users first, then teams, each by name: the set's own order.
    let reviewers: Vec<Value> = reviewer_set(environment)
        .into_iter()
        .map(|(kind, name)| {
            if kind == 0 {
                json!({ "user": name })
            } else {
                json!({ "team": name })
            }
        })
        .collect();
    let mut leaves = Leaves::default();
    leaves.setting(
        "wait_timer",
        json!(environment.wait_timer),
        json!(0),
        Protects::AtLeast,
    );
    leaves.setting(
        "prevent_self_review",
        json!(effective_self_review(environment)),
        json!(false),
        Protects::WhenOn,
    );
    leaves.setting(
        "reviewers",
        Value::Array(reviewers),
        json!([]),
        Protects::EachItem,
    );
    leaves.setting(
        "can_admins_bypass",
        json!(environment.can_admins_bypass),
        json!(true),
        Protects::WhenOff,
    );
    // The mode is compared; which patterns is the business of their own changes.
    let mode = match environment.deployment_branches {
        DeploymentBranches::All => "all",
        DeploymentBranches::Protected => "protected",
        DeploymentBranches::Custom(_) => "custom",
    };
    leaves.setting(
        "deployment_branches",
        json!(mode),
        json!("all"),
        Protects::Ranked(weakening::DEPLOYMENT_BRANCHES),
    );
    leaves
}

/// The deployment branches as the policy writes them.
fn deployment_value(branches: &DeploymentBranches) -> Value {
    serde_json::to_value(branches).unwrap_or(Value::Null)
}

/// Custom deployment patterns are a set: create the missing, delete the stale, never
/// delete-and-recreate all. When the policy does not ask for custom patterns there is
/// nothing to do here: switching the mode away from custom removes them on GitHub's side.
fn diff_patterns(
    name: &str,
    want: &Environment,
    have: &Environment,
    live: &LiveState,
    changes: &mut Vec<Change>,
) {
    let DeploymentBranches::Custom(wanted) = &want.deployment_branches else {
        return;
    };
    let wanted: BTreeSet<&DeploymentPattern> = wanted.iter().collect();
    let existing: BTreeSet<&DeploymentPattern> = match &have.deployment_branches {
        DeploymentBranches::Custom(patterns) => patterns.iter().collect(),
        _ => BTreeSet::new(),
    };
    let address = |pattern: &DeploymentPattern| Address::DeploymentPattern {
        environment: name.to_owned(),
        pattern: pattern.to_string(),
    };
    let target = |write| Target::DeploymentPattern {
        environment: name.to_owned(),
        write,
    };
    for pattern in wanted.difference(&existing) {
        let write = PatternWrite::Create((*pattern).clone());
        let mut created = change(
            address(pattern),
            Action::Create,
            Vec::new(),
            Ok(target(write)),
        );
        if weakening::pattern_added_lowers(&have.deployment_branches) {
            created.disposition = Disposition::Weakening(created.target().cloned());
        }
        changes.push(created);
    }
    for pattern in existing.difference(&wanted) {
        let write = live
            .pattern_id(name, pattern)
            .map(|id| target(PatternWrite::Delete { id }))
            .ok_or_else(|| Unresolved::new(format!("deployment pattern `{pattern}`"), &live.ids));
        changes.push(change(address(pattern), Action::Delete, Vec::new(), write));
    }
}

fn diff_secrets(
    name: &str,
    want: &Environment,
    have: &Environment,
    prune: bool,
    sources: &SecretSources,
    changes: &mut Vec<Change>,
) {
    let existing: BTreeSet<String> = have.secrets.iter().map(|s| s.name.to_uppercase()).collect();
    // A secret listed twice (validation rejects contradictions) is one change.
    let mut wanted: BTreeMap<&str, Option<&EnvVarName>> = BTreeMap::new();
    for secret in &want.secrets {
        let source = wanted.entry(secret.name.as_str()).or_insert(None);
        if source.is_none() {
            *source = secret.from_env.as_ref();
        }
    }
    let target = |secret: &str, write| Target::Secret {
        environment: name.to_owned(),
        name: secret.to_owned(),
        write,
    };
    for (secret, from_env) in &wanted {
        if existing.contains(&secret.to_uppercase()) {
            continue;
        }
        let address = Address::Secret {
            environment: name.to_owned(),
            name: (*secret).to_owned(),
        };
        let created = match from_env {
            None => inapplicable(address, Action::Create, REASON_SECRET_VALUE.to_owned()),
            Some(var) if !sources.has(var) => inapplicable(
                address,
                Action::Create,
                format!(
                    "environment variable `{var}` is not set (or is empty) where this plan ran; apply takes the secret's value from it"
                ),
            ),
            Some(var) => {
                let write = SecretWrite::Create {
                    from_env: var.to_string(),
                };
                let mut created = change(
                    address,
                    Action::Create,
                    Vec::new(),
                    Ok(target(secret, write)),
                );
                created.note = Some(format!("value from environment variable `{var}`"));
                created
            }
        };
        changes.push(created);
    }
    if prune {
        let wanted: BTreeSet<String> = wanted.keys().map(|s| s.to_uppercase()).collect();
        for secret in existing.iter().filter(|s| !wanted.contains(*s)) {
            let address = Address::Secret {
                environment: name.to_owned(),
                name: secret.clone(),
            };
            changes.push(change(
                address,
                Action::Delete,
                Vec::new(),
                Ok(target(secret, SecretWrite::Delete)),
            ));
        }
    }
}

fn diff_variables(
    name: &str,
    want: &Environment,
    have: &Environment,
    prune: bool,
    changes: &mut Vec<Change>,
) {
    let mut push =
        |variable: &str, action: Action, live: Option<&String>, policy: Option<&String>| {
            let write = match (action, policy) {
                (Action::Create, Some(value)) => VariableWrite::Create(value.clone()),
                (Action::Update, Some(value)) => VariableWrite::Update(value.clone()),
                _ => VariableWrite::Delete,
            };
            let diffs = vec![FieldDiff::new(
                "value".to_owned(),
                json!(live),
                json!(policy),
            )];
            let target = Target::Variable {
                environment: name.to_owned(),
                name: variable.to_owned(),
                write,
            };
            changes.push(change(
                Address::Variable {
                    environment: name.to_owned(),
                    name: variable.to_owned(),
                },
                action,
                diffs,
                Ok(target),
            ));
        };
    let live: BTreeMap<String, &String> = have
        .variables
        .iter()
        .map(|(name, value)| (name.to_uppercase(), value))
        .collect();
    let listed: BTreeSet<String> = want.variables.keys().map(|n| n.to_uppercase()).collect();
    for (variable, value) in &want.variables {
        match live.get(&variable.to_uppercase()).copied() {
            None => push(variable, Action::Create, None, Some(value)),
            Some(current) if current != value => {
                push(variable, Action::Update, Some(current), Some(value));
            }
            Some(_) => {}
        }
    }
    if prune {
        for (variable, value) in &have.variables {
            if !listed.contains(&variable.to_uppercase()) {
                push(variable, Action::Delete, Some(value), None);
            }
        }
    }
}
