//! Reading the live repository into a `LiveState`, with as few requests as the policy needs.
//!
//! What is read follows the policy: protection of each listed branch (the protected-branch
//! list only when pruning), the environments list, and for each listed environment its
//! deployment patterns (only when custom patterns are on), secret names and variables.
//! Independent reads run concurrently; the client bounds how many are in flight. Every name
//! the policy would write is checked to exist, and the ids writes need are learnt.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::{join_all, try_join_all};

use super::api::{GithubRead, ProtectionRead};
use super::convert::environment::{
    environment_from, has_custom_patterns, learn_reviewer_ids, pattern_from,
};
use super::convert::protection::branch_from;
use super::error::ApiError;
use crate::live::{Identities, LiveState};
use crate::model::{Actors, Branch, Environment, RepoSettings, Reviewer, Secret};
use crate::names::RepoName;
use crate::untrusted::quote;

/// Why the live side could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A call failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Names the policy would write that GitHub does not know.
    #[error("the policy names {} that {} not exist (or that the token cannot see)", .0.join(", "), if .0.len() == 1 { "does" } else { "do" })]
    UnknownNames(Vec<String>),
}

impl From<ReadError> for crate::Error {
    fn from(err: ReadError) -> Self {
        match err {
            ReadError::Api(err) => err.into(),
            err @ ReadError::UnknownNames(_) => crate::Error::new(err.to_string()).with_hint(
                "check the spelling in the policy: users by login, teams and apps by slug",
            ),
        }
    }
}

/// Reads what `desired` covers from the repository.
pub async fn read_live(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<LiveState, ReadError> {
    // The environments come first: only they have a dependent read (list → patterns), so
    // that chain starts at once instead of queueing behind every branch read.
    let environments = read_environments(github, repo, desired);
    let branches = read_branches(github, repo, desired);
    let ((environments, mut live), (branches, missing_branches)) =
        futures::try_join!(environments, branches)?;
    live.settings.repository = Some(repo.to_string());
    live.settings.branches = branches;
    live.settings.environments = environments;
    live.missing_branches = missing_branches;
    resolve_names(github, repo, desired, &mut live).await?;
    Ok(live)
}

/// Reads everything the repository has, for `export`: every protected branch and every
/// environment with its patterns, secret names and variables. The ids of the apps a
/// `policy` pins checks to are learnt too, so that the export can name them.
pub async fn read_all(
    github: &dyn GithubRead,
    repo: &RepoName,
    policy: Option<&RepoSettings>,
) -> Result<LiveState, ReadError> {
    let mut everything = RepoSettings::empty();
    for name in github.protected_branches(repo).await? {
        everything.branches.insert(name, Branch::default());
    }
    for environment in github.environments(repo).await? {
        everything
            .environments
            .insert(environment.name, Environment::default());
    }
    let mut live = read_live(github, repo, &everything).await?;
    live.settings.branches.retain(|_, branch| branch.protected);
    if let Some(policy) = policy {
        let slugs: Vec<String> = pinned_apps(policy).into_iter().collect();
        let found = join_all(slugs.iter().map(|slug| github.app(slug))).await;
        for (slug, app) in slugs.into_iter().zip(found) {
            if let Some(app) = app? {
                live.ids.apps.insert(slug, app.id);
            }
        }
    }
    Ok(live)
}

async fn read_branches(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<(BTreeMap<String, Branch>, BTreeSet<String>), ApiError> {
    let mut names: BTreeSet<String> = desired.branches.keys().cloned().collect();
    if desired.prune.branch_protection {
        names.extend(github.protected_branches(repo).await?);
    }
    let reads = try_join_all(names.iter().map(|name| read_protection(github, repo, name))).await?;
    let mut branches = BTreeMap::new();
    let mut missing = BTreeSet::new();
    for (name, branch) in names.into_iter().zip(reads) {
        match branch {
            Some(branch) => {
                branches.insert(name, branch);
            }
            None => {
                missing.insert(name);
            }
        }
    }
    Ok((branches, missing))
}

/// Reads one branch's protection: `Some(branch)` (protected or not), `None` when the branch
/// does not exist.
async fn read_protection(
    github: &dyn GithubRead,
    repo: &RepoName,
    branch: &str,
) -> Result<Option<Branch>, ApiError> {
    match github.branch_protection(repo, branch).await? {
        ProtectionRead::Protected(protection) => {
            let signatures = match &protection.required_signatures {
                Some(flag) => flag.enabled,
                None => github.required_signatures(repo, branch).await?,
            };
            Ok(Some(branch_from(*protection, signatures)))
        }
        ProtectionRead::NotProtected => Ok(Some(Branch::unprotected())),
        ProtectionRead::BranchMissing => Ok(None),
    }
}

async fn read_environments(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<(BTreeMap<String, Environment>, LiveState), ApiError> {
    // GitHub matches environment names without regard to case.
    let listed: BTreeSet<String> = desired
        .environments
        .keys()
        .map(|n| n.to_lowercase())
        .collect();
    // Secrets and variables of listed environments do not depend on the list: start them at
    // once; `None` means the environment does not exist.
    let details = try_join_all(desired.environments.keys().map(|name| async move {
        let (secrets, variables) = futures::try_join!(
            github.environment_secrets(repo, name),
            github.environment_variables(repo, name)
        )?;
        Ok::<_, ApiError>((name.to_lowercase(), secrets, variables))
    }));
    let infos = async {
        let all = github.environments(repo).await?;
        // Custom patterns are read only where they are on, and only for environments the
        // policy manages or may prune.
        try_join_all(
            all.into_iter()
                .filter(|info| {
                    desired.prune.environments || listed.contains(&info.name.to_lowercase())
                })
                .map(|info| async move {
                    let patterns = if has_custom_patterns(&info) {
                        github.deployment_branch_policies(repo, &info.name).await?
                    } else {
                        Vec::new()
                    };
                    Ok::<_, ApiError>((info, patterns))
                }),
        )
        .await
    };
    let (infos, details) = futures::try_join!(infos, details)?;

    let mut live = LiveState::from_settings(RepoSettings::empty());
    let mut environments = BTreeMap::new();
    for (info, patterns) in infos {
        learn_reviewer_ids(&info, &mut live.ids);
        let lower = info.name.to_lowercase();
        for policy in &patterns {
            live.pattern_ids
                .insert((lower.clone(), pattern_from(policy)), policy.id);
        }
        let name = info.name.clone();
        environments.insert(
            name,
            environment_from(info, patterns.iter().map(pattern_from).collect()),
        );
    }
    let details: BTreeMap<String, _> = details.into_iter().map(|(n, s, v)| (n, (s, v))).collect();
    for (name, environment) in &mut environments {
        if let Some((secrets, variables)) = details.get(&name.to_lowercase()) {
            environment.secrets = secrets
                .iter()
                .flatten()
                .map(|s| Secret {
                    name: s.name.clone(),
                    from_env: None,
                })
                .collect();
            environment.variables = variables
                .iter()
                .flatten()
                .map(|v| (v.name.clone(), v.value.clone()))
                .collect();
        }
    }
    Ok((environments, live))
}

/// Checks that every user, team and app the policy names exists, and learns the ids writes
/// need. Names already seen in the live settings are known to exist; only the others, and
/// the reviewers and pinned apps whose ids are not known yet, cost a request. Every unknown
/// name is reported at once.
async fn resolve_names(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
    live: &mut LiveState,
) -> Result<(), ReadError> {
    let (seen_users, seen_teams) = names_in(&live.settings);
    let (users, teams) = names_in(desired);
    let reviewers = reviewers_of(desired);
    let needs_lookup =
        |name: &String, known: &BTreeMap<String, u64>, seen: &BTreeSet<String>, kind: u8| {
            !known.contains_key(name)
                && (reviewers.contains(&(kind, name.clone())) || !seen.contains(name))
        };
    let users: Vec<String> = users
        .into_iter()
        .filter(|u| needs_lookup(u, &live.ids.users, &seen_users, 0))
        .collect();
    let teams: Vec<String> = teams
        .into_iter()
        .filter(|t| needs_lookup(t, &live.ids.teams, &seen_teams, 1))
        .collect();
    let apps: Vec<String> = pinned_apps(desired)
        .into_iter()
        .filter(|a| !live.ids.apps.contains_key(a))
        .collect();

    let user_ids = join_all(users.iter().map(|login| github.user(login)));
    let team_ids = join_all(teams.iter().map(|slug| github.team(&repo.owner, slug)));
    let app_ids = join_all(apps.iter().map(|slug| github.app(slug)));
    let (user_ids, team_ids, app_ids) = futures::join!(user_ids, team_ids, app_ids);

    let mut unknown = Vec::new();
    let mut learn = |names: Vec<String>,
                     found: Vec<Result<Option<u64>, ApiError>>,
                     into: &mut BTreeMap<String, u64>,
                     what: &dyn Fn(&str) -> String| {
        for (name, found) in names.into_iter().zip(found) {
            match found? {
                Some(id) => {
                    into.insert(name, id);
                }
                None => unknown.push(what(&name)),
            }
        }
        Ok::<_, ApiError>(())
    };
    let org = &repo.owner;
    let mut ids = Identities::default();
    learn(
        users,
        user_ids
            .into_iter()
            .map(|r| r.map(|u| u.map(|u| u.id)))
            .collect(),
        &mut ids.users,
        &|n| format!("user {}", quote(n)),
    )?;
    learn(
        teams,
        team_ids
            .into_iter()
            .map(|r| r.map(|t| t.map(|t| t.id)))
            .collect(),
        &mut ids.teams,
        &|n| format!("team {} of {}", quote(n), quote(org)),
    )?;
    learn(
        apps,
        app_ids
            .into_iter()
            .map(|r| r.map(|a| a.map(|a| a.id)))
            .collect(),
        &mut ids.apps,
        &|n| format!("GitHub App {}", quote(n)),
    )?;
    if !unknown.is_empty() {
        return Err(ReadError::UnknownNames(unknown));
    }
    live.ids.users.extend(ids.users);
    live.ids.teams.extend(ids.teams);
    live.ids.apps.extend(ids.apps);
    Ok(())
}

/// Returns the lower-case user logins and team slugs named anywhere in the settings.
fn names_in(settings: &RepoSettings) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut users = BTreeSet::new();
    let mut teams = BTreeSet::new();
    let mut add = |actors: &Actors| {
        users.extend(actors.users.iter().map(|u| u.to_lowercase()));
        teams.extend(actors.teams.iter().map(|t| t.to_lowercase()));
    };
    for branch in settings.branches.values() {
        if let Some(pr) = &branch.pull_request {
            add(&pr.dismissal_restrictions);
            add(&pr.bypass);
        }
        if let Some(actors) = &branch.push_restrictions {
            add(actors);
        }
    }
    for (kind, name) in reviewers_of(settings) {
        if kind == 0 {
            users.insert(name);
        } else {
            teams.insert(name);
        }
    }
    (users, teams)
}

/// Returns the environment reviewers, `(0, login)` for users and `(1, slug)` for teams.
fn reviewers_of(settings: &RepoSettings) -> BTreeSet<(u8, String)> {
    settings
        .environments
        .values()
        .flat_map(|e| &e.reviewers)
        .map(|reviewer| match reviewer {
            Reviewer::User(login) => (0, login.to_lowercase()),
            Reviewer::Team(slug) => (1, slug.to_lowercase()),
        })
        .collect()
}

/// Returns the slugs of the apps required checks are pinned to by slug.
fn pinned_apps(settings: &RepoSettings) -> BTreeSet<String> {
    settings
        .branches
        .values()
        .filter_map(|branch| branch.status_checks.as_ref())
        .flat_map(|checks| &checks.required)
        .filter(|check| check.app_id.is_none())
        .filter_map(|check| check.app.as_ref().map(|slug| slug.to_lowercase()))
        .collect()
}
