//! The fields the emulator answers, from the same state as its REST answers: a repository
//! (`repository(owner:, name:)`: name, flags, default branch, the caller's permission) and
//! its classic branch protection rules (one per protected branch, whose pattern is the
//! branch's name), the actors those rules allow, its rulesets (`rulesets`), its branches
//! (`refs`) and collaborators with their permission (`collaborators`), and `rateLimit`.
//! A field the schema has but the emulator does not model is an error naming it, never a
//! made-up value.

use serde_json::{Map, Value, json};

use super::objects::{FieldError, Obj, Out, Scope};
use super::rulesets;
use crate::seed::Role;
use crate::state::protection::{Actors, Protection};

fn unmodelled(ty: &str, field: &str) -> FieldError {
    FieldError {
        kind: "UNMODELLED",
        message: format!("the emulator does not model {ty}.{field}"),
    }
}

/// Resolves one field of an object.
pub(crate) fn resolve(
    scope: &Scope<'_>,
    obj: &Obj,
    field: &str,
    args: &Map<String, Value>,
) -> Result<Out, FieldError> {
    let s = |v: Value| Ok(Out::Scalar(v));
    match obj {
        Obj::Query => query(scope, field, args),
        Obj::Repo(i) => repository(scope, *i, field, args),
        Obj::Org(login) => match field {
            "login" => s(json!(login)),
            _ => Err(unmodelled("Organization", field)),
        },
        Obj::Ruleset {
            src,
            id,
            sees_bypass,
        } => rulesets::ruleset(scope, *src, *id, *sees_bypass, field),
        Obj::Part { ty, value } => rulesets::part(scope, ty, value, field),
        Obj::Rule { repo, branch } => rule(scope, *repo, branch, field),
        Obj::Ref(name) => match field {
            "name" => s(json!(name)),
            "prefix" => s(json!("refs/heads/")),
            _ => Err(unmodelled("Ref", field)),
        },
        Obj::Allowance { ty, actor } => match field {
            "actor" => Ok(Out::Obj((**actor).clone())),
            _ => Err(unmodelled(ty, field)),
        },
        Obj::Actor { ty, name, id } => match (field, *ty) {
            ("login", "User") | ("slug", "Team" | "App") => s(json!(name)),
            ("databaseId", _) => s(json!(id)),
            _ => Err(unmodelled(ty, field)),
        },
        Obj::Check { context, app } => match field {
            "context" => s(json!(context)),
            "app" => match app {
                None => s(Value::Null),
                Some(id) => {
                    let found = scope
                        .world
                        .dir
                        .apps
                        .iter()
                        .find(|a| i64::try_from(a.id).ok() == Some(*id));
                    found.map_or_else(
                        || {
                            Err(FieldError {
                                kind: "NOT_FOUND",
                                message: format!("Could not resolve to an App with the id {id}."),
                            })
                        },
                        |a| {
                            Ok(Out::Obj(Obj::Actor {
                                ty: "App",
                                name: a.slug.clone(),
                                id: a.id,
                            }))
                        },
                    )
                }
            },
            _ => Err(unmodelled("RequiredStatusCheckDescription", field)),
        },
        Obj::RateLimit => {
            let (cost, remaining, used, limit, reset) = &scope.rate;
            match field {
                "cost" => s(json!(cost)),
                "remaining" => s(json!(remaining)),
                "used" => s(json!(used)),
                "limit" => s(json!(limit)),
                "resetAt" => s(json!(reset)),
                _ => Err(unmodelled("RateLimit", field)),
            }
        }
        Obj::Conn { .. } | Obj::Edge { .. } | Obj::PageInfo { .. } => connection(obj, field),
    }
}

/// A field of a connection, an edge or a page's info.
fn connection(obj: &Obj, field: &str) -> Result<Out, FieldError> {
    let s = |v: Value| Ok(Out::Scalar(v));
    match obj {
        Obj::Edge {
            ty,
            node,
            permission,
        } => match field {
            "node" => Ok(Out::Obj((**node).clone())),
            "permission" => s(json!(permission)),
            _ => Err(unmodelled(ty, field)),
        },
        Obj::Conn {
            nodes,
            total,
            has_next,
            end_cursor,
            ty,
        } => match field {
            // A connection of edges (collaborators) lists their nodes as `nodes`.
            "nodes" => Ok(Out::List(
                nodes
                    .iter()
                    .map(|n| match n {
                        Obj::Edge { node, .. } => (**node).clone(),
                        other => other.clone(),
                    })
                    .collect(),
            )),
            "edges" if nodes.iter().all(|n| matches!(n, Obj::Edge { .. })) => {
                Ok(Out::List(nodes.clone()))
            }
            "totalCount" => s(json!(total)),
            "pageInfo" => Ok(Out::Obj(Obj::PageInfo {
                has_next: *has_next,
                end_cursor: end_cursor.clone(),
            })),
            _ => Err(unmodelled(ty, field)),
        },
        Obj::PageInfo {
            has_next,
            end_cursor,
        } => match field {
            "hasNextPage" => s(json!(has_next)),
            "endCursor" => s(json!(end_cursor)),
            _ => Err(unmodelled("PageInfo", field)),
        },
        _ => Err(unmodelled(&super::objects::typename(obj), field)),
    }
}

fn query(scope: &Scope<'_>, field: &str, args: &Map<String, Value>) -> Result<Out, FieldError> {
    match field {
        "rateLimit" => Ok(Out::Obj(Obj::RateLimit)),
        "repository" => {
            let owner = args.get("owner").and_then(Value::as_str).unwrap_or("");
            let name = args.get("name").and_then(Value::as_str).unwrap_or("");
            scope
                .world
                .repo_index(owner, name)
                .filter(|_| (scope.reaches)(owner, name))
                .map(|i| Out::Obj(Obj::Repo(i)))
                .ok_or_else(|| FieldError {
                    kind: "NOT_FOUND",
                    message: format!(
                        "Could not resolve to a Repository with the name '{owner}/{name}'."
                    ),
                })
        }
        _ => Err(unmodelled("Query", field)),
    }
}

fn repository(
    scope: &Scope<'_>,
    i: usize,
    field: &str,
    args: &Map<String, Value>,
) -> Result<Out, FieldError> {
    let repo = &scope.world.repos[i];
    let s = |v: Value| Ok(Out::Scalar(v));
    match field {
        "name" => s(json!(repo.repo.name)),
        "nameWithOwner" => s(json!(repo.full_name())),
        "databaseId" => s(json!(repo.repo_id)),
        "isArchived" => s(json!(repo.repo.archived)),
        "isFork" => s(json!(repo.repo.fork)),
        // GitHub answers null for a default branch that does not exist (an empty repository).
        "defaultBranchRef" => Ok(if repo.branches.contains_key(&repo.repo.default_branch) {
            Out::Obj(Obj::Ref(repo.repo.default_branch.clone()))
        } else {
            Out::Scalar(Value::Null)
        }),
        "viewerPermission" => s(json!(match scope.role {
            Role::Read => "READ",
            Role::Write => "WRITE",
            Role::Admin => "ADMIN",
        })),
        // Classic protection is not shown to readers (the REST read is a 403 for them too).
        "branchProtectionRules" if scope.role < Role::Write => Err(FieldError {
            kind: "FORBIDDEN",
            message: "Must have admin rights to Repository.".into(),
        }),
        "branchProtectionRules" => Ok(Out::Page(
            repo.branches
                .iter()
                .filter(|(_, b)| b.protection.is_some())
                .map(|(name, _)| Obj::Rule {
                    repo: i,
                    branch: name.clone(),
                })
                .collect(),
        )),
        "rulesets" => rulesets::of_repository(scope, i, args),
        // Every branch, as `GET …/branches` lists them.
        "refs" if args.get("refPrefix").and_then(Value::as_str) == Some("refs/heads/") => {
            Ok(Out::Page(
                repo.branches
                    .keys()
                    .map(|name| Obj::Ref(name.clone()))
                    .collect(),
            ))
        }
        "refs" => Err(unmodelled("Repository", "refs(refPrefix:) but refs/heads/")),
        // Listed only to callers with push access, as `GET …/collaborators` is.
        "collaborators" if scope.role < Role::Write => Err(FieldError {
            kind: "FORBIDDEN",
            message: crate::state::activity::COLLABORATORS_FORBIDDEN.into(),
        }),
        "collaborators" if args.get("affiliation").is_none_or(|a| a == "ALL") => Ok(Out::Page(
            repo.collaborator_permissions()
                .into_iter()
                .map(|(login, id, permission)| Obj::Edge {
                    ty: "RepositoryCollaboratorEdge",
                    node: Box::new(Obj::Actor {
                        ty: "User",
                        name: login,
                        id,
                    }),
                    permission,
                })
                .collect(),
        )),
        "collaborators" => Err(unmodelled(
            "Repository",
            "collaborators(affiliation:) but ALL",
        )),
        _ => Err(unmodelled("Repository", field)),
    }
}

fn actors(scope: &Scope<'_>, ty: &'static str, actors: Option<&Actors>) -> Vec<Obj> {
    let Some(actors) = actors else {
        return Vec::new();
    };
    let dir = &scope.world.dir;
    let users = actors.users.iter().filter_map(|login| {
        dir.user(login).map(|u| Obj::Actor {
            ty: "User",
            name: u.login.clone(),
            id: u.id,
        })
    });
    let teams = actors.teams.iter().filter_map(|slug| {
        dir.team(slug).map(|t| Obj::Actor {
            ty: "Team",
            name: t.slug.clone(),
            id: t.id,
        })
    });
    let apps = actors.apps.iter().filter_map(|slug| {
        dir.app(slug).map(|a| Obj::Actor {
            ty: "App",
            name: a.slug.clone(),
            id: a.id,
        })
    });
    users
        .chain(teams)
        .chain(apps)
        .map(|actor| Obj::Allowance {
            ty,
            actor: Box::new(actor),
        })
        .collect()
}

fn rule(scope: &Scope<'_>, repo: usize, branch: &str, field: &str) -> Result<Out, FieldError> {
    let Some(p): Option<&Protection> = scope.world.repos[repo]
        .branches
        .get(branch)
        .and_then(|b| b.protection.as_ref())
    else {
        return Err(unmodelled("BranchProtectionRule", field));
    };
    let s = |v: Value| Ok(Out::Scalar(v));
    let reviews = p.reviews.as_ref();
    let checks = p.status_checks.as_ref();
    match field {
        "pattern" => s(json!(branch)),
        "matchingRefs" => Ok(Out::Page(vec![Obj::Ref(branch.to_owned())])),
        "isAdminEnforced" => s(json!(p.enforce_admins)),
        "requiresApprovingReviews" => s(json!(reviews.is_some())),
        "requiredApprovingReviewCount" => s(json!(reviews.map(|r| r.count))),
        "dismissesStaleReviews" => s(json!(reviews.is_some_and(|r| r.dismiss_stale))),
        "requiresCodeOwnerReviews" => s(json!(reviews.is_some_and(|r| r.code_owners))),
        "requireLastPushApproval" => s(json!(reviews.is_some_and(|r| r.last_push))),
        "restrictsReviewDismissals" => s(json!(reviews.is_some_and(|r| r.dismissal.is_some()))),
        "reviewDismissalAllowances" => Ok(Out::Page(actors(
            scope,
            "ReviewDismissalAllowance",
            reviews.and_then(|r| r.dismissal.as_ref()),
        ))),
        "bypassPullRequestAllowances" => Ok(Out::Page(actors(
            scope,
            "BypassPullRequestAllowance",
            reviews.and_then(|r| r.bypass.as_ref()),
        ))),
        "requiresStatusChecks" => s(json!(checks.is_some())),
        "requiresStrictStatusChecks" => s(json!(checks.is_some_and(|c| c.strict))),
        "requiredStatusCheckContexts" => s(json!(checks.map_or_else(Vec::new, |c| {
            c.checks.iter().map(|(n, _)| n.clone()).collect()
        }))),
        "requiredStatusChecks" => Ok(Out::List(checks.map_or_else(Vec::new, |c| {
            c.checks
                .iter()
                .map(|(context, app)| Obj::Check {
                    context: context.clone(),
                    app: app.filter(|id| *id > 0),
                })
                .collect()
        }))),
        "requiresCommitSignatures" => s(json!(p.signatures)),
        "requiresLinearHistory" => s(json!(p.linear_history)),
        "allowsForcePushes" => s(json!(p.force_pushes)),
        "allowsDeletions" => s(json!(p.deletions)),
        "blocksCreations" => s(json!(p.block_creations)),
        "requiresConversationResolution" => s(json!(p.conversation_resolution)),
        "lockBranch" => s(json!(p.lock_branch)),
        "lockAllowsFetchAndMerge" => s(json!(p.fork_syncing)),
        "restrictsPushes" => s(json!(p.restrictions.is_some())),
        "pushAllowances" => Ok(Out::Page(actors(
            scope,
            "PushAllowance",
            p.restrictions.as_ref(),
        ))),
        _ => Err(unmodelled("BranchProtectionRule", field)),
    }
}
