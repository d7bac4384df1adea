//! Repository rulesets, matched by name: what a person sees and what `apply` writes.
//!
//! Nothing may drift on every run, so every list GitHub treats as a set is compared as one
//! (patterns, actors, checks, merge methods, environments), patterns are compared qualified
//! the way GitHub stores them, actors by id where known (a team written by slug is the same
//! actor as the team's id GitHub returns), and a live parameter the policy format does not
//! model is neither shown nor changed.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::checks::{aligned, app_id};
use super::leaves::{self, Leaves, sorted_list};
use super::{Unresolved, change};
use crate::live::{Identities, LiveState};
use crate::model::{BypassActor, BypassMode, MergeMethod, RepoSettings, RepositoryRole, Ruleset};
use crate::plan::{
    Action, ActorKind, Change, ResolvedActor, ResolvedIntegrationCheck, ResourceKind, RulesetPut,
    RulesetWrite, Target,
};

/// Adds a change for every listed ruleset that differs, and for every repository ruleset
/// the policy does not list when pruning. Organisation rulesets are never in `live` here.
pub fn diff(desired: &RepoSettings, live: &LiveState, changes: &mut Vec<Change>) {
    for (name, want) in &desired.rulesets {
        let address = format!("rulesets.{name}");
        let target = |write| Target::Ruleset {
            name: name.clone(),
            write,
        };
        match live.settings.rulesets.get(name) {
            None => {
                let diffs =
                    leaves::compare(&Leaves::default(), &ruleset_leaves(want, None, &live.ids));
                let write =
                    put(want, None, live).map(|put| target(RulesetWrite::Create(Box::new(put))));
                changes.push(change(
                    address,
                    ResourceKind::Ruleset,
                    Action::Create,
                    diffs,
                    write,
                ));
            }
            Some(have) => {
                let diffs = leaves::compare(
                    &ruleset_leaves(have, Some(want), &live.ids),
                    &ruleset_leaves(want, None, &live.ids),
                );
                if diffs.is_empty() {
                    continue;
                }
                let write = live_id(live, name).and_then(|id| {
                    put(want, Some(name), live).map(|put| {
                        target(RulesetWrite::Update {
                            id,
                            put: Box::new(put),
                        })
                    })
                });
                changes.push(change(
                    address,
                    ResourceKind::Ruleset,
                    Action::Update,
                    diffs,
                    write,
                ));
            }
        }
    }
    if desired.prune.rulesets {
        for (name, have) in &live.settings.rulesets {
            if desired.rulesets.contains_key(name) {
                continue;
            }
            let diffs = leaves::compare(&ruleset_leaves(have, None, &live.ids), &Leaves::default());
            let write = live_id(live, name).map(|id| Target::Ruleset {
                name: name.clone(),
                write: RulesetWrite::Delete { id },
            });
            changes.push(change(
                format!("rulesets.{name}"),
                ResourceKind::Ruleset,
                Action::Delete,
                diffs,
                write,
            ));
        }
    }
}

fn live_id(live: &LiveState, name: &str) -> Result<u64, Unresolved> {
    live.rulesets
        .get(name)
        .map(|facts| facts.id)
        .ok_or_else(|| Unresolved::new(format!("ruleset `{name}`"), &live.ids))
}

/// Builds the POST/PUT of a ruleset: patterns qualified, actors and checks by id, and the
/// live ruleset's unmodelled parameters kept.
fn put(
    want: &Ruleset,
    live_name: Option<&str>,
    live: &LiveState,
) -> Result<RulesetPut, Unresolved> {
    let ids = &live.ids;
    let mut bypass = want
        .bypass
        .iter()
        .map(|actor| resolve_actor(actor, ids))
        .collect::<Result<Vec<_>, _>>()?;
    bypass.sort();
    bypass.dedup();
    let mut checks = Vec::new();
    for check in want.rules.status_checks.iter().flat_map(|s| &s.required) {
        checks.push(ResolvedIntegrationCheck {
            context: check.context.clone(),
            integration_id: app_id(check, ids)?,
        });
    }
    checks.sort();
    checks.dedup();
    let qualify = |patterns: &[String]| -> Vec<String> {
        let set: BTreeSet<String> = patterns.iter().map(|p| want.target.qualified(p)).collect();
        set.into_iter().collect()
    };
    Ok(RulesetPut {
        settings: want.clone(),
        include: qualify(&want.include),
        exclude: qualify(&want.exclude),
        bypass,
        checks,
        kept: live_name
            .and_then(|name| live.rulesets.get(name))
            .map(|facts| facts.kept.clone())
            .unwrap_or_default(),
    })
}

fn resolve_actor(actor: &BypassActor, ids: &Identities) -> Result<ResolvedActor, Unresolved> {
    let unresolved = |what: String| Unresolved::new(what, ids);
    let (kind, id) = if let Some(role) = actor.role {
        (ActorKind::RepositoryRole, Some(role.id()))
    } else if let Some(id) = actor.role_id {
        (ActorKind::RepositoryRole, Some(id))
    } else if let Some(slug) = &actor.team {
        (
            ActorKind::Team,
            Some(
                ids.team(slug)
                    .ok_or_else(|| unresolved(format!("team `{slug}`")))?,
            ),
        )
    } else if let Some(id) = actor.team_id {
        (ActorKind::Team, Some(id))
    } else if let Some(slug) = &actor.app {
        (
            ActorKind::Integration,
            Some(
                ids.app(slug)
                    .ok_or_else(|| unresolved(format!("app `{slug}`")))?,
            ),
        )
    } else if let Some(id) = actor.app_id {
        (ActorKind::Integration, Some(id))
    } else if let Some(login) = &actor.user {
        (
            ActorKind::User,
            Some(
                ids.user(login)
                    .ok_or_else(|| unresolved(format!("user `{login}`")))?,
            ),
        )
    } else if let Some(id) = actor.user_id {
        (ActorKind::User, Some(id))
    } else if actor.org_admins {
        (ActorKind::OrganizationAdmin, None)
    } else {
        (ActorKind::DeployKey, None)
    };
    Ok(ResolvedActor {
        kind,
        id,
        mode: actor.mode,
    })
}

/// An actor as a person reads it, the same whichever way it was written: named where the
/// name is known (`{team: ops}` for team 41 and for `team_id: 41`), by id otherwise.
fn actor_value(actor: &BypassActor, ids: &Identities) -> Value {
    let named = |key: &str, name: Option<&str>, id_key: &str, id: Option<u64>| match (name, id) {
        (Some(name), _) => json!({ key: name.to_lowercase() }),
        (None, Some(id)) => json!({ id_key: id }),
        (None, None) => Value::Null,
    };
    let mut value = if let Some(role) = actor
        .role
        .or_else(|| actor.role_id.and_then(RepositoryRole::from_id))
    {
        json!({ "role": role })
    } else if let Some(id) = actor.role_id {
        json!({ "role_id": id })
    } else if actor.team.is_some() || actor.team_id.is_some() {
        let slug = actor
            .team
            .as_deref()
            .or_else(|| actor.team_id.and_then(|id| ids.team_slug(id)));
        named("team", slug, "team_id", actor.team_id)
    } else if actor.app.is_some() || actor.app_id.is_some() {
        let slug = actor
            .app
            .as_deref()
            .or_else(|| actor.app_id.and_then(|id| ids.app_slug(id)));
        named("app", slug, "app_id", actor.app_id)
    } else if actor.user.is_some() || actor.user_id.is_some() {
        let login = actor
            .user
            .as_deref()
            .or_else(|| actor.user_id.and_then(|id| ids.user_login(id)));
        named("user", login, "user_id", actor.user_id)
    } else if actor.org_admins {
        json!({ "org_admins": true })
    } else {
        json!({ "deploy_keys": true })
    };
    if actor.mode != BypassMode::Always
        && let Value::Object(map) = &mut value
    {
        map.insert("mode".to_owned(), json!(actor.mode));
    }
    value
}

/// Flattens a ruleset. `want`, given for the live side, aligns live checks with the policy's
/// and limits the parameters of other rule types to those the policy sets.
fn ruleset_leaves(ruleset: &Ruleset, want: Option<&Ruleset>, ids: &Identities) -> Leaves {
    let mut leaves = Leaves::default();
    leaves.setting("target", json!(ruleset.target), json!("branch"));
    leaves.setting("enforcement", json!(ruleset.enforcement), json!("active"));
    // Compared as GitHub stores them (qualified), shown as the policy writes them.
    let patterns = |list: &[String]| {
        let set: BTreeSet<String> = list
            .iter()
            .map(|p| ruleset.target.unqualified(&ruleset.target.qualified(p)))
            .collect();
        Value::from(set.into_iter().collect::<Vec<_>>())
    };
    leaves.setting("include", patterns(&ruleset.include), json!([]));
    leaves.setting("exclude", patterns(&ruleset.exclude), json!([]));
    leaves.setting(
        "bypass",
        sorted_list(ruleset.bypass.iter().map(|a| actor_value(a, ids))),
        json!([]),
    );
    rule_leaves(ruleset, want, ids, &mut leaves);
    leaves
}

fn rule_leaves(ruleset: &Ruleset, want: Option<&Ruleset>, ids: &Identities, leaves: &mut Leaves) {
    let rules = &ruleset.rules;
    if let Some(pr) = &rules.pull_request {
        leaves.presence("rules.pull_request", "required");
        leaves.setting(
            "rules.pull_request.required_approvals",
            json!(pr.required_approvals),
            json!(0),
        );
        for (key, on) in [
            ("dismiss_stale_reviews", pr.dismiss_stale_reviews),
            ("require_code_owner_reviews", pr.require_code_owner_reviews),
            ("require_last_push_approval", pr.require_last_push_approval),
            (
                "required_conversation_resolution",
                pr.required_conversation_resolution,
            ),
        ] {
            leaves.setting(format!("rules.pull_request.{key}"), json!(on), json!(false));
        }
        let all = MergeMethod::ALL;
        let methods: BTreeSet<_> = pr
            .allowed_merge_methods
            .as_deref()
            .unwrap_or(&all)
            .iter()
            .copied()
            .collect();
        leaves.setting(
            "rules.pull_request.allowed_merge_methods",
            json!(methods),
            json!(all),
        );
    }
    if let Some(checks) = &rules.status_checks {
        leaves.presence("rules.status_checks", "required");
        leaves.setting(
            "rules.status_checks.strict",
            json!(checks.strict),
            json!(false),
        );
        leaves.setting(
            "rules.status_checks.do_not_enforce_on_create",
            json!(checks.do_not_enforce_on_create),
            json!(false),
        );
        let wanted = want
            .and_then(|w| w.rules.status_checks.as_ref())
            .map(|s| s.required.as_slice());
        leaves.setting(
            "rules.status_checks.required",
            aligned(&checks.required, wanted, ids),
            json!([]),
        );
    }
    let environments: BTreeSet<String> = rules
        .required_deployments
        .iter()
        .map(|e| e.to_lowercase())
        .collect();
    leaves.setting("rules.required_deployments", json!(environments), json!([]));
    for (key, on) in [
        ("block_force_pushes", rules.block_force_pushes),
        ("restrict_deletions", rules.restrict_deletions),
        ("restrict_creations", rules.restrict_creations),
        ("required_linear_history", rules.required_linear_history),
        ("required_signatures", rules.required_signatures),
    ] {
        leaves.setting(format!("rules.{key}"), json!(on), json!(false));
    }
    let updates = match rules.restrict_updates.on() {
        None => json!(false),
        Some(false) => json!(true),
        Some(true) => json!({ "allow_fetch_and_merge": true }),
    };
    leaves.setting("rules.restrict_updates", updates, json!(false));
    for other in &rules.other {
        // Only the parameters the policy writes are compared (a live parameter it leaves
        // out is kept by apply); on the policy side, the policy's own.
        let policy_keys: Option<Map<String, Value>> = match want {
            Some(want) => want
                .rules
                .other
                .iter()
                .find(|o| o.kind == other.kind)
                .map(|o| o.parameters.clone().unwrap_or_default()),
            None => other.parameters.clone(),
        };
        let path = format!("rules.other.{}", other.kind);
        leaves.presence(&path, "required");
        let live = other.parameters.clone().unwrap_or_default();
        for key in policy_keys.unwrap_or_default().keys() {
            leaves.setting(
                format!("{path}.{key}"),
                live.get(key).cloned().unwrap_or(Value::Null),
                Value::Null,
            );
        }
    }
}
