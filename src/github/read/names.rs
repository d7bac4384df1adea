//! The users, teams and apps a policy names: checked to exist, and their ids learnt where a
//! write or a comparison needs them (environment reviewers, pinned checks of branches,
//! rulesets and requirements, ruleset bypass actors). A name already seen live is known to exist and costs no request unless its id
//! is needed. Every unknown name is reported at once.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::join_all;

use super::ReadError;
use crate::github::api::reads;
use crate::github::error::ApiError;
use crate::github::rest::RestReader;
use crate::live::{Identities, LiveState};
use crate::model::{Actors, RepoSettings, RequiredCheck, Reviewer};
use crate::names::RepoName;
use crate::untrusted::quote;

/// The names a policy uses, lower-case, and which of them need an id.
#[derive(Default)]
struct Named {
    users: BTreeSet<String>,
    teams: BTreeSet<String>,
    apps: BTreeSet<String>,
    user_ids: BTreeSet<String>,
    team_ids: BTreeSet<String>,
}

/// How many names the policy may make `resolve` look up: each at most one request.
pub(super) fn lookups(settings: &RepoSettings) -> usize {
    let named = Named::of(settings);
    named.users.len()
        + named.teams.len()
        + named.apps.len()
        + named.user_ids.len()
        + named.team_ids.len()
}

impl Named {
    fn of(settings: &RepoSettings) -> Self {
        let mut named = Self::default();
        let mut actors = |actors: &Actors| {
            named
                .users
                .extend(actors.users.iter().map(|u| u.to_lowercase()));
            named
                .teams
                .extend(actors.teams.iter().map(|t| t.to_lowercase()));
        };
        for branch in settings.branches.values() {
            if let Some(pr) = &branch.pull_request {
                actors(&pr.dismissal_restrictions);
                actors(&pr.bypass);
            }
            if let Some(restrictions) = &branch.push_restrictions {
                actors(restrictions);
            }
        }
        let mut checks: Vec<&RequiredCheck> = settings
            .branches
            .values()
            .filter_map(|b| b.status_checks.as_ref())
            .flat_map(|c| &c.required)
            .collect();
        for reviewer in settings.environments.values().flat_map(|e| &e.reviewers) {
            match reviewer {
                Reviewer::User(login) => named.user_ids.insert(login.to_lowercase()),
                Reviewer::Team(slug) => named.team_ids.insert(slug.to_lowercase()),
            };
        }
        for ruleset in settings.rulesets.values() {
            for actor in &ruleset.bypass {
                named
                    .user_ids
                    .extend(actor.user.iter().map(|u| u.to_lowercase()));
                named
                    .team_ids
                    .extend(actor.team.iter().map(|t| t.to_lowercase()));
                named
                    .apps
                    .extend(actor.app.iter().map(|a| a.to_lowercase()));
            }
            checks.extend(ruleset.rules.status_checks.iter().flat_map(|c| &c.required));
        }
        // A requirement pinned by slug is met only by a source pinned to that app's id.
        checks.extend(
            settings
                .requirements
                .values()
                .flat_map(|r| &r.required_checks),
        );
        named.apps.extend(
            checks
                .into_iter()
                .filter(|check| check.app_id.is_none())
                .filter_map(|check| check.app.as_ref().map(|slug| slug.to_lowercase())),
        );
        named.users.extend(named.user_ids.iter().cloned());
        named.teams.extend(named.team_ids.iter().cloned());
        named
    }
}

/// Checks the policy's names and adds the ids learnt to `live.ids`.
pub(super) async fn resolve(
    github: &RestReader,
    repo: &RepoName,
    desired: &RepoSettings,
    live: &mut LiveState,
) -> Result<(), ReadError> {
    let wanted = Named::of(desired);
    let seen = Named::of(&live.settings);
    let ids = &live.ids;
    let users: Vec<String> = wanted
        .users
        .iter()
        .filter(|u| {
            ids.user(u).is_none() && (wanted.user_ids.contains(*u) || !seen.users.contains(*u))
        })
        .cloned()
        .collect();
    let teams: Vec<String> = wanted
        .teams
        .iter()
        .filter(|t| {
            ids.team(t).is_none() && (wanted.team_ids.contains(*t) || !seen.teams.contains(*t))
        })
        .cloned()
        .collect();
    let apps: Vec<String> = wanted
        .apps
        .iter()
        .filter(|a| ids.app(a).is_none())
        .cloned()
        .collect();

    let user_ids = join_all(users.iter().map(|login| github.read(reads::user(login))));
    let team_ids = join_all(
        teams
            .iter()
            .map(|slug| github.read(reads::team(&repo.owner, slug))),
    );
    let app_ids = join_all(apps.iter().map(|slug| github.read(reads::app(slug))));
    let (user_ids, team_ids, app_ids) = futures::join!(user_ids, team_ids, app_ids);

    let mut unknown = Vec::new();
    let mut learnt = Identities::default();
    learn(
        users,
        user_ids.into_iter().map(|r| r.map(|u| u.map(|u| u.id))),
        &mut learnt.users,
        &mut unknown,
        |n| format!("user {}", quote(n)),
    )?;
    learn(
        teams,
        team_ids.into_iter().map(|r| r.map(|t| t.map(|t| t.id))),
        &mut learnt.teams,
        &mut unknown,
        |n| format!("team {} of {}", quote(n), quote(&repo.owner)),
    )?;
    learn(
        apps,
        app_ids.into_iter().map(|r| r.map(|a| a.map(|a| a.id))),
        &mut learnt.apps,
        &mut unknown,
        |n| format!("GitHub App {}", quote(n)),
    )?;
    if !unknown.is_empty() {
        return Err(ReadError::UnknownNames(unknown));
    }
    live.ids.users.extend(learnt.users);
    live.ids.teams.extend(learnt.teams);
    live.ids.apps.extend(learnt.apps);
    Ok(())
}

fn learn(
    names: Vec<String>,
    found: impl Iterator<Item = Result<Option<u64>, ApiError>>,
    into: &mut BTreeMap<String, u64>,
    unknown: &mut Vec<String>,
    what: impl Fn(&str) -> String,
) -> Result<(), ApiError> {
    for (name, found) in names.into_iter().zip(found) {
        match found? {
            Some(id) => {
                into.insert(name, id);
            }
            None => unknown.push(what(&name)),
        }
    }
    Ok(())
}

/// Learns the names of the users and teams live ruleset actors name only by id, for
/// `export`: one request per unknown user, one list of the organisation's teams.
pub(super) async fn name_actor_ids(
    github: &RestReader,
    repo: &RepoName,
    user_ids: BTreeSet<u64>,
    team_ids: BTreeSet<u64>,
    ids: &mut Identities,
) -> Result<(), ApiError> {
    let users: Vec<u64> = user_ids
        .into_iter()
        .filter(|id| ids.user_login(*id).is_none())
        .collect();
    let teams_needed = team_ids.iter().any(|id| ids.team_slug(*id).is_none());
    let found = join_all(users.iter().map(|id| github.read(reads::user_by_id(*id)))).await;
    for user in found {
        if let Some(user) = user? {
            ids.users.insert(user.login.to_lowercase(), user.id);
        }
    }
    if teams_needed {
        for team in github.read(reads::org_teams(&repo.owner)).await? {
            ids.teams.insert(team.slug.to_lowercase(), team.id);
        }
    }
    Ok(())
}
