//! The diff: a pure function from (desired, live) to a `Plan`. No I/O, no async.
//!
//! Each resource is flattened into "leaves", `(dotted path, JSON value)` pairs in policy
//! terms, with set-like lists sorted and deduplicated and names lowercased (GitHub logins and
//! slugs are case-insensitive), so that order, duplicates and case never show as drift. The
//! leaves of the two sides are then compared path by path; a path present on one side only
//! is `null` on the other.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::live::{Identities, LiveState};
use crate::model::{
    Actors, Branch, DeploymentBranches, DeploymentPattern, Environment, RepoSettings,
    RequiredCheck, Reviewer,
};
use crate::plan::{Action, Change, FieldDiff, Plan, ResourceKind, Target};

/// Why a missing branch cannot be protected.
pub const REASON_BRANCH_MISSING: &str = "branch does not exist";
/// Why a missing secret without a value source cannot be created.
pub const REASON_SECRET_VALUE: &str = "secret values are not in the policy";

/// Compares the policy with the live state and returns every change, in apply order.
pub fn plan(repository: &str, desired: &RepoSettings, live: &LiveState) -> Plan {
    let mut changes = Vec::new();
    diff_branches(desired, live, &mut changes);
    diff_environments(desired, live, &mut changes);
    Plan {
        repository: repository.to_owned(),
        changes,
    }
}

fn diff_branches(desired: &RepoSettings, live: &LiveState, changes: &mut Vec<Change>) {
    let names: BTreeSet<&String> = desired
        .branches
        .keys()
        .chain(live.settings.branches.keys())
        .collect();
    for name in names {
        let address = format!("branches.{name}");
        let live_branch = live.settings.branches.get(name);
        let live_protected = live_branch.is_some_and(|b| b.protected);
        let Some(want) = desired.branches.get(name) else {
            // Not in the policy: only prune touches it.
            if desired.prune.branch_protection
                && live_protected
                && let Some(have) = live_branch
            {
                changes.push(branch_change(
                    &address,
                    name,
                    Action::Delete,
                    diff_leaves(&branch_leaves(have, None, &live.ids), &[]),
                    None,
                ));
            }
            continue;
        };
        if live.missing_branches.contains(name) {
            if want.protected {
                let diffs = diff_leaves(&[], &branch_leaves(want, None, &live.ids));
                let mut change = branch_change(&address, name, Action::Create, diffs, Some(want));
                change.applicable = false;
                change.reason = Some(REASON_BRANCH_MISSING.to_owned());
                changes.push(change);
            }
            continue;
        }
        match (want.protected, live_branch.filter(|b| b.protected)) {
            (false, None) => {}
            (false, Some(have)) => {
                let diffs = diff_leaves(&branch_leaves(have, None, &live.ids), &[]);
                changes.push(branch_change(&address, name, Action::Delete, diffs, None));
            }
            (true, None) => {
                let diffs = diff_leaves(&[], &branch_leaves(want, None, &live.ids));
                changes.push(branch_change(
                    &address,
                    name,
                    Action::Create,
                    diffs,
                    Some(want),
                ));
            }
            (true, Some(have)) => {
                let diffs = diff_leaves(
                    &branch_leaves(
                        have,
                        want.status_checks.as_ref().map(|s| s.required.as_slice()),
                        &live.ids,
                    ),
                    &branch_leaves(want, None, &live.ids),
                );
                if !diffs.is_empty() {
                    changes.push(branch_change(
                        &address,
                        name,
                        Action::Update,
                        diffs,
                        Some(want),
                    ));
                }
            }
        }
    }
}

fn branch_change(
    address: &str,
    name: &str,
    action: Action,
    diffs: Vec<FieldDiff>,
    desired: Option<&Branch>,
) -> Change {
    Change {
        address: address.to_owned(),
        kind: ResourceKind::BranchProtection,
        action,
        diffs,
        applicable: true,
        reason: None,
        target: Target::BranchProtection {
            branch: name.to_owned(),
            desired: desired.map(|b| Box::new(b.clone())),
        },
    }
}

fn diff_environments(desired: &RepoSettings, live: &LiveState, changes: &mut Vec<Change>) {
    // GitHub matches environment names without regard to case: `Production` in the policy
    // is the live `production`, not a second environment.
    let live_by_name: BTreeMap<String, &Environment> = live
        .settings
        .environments
        .iter()
        .map(|(name, environment)| (name.to_lowercase(), environment))
        .collect();
    let listed: BTreeSet<String> = desired
        .environments
        .keys()
        .map(|n| n.to_lowercase())
        .collect();
    let names: BTreeSet<&String> = desired
        .environments
        .keys()
        .chain(
            live.settings
                .environments
                .keys()
                .filter(|n| !listed.contains(&n.to_lowercase())),
        )
        .collect();
    for name in names {
        let address = format!("environments.{name}");
        let have = live_by_name.get(&name.to_lowercase()).copied();
        let Some(want) = desired.environments.get(name) else {
            if desired.prune.environments
                && let Some(have) = have
            {
                let diffs = diff_leaves(&environment_leaves(have), &[]);
                changes.push(environment_change(
                    &address,
                    name,
                    Action::Delete,
                    diffs,
                    None,
                ));
            }
            continue;
        };
        let empty = Environment::default();
        match have {
            None => {
                let diffs = diff_leaves(&[], &environment_leaves(want));
                changes.push(environment_change(
                    &address,
                    name,
                    Action::Create,
                    diffs,
                    Some(want),
                ));
            }
            Some(have) => {
                let diffs = diff_leaves(&environment_leaves(have), &environment_leaves(want));
                if !diffs.is_empty() {
                    changes.push(environment_change(
                        &address,
                        name,
                        Action::Update,
                        diffs,
                        Some(want),
                    ));
                }
            }
        }
        let have_or_empty = have.unwrap_or(&empty);
        diff_patterns(name, want, have_or_empty, changes);
        diff_secrets(name, want, have_or_empty, desired.prune.secrets, changes);
        diff_variables(name, want, have_or_empty, desired.prune.variables, changes);
    }
}

fn environment_change(
    address: &str,
    name: &str,
    action: Action,
    diffs: Vec<FieldDiff>,
    desired: Option<&Environment>,
) -> Change {
    Change {
        address: address.to_owned(),
        kind: ResourceKind::Environment,
        action,
        diffs,
        applicable: true,
        reason: None,
        target: Target::Environment {
            name: name.to_owned(),
            desired: desired.map(|e| Box::new(e.clone())),
        },
    }
}

/// Custom deployment patterns are a set: create the missing, delete the stale, never
/// delete-and-recreate all. When the policy does not ask for custom patterns there is
/// nothing to do here: switching the mode away from custom removes them on GitHub's side.
fn diff_patterns(name: &str, want: &Environment, have: &Environment, changes: &mut Vec<Change>) {
    let DeploymentBranches::Custom(wanted) = &want.deployment_branches else {
        return;
    };
    let wanted: BTreeSet<&DeploymentPattern> = wanted.iter().collect();
    let existing: BTreeSet<&DeploymentPattern> = match &have.deployment_branches {
        DeploymentBranches::Custom(patterns) => patterns.iter().collect(),
        _ => BTreeSet::new(),
    };
    for pattern in wanted.difference(&existing) {
        changes.push(pattern_change(name, pattern, Action::Create));
    }
    for pattern in existing.difference(&wanted) {
        changes.push(pattern_change(name, pattern, Action::Delete));
    }
}

fn pattern_change(environment: &str, pattern: &DeploymentPattern, action: Action) -> Change {
    Change {
        address: format!("environments.{environment}.deployment_branches.{pattern}"),
        kind: ResourceKind::DeploymentBranchPolicy,
        action,
        diffs: Vec::new(),
        applicable: true,
        reason: None,
        target: Target::DeploymentPattern {
            environment: environment.to_owned(),
            pattern: pattern.clone(),
        },
    }
}

fn diff_secrets(
    name: &str,
    want: &Environment,
    have: &Environment,
    prune: bool,
    changes: &mut Vec<Change>,
) {
    // GitHub stores secret names in upper case; compare them that way.
    let existing: BTreeSet<String> = have.secrets.iter().map(|s| s.name.to_uppercase()).collect();
    // A secret listed twice (validation rejects contradictions) is one change.
    let mut wanted: BTreeMap<&str, Option<&String>> = BTreeMap::new();
    for secret in &want.secrets {
        let source = wanted.entry(secret.name.as_str()).or_insert(None);
        if source.is_none() {
            *source = secret.from_env.as_ref();
        }
    }
    for (secret, from_env) in &wanted {
        if existing.contains(&secret.to_uppercase()) {
            continue;
        }
        let applicable = from_env.is_some();
        // Say where the value will come from; there is nothing else to show of a secret.
        let diffs = from_env
            .map(|var| FieldDiff {
                path: "from_env".to_owned(),
                live: Value::Null,
                policy: json!(var),
            })
            .into_iter()
            .collect();
        changes.push(Change {
            address: format!("environments.{name}.secrets.{secret}"),
            kind: ResourceKind::Secret,
            action: Action::Create,
            diffs,
            applicable,
            reason: (!applicable).then(|| REASON_SECRET_VALUE.to_owned()),
            target: Target::Secret {
                environment: name.to_owned(),
                name: (*secret).to_owned(),
                from_env: from_env.cloned(),
            },
        });
    }
    if prune {
        let wanted: BTreeSet<String> = wanted.keys().map(|s| s.to_uppercase()).collect();
        for secret in existing.iter().filter(|s| !wanted.contains(*s)) {
            changes.push(Change {
                address: format!("environments.{name}.secrets.{secret}"),
                kind: ResourceKind::Secret,
                action: Action::Delete,
                diffs: Vec::new(),
                applicable: true,
                reason: None,
                target: Target::Secret {
                    environment: name.to_owned(),
                    name: secret.clone(),
                    from_env: None,
                },
            });
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
    let mut variable_change =
        |variable: &str, action: Action, live: Option<&String>, policy: Option<&String>| {
            changes.push(Change {
                address: format!("environments.{name}.variables.{variable}"),
                kind: ResourceKind::Variable,
                action,
                diffs: vec![FieldDiff {
                    path: "value".to_owned(),
                    live: json!(live),
                    policy: json!(policy),
                }],
                applicable: true,
                reason: None,
                target: Target::Variable {
                    environment: name.to_owned(),
                    name: variable.to_owned(),
                    value: policy.cloned(),
                },
            });
        };
    // GitHub stores variable names in upper case; compare them that way.
    let live: BTreeMap<String, &String> = have
        .variables
        .iter()
        .map(|(name, value)| (name.to_uppercase(), value))
        .collect();
    let listed: BTreeSet<String> = want.variables.keys().map(|n| n.to_uppercase()).collect();
    for (variable, value) in &want.variables {
        match live.get(&variable.to_uppercase()).copied() {
            None => variable_change(variable, Action::Create, None, Some(value)),
            Some(current) if current != value => {
                variable_change(variable, Action::Update, Some(current), Some(value));
            }
            Some(_) => {}
        }
    }
    if prune {
        for (variable, value) in &have.variables {
            if !listed.contains(&variable.to_uppercase()) {
                variable_change(variable, Action::Delete, Some(value), None);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Leaves

type Leaves = Vec<(String, Value)>;

/// Flattens a branch's protection. `align_checks`, given for the live side, lets a live
/// check take the policy's spelling when the two are equivalent (a bare policy check is
/// satisfied by the context from any app; a pinned one by the same app).
fn branch_leaves(
    branch: &Branch,
    align_checks: Option<&[RequiredCheck]>,
    ids: &Identities,
) -> Leaves {
    let mut leaves = Leaves::new();
    if let Some(pr) = &branch.pull_request {
        leaves.push((
            "pull_request.required_approvals".into(),
            json!(pr.required_approvals),
        ));
        leaves.push((
            "pull_request.dismiss_stale_reviews".into(),
            json!(pr.dismiss_stale_reviews),
        ));
        leaves.push((
            "pull_request.require_code_owner_reviews".into(),
            json!(pr.require_code_owner_reviews),
        ));
        leaves.push((
            "pull_request.require_last_push_approval".into(),
            json!(pr.require_last_push_approval),
        ));
        // Empty lists mean GitHub's default, the same as not listing them.
        actor_leaves(
            &mut leaves,
            "pull_request.dismissal_restrictions",
            &pr.dismissal_restrictions,
            false,
        );
        actor_leaves(&mut leaves, "pull_request.bypass", &pr.bypass, false);
    }
    if let Some(checks) = &branch.status_checks {
        leaves.push(("status_checks.strict".into(), json!(checks.strict)));
        let values: BTreeSet<String> = checks
            .required
            .iter()
            .map(|check| {
                let shown = align_checks
                    .and_then(|wanted| wanted.iter().find(|w| satisfies(check, w, ids)))
                    .unwrap_or(check);
                check_value(shown)
            })
            .collect();
        leaves.push(("status_checks.required".into(), sorted_json_list(values)));
    }
    for (path, value) in branch.flags() {
        leaves.push((path.into(), json!(value)));
    }
    if let Some(actors) = &branch.push_restrictions {
        // Restricted to nobody differs from not restricted: keep empty lists.
        actor_leaves(&mut leaves, "push_restrictions", actors, true);
    }
    leaves
}

/// Returns true when the live check `live` satisfies the policy check `wanted`.
fn satisfies(live: &RequiredCheck, wanted: &RequiredCheck, ids: &Identities) -> bool {
    if live.context != wanted.context {
        return false;
    }
    if !wanted.is_pinned() {
        return true;
    }
    let wanted_id = wanted
        .app_id
        .or_else(|| wanted.app.as_deref().and_then(|slug| ids.app(slug)));
    match (wanted_id, live.app_id) {
        (Some(want), Some(have)) => want == have,
        _ => match (&wanted.app, &live.app) {
            (Some(want), Some(have)) => want.eq_ignore_ascii_case(have),
            _ => false,
        },
    }
}

/// A check as compact JSON text, for sorting and comparing as a set.
fn check_value(check: &RequiredCheck) -> String {
    serde_json::to_string(check).unwrap_or_else(|_| check.context.clone())
}

fn sorted_json_list(values: BTreeSet<String>) -> Value {
    Value::Array(
        values
            .into_iter()
            .map(|text| serde_json::from_str(&text).unwrap_or(Value::String(text)))
            .collect(),
    )
}

fn actor_leaves(leaves: &mut Leaves, prefix: &str, actors: &Actors, keep_empty: bool) {
    for (kind, names) in [
        ("users", &actors.users),
        ("teams", &actors.teams),
        ("apps", &actors.apps),
    ] {
        if names.is_empty() && !keep_empty {
            continue;
        }
        let set: BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        leaves.push((format!("{prefix}.{kind}"), json!(set)));
    }
}

fn environment_leaves(environment: &Environment) -> Leaves {
    let reviewers: BTreeSet<(u8, String)> = environment
        .reviewers
        .iter()
        .map(|reviewer| match reviewer {
            Reviewer::User(login) => (0, login.to_lowercase()),
            Reviewer::Team(slug) => (1, slug.to_lowercase()),
        })
        .collect();
    let reviewers: Vec<Value> = reviewers
        .into_iter()
        .map(|(kind, name)| {
            if kind == 0 {
                json!({ "user": name })
            } else {
                json!({ "team": name })
            }
        })
        .collect();
    vec![
        ("wait_timer".into(), json!(environment.wait_timer)),
        (
            // GitHub keeps it inside the required-reviewers rule, which exists only while
            // there are reviewers: without reviewers it cannot be on.
            "prevent_self_review".into(),
            json!(environment.prevent_self_review && !environment.reviewers.is_empty()),
        ),
        ("reviewers".into(), Value::Array(reviewers)),
        (
            "can_admins_bypass".into(),
            json!(environment.can_admins_bypass),
        ),
        (
            "deployment_branches".into(),
            json!(environment.deployment_branches.mode()),
        ),
    ]
}

/// Compares two leaf lists; the policy's order wins, then live-only paths.
fn diff_leaves(live: &[(String, Value)], policy: &[(String, Value)]) -> Vec<FieldDiff> {
    let live_map: BTreeMap<&str, &Value> = live.iter().map(|(p, v)| (p.as_str(), v)).collect();
    let policy_map: BTreeMap<&str, &Value> = policy.iter().map(|(p, v)| (p.as_str(), v)).collect();
    let mut diffs = Vec::new();
    let mut seen = BTreeSet::new();
    for (path, _) in policy.iter().chain(live) {
        if !seen.insert(path.as_str()) {
            continue;
        }
        let have = live_map.get(path.as_str()).copied().unwrap_or(&Value::Null);
        let want = policy_map
            .get(path.as_str())
            .copied()
            .unwrap_or(&Value::Null);
        if have != want {
            diffs.push(FieldDiff {
                path: path.clone(),
                live: have.clone(),
                policy: want.clone(),
            });
        }
    }
    diffs
}

#[cfg(test)]
mod tests;
