//! The policy model holds every name as its name type: a document that never met the schema
//! (an organisation's layers merged into one body, a model built from JSON) cannot hold a
//! name, login, slug or pattern that breaks its rule, while what GitHub answered is held as
//! given. Compiled only under cfg(test): an unwrap here fails a test, never a run.
use super::*;

/// Asserts that `document` (a repository policy) is refused as one, and its body (without
/// `version`) as an organisation's layer.
fn refused_everywhere(document: serde_json::Value) {
    use crate::model::{PolicyBody, RepoSettings};
    assert!(
        serde_json::from_value::<RepoSettings>(document.clone()).is_err(),
        "{document}"
    );
    let mut body = document;
    if let Some(fields) = body.as_object_mut() {
        fields.remove("version");
    }
    assert!(
        serde_json::from_value::<PolicyBody>(body.clone()).is_err(),
        "{body}"
    );
}

/// The policy model holds its names as name types, so even a document that never met the
/// schema (an organisation's layers merged into one body, a model built from JSON) cannot
/// hold a branch, environment, secret, variable or `from_env` name that breaks its rule.
#[test]
fn the_policy_model_cannot_hold_a_name_against_its_rule() {
    use crate::model::RepoSettings;
    let environments = |environment: &str, body: serde_json::Value| serde_json::json!({ "version": 1, "environments": { environment: body } });
    let refused = [
        serde_json::json!({ "version": 1, "branches": { "release/*": {} } }),
        environments("..", serde_json::json!({})),
        environments("prod", serde_json::json!({ "secrets": ["1KEY"] })),
        environments(
            "prod",
            serde_json::json!({ "secrets": [{ "name": "KEY", "from_env": "2VAR" }] }),
        ),
        environments(
            "prod",
            serde_json::json!({ "variables": { "GITHUB_SHA": "x" } }),
        ),
        serde_json::json!({
            "version": 1,
            "rulesets": { "r": { "rules": { "required_deployments": [".."] } } }
        }),
    ];
    for document in refused {
        refused_everywhere(document);
    }
    let branch = serde_json::json!({ "version": 1, "branches": { "release/1.0": {} } });
    assert!(serde_json::from_value::<RepoSettings>(branch).is_ok());
    let kept = environments(
        "prod",
        serde_json::json!({ "secrets": [{ "name": "KEY", "from_env": "VAR" }], "variables": { "REGION": "eu" } }),
    );
    assert!(serde_json::from_value::<RepoSettings>(kept).is_ok());
    let deploys = serde_json::json!({
        "version": 1,
        "rulesets": { "r": { "rules": { "required_deployments": ["prod"] } } }
    });
    assert!(serde_json::from_value::<RepoSettings>(deploys).is_ok());
}

/// People and apps too: a login or slug in push or dismissal restrictions, a pull request's
/// bypass, an environment's reviewers or the app a check is pinned to (in classic
/// protection, a ruleset or a requirement) is held to its rule by the model, in a repository
/// policy and in an organisation's layer alike, however the document was read.
#[test]
fn the_policy_model_cannot_hold_a_login_or_slug_against_its_rule() {
    use crate::model::RepoSettings;
    let branch =
        |body: serde_json::Value| serde_json::json!({ "version": 1, "branches": { "main": body } });
    let reviewers = |reviewer: serde_json::Value| serde_json::json!({ "version": 1, "environments": { "prod": { "reviewers": [reviewer] } } });
    let check =
        |slug: &str| serde_json::json!({ "required": [{ "context": "build", "app": slug }] });
    let documents = |users: &str, slug: &str| {
        vec![
            branch(serde_json::json!({ "status_checks": check(slug) })),
            serde_json::json!({ "version": 1, "rulesets": { "r": { "rules": { "status_checks": check(slug) } } } }),
            serde_json::json!({ "version": 1, "requirements": { "main": { "required_checks": check(slug)["required"] } } }),
            branch(serde_json::json!({ "push_restrictions": { "users": [users] } })),
            branch(serde_json::json!({ "push_restrictions": { "teams": [slug] } })),
            branch(serde_json::json!({ "push_restrictions": { "apps": [slug] } })),
            branch(
                serde_json::json!({ "pull_request": { "dismissal_restrictions": { "users": [users] } } }),
            ),
            branch(serde_json::json!({ "pull_request": { "bypass": { "teams": [slug] } } })),
            reviewers(serde_json::json!({ "user": users })),
            reviewers(serde_json::json!({ "team": slug })),
        ]
    };
    for document in documents("old-user-", "acme/ops") {
        refused_everywhere(document);
    }
    for document in documents("octo-cat", "release-managers") {
        assert!(
            serde_json::from_value::<RepoSettings>(document.clone()).is_ok(),
            "{document}"
        );
    }
}

/// What GitHub answers is its own: an older login that breaks today's rule is held as
/// GitHub gave it, and written out as it is, while reading it as policy refuses it.
#[test]
fn a_login_github_answered_with_is_held_as_given() {
    let login = Login::from_github("old-user-");
    assert_eq!(login, "old-user-");
    assert_eq!(Slug::from_github("ops").as_str(), "ops");
    let written = serde_json::to_value(&login).unwrap();
    assert_eq!(written, serde_json::json!("old-user-"));
    assert_eq!(
        serde_json::from_value::<Login>(written)
            .unwrap_err()
            .to_string(),
        "`old-user-` is not a valid login: a login does not start or end with `-`, nor has `--`"
    );
}

/// A ruleset's `include` and `exclude` and a deployment pattern are `Pattern`s, so the policy
/// model cannot hold one against the text rule however it is written: in a repository
/// policy or in a body of an organisation's (`defaults`, a group's `policy`, a
/// `repositories` entry), as a bare deployment pattern or as `{tag: …}` / `{branch: …}`.
#[test]
fn the_policy_model_cannot_hold_a_pattern_against_its_rule() {
    use crate::model::RepoSettings;
    let ruleset = |key: &str, pattern: &str| serde_json::json!({ "version": 1, "rulesets": { "r": { "include": ["main"], key: [pattern] } } });
    let deploys = |pattern: serde_json::Value| serde_json::json!({ "version": 1, "environments": { "prod": { "deployment_branches": [pattern] } } });
    let refused = [
        ruleset("include", " "),
        ruleset("include", "ma\u{202e}in"),
        ruleset("exclude", ""),
        ruleset("exclude", "dev\n"),
        deploys(serde_json::json!("\t")),
        deploys(serde_json::json!({ "tag": "v\u{7}*" })),
        deploys(serde_json::json!({ "branch": "" })),
    ];
    for document in refused {
        refused_everywhere(document);
    }
    // The rule is the text rule: what a pattern means for a target is checked with the
    // ruleset, so these are patterns.
    for pattern in ["release/**/*", "~DEFAULT_BRANCH", "refs/tags/v*", "[abc"] {
        assert!(serde_json::from_value::<RepoSettings>(ruleset("include", pattern)).is_ok());
    }
    assert!(
        serde_json::from_value::<RepoSettings>(deploys(serde_json::json!({ "tag": "v*" }))).is_ok()
    );
    assert_eq!(
        Pattern::parse(" ").unwrap_err(),
        "` ` is not a valid pattern: it must not be empty or blank"
    );
    // What GitHub holds is read as it is (`refs/heads/` reads back empty).
    assert_eq!(Pattern::from_github(""), "");
}

/// A ruleset's name is `Text` in a repository policy and in every organisation layer, and
/// the names `migrate` writes are text by construction.
#[test]
fn the_policy_model_cannot_hold_a_ruleset_name_against_its_rule() {
    use crate::model::PolicyBody;
    for name in [" ", "", "rtl\u{202e}", "two\nlines"] {
        refused_everywhere(
            serde_json::json!({ "version": 1, "rulesets": { name: { "include": ["main"] } } }),
        );
    }
    let body = serde_json::json!({ "rulesets": { "protect main": { "include": ["main"] } } });
    assert!(serde_json::from_value::<PolicyBody>(body).is_ok());
    assert_eq!(
        Text::written("protect-", "rtl\u{202e}/ \n"),
        "protect-rtl----"
    );
    assert!(Text::parse(Text::written("protect-", "\u{7}").as_str()).is_ok());
}
