//! The operations the emulator answers: their path templates (as in GitHub's description),
//! how a path maps to one, and which methods each takes.

/// `GET /repos/{owner}/{repo}`.
pub(crate) const T_REPO: &str = "/repos/{owner}/{repo}";
pub(crate) const T_VULN: &str = "/repos/{owner}/{repo}/vulnerability-alerts";
pub(crate) const T_ASF: &str = "/repos/{owner}/{repo}/automated-security-fixes";
pub(crate) const T_PVR: &str = "/repos/{owner}/{repo}/private-vulnerability-reporting";
pub(crate) const T_IMMUTABLE: &str = "/repos/{owner}/{repo}/immutable-releases";
pub(crate) const T_CSC: &str = "/repos/{owner}/{repo}/code-security-configuration";
pub(crate) const T_ACT: &str = "/repos/{owner}/{repo}/actions/permissions";
pub(crate) const T_ACT_SEL: &str = "/repos/{owner}/{repo}/actions/permissions/selected-actions";
pub(crate) const T_ACT_WF: &str = "/repos/{owner}/{repo}/actions/permissions/workflow";
pub(crate) const T_BRANCHES: &str = "/repos/{owner}/{repo}/branches";
pub(crate) const T_BRANCH: &str = "/repos/{owner}/{repo}/branches/{branch}";
pub(crate) const T_PROT: &str = "/repos/{owner}/{repo}/branches/{branch}/protection";
pub(crate) const T_RSC: &str =
    "/repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks";
pub(crate) const T_RPR: &str =
    "/repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews";
pub(crate) const T_ADM: &str = "/repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins";
pub(crate) const T_SIG: &str =
    "/repos/{owner}/{repo}/branches/{branch}/protection/required_signatures";
pub(crate) const T_ENVS: &str = "/repos/{owner}/{repo}/environments";
pub(crate) const T_ENV: &str = "/repos/{owner}/{repo}/environments/{environment_name}";
pub(crate) const T_POLS: &str =
    "/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies";
pub(crate) const T_POL: &str = "/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}";
pub(crate) const T_SECRETS: &str = "/repos/{owner}/{repo}/environments/{environment_name}/secrets";
pub(crate) const T_PUBKEY: &str =
    "/repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key";
pub(crate) const T_SECRET: &str =
    "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
pub(crate) const T_VARS: &str = "/repos/{owner}/{repo}/environments/{environment_name}/variables";
pub(crate) const T_VAR: &str =
    "/repos/{owner}/{repo}/environments/{environment_name}/variables/{name}";
pub(crate) const T_RULESETS: &str = "/repos/{owner}/{repo}/rulesets";
pub(crate) const T_RULESET: &str = "/repos/{owner}/{repo}/rulesets/{ruleset_id}";
pub(crate) const T_HISTORY: &str = "/repos/{owner}/{repo}/rulesets/{ruleset_id}/history";
pub(crate) const T_VERSION: &str =
    "/repos/{owner}/{repo}/rulesets/{ruleset_id}/history/{version_id}";
pub(crate) const T_RULES: &str = "/repos/{owner}/{repo}/rules/branches/{branch}";
pub(crate) const T_ISSUES: &str = "/repos/{owner}/{repo}/issues";
pub(crate) const T_ISSUE: &str = "/repos/{owner}/{repo}/issues/{issue_number}";
pub(crate) const T_ISSUE_COMMENTS: &str = "/repos/{owner}/{repo}/issues/{issue_number}/comments";
pub(crate) const T_COMMENT: &str = "/repos/{owner}/{repo}/issues/comments/{comment_id}";
pub(crate) const T_LABELS: &str = "/repos/{owner}/{repo}/labels";
pub(crate) const T_REPO_PROPS: &str = "/repos/{owner}/{repo}/properties/values";
pub(crate) const T_CHECK_RUNS: &str = "/repos/{owner}/{repo}/commits/{ref}/check-runs";
pub(crate) const T_STATUS: &str = "/repos/{owner}/{repo}/commits/{ref}/status";
pub(crate) const T_COLLABS: &str = "/repos/{owner}/{repo}/collaborators";
pub(crate) const T_CODEOWNERS: &str = "/repos/{owner}/{repo}/codeowners/errors";
pub(crate) const T_PULLS: &str = "/repos/{owner}/{repo}/pulls";
pub(crate) const T_REPO_INST: &str = "/repos/{owner}/{repo}/installation";
pub(crate) const T_USER: &str = "/users/{username}";
pub(crate) const T_USER_ID: &str = "/user/{account_id}";
pub(crate) const T_USER_REPOS: &str = "/users/{username}/repos";
pub(crate) const T_TEAM: &str = "/orgs/{org}/teams/{team_slug}";
pub(crate) const T_TEAMS: &str = "/orgs/{org}/teams";
pub(crate) const T_APP: &str = "/apps/{app_slug}";
pub(crate) const T_ORG_REPOS: &str = "/orgs/{org}/repos";
pub(crate) const T_ORG_SCHEMA: &str = "/orgs/{org}/properties/schema";
pub(crate) const T_ORG_VALUES: &str = "/orgs/{org}/properties/values";
pub(crate) const T_ORG_RULESETS: &str = "/orgs/{org}/rulesets";
pub(crate) const T_ORG_RULESET: &str = "/orgs/{org}/rulesets/{ruleset_id}";
pub(crate) const T_ORG_INST: &str = "/orgs/{org}/installation";
pub(crate) const T_TOKENS: &str = "/app/installations/{installation_id}/access_tokens";
pub(crate) const T_INST_REPOS: &str = "/installation/repositories";
pub(crate) const T_RATE: &str = "/rate_limit";

/// A matched route: the operation's path template and its decoded parameters.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub template: &'static str,
    /// `(owner, repo)` for `/repos/...` paths.
    pub repo: Option<(String, String)>,
    /// The first other parameter: branch, environment, login, org, ruleset id...
    pub a: String,
    /// The second: policy id, secret or variable name, team slug, version id...
    pub b: String,
}

/// Percent-decodes a path segment.
pub(crate) fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn join(segs: &[&str]) -> String {
    segs.iter().map(|s| decode(s)).collect::<Vec<_>>().join("/")
}

/// Maps path segments (after the prefix) to a route.
pub(crate) fn route(segs: &[&str]) -> Option<Route> {
    let d = |s: &str| decode(s);
    let plain = |template, a: String, b: String| {
        Some(Route {
            template,
            repo: None,
            a,
            b,
        })
    };
    let e = String::new;
    match segs {
        ["users", u] => plain(T_USER, d(u), e()),
        ["users", u, "repos"] => plain(T_USER_REPOS, d(u), e()),
        ["user", id] => plain(T_USER_ID, d(id), e()),
        ["orgs", o, "teams"] => plain(T_TEAMS, d(o), e()),
        ["orgs", o, "teams", t] => plain(T_TEAM, d(o), d(t)),
        ["orgs", o, "repos"] => plain(T_ORG_REPOS, d(o), e()),
        ["orgs", o, "properties", "schema"] => plain(T_ORG_SCHEMA, d(o), e()),
        ["orgs", o, "properties", "values"] => plain(T_ORG_VALUES, d(o), e()),
        ["orgs", o, "rulesets"] => plain(T_ORG_RULESETS, d(o), e()),
        ["orgs", o, "rulesets", id] => plain(T_ORG_RULESET, d(o), d(id)),
        ["orgs", o, "installation"] => plain(T_ORG_INST, d(o), e()),
        ["apps", a] => plain(T_APP, d(a), e()),
        ["app", "installations", id, "access_tokens"] => plain(T_TOKENS, d(id), e()),
        ["installation", "repositories"] => plain(T_INST_REPOS, e(), e()),
        ["rate_limit"] => plain(T_RATE, e(), e()),
        ["repos", owner, name, rest @ ..] => {
            let mut r = repo_route(rest)?;
            r.repo = Some((d(owner), d(name)));
            Some(r)
        }
        _ => None,
    }
}

/// Returns the operation a path as sent (prefix included) routes to, whatever the method.
pub(crate) fn template_of(prefix: &str, raw_path: &str) -> Option<&'static str> {
    let path = raw_path.strip_prefix(prefix)?;
    let segs: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    route(&segs).map(|r| r.template)
}

/// Maps what follows `/repos/{owner}/{repo}`.
fn repo_route(rest: &[&str]) -> Option<Route> {
    let d = |s: &str| decode(s);
    let r = |template, a: String, b: String| {
        Some(Route {
            template,
            repo: None,
            a,
            b,
        })
    };
    let e = String::new;
    match rest {
        [] => r(T_REPO, e(), e()),
        ["vulnerability-alerts"] => r(T_VULN, e(), e()),
        ["automated-security-fixes"] => r(T_ASF, e(), e()),
        ["private-vulnerability-reporting"] => r(T_PVR, e(), e()),
        ["immutable-releases"] => r(T_IMMUTABLE, e(), e()),
        ["code-security-configuration"] => r(T_CSC, e(), e()),
        ["actions", "permissions"] => r(T_ACT, e(), e()),
        ["actions", "permissions", "selected-actions"] => r(T_ACT_SEL, e(), e()),
        ["actions", "permissions", "workflow"] => r(T_ACT_WF, e(), e()),
        ["branches"] => r(T_BRANCHES, e(), e()),
        ["branches", more @ ..] => branch_route(more),
        ["rulesets"] => r(T_RULESETS, e(), e()),
        ["rulesets", id] => r(T_RULESET, d(id), e()),
        ["rulesets", id, "history"] => r(T_HISTORY, d(id), e()),
        ["rulesets", id, "history", v] => r(T_VERSION, d(id), d(v)),
        ["rules", "branches", more @ ..] if !more.is_empty() => r(T_RULES, join(more), e()),
        ["properties", "values"] => r(T_REPO_PROPS, e(), e()),
        ["commits", more @ .., "check-runs"] if !more.is_empty() => {
            r(T_CHECK_RUNS, join(more), e())
        }
        ["commits", more @ .., "status"] if !more.is_empty() => r(T_STATUS, join(more), e()),
        ["collaborators"] => r(T_COLLABS, e(), e()),
        ["codeowners", "errors"] => r(T_CODEOWNERS, e(), e()),
        ["pulls"] => r(T_PULLS, e(), e()),
        ["issues"] => r(T_ISSUES, e(), e()),
        ["issues", "comments", id] => r(T_COMMENT, d(id), e()),
        ["issues", n] => r(T_ISSUE, d(n), e()),
        ["issues", n, "comments"] => r(T_ISSUE_COMMENTS, d(n), e()),
        ["labels"] => r(T_LABELS, e(), e()),
        ["installation"] => r(T_REPO_INST, e(), e()),
        ["environments"] => r(T_ENVS, e(), e()),
        ["environments", env] => r(T_ENV, d(env), e()),
        ["environments", env, "deployment-branch-policies"] => r(T_POLS, d(env), e()),
        ["environments", env, "deployment-branch-policies", id] => r(T_POL, d(env), d(id)),
        ["environments", env, "secrets"] => r(T_SECRETS, d(env), e()),
        ["environments", env, "secrets", "public-key"] => r(T_PUBKEY, d(env), e()),
        ["environments", env, "secrets", s] => r(T_SECRET, d(env), d(s)),
        ["environments", env, "variables"] => r(T_VARS, d(env), e()),
        ["environments", env, "variables", v] => r(T_VAR, d(env), d(v)),
        _ => None,
    }
}

/// Splits `{branch}[/protection[/sub]]`, where the branch may span several segments.
fn branch_route(rest: &[&str]) -> Option<Route> {
    let n = rest.len();
    if n == 0 {
        return None;
    }
    let sub = |s: &str| match s {
        "required_status_checks" => Some(T_RSC),
        "required_pull_request_reviews" => Some(T_RPR),
        "enforce_admins" => Some(T_ADM),
        "required_signatures" => Some(T_SIG),
        _ => None,
    };
    let (template, branch) = if n >= 3 && rest[n - 2] == "protection" && sub(rest[n - 1]).is_some()
    {
        (sub(rest[n - 1])?, &rest[..n - 2])
    } else if n >= 2 && rest[n - 1] == "protection" {
        (T_PROT, &rest[..n - 1])
    } else {
        (T_BRANCH, rest)
    };
    Some(Route {
        template,
        repo: None,
        a: join(branch),
        b: String::new(),
    })
}

/// Returns whether the operation `template` takes `method`.
pub(crate) fn allowed(template: &str, method: &str) -> bool {
    let m = method;
    match template {
        T_REPO => matches!(m, "GET" | "PATCH"),
        T_VULN | T_ASF | T_PVR | T_IMMUTABLE => matches!(m, "GET" | "PUT" | "DELETE"),
        T_ACT | T_ACT_SEL | T_ACT_WF => matches!(m, "GET" | "PUT"),
        T_CSC | T_BRANCHES | T_BRANCH | T_ENVS | T_SECRETS | T_PUBKEY | T_USER | T_TEAM | T_APP
        | T_RULES | T_HISTORY | T_VERSION | T_REPO_PROPS | T_REPO_INST | T_CHECK_RUNS
        | T_USER_ID | T_USER_REPOS | T_TEAMS | T_ORG_REPOS | T_ORG_SCHEMA | T_ORG_VALUES
        | T_ORG_INST | T_INST_REPOS | T_RATE | T_STATUS | T_COLLABS | T_CODEOWNERS | T_PULLS => {
            m == "GET"
        }
        T_PROT | T_ENV | T_SECRET | T_POL | T_RULESET | T_ORG_RULESET => {
            matches!(m, "GET" | "PUT" | "DELETE")
        }
        T_RSC | T_RPR | T_VAR => matches!(m, "GET" | "PATCH" | "DELETE"),
        T_ADM | T_SIG => matches!(m, "GET" | "POST" | "DELETE"),
        T_POLS | T_VARS | T_RULESETS | T_ORG_RULESETS | T_ISSUES | T_ISSUE_COMMENTS | T_LABELS => {
            matches!(m, "GET" | "POST")
        }
        T_ISSUE => matches!(m, "GET" | "PATCH"),
        T_COMMENT => m == "PATCH",
        T_TOKENS => m == "POST",
        _ => false,
    }
}

/// Returns whether reading the operation needs administration access (classic protection).
pub(crate) fn admin_read(template: &str) -> bool {
    matches!(
        template,
        T_PROT
            | T_RSC
            | T_RPR
            | T_ADM
            | T_SIG
            | T_VULN
            | T_ASF
            | T_PVR
            | T_IMMUTABLE
            | T_CSC
            | T_ACT
            | T_ACT_SEL
            | T_ACT_WF
    )
}

/// Returns whether the operation is about issues, pull request comments or labels, which a
/// caller with write access (not only an administrator) may change.
pub(crate) fn is_content(template: &str) -> bool {
    matches!(
        template,
        T_ISSUES | T_ISSUE | T_ISSUE_COMMENTS | T_COMMENT | T_LABELS
    )
}

/// Returns the fine-grained permission GitHub names in `X-Accepted-GitHub-Permissions` when a
/// token may not write through the operation.
pub(crate) fn write_permission(template: &str) -> &'static str {
    match template {
        T_ISSUES | T_ISSUE | T_LABELS => "issues=write",
        T_ISSUE_COMMENTS | T_COMMENT => "issues=write; pull_requests=write",
        T_SECRET | T_SECRETS => "secrets=write",
        T_VAR | T_VARS => "environments=write",
        T_ORG_RULESETS | T_ORG_RULESET => "organization_administration=write",
        _ => "administration=write",
    }
}
