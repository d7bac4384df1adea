//! Rulesets through GraphQL (`Repository.rulesets`), from the same stored rulesets as the
//! REST answers: the repository's own and, with `includeParents` (GitHub's default), the
//! organisation's that apply to it, by id as REST lists them. Each part of a ruleset is the
//! stored JSON, typed by its GraphQL type; a field is the stored key of the same name in
//! snake case. What GraphQL cannot say is answered as GitHub does: a bypass actor that is
//! not an app or a team has a null `actor`, a bypass mode GraphQL has no value for
//! (`exempt`) is null, and bypass actors are null for a caller who may not see them.

use serde_json::{Map, Value, json};

use super::objects::{FieldError, Obj, Out, Scope};
use crate::state::rulesets::{Core, Source};
use crate::state::rulesets_json::{ordered_bypass, ordered_conditions, ordered_rules};

fn unmodelled(ty: &str, field: &str) -> FieldError {
    FieldError {
        kind: "UNMODELLED",
        message: format!("the emulator does not model {ty}.{field}"),
    }
}

fn core<'a>(scope: &'a Scope<'_>, src: Source, id: u64) -> Option<&'a Core> {
    scope.world.rulesets(src).get(&id).map(|r| &r.core)
}

/// `Repository.rulesets`: the repository's rulesets and, unless `includeParents` is false,
/// the organisation's that apply to it, ordered by id as the REST list is.
pub(crate) fn of_repository(
    scope: &Scope<'_>,
    repo: usize,
    args: &Map<String, Value>,
) -> Result<Out, FieldError> {
    if args.get("targets").is_some_and(|t| !t.is_null()) {
        return Err(unmodelled("Repository", "rulesets(targets:)"));
    }
    let parents = args.get("includeParents").and_then(Value::as_bool) != Some(false);
    let world = scope.world;
    let own = Source::Repo(repo);
    let mut items: Vec<(u64, Obj)> = world
        .rulesets(own)
        .keys()
        .map(|id| {
            (
                *id,
                Obj::Ruleset {
                    src: own,
                    id: *id,
                    sees_bypass: scope.role >= crate::seed::Role::Write,
                },
            )
        })
        .collect();
    if parents {
        for r in world.org_rulesets.values() {
            if world.org_ruleset_applies(&r.core, repo) {
                items.push((
                    r.core.id,
                    Obj::Ruleset {
                        src: Source::Org,
                        id: r.core.id,
                        sees_bypass: scope.edits_org_rulesets,
                    },
                ));
            }
        }
    }
    items.sort_by_key(|(id, _)| *id);
    Ok(Out::Page(items.into_iter().map(|(_, o)| o).collect()))
}

/// A field of a `RepositoryRuleset`.
pub(crate) fn ruleset(
    scope: &Scope<'_>,
    src: Source,
    id: u64,
    sees_bypass: bool,
    field: &str,
) -> Result<Out, FieldError> {
    let Some(core) = core(scope, src, id) else {
        return Err(unmodelled("RepositoryRuleset", field));
    };
    let s = |v: Value| Ok(Out::Scalar(v));
    let realism = &scope.world.realism;
    match field {
        "databaseId" => s(json!(core.id)),
        "name" => s(json!(core.name)),
        "enforcement" => s(json!(core.enforcement.to_uppercase())),
        "target" => s(json!(core.target.to_uppercase())),
        "createdAt" => s(json!(core.created)),
        "updatedAt" => s(json!(core.updated)),
        "source" => Ok(Out::Obj(match src {
            Source::Repo(i) => Obj::Repo(i),
            Source::Org => Obj::Org(
                scope
                    .world
                    .dir
                    .org
                    .as_ref()
                    .map(|o| o.login.clone())
                    .unwrap_or_default(),
            ),
        })),
        // Always an object; a ruleset without conditions has none of its parts.
        "conditions" => Ok(Out::Obj(Obj::Part {
            ty: "RepositoryRuleConditions",
            value: core
                .conditions
                .as_ref()
                .map_or_else(|| json!({}), |c| ordered_conditions(c, realism.order)),
        })),
        "bypassActors" if !sees_bypass => s(Value::Null),
        "bypassActors" => Ok(Out::Page(
            ordered_bypass(core, realism)
                .into_iter()
                .map(|value| Obj::Part {
                    ty: "RepositoryRulesetBypassActor",
                    value,
                })
                .collect(),
        )),
        "rules" => Ok(Out::Page(
            ordered_rules(core, realism)
                .into_iter()
                .map(|value| Obj::Part {
                    ty: "RepositoryRule",
                    value,
                })
                .collect(),
        )),
        _ => Err(unmodelled("RepositoryRuleset", field)),
    }
}

/// The GraphQL type of a rule type's parameters (the `RuleParameters` union).
fn parameters_type(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "pull_request" => "PullRequestParameters",
        "required_status_checks" => "RequiredStatusChecksParameters",
        "required_deployments" => "RequiredDeploymentsParameters",
        "update" => "UpdateParameters",
        "merge_queue" => "MergeQueueParameters",
        "code_scanning" => "CodeScanningParameters",
        "workflows" => "WorkflowsParameters",
        "file_path_restriction" => "FilePathRestrictionParameters",
        "max_file_path_length" => "MaxFilePathLengthParameters",
        "file_extension_restriction" => "FileExtensionRestrictionParameters",
        "max_file_size" => "MaxFileSizeParameters",
        "commit_message_pattern" => "CommitMessagePatternParameters",
        "commit_author_email_pattern" => "CommitAuthorEmailPatternParameters",
        "committer_email_pattern" => "CommitterEmailPatternParameters",
        "branch_name_pattern" => "BranchNamePatternParameters",
        "tag_name_pattern" => "TagNamePatternParameters",
        _ => return None,
    })
}

/// The GraphQL type of the objects a part's field holds, where they are objects.
fn child_type(ty: &str, field: &str) -> Option<&'static str> {
    Some(match (ty, field) {
        ("RepositoryRuleConditions", "refName") => "RefNameConditionTarget",
        ("RepositoryRuleConditions", "repositoryName") => "RepositoryNameConditionTarget",
        ("RequiredStatusChecksParameters", "requiredStatusChecks") => "StatusCheckConfiguration",
        ("CodeScanningParameters", "codeScanningTools") => "CodeScanningTool",
        ("WorkflowsParameters", "workflows") => "WorkflowFileReference",
        _ => return None,
    })
}

/// Returns `camelCase` as `snake_case`.
fn snake(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A field of a part of a ruleset (`ty` is its GraphQL type, `value` the stored JSON).
pub(crate) fn part(
    scope: &Scope<'_>,
    ty: &'static str,
    value: &Value,
    field: &str,
) -> Result<Out, FieldError> {
    match ty {
        "RepositoryRule" => rule(value, field),
        "RepositoryRulesetBypassActor" => bypass_actor(scope, value, field),
        // The repository ids of REST are database ids; GraphQL's are node ids.
        "RepositoryRuleConditions" if field == "repositoryId" || field == "repositoryProperty" => {
            Err(unmodelled(ty, field))
        }
        _ => {
            let found = value.get(snake(field)).cloned().unwrap_or(Value::Null);
            Ok(match (child_type(ty, field), found) {
                (Some(child), Value::Array(items)) => Out::List(
                    items
                        .into_iter()
                        .map(|value| Obj::Part { ty: child, value })
                        .collect(),
                ),
                (Some(child), found @ Value::Object(_)) => Out::Obj(Obj::Part {
                    ty: child,
                    value: found,
                }),
                (_, found) => Out::Scalar(found),
            })
        }
    }
}

fn rule(value: &Value, field: &str) -> Result<Out, FieldError> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match field {
        "type" => Ok(Out::Scalar(json!(kind.to_uppercase()))),
        "parameters" => Ok(match parameters_type(kind) {
            Some(ty) => Out::Obj(Obj::Part {
                ty,
                value: value
                    .get("parameters")
                    .cloned()
                    .unwrap_or_else(|| json!({})),
            }),
            None => Out::Scalar(Value::Null),
        }),
        _ => Err(unmodelled("RepositoryRule", field)),
    }
}

fn bypass_actor(scope: &Scope<'_>, value: &Value, field: &str) -> Result<Out, FieldError> {
    let kind = value
        .get("actor_type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let id = value.get("actor_id").and_then(Value::as_u64);
    let s = |v: Value| Ok(Out::Scalar(v));
    let dir = &scope.world.dir;
    match field {
        // GraphQL's `BypassActor` is an app or a team; any other actor reads as null.
        "actor" => Ok(match (kind, id) {
            ("Team", Some(id)) => dir.teams.iter().find(|t| t.id == id).map(|t| Obj::Actor {
                ty: "Team",
                name: t.slug.clone(),
                id,
            }),
            ("Integration", Some(id)) => dir.apps.iter().find(|a| a.id == id).map(|a| Obj::Actor {
                ty: "App",
                name: a.slug.clone(),
                id,
            }),
            _ => None,
        }
        .map_or(Out::Scalar(Value::Null), Out::Obj)),
        "bypassMode" => s(match value.get("bypass_mode").and_then(Value::as_str) {
            None | Some("always") => json!("ALWAYS"),
            Some("pull_request") => json!("PULL_REQUEST"),
            Some(_) => Value::Null,
        }),
        "deployKey" => s(json!(kind == "DeployKey")),
        "organizationAdmin" => s(json!(kind == "OrganizationAdmin")),
        "enterpriseOwner" => s(json!(kind == "EnterpriseOwner")),
        "repositoryRoleDatabaseId" => s(if kind == "RepositoryRole" {
            json!(id)
        } else {
            Value::Null
        }),
        _ => Err(unmodelled("RepositoryRulesetBypassActor", field)),
    }
}
