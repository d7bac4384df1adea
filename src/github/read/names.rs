//! The users, teams and apps a policy names: checked to exist, and their ids learnt where a
//! write or a comparison needs them (environment reviewers, pinned checks of branches,
//! rulesets and requirements, ruleset bypass actors). A name already seen live is known to
//! exist and costs no request unless its id is needed. Every unknown name is reported at
//! once, each at the places the policy writes it.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::join_all;

use super::{NameKind, ReadError, UnknownName};
use crate::github::api::reads;
use crate::github::error::ApiError;
use crate::github::rest::RestReader;
use crate::model::live::{Identities, LiveState};
use crate::model::names::{Login, RepoName, Slug};
use crate::model::{Actors, RepoSettings, RequiredCheck, Reviewer};
use crate::policy::Segment;

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
        NameKind::User,
    )?;
    learn(
        teams,
        team_ids.into_iter().map(|r| r.map(|t| t.map(|t| t.id))),
        &mut learnt.teams,
        &mut unknown,
        NameKind::Team,
    )?;
    learn(
        apps,
        app_ids.into_iter().map(|r| r.map(|a| a.map(|a| a.id))),
        &mut learnt.apps,
        &mut unknown,
        NameKind::App,
    )?;
    if !unknown.is_empty() {
        suggest(github, repo, &seen, &mut unknown).await;
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
    unknown: &mut Vec<UnknownName>,
    kind: NameKind,
) -> Result<(), ApiError> {
    for (name, found) in names.into_iter().zip(found) {
        match found? {
            Some(id) => {
                into.insert(name, id);
            }
            None => unknown.push(UnknownName {
                kind,
                name,
                suggestion: None,
            }),
        }
    }
    Ok(())
}

/// Finds the closest known name for each unknown one: a team among the organisation's
/// teams (one more request, only now that one is unknown), a user or an app among those the
/// repository names live. A failed lookup only means no suggestion.
async fn suggest(github: &RestReader, repo: &RepoName, seen: &Named, unknown: &mut [UnknownName]) {
    let teams: Vec<String> = if unknown.iter().any(|u| u.kind == NameKind::Team) {
        github
            .read(reads::org_teams(&repo.owner))
            .await
            .map(|teams| teams.into_iter().map(|t| t.slug.to_lowercase()).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    for name in unknown {
        let known: Vec<&str> = match name.kind {
            NameKind::User => seen.users.iter().map(String::as_str).collect(),
            NameKind::Team => teams.iter().map(String::as_str).collect(),
            NameKind::App => seen.apps.iter().map(String::as_str).collect(),
        };
        name.suggestion = crate::policy::closest(&name.name, &known).map(str::to_owned);
    }
}

/// Returns where the policy writes a name: each path of a user, team or app it names.
pub fn places(desired: &RepoSettings, unknown: &UnknownName) -> Vec<Vec<Segment>> {
    let is = |written: &str| written.eq_ignore_ascii_case(&unknown.name);
    let key =
        |parts: &[&str]| -> Vec<Segment> { parts.iter().map(|p| Segment::from(*p)).collect() };
    let mut found = Vec::new();
    let list = match unknown.kind {
        NameKind::User => "users",
        NameKind::Team => "teams",
        NameKind::App => "apps",
    };
    for (branch, protection) in &desired.branches {
        let mut actors: Vec<(Vec<Segment>, &Actors)> = Vec::new();
        if let Some(pr) = &protection.pull_request {
            actors.push((
                key(&["pull_request", "dismissal_restrictions"]),
                &pr.dismissal_restrictions,
            ));
            actors.push((key(&["pull_request", "bypass"]), &pr.bypass));
        }
        if let Some(restrictions) = &protection.push_restrictions {
            actors.push((key(&["push_restrictions"]), restrictions));
        }
        for (at, actors) in actors {
            let names: Vec<&str> = match unknown.kind {
                NameKind::User => actors.users.iter().map(Login::as_str).collect(),
                NameKind::Team => actors.teams.iter().map(Slug::as_str).collect(),
                NameKind::App => actors.apps.iter().map(Slug::as_str).collect(),
            };
            for (i, _) in names.iter().enumerate().filter(|(_, n)| is(n)) {
                let mut path = key(&["branches", branch]);
                path.extend(at.iter().cloned());
                path.extend([Segment::from(list), i.into()]);
                found.push(path);
            }
        }
        for (i, check) in protection
            .status_checks
            .iter()
            .flat_map(|c| &c.required)
            .enumerate()
        {
            if unknown.kind == NameKind::App && check.app.as_deref().is_some_and(is) {
                let mut path = key(&["branches", branch, "status_checks", "required"]);
                path.extend([i.into(), "app".into()]);
                found.push(path);
            }
        }
    }
    for (environment, settings) in &desired.environments {
        for (i, reviewer) in settings.reviewers.iter().enumerate() {
            let (kind, name, word) = match reviewer {
                Reviewer::User(login) => (NameKind::User, login.as_str(), "user"),
                Reviewer::Team(slug) => (NameKind::Team, slug.as_str(), "team"),
            };
            if kind == unknown.kind && is(name) {
                let mut path = key(&["environments", environment, "reviewers"]);
                path.extend([i.into(), word.into()]);
                found.push(path);
            }
        }
    }
    for (name, ruleset) in &desired.rulesets {
        for (i, actor) in ruleset.bypass.iter().enumerate() {
            let written = match unknown.kind {
                NameKind::User => actor.user.as_deref().map(|n| (n, "user")),
                NameKind::Team => actor.team.as_deref().map(|n| (n, "team")),
                NameKind::App => actor.app.as_deref().map(|n| (n, "app")),
            };
            if let Some((_, word)) = written.filter(|(n, _)| is(n)) {
                let mut path = key(&["rulesets", name, "bypass"]);
                path.extend([i.into(), word.into()]);
                found.push(path);
            }
        }
        let checks = ruleset.rules.status_checks.iter().flat_map(|c| &c.required);
        for (i, check) in checks.enumerate() {
            if unknown.kind == NameKind::App && check.app.as_deref().is_some_and(is) {
                let mut path = key(&["rulesets", name, "rules", "status_checks", "required"]);
                path.extend([i.into(), "app".into()]);
                found.push(path);
            }
        }
    }
    for (branch, requirement) in &desired.requirements {
        for (i, check) in requirement.required_checks.iter().enumerate() {
            if unknown.kind == NameKind::App && check.app.as_deref().is_some_and(is) {
                let mut path = key(&["requirements", branch, "required_checks"]);
                path.extend([i.into(), "app".into()]);
                found.push(path);
            }
        }
    }
    found
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
