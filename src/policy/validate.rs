//! Semantic checks: GitHub's rules that the YAML types cannot express.
//!
//! Every check runs and every problem is kept, each located through the source map at the
//! key or value it is about, so that one `validate` run shows the whole list. Ranges and
//! name rules are GitHub's (REST API documentation for branch protection, environments,
//! secrets and variables); a policy that passes here is one GitHub would accept.

use std::collections::BTreeMap;

use super::{Diagnostic, SourceMap};
use crate::model::{
    Actors, Branch, DeploymentBranches, Environment, RepoSettings, Reviewer, StatusChecks,
};

/// Most approving reviews GitHub accepts for `required_approving_review_count`.
pub const MAX_REQUIRED_APPROVALS: u8 = 6;
/// Most minutes GitHub accepts for an environment's `wait_timer` (30 days).
pub const MAX_WAIT_TIMER: u32 = 43_200;
/// Most reviewers, users and teams together, GitHub accepts for one environment.
pub const MAX_REVIEWERS: usize = 6;

/// Collects problems with their locations.
struct Checker<'a> {
    map: &'a SourceMap,
    file: &'a str,
    found: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Reports a problem located at the key (or list item) of `path`.
    fn at_key(&mut self, path: &str, message: String) {
        let position = self.map.locate(path);
        self.push(position, message);
    }

    /// Reports a problem located at the value of `path`.
    fn at_value(&mut self, path: &str, message: String) {
        let position = self.map.locate_value(path);
        self.push(position, message);
    }

    fn push(&mut self, position: Option<(usize, usize)>, message: String) {
        self.found.push(match position {
            Some((line, column)) => Diagnostic::at(self.file, line, column, message),
            None => Diagnostic::file(self.file, message),
        });
    }
}

/// Returns every problem of the policy, in file order.
pub(super) fn check(settings: &RepoSettings, map: &SourceMap, file: &str) -> Vec<Diagnostic> {
    let mut c = Checker {
        map,
        file,
        found: Vec::new(),
    };
    if settings.version != 1 {
        c.at_value(
            "version",
            format!(
                "unsupported `version: {}`: this gh-policy reads `version: 1`",
                settings.version
            ),
        );
    }
    if let Some(repository) = &settings.repository
        && !is_repository(repository)
    {
        c.at_value(
            "repository",
            format!(
                "`repository` must be OWNER/NAME, like `acme/katz-backend`; found `{repository}`"
            ),
        );
    }
    for (name, branch) in &settings.branches {
        check_branch(&mut c, name, branch);
    }
    for (name, environment) in &settings.environments {
        check_environment(&mut c, name, environment);
    }
    // Exceptions depend on the clock; its errors are the policy's only when it can be read.
    if !settings.exceptions.is_empty()
        && let Ok(now) = crate::exceptions::now()
    {
        for (path, message) in crate::exceptions::check::check(settings, now).0 {
            c.at_value(&path, message);
        }
    }
    for (path, at, message) in super::rulesets::check(&settings.rulesets) {
        match at {
            super::rulesets::At::Key => c.at_key(&path, message),
            super::rulesets::At::Value => c.at_value(&path, message),
        }
    }
    let mut found = c.found;
    found.sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
    found
}

fn check_branch(c: &mut Checker<'_>, name: &str, branch: &Branch) {
    let path = format!("branches.{name}");
    if let Err(reason) = check_ref_name(name) {
        c.at_key(&path, format!("invalid branch name `{name}`: {reason}"));
    }
    if !branch.protected {
        let others = configured_settings(c.map, &path, branch);
        if !others.is_empty() {
            c.at_key(
                &format!("{path}.protected"),
                format!(
                    "`protected: false` cannot be combined with other settings of branch `{name}` ({}): remove them, or remove `protected: false`",
                    others
                        .iter()
                        .map(|key| format!("`{key}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    if let Some(pr) = &branch.pull_request {
        let pr_path = format!("{path}.pull_request");
        if pr.required_approvals > MAX_REQUIRED_APPROVALS {
            c.at_value(
                &format!("{pr_path}.required_approvals"),
                format!(
                    "`required_approvals` must be 0 to {MAX_REQUIRED_APPROVALS}; found {}",
                    pr.required_approvals
                ),
            );
        }
        check_actors(
            c,
            &format!("{pr_path}.dismissal_restrictions"),
            &pr.dismissal_restrictions,
        );
        check_actors(c, &format!("{pr_path}.bypass"), &pr.bypass);
    }
    if let Some(checks) = &branch.status_checks {
        check_status_checks(c, &format!("{path}.status_checks"), checks);
    }
    if let Some(actors) = &branch.push_restrictions {
        check_actors(c, &format!("{path}.push_restrictions"), actors);
    }
}

/// Returns the settings of a branch other than `protected` that are written in the file or
/// differ from GitHub's defaults.
fn configured_settings(map: &SourceMap, path: &str, branch: &Branch) -> Vec<&'static str> {
    let defaults = Branch::default();
    let mut differs = vec![
        ("pull_request", branch.pull_request != defaults.pull_request),
        (
            "status_checks",
            branch.status_checks != defaults.status_checks,
        ),
    ];
    differs.extend(branch.flags());
    differs.push(("push_restrictions", branch.push_restrictions.is_some()));
    differs
        .into_iter()
        .filter(|(key, differs)| *differs || map.contains(&format!("{path}.{key}")))
        .map(|(key, _)| key)
        .collect()
}

fn check_actors(c: &mut Checker<'_>, path: &str, actors: &Actors) {
    for (i, user) in actors.users.iter().enumerate() {
        if let Err(reason) = check_login(user) {
            c.at_value(
                &format!("{path}.users.{i}"),
                format!("invalid user login `{user}`: {reason}"),
            );
        }
    }
    for (i, team) in actors.teams.iter().enumerate() {
        if let Err(reason) = check_slug(team) {
            c.at_value(
                &format!("{path}.teams.{i}"),
                format!("invalid team slug `{team}`: {reason}"),
            );
        }
    }
    for (i, app) in actors.apps.iter().enumerate() {
        if let Err(reason) = check_slug(app) {
            c.at_value(
                &format!("{path}.apps.{i}"),
                format!("invalid app slug `{app}`: {reason}"),
            );
        }
    }
}

fn check_status_checks(c: &mut Checker<'_>, path: &str, checks: &StatusChecks) {
    // context → (first index, its pin as written), to find contradictions.
    let mut seen: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    for (i, check) in checks.required.iter().enumerate() {
        let item = format!("{path}.required.{i}");
        if check.context.trim().is_empty() {
            c.at_value(
                &item,
                String::from("a required check needs a non-empty name"),
            );
            continue;
        }
        if let Some(app) = &check.app
            && let Err(reason) = check_slug(app)
        {
            c.at_value(
                &format!("{item}.app"),
                format!("invalid app slug `{app}`: {reason}"),
            );
        }
        if let Some(id) = check.app_id
            && id <= 0
        {
            c.at_value(
                &format!("{item}.app_id"),
                format!("`app_id` must be a positive GitHub App id; found {id}"),
            );
        }
        let pin = match (&check.app, check.app_id) {
            (Some(app), _) => format!("`app: {app}`"),
            (None, Some(id)) => format!("`app_id: {id}`"),
            (None, None) => String::from("any app"),
        };
        match seen.get(check.context.as_str()) {
            Some((first, first_pin)) if *first_pin != pin => {
                c.at_value(
                    &item,
                    format!(
                        "check `{}` is listed twice with different apps ({first_pin} in item {}, {pin} here): keep one",
                        check.context,
                        first + 1
                    ),
                );
            }
            Some(_) => {}
            None => {
                seen.insert(&check.context, (i, pin));
            }
        }
    }
}

fn check_environment(c: &mut Checker<'_>, name: &str, env: &Environment) {
    let path = format!("environments.{name}");
    if name.trim().is_empty() || name.chars().count() > 255 || name.chars().any(char::is_control) {
        c.at_key(
            &path,
            format!("invalid environment name `{name}`: it must be 1 to 255 printable characters"),
        );
    }
    if env.wait_timer > MAX_WAIT_TIMER {
        c.at_value(
            &format!("{path}.wait_timer"),
            format!(
                "`wait_timer` must be 0 to {MAX_WAIT_TIMER} minutes (30 days); found {}",
                env.wait_timer
            ),
        );
    }
    if env.reviewers.len() > MAX_REVIEWERS {
        c.at_key(
            &format!("{path}.reviewers"),
            format!(
                "at most {MAX_REVIEWERS} reviewers (users and teams together) per environment; found {}",
                env.reviewers.len()
            ),
        );
    }
    for (i, reviewer) in env.reviewers.iter().enumerate() {
        let item = format!("{path}.reviewers.{i}");
        let result = match reviewer {
            Reviewer::User(login) => {
                check_login(login).map_err(|r| format!("invalid user login `{login}`: {r}"))
            }
            Reviewer::Team(slug) => {
                check_slug(slug).map_err(|r| format!("invalid team slug `{slug}`: {r}"))
            }
        };
        if let Err(message) = result {
            let key = match reviewer {
                Reviewer::User(_) => "user",
                Reviewer::Team(_) => "team",
            };
            c.at_value(&format!("{item}.{key}"), message);
        }
    }
    if let DeploymentBranches::Custom(patterns) = &env.deployment_branches {
        for (i, pattern) in patterns.iter().enumerate() {
            if pattern.pattern.trim().is_empty() {
                c.at_value(
                    &format!("{path}.deployment_branches.{i}"),
                    String::from("a deployment branch pattern must not be empty"),
                );
            }
        }
    }
    check_secrets(c, &path, env);
    check_variables(c, &path, env);
}

fn check_secrets(c: &mut Checker<'_>, path: &str, env: &Environment) {
    // Secret names are case-insensitive on GitHub: `ssh_key` and `SSH_KEY` are one secret.
    let mut sources: BTreeMap<String, (usize, Option<&str>)> = BTreeMap::new();
    for (i, secret) in env.secrets.iter().enumerate() {
        let item = format!("{path}.secrets.{i}");
        if let Err(reason) = check_secret_name(&secret.name) {
            c.at_value(
                &format!("{item}.name"),
                format!("invalid secret name `{}`: {reason}", secret.name),
            );
        }
        if let Some(var) = &secret.from_env
            && !is_env_var_name(var)
        {
            c.at_value(
                &format!("{item}.from_env"),
                format!(
                    "invalid `from_env` `{var}`: an environment variable name has letters, digits and `_`, and does not start with a digit"
                ),
            );
        }
        let key = secret.name.to_uppercase();
        match sources.get(&key) {
            Some((first, source)) if *source != secret.from_env.as_deref() => {
                let describe = |source: Option<&str>| {
                    source.map_or_else(
                        || String::from("no `from_env`"),
                        |v| format!("`from_env: {v}`"),
                    )
                };
                c.at_value(
                    &item,
                    format!(
                        "secret `{}` is listed twice with different sources ({} in item {}, {} here): keep one",
                        secret.name,
                        describe(*source),
                        first + 1,
                        describe(secret.from_env.as_deref())
                    ),
                );
            }
            Some(_) => {}
            None => {
                sources.insert(key, (i, secret.from_env.as_deref()));
            }
        }
    }
}

fn check_variables(c: &mut Checker<'_>, path: &str, env: &Environment) {
    let mut variables: BTreeMap<String, (&str, &str)> = BTreeMap::new();
    for (name, value) in &env.variables {
        let key_path = format!("{path}.variables.{name}");
        if let Err(reason) = check_secret_name(name) {
            c.at_key(
                &key_path,
                format!("invalid variable name `{name}`: {reason}"),
            );
        }
        // Variable names are case-insensitive on GitHub too.
        match variables.get(&name.to_uppercase()) {
            Some((first, first_value)) if first_value != value => c.at_key(
                &key_path,
                format!(
                    "variable `{name}` is also listed as `{first}` with another value; GitHub names are case-insensitive: keep one"
                ),
            ),
            Some(_) => {}
            None => {
                variables.insert(name.to_uppercase(), (name, value));
            }
        }
    }
}

/// Checks a name as GitHub requires for secrets and variables.
fn check_secret_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(String::from("it must not be empty"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(format!(
            "`{}` is not allowed; use only letters, digits and `_`",
            bad.escape_default()
        ));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(String::from("it must not start with a digit"));
    }
    if name.to_ascii_uppercase().starts_with("GITHUB_") {
        return Err(String::from("the `GITHUB_` prefix is reserved by GitHub"));
    }
    Ok(())
}

/// Returns true for a portable environment variable name.
fn is_env_var_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Checks a GitHub user login: letters, digits and `-`, at most 39 characters.
fn check_login(login: &str) -> Result<(), String> {
    if login.is_empty() {
        return Err(String::from("it must not be empty"));
    }
    if login.chars().count() > 39 {
        return Err(String::from("a login has at most 39 characters"));
    }
    if let Some(bad) = login
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!(
            "`{}` is not allowed; a login has only letters, digits and `-`",
            bad.escape_default()
        ));
    }
    if login.starts_with('-') {
        return Err(String::from("a login does not start with `-`"));
    }
    Ok(())
}

/// Checks a team or app slug: letters, digits, `-` and `_`.
fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err(String::from("it must not be empty"));
    }
    if slug.contains('/') {
        return Err(String::from(
            "write the slug alone, without the organisation (`ops`, not `acme/ops`)",
        ));
    }
    if let Some(bad) = slug
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "`{}` is not allowed; a slug has only letters, digits, `-` and `_` (use the slug, not the display name)",
            bad.escape_default()
        ));
    }
    Ok(())
}

/// Returns true for `OWNER/NAME` as GitHub allows them.
fn is_repository(full: &str) -> bool {
    let Some((owner, name)) = full.split_once('/') else {
        return false;
    };
    check_login(owner).is_ok()
        && !name.is_empty()
        && name.len() <= 100
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Checks an exact branch name against git's ref name rules (`git check-ref-format`).
fn check_ref_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(String::from("it must not be empty"));
    }
    if let Some(wild) = name.chars().find(|c| matches!(c, '*' | '?' | '[')) {
        return Err(format!(
            "`{wild}` is not allowed: branch protection takes exact branch names, not patterns"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '~' | '^' | ':' | '\\'))
    {
        return Err(format!(
            "`{}` is not allowed in a branch name",
            bad.escape_default()
        ));
    }
    if name.contains("..") {
        return Err(String::from("`..` is not allowed in a branch name"));
    }
    if name.contains("@{") || name == "@" {
        return Err(String::from(
            "`@{` and a lone `@` are not allowed in a branch name",
        ));
    }
    if name.starts_with('-') || name.starts_with('/') {
        return Err(String::from("it must not start with `-` or `/`"));
    }
    if name.ends_with('/') || name.ends_with('.') {
        return Err(String::from("it must not end with `/` or `.`"));
    }
    if name.contains("//") {
        return Err(String::from("`//` is not allowed in a branch name"));
    }
    for component in name.split('/') {
        if component.starts_with('.') {
            return Err(String::from("a part of the name must not start with `.`"));
        }
        #[expect(
            clippy::case_sensitive_file_extension_comparisons,
            reason = "git's rule is about the exact suffix `.lock`, not a file extension"
        )]
        let locked = component.ends_with(".lock");
        if locked {
            return Err(String::from("a part of the name must not end with `.lock`"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse;

    fn problems(text: &str) -> Vec<String> {
        match parse("p.yaml", text) {
            Ok(_) => Vec::new(),
            Err(err) => err.diagnostics.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn accepts_a_plain_policy() {
        let text = "version: 1\nbranches:\n  main:\n    pull_request: {required_approvals: 2}\nenvironments:\n  prod:\n    secrets: [A, {name: B, from_env: B_SRC}, A]\n";
        assert_eq!(problems(text), Vec::<String>::new());
    }

    #[test]
    fn collects_every_problem_in_file_order() {
        let text = "\
version: 2
repository: nope
branches:
  'feature/*':
    pull_request:
      required_approvals: 7
environments:
  prod:
    wait_timer: 50000
    secrets: [1ABC, GITHUB_TOKEN, BAD-NAME]
";
        let found = problems(text);
        assert_eq!(found.len(), 8, "{found:#?}");
        assert!(found[0].starts_with("p.yaml:1:10: unsupported `version: 2`"));
        assert!(found[1].starts_with("p.yaml:2:13: `repository` must be OWNER/NAME"));
        assert!(found[2].starts_with("p.yaml:4:3: invalid branch name `feature/*`"));
        assert!(found[3].starts_with("p.yaml:6:27: `required_approvals` must be 0 to 6"));
        assert!(found[4].starts_with("p.yaml:9:17: `wait_timer` must be 0 to 43200"));
        assert!(
            found[5].contains("10:15: invalid secret name `1ABC`: it must not start with a digit")
        );
        assert!(found[6].contains("`GITHUB_` prefix"));
        assert!(found[7].contains("10:35: invalid secret name `BAD-NAME`"));
    }

    #[test]
    fn reports_contradictions_not_repetitions() {
        let text = "\
version: 1
branches:
  main:
    status_checks:
      required:
        - test
        - test
        - {context: test, app: github-actions}
environments:
  prod:
    secrets:
      - {name: KEY, from_env: A}
      - {name: KEY, from_env: A}
      - {name: key, from_env: B}
";
        let found = problems(text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].starts_with("p.yaml:8:11: check `test` is listed twice with different apps")
        );
        assert!(found[1].starts_with("p.yaml:14:9: secret `key` is listed twice"));
    }

    #[test]
    fn refuses_unprotected_branch_with_settings() {
        let text =
            "version: 1\nbranches:\n  old:\n    protected: false\n    enforce_admins: false\n";
        let found = problems(text);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("p.yaml:4:5: `protected: false` cannot be combined"));
        assert!(found[0].contains("`enforce_admins`"));
        assert_eq!(
            problems("version: 1\nbranches:\n  old: {protected: false}\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn limits_reviewers() {
        let text = "version: 1\nenvironments:\n  prod:\n    reviewers:\n      - user: a\n      - user: b\n      - user: c\n      - team: d\n      - team: e\n      - team: f\n      - user: 'bad login'\n";
        let found = problems(text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("p.yaml:4:5: at most 6 reviewers"));
        assert!(found[1].starts_with("p.yaml:11:15: invalid user login `bad login`"));
    }

    #[test]
    fn ref_names_follow_git() {
        for good in ["main", "release/1.0", "dev-2", "feat_x", "a.b", "v1@x"] {
            assert!(check_ref_name(good).is_ok(), "{good}");
        }
        for bad in [
            "", "a b", "a..b", "a~1", "a^", "a:b", "a?", "a*", "a[", "a\\b", "-a", "/a", "a/",
            "a.lock", "a/.b", "a//b", "@", "a@{1}", "a.",
        ] {
            assert!(check_ref_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_follow_github() {
        assert!(check_secret_name("SSH_HOST").is_ok());
        assert!(check_secret_name("_x1").is_ok());
        assert!(check_secret_name("1X").is_err());
        assert!(check_secret_name("github_token").is_err());
        assert!(check_secret_name("A-B").is_err());
        assert!(check_secret_name("").is_err());
        assert!(check_login("octo-cat").is_ok());
        assert!(check_login("-x").is_err());
        assert!(check_login(&"a".repeat(40)).is_err());
        assert!(check_slug("release-managers").is_ok());
        assert!(check_slug("acme/ops").is_err());
        assert!(check_slug("Release Managers").is_err());
        assert!(is_repository("acme/katz-backend"));
        assert!(is_repository("a/b.c_d"));
        assert!(!is_repository("acme"));
        assert!(!is_repository("acme/"));
        assert!(!is_repository("acme/x/y"));
        assert!(is_env_var_name("PROD_KEY"));
        assert!(!is_env_var_name("PROD-KEY"));
    }
}
