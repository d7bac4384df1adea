//! Reading the live repository into a `LiveState`, with as few requests as the policy needs.
//!
//! What is read follows the policy: protection of each listed branch (the protected-branch
//! list only when pruning), the environments list, and for each listed environment its
//! deployment patterns (only when custom patterns are on), secret names and variables.
//! Independent reads run concurrently; the client bounds how many are in flight.
//! A read that the token is not allowed to make is an error naming the permission, never a
//! guess and never drift.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::try_join_all;
use http::StatusCode;
use serde_json::Value;

use super::client::{ApiResponse, ReadApi};
use super::error::{ApiError, ApiErrorKind};
use super::wire;
use super::{RepoId, encode};
use crate::live::{Identities, LiveState};
use crate::model::{Branch, DeploymentPattern, Environment, RepoSettings, Reviewer, Secret};

/// GitHub's largest page for most lists.
const PER_PAGE: u32 = 100;
/// The largest page for environment variables (QUIRKS 12).
const VARIABLES_PER_PAGE: u32 = 30;

/// Reads what `desired` covers from the repository.
pub async fn read_live(
    api: &ReadApi,
    repo: &RepoId,
    desired: &RepoSettings,
) -> Result<LiveState, ApiError> {
    // The client's semaphore hands out its permits in the order they are asked for, and
    // `try_join!` first polls its futures in the order given: the environments come first
    // because only they have a dependent read (list → deployment patterns), so that chain
    // starts at once instead of queueing behind every branch read.
    let environments = read_environments(api, repo, desired);
    let branches = read_branches(api, repo, desired);
    let apps = resolve_apps(api, desired);
    let ((environments, env_ids), (branches, missing_branches), apps) =
        futures::try_join!(environments, branches, apps)?;

    let mut settings = RepoSettings::empty();
    settings.repository = Some(repo.to_string());
    settings.branches = branches;
    settings.environments = environments;
    let mut ids = env_ids;
    ids.apps = apps;
    let live = LiveState {
        settings,
        missing_branches,
        ids,
    };
    let ids = resolve_names(api, repo, desired, &live).await?;
    Ok(LiveState { ids, ..live })
}

/// Reads everything the repository has, for `export`: every protected branch and every
/// environment with its patterns, secret names and variables.
pub async fn read_all(api: &ReadApi, repo: &RepoId) -> Result<RepoSettings, ApiError> {
    let protected = list_protected_branches(api, repo).await?;
    let mut everything = RepoSettings::empty();
    for name in protected {
        everything.branches.insert(name, Branch::default());
    }
    everything.prune.environments = true;
    let live = read_live(api, repo, &everything).await?;
    let mut settings = live.settings;
    settings.repository = Some(repo.to_string());
    // An environment read only to be pruned has no secrets or variables read; read them now.
    let names: Vec<String> = settings.environments.keys().cloned().collect();
    let details = try_join_all(names.iter().map(|name| async move {
        let (secrets, variables) = futures::try_join!(
            list_secrets(api, repo, name),
            list_variables(api, repo, name)
        )?;
        Ok::<_, ApiError>((name, secrets, variables))
    }))
    .await?;
    for (name, secrets, variables) in details {
        if let Some(environment) = settings.environments.get_mut(name) {
            environment.secrets = secrets.unwrap_or_default();
            environment.variables = variables.unwrap_or_default();
        }
    }
    settings.branches.retain(|_, branch| branch.protected);
    Ok(settings)
}

async fn read_branches(
    api: &ReadApi,
    repo: &RepoId,
    desired: &RepoSettings,
) -> Result<(BTreeMap<String, Branch>, BTreeSet<String>), ApiError> {
    let mut names: BTreeSet<String> = desired.branches.keys().cloned().collect();
    if desired.prune.branch_protection {
        names.extend(list_protected_branches(api, repo).await?);
    }
    let results = try_join_all(names.iter().map(|name| read_protection(api, repo, name))).await?;
    let mut branches = BTreeMap::new();
    let mut missing = BTreeSet::new();
    for (name, result) in names.into_iter().zip(results) {
        match result {
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

async fn list_protected_branches(api: &ReadApi, repo: &RepoId) -> Result<Vec<String>, ApiError> {
    let path = format!(
        "{}/branches?protected=true&per_page={PER_PAGE}",
        repo.path()
    );
    let items = api
        .get_all(&path, None)
        .await
        .map_err(|e| with_permission(e, "Contents: read"))?;
    Ok(items
        .iter()
        .filter_map(|item| item.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect())
}

/// Reads one branch's protection: `Some(branch)` (protected or not), `None` when the
/// branch does not exist.
async fn read_protection(
    api: &ReadApi,
    repo: &RepoId,
    branch: &str,
) -> Result<Option<Branch>, ApiError> {
    let path = format!("{}/branches/{}/protection", repo.path(), encode(branch));
    let call = format!("GET {path}");
    let response = api.get(&path).await?;
    match response.status {
        StatusCode::OK => {
            let protection: wire::BranchProtection = response.json(&call)?;
            let signatures = match &protection.required_signatures {
                Some(flag) => flag.enabled(),
                None => read_signatures(api, &path).await?,
            };
            Ok(Some(protection.into_branch(signatures)))
        }
        StatusCode::NOT_FOUND => match response.message().as_deref() {
            Some("Branch not protected") => Ok(Some(Branch::unprotected())),
            Some("Branch not found") => Ok(None),
            _ => Err(not_found(&response, &call, repo)),
        },
        _ => Err(with_permission(
            ApiError::from_response(&response, &call),
            "Administration: read",
        )),
    }
}

async fn read_signatures(api: &ReadApi, protection_path: &str) -> Result<bool, ApiError> {
    let path = format!("{protection_path}/required_signatures");
    let call = format!("GET {path}");
    let response = api.get(&path).await?;
    match response.status {
        StatusCode::OK => Ok(response
            .json::<wire::Enabled>(&call)
            .map(|flag| flag.enabled())?),
        StatusCode::NOT_FOUND => Ok(false),
        _ => Err(with_permission(
            ApiError::from_response(&response, &call),
            "Administration: read",
        )),
    }
}

async fn read_environments(
    api: &ReadApi,
    repo: &RepoId,
    desired: &RepoSettings,
) -> Result<(BTreeMap<String, Environment>, Identities), ApiError> {
    let listed: BTreeSet<&String> = desired.environments.keys().collect();
    // GitHub matches environment names without regard to case.
    let listed_lower: BTreeSet<String> = listed.iter().map(|n| n.to_lowercase()).collect();
    // Secrets and variables of listed environments do not depend on the list: start them at
    // once, and treat a 404 as "the environment does not exist".
    let details = try_join_all(listed.iter().map(|name| async move {
        let (secrets, variables) = futures::try_join!(
            list_secrets(api, repo, name),
            list_variables(api, repo, name)
        )?;
        Ok::<_, ApiError>((*name, secrets, variables))
    }));
    let infos = async {
        let path = format!("{}/environments?per_page={PER_PAGE}", repo.path());
        let items = api
            .get_all(&path, Some("environments"))
            .await
            .map_err(|e| repository_missing(with_permission(e, "Actions: read"), repo))?;
        let infos = items
            .into_iter()
            .map(|item| {
                serde_json::from_value::<wire::EnvironmentInfo>(item.clone())
                    .map(|info| (info, item))
                    .map_err(|err| {
                        ApiError::new(ApiErrorKind::MalformedResponse, format!("GET {path}"))
                            .with_detail(format!(
                                "an environment is not the documented shape: {err}"
                            ))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // Custom patterns are read only where they are on, and only for environments the
        // policy manages or may prune.
        try_join_all(
            infos
                .into_iter()
                .filter(|(info, _)| {
                    desired.prune.environments || listed_lower.contains(&info.name.to_lowercase())
                })
                .map(|(info, raw)| async move {
                    let patterns = if info.has_custom_policies() {
                        list_patterns(api, repo, &info.name).await?
                    } else {
                        Vec::new()
                    };
                    Ok::<_, ApiError>((info, raw, patterns))
                }),
        )
        .await
    };
    // The list first: its answer starts the pattern reads, the longest chain.
    let (infos, details) = futures::try_join!(infos, details)?;

    let mut ids = Identities::default();
    let mut environments = BTreeMap::new();
    for (info, raw, patterns) in infos {
        collect_reviewer_ids(&raw, &mut ids);
        let name = info.name.clone();
        environments.insert(
            name,
            info.into_environment(
                patterns
                    .iter()
                    .map(wire::DeploymentBranchPolicy::pattern)
                    .collect(),
            ),
        );
    }
    for (name, secrets, variables) in details {
        let live_name = environments
            .keys()
            .find(|live| live.eq_ignore_ascii_case(name))
            .cloned();
        if let Some(environment) = live_name.and_then(|live| environments.get_mut(&live)) {
            environment.secrets = secrets.unwrap_or_default();
            environment.variables = variables.unwrap_or_default();
        }
    }
    Ok((environments, ids))
}

/// Lists an environment's custom deployment patterns, with their ids.
pub(super) async fn list_patterns(
    api: &ReadApi,
    repo: &RepoId,
    environment: &str,
) -> Result<Vec<wire::DeploymentBranchPolicy>, ApiError> {
    let path = format!(
        "{}/environments/{}/deployment-branch-policies?per_page={PER_PAGE}",
        repo.path(),
        encode(environment)
    );
    let items = api
        .get_all(&path, Some("branch_policies"))
        .await
        .map_err(|e| with_permission(e, "Actions: read"))?;
    items
        .into_iter()
        .map(|item| {
            serde_json::from_value(item).map_err(|err| {
                ApiError::new(ApiErrorKind::MalformedResponse, format!("GET {path}")).with_detail(
                    format!("a deployment branch policy is not the documented shape: {err}"),
                )
            })
        })
        .collect()
}

/// Lists secret names; `None` when the environment does not exist.
async fn list_secrets(
    api: &ReadApi,
    repo: &RepoId,
    environment: &str,
) -> Result<Option<Vec<Secret>>, ApiError> {
    let path = format!(
        "{}/environments/{}/secrets?per_page={PER_PAGE}",
        repo.path(),
        encode(environment)
    );
    let Some(items) = list_or_missing(api, &path, "secrets", "Environments: read").await? else {
        return Ok(None);
    };
    let names = items
        .into_iter()
        .map(|item| {
            serde_json::from_value::<wire::SecretInfo>(item).map(|secret| Secret {
                name: secret.name,
                from_env: None,
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| malformed(&path, &err))?;
    Ok(Some(names))
}

/// Lists variables; `None` when the environment does not exist.
async fn list_variables(
    api: &ReadApi,
    repo: &RepoId,
    environment: &str,
) -> Result<Option<BTreeMap<String, String>>, ApiError> {
    let path = format!(
        "{}/environments/{}/variables?per_page={VARIABLES_PER_PAGE}",
        repo.path(),
        encode(environment)
    );
    let Some(items) = list_or_missing(api, &path, "variables", "Environments: read").await? else {
        return Ok(None);
    };
    let variables = items
        .into_iter()
        .map(|item| serde_json::from_value::<wire::VariableInfo>(item).map(|v| (v.name, v.value)))
        .collect::<Result<BTreeMap<_, _>, _>>()
        .map_err(|err| malformed(&path, &err))?;
    Ok(Some(variables))
}

async fn list_or_missing(
    api: &ReadApi,
    path: &str,
    field: &str,
    permission: &str,
) -> Result<Option<Vec<Value>>, ApiError> {
    match api.get_all(path, Some(field)).await {
        Ok(items) => Ok(Some(items)),
        Err(err) if err.kind == ApiErrorKind::NotFound => Ok(None),
        Err(err) => Err(with_permission(err, permission)),
    }
}

/// Resolves the app slugs that pin required checks to their ids.
async fn resolve_apps(
    api: &ReadApi,
    desired: &RepoSettings,
) -> Result<BTreeMap<String, i64>, ApiError> {
    let slugs: BTreeSet<String> = desired
        .branches
        .values()
        .filter_map(|branch| branch.status_checks.as_ref())
        .flat_map(|checks| checks.required.iter())
        .filter(|check| check.app_id.is_none())
        .filter_map(|check| check.app.as_ref().map(|slug| slug.to_lowercase()))
        .collect();
    let ids = try_join_all(slugs.iter().map(|slug| async move {
        let path = format!("/apps/{}", encode(slug));
        lookup_id(api, &path, &format!("GitHub App `{slug}`")).await
    }))
    .await?;
    Ok(slugs.into_iter().zip(ids).collect())
}

/// Checks that every user and team the policy names exists, and learns the ids that
/// environment reviewers are written with. Names already seen in the live settings are
/// known to exist; only the others cost a request.
async fn resolve_names(
    api: &ReadApi,
    repo: &RepoId,
    desired: &RepoSettings,
    live: &LiveState,
) -> Result<Identities, ApiError> {
    let mut ids = live.ids.clone();
    let (seen_users, seen_teams) = names_in(&live.settings);
    let (users, teams) = names_in(desired);
    let reviewer_users: BTreeSet<String> = reviewers_of(desired, true);
    let reviewer_teams: BTreeSet<String> = reviewers_of(desired, false);
    // A reviewer needs an id even when the name is seen elsewhere; others need to exist.
    let users: Vec<String> = users
        .into_iter()
        .filter(|u| {
            !ids.users.contains_key(u) && (reviewer_users.contains(u) || !seen_users.contains(u))
        })
        .collect();
    let teams: Vec<String> = teams
        .into_iter()
        .filter(|t| {
            !ids.teams.contains_key(t) && (reviewer_teams.contains(t) || !seen_teams.contains(t))
        })
        .collect();
    let user_ids = try_join_all(users.iter().map(|login| async move {
        lookup_id(
            api,
            &format!("/users/{}", encode(login)),
            &format!("user `{login}`"),
        )
        .await
    }));
    let team_ids = try_join_all(teams.iter().map(|slug| async move {
        let path = format!("/orgs/{}/teams/{}", encode(&repo.owner), encode(slug));
        lookup_id(
            api,
            &path,
            &format!("team `{slug}` of organisation `{}`", repo.owner),
        )
        .await
    }));
    let (user_ids, team_ids) = futures::try_join!(user_ids, team_ids)?;
    ids.users.extend(users.into_iter().zip(user_ids));
    ids.teams.extend(teams.into_iter().zip(team_ids));
    Ok(ids)
}

/// Returns the lowercase user logins and team slugs named anywhere in the settings.
fn names_in(settings: &RepoSettings) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut users = BTreeSet::new();
    let mut teams = BTreeSet::new();
    let mut add = |actors: &crate::model::Actors| {
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
    for environment in settings.environments.values() {
        for reviewer in &environment.reviewers {
            match reviewer {
                Reviewer::User(login) => users.insert(login.to_lowercase()),
                Reviewer::Team(slug) => teams.insert(slug.to_lowercase()),
            };
        }
    }
    (users, teams)
}

fn reviewers_of(settings: &RepoSettings, users: bool) -> BTreeSet<String> {
    settings
        .environments
        .values()
        .flat_map(|e| e.reviewers.iter())
        .filter_map(|r| match (r, users) {
            (Reviewer::User(login), true) => Some(login.to_lowercase()),
            (Reviewer::Team(slug), false) => Some(slug.to_lowercase()),
            _ => None,
        })
        .collect()
}

/// Learns reviewer ids from an environment's raw answer, so that apply needs no lookups
/// for reviewers that are already configured.
fn collect_reviewer_ids(raw: &Value, ids: &mut Identities) {
    let rules = raw.get("protection_rules").and_then(Value::as_array);
    for rule in rules.into_iter().flatten() {
        for entry in rule
            .get("reviewers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let reviewer = entry.get("reviewer");
            let id = reviewer.and_then(|r| r.get("id")).and_then(Value::as_i64);
            let (Some(reviewer), Some(id)) = (reviewer, id) else {
                continue;
            };
            match entry.get("type").and_then(Value::as_str) {
                Some("Team") => {
                    if let Some(slug) = reviewer.get("slug").and_then(Value::as_str) {
                        ids.teams.insert(slug.to_lowercase(), id);
                    }
                }
                _ => {
                    if let Some(login) = reviewer.get("login").and_then(Value::as_str) {
                        ids.users.insert(login.to_lowercase(), id);
                    }
                }
            }
        }
    }
}

async fn lookup_id(api: &ReadApi, path: &str, what: &str) -> Result<i64, ApiError> {
    let call = format!("GET {path}");
    let response = api.get(path).await?;
    match response.status {
        StatusCode::OK => Ok(response.json::<wire::Identified>(&call)?.id),
        StatusCode::NOT_FOUND => Err(ApiError::new(ApiErrorKind::NotFound, call)
            .with_detail(format!(
                "{what} does not exist (or the token cannot see it)"
            ))
            .with_hint("check the spelling in the policy: users by login, teams and apps by slug")),
        _ => Err(ApiError::from_response(&response, &call)),
    }
}

fn not_found(response: &ApiResponse, call: &str, repo: &RepoId) -> ApiError {
    repository_missing(ApiError::from_response(response, call), repo)
}

/// A 404 on a repository-wide list means the repository is not there for this token.
fn repository_missing(err: ApiError, repo: &RepoId) -> ApiError {
    if err.kind != ApiErrorKind::NotFound {
        return err;
    }
    err.with_hint(format!(
        "repository `{repo}` was not found, or the token cannot see it; check --repo and the token's repository access"
    ))
}

/// Names the permission a 403 needs.
fn with_permission(err: ApiError, permission: &str) -> ApiError {
    if err.kind != ApiErrorKind::Permission {
        return err;
    }
    let accepted = err.hint.clone().unwrap_or_default();
    let hint = if accepted.contains("GitHub accepts") {
        accepted
    } else {
        format!(
            "the token needs \"{permission}\" on this repository (fine-grained token), or the `repo` scope (classic token)"
        )
    };
    ApiError {
        hint: Some(hint),
        ..err
    }
}

fn malformed(path: &str, err: &serde_json::Error) -> ApiError {
    ApiError::new(ApiErrorKind::MalformedResponse, format!("GET {path}"))
        .with_detail(format!("the answer is not the documented shape: {err}"))
}

/// Returns the id of a deployment pattern, for deleting it.
pub(super) fn pattern_id(
    policies: &[wire::DeploymentBranchPolicy],
    pattern: &DeploymentPattern,
) -> Option<i64> {
    policies
        .iter()
        .find(|p| p.pattern() == *pattern)
        .map(|p| p.id)
}
