//! The repository state and every change to it, shared by the HTTP handlers and by seeding.
//!
//! Each write validates everything first and changes nothing when it fails, like GitHub.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use crypto_box::SecretKey;
use serde_json::{Map, Value, json};

use crate::render::{self, Ctx};
use crate::seed::{
    AppSeed, BranchPolicySeed, BranchSeed, DeploymentBranchPolicySeed, EnvironmentSeed, RepoSeed,
    ReviewerSeed, Seed, TeamSeed, UserSeed,
};

/// One answer: status, optional JSON body, extra headers.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }
    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            body: None,
            headers: Vec::new(),
        }
    }
}

/// Handlers answer `Ok` or a GitHub error, both as a [`Reply`].
pub(crate) type Res = Result<Reply, Reply>;

/// Documentation links used in error bodies.
pub(crate) mod docs {
    pub const PROTECTION: &str =
        "https://docs.github.com/rest/branches/branch-protection#get-branch-protection";
    pub const UPDATE_PROTECTION: &str =
        "https://docs.github.com/rest/branches/branch-protection#update-branch-protection";
    pub const BRANCH: &str = "https://docs.github.com/rest/branches/branches#get-a-branch";
    pub const ENV: &str =
        "https://docs.github.com/rest/deployments/environments#create-or-update-an-environment";
    pub const POLICIES: &str = "https://docs.github.com/rest/deployments/branch-policies";
    pub const SECRETS: &str = "https://docs.github.com/rest/actions/secrets";
    pub const VARIABLES: &str = "https://docs.github.com/rest/actions/variables";
    pub const REST: &str = "https://docs.github.com/rest";
}

/// Returns a `basic-error` reply (`status` is a string, as GitHub sends it).
pub(crate) fn error(status: u16, message: &str, doc: &str) -> Reply {
    Reply::json(
        status,
        json!({"message": message, "documentation_url": doc, "status": status.to_string()}),
    )
}

/// Returns a `validation-error-simple` reply (errors as strings), as PUT protection sends.
pub(crate) fn invalid_simple(message: &str, errors: &[String], doc: &str) -> Reply {
    Reply::json(
        422,
        json!({"message": message, "errors": errors, "documentation_url": doc, "status": "422"}),
    )
}

fn not_found() -> Reply {
    error(404, "Not Found", docs::REST)
}

/// Users, teams and apps named by a PUT body.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Actors {
    pub users: Vec<String>,
    pub teams: Vec<String>,
    pub apps: Vec<String>,
}

impl Actors {
    fn is_empty(&self) -> bool {
        self.users.is_empty() && self.teams.is_empty() && self.apps.is_empty()
    }
}

/// Required status checks: strict flag and `(context, app_id)`; `None` means any app.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatusChecks {
    pub strict: bool,
    pub checks: Vec<(String, Option<i64>)>,
}

/// Required pull request reviews.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reviews {
    pub dismiss_stale: bool,
    pub code_owners: bool,
    pub count: u64,
    pub last_push: bool,
    pub dismissal: Option<Actors>,
    pub bypass: Option<Actors>,
}

/// Classic branch protection as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Protection {
    pub status_checks: Option<StatusChecks>,
    pub enforce_admins: bool,
    pub reviews: Option<Reviews>,
    pub restrictions: Option<Actors>,
    pub linear_history: bool,
    pub force_pushes: bool,
    pub deletions: bool,
    pub block_creations: bool,
    pub conversation_resolution: bool,
    pub lock_branch: bool,
    pub fork_syncing: bool,
    pub signatures: bool,
}

/// A branch.
#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub sha: String,
    pub protection: Option<Protection>,
}

/// A custom deployment branch policy.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    pub id: u64,
    pub name: String,
    pub kind: String,
}

/// A stored secret: the sealed box as sent, and timestamps.
#[derive(Debug, Clone)]
pub(crate) struct Secret {
    pub sealed: Vec<u8>,
    pub created: String,
    pub updated: String,
}

/// A stored variable.
#[derive(Debug, Clone)]
pub(crate) struct Variable {
    pub value: String,
    pub created: String,
    pub updated: String,
}

/// A deployment environment.
pub(crate) struct Env {
    pub id: u64,
    pub name: String,
    pub created: String,
    pub updated: String,
    pub wait_timer: u64,
    pub prevent_self_review: bool,
    /// `("User" | "Team", id)`.
    pub reviewers: Vec<(String, u64)>,
    pub can_admins_bypass: bool,
    pub dbp: Option<(bool, bool)>,
    pub policies: Vec<Policy>,
    pub secrets: BTreeMap<String, Secret>,
    pub variables: BTreeMap<String, Variable>,
    pub key: SecretKey,
    pub key_id: String,
}

/// The whole emulated world.
pub(crate) struct State {
    pub repo: RepoSeed,
    pub repo_id: u64,
    pub users: Vec<UserSeed>,
    pub teams: Vec<TeamSeed>,
    pub apps: Vec<AppSeed>,
    pub branches: BTreeMap<String, Branch>,
    pub envs: BTreeMap<String, Env>,
    next_id: u64,
}

fn bool_at(o: &Map<String, Value>, k: &str) -> bool {
    o.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl State {
    /// Builds the state from a seed, through the same code the PUT handlers use.
    pub(crate) fn from_seed(seed: &Seed) -> Result<Self, String> {
        let mut s = Self {
            repo: seed.repo.clone(),
            repo_id: 700_000_001,
            users: seed.users.clone(),
            teams: seed.teams.clone(),
            apps: seed.apps.clone(),
            branches: BTreeMap::new(),
            envs: BTreeMap::new(),
            next_id: 1_000_001,
        };
        for name in seed.branches.keys() {
            s.branches.insert(
                name.clone(),
                Branch {
                    sha: render::sha_for(name),
                    protection: None,
                },
            );
        }
        let fail = |what: String, r: &Reply| {
            format!(
                "invalid seed ({what}): {} {}",
                r.status,
                r.body.as_ref().map(Value::to_string).unwrap_or_default()
            )
        };
        for (name, b) in &seed.branches {
            if let Some(body) = &b.protection {
                if let Err(errs) = crate::schema::validate_request(
                    "PUT",
                    "/repos/{owner}/{repo}/branches/{branch}/protection",
                    body,
                ) {
                    return Err(format!("invalid seed (branch {name}): {}", errs.join("; ")));
                }
                s.put_protection(name, body)
                    .map_err(|r| fail(format!("branch {name}"), &r))?;
            }
            if b.required_signatures {
                s.set_signatures(name, true)
                    .map_err(|r| fail(format!("branch {name}"), &r))?;
            }
        }
        for (name, e) in &seed.environments {
            let body = s
                .env_seed_body(e)
                .map_err(|m| format!("invalid seed (environment {name}): {m}"))?;
            s.put_environment(name, Some(&body))
                .map_err(|r| fail(format!("environment {name}"), &r))?;
            for p in &e.branch_policies {
                s.create_policy(name, &p.name, &p.kind)
                    .map_err(|r| fail(format!("environment {name} policy {}", p.name), &r))?;
            }
            for secret in &e.secrets {
                let (sealed, key_id) = s.seal_for(name, b"")?;
                s.put_secret(name, secret, &sealed, &key_id)
                    .map_err(|r| fail(format!("environment {name} secret {secret}"), &r))?;
            }
            for (k, v) in &e.variables {
                s.create_variable(name, k, v)
                    .map_err(|r| fail(format!("environment {name} variable {k}"), &r))?;
            }
        }
        Ok(s)
    }

    fn env_seed_body(&self, e: &EnvironmentSeed) -> Result<Value, String> {
        let mut reviewers = Vec::new();
        for r in &e.reviewers {
            let (kind, id) = match r {
                ReviewerSeed::User { user } => (
                    "User",
                    self.user(user)
                        .map(|u| u.id)
                        .ok_or(format!("unknown user {user}"))?,
                ),
                ReviewerSeed::Team { team } => (
                    "Team",
                    self.team(team)
                        .map(|t| t.id)
                        .ok_or(format!("unknown team {team}"))?,
                ),
                ReviewerSeed::ById { kind, id } => (kind.as_str(), *id),
            };
            reviewers.push(json!({"type": kind, "id": id}));
        }
        Ok(json!({
            "wait_timer": e.wait_timer,
            "prevent_self_review": e.prevent_self_review,
            "reviewers": reviewers,
            "can_admins_bypass": e.can_admins_bypass,
            "deployment_branch_policy": e.deployment_branch_policy.map(|d| json!({
                "protected_branches": d.protected_branches,
                "custom_branch_policies": d.custom_branch_policies
            })),
        }))
    }

    fn seal_for(&self, env: &str, plain: &[u8]) -> Result<(String, String), String> {
        let e = self.envs.get(env).ok_or("no such environment")?;
        let sealed = e
            .key
            .public_key()
            .seal(&mut crypto_box::aead::OsRng, plain)
            .map_err(|_| "cannot seal".to_owned())?;
        Ok((B64.encode(sealed), e.key_id.clone()))
    }

    fn next(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Returns the repository's URL under the API root.
    pub(crate) fn repo_url(&self, ctx: &Ctx) -> String {
        format!("{}/repos/{}/{}", ctx.api, self.repo.owner, self.repo.name)
    }

    /// Finds a user by login (case-insensitive).
    pub(crate) fn user(&self, login: &str) -> Option<&UserSeed> {
        self.users
            .iter()
            .find(|u| u.login.eq_ignore_ascii_case(login))
    }
    /// Finds a team by slug.
    pub(crate) fn team(&self, slug: &str) -> Option<&TeamSeed> {
        self.teams
            .iter()
            .find(|t| t.slug.eq_ignore_ascii_case(slug))
    }
    /// Finds an app by slug.
    pub(crate) fn app(&self, slug: &str) -> Option<&AppSeed> {
        self.apps.iter().find(|a| a.slug.eq_ignore_ascii_case(slug))
    }

    fn is_org(&self) -> bool {
        self.repo.owner_type == "Organization"
    }

    // ---------------------------------------------------------------- branch protection

    /// Returns the branch or the "Branch not found" 404.
    pub(crate) fn branch(&self, name: &str) -> Result<&Branch, Reply> {
        self.branches
            .get(name)
            .ok_or_else(|| error(404, "Branch not found", docs::BRANCH))
    }

    /// Returns the branch's protection or the right 404.
    pub(crate) fn protection(&self, name: &str) -> Result<&Protection, Reply> {
        self.branch(name)?
            .protection
            .as_ref()
            .ok_or_else(|| error(404, "Branch not protected", docs::PROTECTION))
    }

    fn protection_mut(&mut self, name: &str) -> Result<&mut Protection, Reply> {
        let b = self
            .branches
            .get_mut(name)
            .ok_or_else(|| error(404, "Branch not found", docs::BRANCH))?;
        b.protection
            .as_mut()
            .ok_or_else(|| error(404, "Branch not protected", docs::PROTECTION))
    }

    /// Resolves logins/slugs; unknown names give 422, users without write access are dropped
    /// when `drop_readers`.
    fn actors(&self, v: Option<&Value>, drop_readers: bool) -> Result<Actors, Reply> {
        let Some(o) = v.and_then(Value::as_object) else {
            return Ok(Actors::default());
        };
        let mut out = Actors::default();
        let mut bad = Vec::new();
        for login in strings(o.get("users")) {
            match self.user(&login) {
                Some(u) if u.write_access || !drop_readers => out.users.push(u.login.clone()),
                Some(_) => {}
                None => bad.push(format!("User {login} does not exist")),
            }
        }
        for slug in strings(o.get("teams")) {
            match self.team(&slug) {
                Some(t) => out.teams.push(t.slug.clone()),
                None => bad.push(format!("Team {slug} does not exist")),
            }
        }
        for slug in strings(o.get("apps")) {
            match self.app(&slug) {
                Some(a) => out.apps.push(a.slug.clone()),
                None => bad.push(format!("App {slug} does not exist")),
            }
        }
        if bad.is_empty() {
            Ok(out)
        } else {
            Err(invalid_simple(
                "Validation Failed",
                &bad,
                docs::UPDATE_PROTECTION,
            ))
        }
    }

    fn status_checks_from(o: &Map<String, Value>, strict_default: bool) -> StatusChecks {
        let strict = o
            .get("strict")
            .and_then(Value::as_bool)
            .unwrap_or(strict_default);
        let checks = if let Some(Value::Array(cs)) = o.get("checks") {
            cs.iter()
                .filter_map(|c| {
                    let ctx = c.get("context")?.as_str()?.to_owned();
                    // -1 means any app; omitted means "auto-select": kept simple as any app.
                    let app = c
                        .get("app_id")
                        .and_then(Value::as_i64)
                        .filter(|id| *id >= 0);
                    Some((ctx, app))
                })
                .collect()
        } else {
            strings(o.get("contexts"))
                .into_iter()
                .map(|c| (c, None))
                .collect()
        };
        StatusChecks { strict, checks }
    }

    fn reviews_from(&self, o: &Map<String, Value>) -> Result<Reviews, Reply> {
        let count = o
            .get("required_approving_review_count")
            .and_then(Value::as_u64)
            .unwrap_or(1);
        if count > 6 {
            return Err(invalid_simple(
                "Invalid request.\n\nrequired_approving_review_count must be between 0 and 6.",
                &["required_approving_review_count must be between 0 and 6".to_owned()],
                docs::UPDATE_PROTECTION,
            ));
        }
        let dismissal_raw = o.get("dismissal_restrictions");
        if !self.is_org()
            && dismissal_raw.and_then(Value::as_object).is_some_and(|d| {
                !strings(d.get("users")).is_empty() || !strings(d.get("teams")).is_empty()
            })
        {
            return Err(invalid_simple(
                "Validation Failed",
                &[
                    "Only organization repositories can have users and team restrictions"
                        .to_owned(),
                ],
                docs::UPDATE_PROTECTION,
            ));
        }
        let dismissal = self.actors(dismissal_raw, false)?;
        let bypass = self.actors(o.get("bypass_pull_request_allowances"), false)?;
        Ok(Reviews {
            dismiss_stale: bool_at(o, "dismiss_stale_reviews"),
            code_owners: bool_at(o, "require_code_owner_reviews"),
            count,
            last_push: bool_at(o, "require_last_push_approval"),
            dismissal: (!dismissal.is_empty()).then_some(dismissal),
            bypass: (!bypass.is_empty()).then_some(bypass),
        })
    }

    /// `PUT .../branches/{branch}/protection` with a schema-valid body.
    pub(crate) fn put_protection(&mut self, branch: &str, body: &Value) -> Result<(), Reply> {
        let previous = self.branch(branch)?.protection.clone();
        let o = body.as_object().cloned().unwrap_or_default();
        let status_checks = match o.get("required_status_checks") {
            Some(Value::Object(r)) => {
                let has = |k| r.get(k).is_some();
                if has("contexts") && has("checks") {
                    return Err(one_of_error(true));
                }
                if !has("contexts") && !has("checks") {
                    return Err(one_of_error(false));
                }
                Some(Self::status_checks_from(r, false))
            }
            _ => None,
        };
        let reviews = match o.get("required_pull_request_reviews") {
            Some(Value::Object(r)) => Some(self.reviews_from(r)?),
            _ => None,
        };
        let restrictions =
            match o.get("restrictions") {
                Some(v @ Value::Object(_)) => {
                    if !self.is_org() {
                        return Err(invalid_simple(
                        "Validation Failed",
                        &["Only organization repositories can have users and team restrictions"
                            .to_owned()],
                        docs::UPDATE_PROTECTION,
                    ));
                    }
                    Some(self.actors(Some(v), true)?)
                }
                _ => None,
            };
        let p = Protection {
            status_checks,
            enforce_admins: bool_at(&o, "enforce_admins"),
            reviews,
            restrictions,
            linear_history: bool_at(&o, "required_linear_history"),
            force_pushes: bool_at(&o, "allow_force_pushes"),
            deletions: bool_at(&o, "allow_deletions"),
            block_creations: bool_at(&o, "block_creations"),
            conversation_resolution: bool_at(&o, "required_conversation_resolution"),
            lock_branch: bool_at(&o, "lock_branch"),
            fork_syncing: bool_at(&o, "allow_fork_syncing"),
            // PUT does not carry required_signatures: an existing setting is kept.
            signatures: previous.is_some_and(|p| p.signatures),
        };
        if let Some(b) = self.branches.get_mut(branch) {
            b.protection = Some(p);
        }
        Ok(())
    }

    /// `DELETE .../protection`.
    pub(crate) fn delete_protection(&mut self, branch: &str) -> Res {
        self.protection(branch)?;
        if let Some(b) = self.branches.get_mut(branch) {
            b.protection = None;
        }
        Ok(Reply::empty(204))
    }

    /// `PATCH .../protection/required_status_checks`.
    pub(crate) fn patch_status_checks(&mut self, branch: &str, body: &Value) -> Result<(), Reply> {
        let p = self.protection_mut(branch)?;
        let o = body.as_object().cloned().unwrap_or_default();
        let current = p.status_checks.clone().unwrap_or(StatusChecks {
            strict: false,
            checks: Vec::new(),
        });
        let mut next = Self::status_checks_from(&o, current.strict);
        if !o.contains_key("checks") && !o.contains_key("contexts") {
            next.checks = current.checks;
        }
        p.status_checks = Some(next);
        Ok(())
    }

    /// `DELETE .../protection/required_status_checks`.
    pub(crate) fn delete_status_checks(&mut self, branch: &str) -> Res {
        self.protection_mut(branch)?.status_checks = None;
        Ok(Reply::empty(204))
    }

    /// `PATCH .../protection/required_pull_request_reviews`.
    pub(crate) fn patch_reviews(&mut self, branch: &str, body: &Value) -> Result<(), Reply> {
        let current = self.protection(branch)?.reviews.clone();
        let mut merged = Map::new();
        if let Some(r) = &current {
            merged.insert("dismiss_stale_reviews".into(), json!(r.dismiss_stale));
            merged.insert("require_code_owner_reviews".into(), json!(r.code_owners));
            merged.insert("required_approving_review_count".into(), json!(r.count));
            merged.insert("require_last_push_approval".into(), json!(r.last_push));
            for (k, a) in [
                ("dismissal_restrictions", &r.dismissal),
                ("bypass_pull_request_allowances", &r.bypass),
            ] {
                if let Some(a) = a {
                    merged.insert(
                        k.into(),
                        json!({"users": a.users, "teams": a.teams, "apps": a.apps}),
                    );
                }
            }
        }
        if let Some(o) = body.as_object() {
            for (k, v) in o {
                merged.insert(k.clone(), v.clone());
            }
        }
        let reviews = self.reviews_from(&merged)?;
        self.protection_mut(branch)?.reviews = Some(reviews);
        Ok(())
    }

    /// `DELETE .../protection/required_pull_request_reviews`.
    pub(crate) fn delete_reviews(&mut self, branch: &str) -> Res {
        let p = self.protection_mut(branch)?;
        if p.reviews.take().is_none() {
            return Err(error(
                404,
                "Required pull request reviews not enabled",
                docs::PROTECTION,
            ));
        }
        Ok(Reply::empty(204))
    }

    /// `POST`/`DELETE .../protection/enforce_admins`.
    pub(crate) fn set_enforce_admins(&mut self, branch: &str, on: bool) -> Result<(), Reply> {
        let p = self.protection_mut(branch)?;
        if !on && !p.enforce_admins {
            return Err(error(404, "Enforce admins not enabled", docs::PROTECTION));
        }
        p.enforce_admins = on;
        Ok(())
    }

    /// `POST`/`DELETE .../protection/required_signatures`.
    pub(crate) fn set_signatures(&mut self, branch: &str, on: bool) -> Result<(), Reply> {
        self.protection_mut(branch)?.signatures = on;
        Ok(())
    }

    // ---------------------------------------------------------------- protection rendering

    fn user_objs(&self, ctx: &Ctx, logins: &[String]) -> Vec<Value> {
        logins
            .iter()
            .filter_map(|l| self.user(l))
            .map(|u| render::simple_user(ctx, &u.login, u.id, "User"))
            .collect()
    }
    fn team_objs(&self, ctx: &Ctx, slugs: &[String]) -> Vec<Value> {
        slugs
            .iter()
            .filter_map(|s| self.team(s))
            .map(|t| render::team(ctx, &self.repo, t))
            .collect()
    }
    fn app_objs(&self, ctx: &Ctx, slugs: &[String]) -> Vec<Value> {
        slugs
            .iter()
            .filter_map(|s| self.app(s))
            .map(|a| render::app(ctx, &self.repo, a))
            .collect()
    }

    fn protection_url(&self, ctx: &Ctx, branch: &str) -> String {
        format!("{}/branches/{branch}/protection", self.repo_url(ctx))
    }

    /// Renders `status-check-policy`.
    pub(crate) fn status_checks_json(&self, ctx: &Ctx, branch: &str, s: &StatusChecks) -> Value {
        let url = format!(
            "{}/required_status_checks",
            self.protection_url(ctx, branch)
        );
        json!({
            "url": url,
            "strict": s.strict,
            "contexts": s.checks.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
            "contexts_url": format!("{url}/contexts"),
            "checks": s.checks.iter().map(|(c, a)| json!({"context": c, "app_id": a})).collect::<Vec<_>>(),
        })
    }

    /// Renders `protected-branch-pull-request-review`.
    pub(crate) fn reviews_json(&self, ctx: &Ctx, branch: &str, r: &Reviews) -> Value {
        let url = format!(
            "{}/required_pull_request_reviews",
            self.protection_url(ctx, branch)
        );
        let mut v = json!({
            "url": url,
            "dismiss_stale_reviews": r.dismiss_stale,
            "require_code_owner_reviews": r.code_owners,
            "required_approving_review_count": r.count,
            "require_last_push_approval": r.last_push,
        });
        if let Some(d) = &r.dismissal {
            let durl = format!(
                "{}/dismissal_restrictions",
                self.protection_url(ctx, branch)
            );
            v["dismissal_restrictions"] = json!({
                "url": durl,
                "users_url": format!("{durl}/users"),
                "teams_url": format!("{durl}/teams"),
                "users": self.user_objs(ctx, &d.users),
                "teams": self.team_objs(ctx, &d.teams),
                "apps": self.app_objs(ctx, &d.apps),
            });
        }
        if let Some(b) = &r.bypass {
            v["bypass_pull_request_allowances"] = json!({
                "users": self.user_objs(ctx, &b.users),
                "teams": self.team_objs(ctx, &b.teams),
                "apps": self.app_objs(ctx, &b.apps),
            });
        }
        v
    }

    /// Renders `{url, enabled}` for `enforce_admins` or `required_signatures`.
    pub(crate) fn flag_json(&self, ctx: &Ctx, branch: &str, which: &str, on: bool) -> Value {
        json!({"url": format!("{}/{which}", self.protection_url(ctx, branch)), "enabled": on})
    }

    /// Renders the GET (`branch-protection`) and PUT (`protected-branch`) shape: disabled
    /// sections are omitted.
    pub(crate) fn protection_json(&self, ctx: &Ctx, branch: &str, p: &Protection) -> Value {
        let purl = self.protection_url(ctx, branch);
        let mut v = json!({
            "url": purl,
            "required_signatures": self.flag_json(ctx, branch, "required_signatures", p.signatures),
            "enforce_admins": self.flag_json(ctx, branch, "enforce_admins", p.enforce_admins),
            "required_linear_history": {"enabled": p.linear_history},
            "allow_force_pushes": {"enabled": p.force_pushes},
            "allow_deletions": {"enabled": p.deletions},
            "block_creations": {"enabled": p.block_creations},
            "required_conversation_resolution": {"enabled": p.conversation_resolution},
            "lock_branch": {"enabled": p.lock_branch},
            "allow_fork_syncing": {"enabled": p.fork_syncing},
        });
        if let Some(s) = &p.status_checks {
            v["required_status_checks"] = self.status_checks_json(ctx, branch, s);
        }
        if let Some(r) = &p.reviews {
            v["required_pull_request_reviews"] = self.reviews_json(ctx, branch, r);
        }
        if let Some(r) = &p.restrictions {
            let rurl = format!("{purl}/restrictions");
            v["restrictions"] = json!({
                "url": rurl,
                "users_url": format!("{rurl}/users"),
                "teams_url": format!("{rurl}/teams"),
                "apps_url": format!("{rurl}/apps"),
                "users": self.user_objs(ctx, &r.users),
                "teams": self.team_objs(ctx, &r.teams),
                "apps": self.app_objs(ctx, &r.apps),
            });
        }
        v
    }

    /// Renders the summary `protection` carried by branch objects.
    pub(crate) fn protection_summary(b: &Branch) -> Value {
        let Some(p) = &b.protection else {
            return json!({"enabled": false, "required_status_checks": {
                "enforcement_level": "off", "contexts": [], "checks": []}});
        };
        let (contexts, checks): (Vec<_>, Vec<_>) = p
            .status_checks
            .as_ref()
            .map(|s| {
                s.checks
                    .iter()
                    .map(|(c, a)| (json!(c), json!({"context": c, "app_id": a})))
                    .unzip()
            })
            .unwrap_or_default();
        let level = match (&p.status_checks, p.enforce_admins) {
            (None, _) => "off",
            (Some(_), true) => "everyone",
            (Some(_), false) => "non_admins",
        };
        json!({"enabled": true, "required_status_checks": {
            "enforcement_level": level, "contexts": contexts, "checks": checks}})
    }

    /// Renders `short-branch`.
    pub(crate) fn short_branch_json(&self, ctx: &Ctx, name: &str, b: &Branch) -> Value {
        json!({
            "name": name,
            "commit": {"sha": b.sha, "url": format!("{}/commits/{}", self.repo_url(ctx), b.sha)},
            "protected": b.protection.is_some(),
            "protection": Self::protection_summary(b),
            "protection_url": self.protection_url(ctx, name),
        })
    }

    /// Renders `branch-with-protection`.
    pub(crate) fn branch_json(&self, ctx: &Ctx, name: &str, b: &Branch) -> Value {
        let mut v = json!({
            "name": name,
            "commit": render::commit(ctx, &self.repo, &b.sha),
            "_links": {
                "self": format!("{}/branches/{name}", self.repo_url(ctx)),
                "html": format!("https://github.com/{}/{}/tree/{name}", self.repo.owner, self.repo.name),
            },
            "protected": b.protection.is_some(),
            "protection": Self::protection_summary(b),
            "protection_url": self.protection_url(ctx, name),
        });
        if let Some(r) = b.protection.as_ref().and_then(|p| p.reviews.as_ref()) {
            v["required_approving_review_count"] = json!(r.count);
        }
        v
    }

    // ---------------------------------------------------------------- environments

    /// Returns the stored name of an environment (names are case-insensitive).
    pub(crate) fn env_key(&self, name: &str) -> Option<String> {
        self.envs
            .keys()
            .find(|k| k.eq_ignore_ascii_case(name))
            .cloned()
    }

    /// Returns the environment or 404.
    pub(crate) fn env(&self, name: &str) -> Result<&Env, Reply> {
        self.env_key(name)
            .and_then(|k| self.envs.get(&k))
            .ok_or_else(not_found)
    }

    fn env_mut(&mut self, name: &str) -> Result<&mut Env, Reply> {
        let k = self.env_key(name).ok_or_else(not_found)?;
        self.envs.get_mut(&k).ok_or_else(not_found)
    }

    /// `PUT .../environments/{name}` with a schema-valid body (or none). Omitted keys keep
    /// their value; `null` clears reviewers and the deployment branch policy.
    pub(crate) fn put_environment(
        &mut self,
        name: &str,
        body: Option<&Value>,
    ) -> Result<(), Reply> {
        let o = body.and_then(Value::as_object).cloned().unwrap_or_default();
        let bad = |m: &str| error(422, m, docs::ENV);
        if name.is_empty() || name.len() > 255 {
            return Err(bad("Validation Failed: name is invalid"));
        }
        let wait_timer = match o.get("wait_timer") {
            Some(v) => {
                let w = v.as_u64().filter(|w| *w <= 43_200);
                Some(w.ok_or_else(|| {
                    bad("Validation Failed: wait_timer must be an integer between 0 and 43200")
                })?)
            }
            None => None,
        };
        let reviewers = match o.get("reviewers") {
            None => None,
            Some(Value::Null) => Some(Vec::new()),
            Some(Value::Array(rs)) => {
                if rs.len() > 6 {
                    return Err(bad(
                        "Validation Failed: reviewers: a maximum of 6 reviewers is allowed",
                    ));
                }
                let mut out = Vec::new();
                for r in rs {
                    let kind = r.get("type").and_then(Value::as_str).unwrap_or("");
                    let id = r.get("id").and_then(Value::as_u64).unwrap_or(0);
                    let known = match kind {
                        "User" => self.users.iter().any(|u| u.id == id),
                        "Team" => self.teams.iter().any(|t| t.id == id),
                        _ => false,
                    };
                    if !known {
                        return Err(bad(&format!(
                            "Validation Failed: reviewer {kind} {id} does not exist or has no access"
                        )));
                    }
                    if !out.contains(&(kind.to_owned(), id)) {
                        out.push((kind.to_owned(), id));
                    }
                }
                Some(out)
            }
            Some(_) => return Err(bad("Validation Failed: reviewers must be an array")),
        };
        let dbp = match o.get("deployment_branch_policy") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(d) => {
                let p = bool_at(d.as_object().unwrap_or(&Map::new()), "protected_branches");
                let c = d
                    .get("custom_branch_policies")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if p == c {
                    return Err(bad(
                        "Validation Failed: protected_branches and custom_branch_policies cannot have the same value",
                    ));
                }
                Some(Some((p, c)))
            }
        };
        let now = render::now_iso();
        let key = if let Some(k) = self.env_key(name) {
            k
        } else {
            let id = self.next();
            let env = self.new_env(id, name, &now);
            self.envs.insert(name.to_owned(), env);
            name.to_owned()
        };
        let Some(e) = self.envs.get_mut(&key) else {
            return Err(not_found());
        };
        if let Some(w) = wait_timer {
            e.wait_timer = w;
        }
        if let Some(b) = o.get("prevent_self_review").and_then(Value::as_bool) {
            e.prevent_self_review = b;
        }
        if let Some(b) = o.get("can_admins_bypass").and_then(Value::as_bool) {
            e.can_admins_bypass = b;
        }
        if let Some(r) = reviewers {
            e.reviewers = r;
        }
        if let Some(d) = dbp {
            e.dbp = d;
            if !matches!(d, Some((_, true))) {
                // Policies exist only while custom_branch_policies is true.
                e.policies.clear();
            }
        }
        e.updated = now;
        Ok(())
    }

    fn new_env(&mut self, id: u64, name: &str, now: &str) -> Env {
        let key = SecretKey::generate(&mut crypto_box::aead::OsRng);
        let key_id = format!(
            "{}",
            3_380_204_578_043_523_366_u64.wrapping_add(self.next())
        );
        Env {
            id,
            name: name.to_owned(),
            created: now.to_owned(),
            updated: now.to_owned(),
            wait_timer: 0,
            prevent_self_review: false,
            reviewers: Vec::new(),
            can_admins_bypass: true,
            dbp: None,
            policies: Vec::new(),
            secrets: BTreeMap::new(),
            variables: BTreeMap::new(),
            key,
            key_id,
        }
    }

    /// `DELETE .../environments/{name}`.
    pub(crate) fn delete_environment(&mut self, name: &str) -> Res {
        let k = self.env_key(name).ok_or_else(not_found)?;
        self.envs.remove(&k);
        Ok(Reply::empty(204))
    }

    /// Renders `environment` (with the undocumented `can_admins_bypass`, QUIRKS 31).
    pub(crate) fn env_json(&self, ctx: &Ctx, e: &Env) -> Value {
        let mut rules = Vec::new();
        if e.wait_timer > 0 {
            rules.push(
                json!({"id": e.id * 10 + 1, "node_id": render::node_id("GA", e.id * 10 + 1),
                "type": "wait_timer", "wait_timer": e.wait_timer}),
            );
        }
        if !e.reviewers.is_empty() {
            let reviewers: Vec<Value> = e
                .reviewers
                .iter()
                .filter_map(|(kind, id)| {
                    let reviewer = if kind == "User" {
                        let u = self.users.iter().find(|u| u.id == *id)?;
                        render::simple_user(ctx, &u.login, u.id, "User")
                    } else {
                        let t = self.teams.iter().find(|t| t.id == *id)?;
                        render::team(ctx, &self.repo, t)
                    };
                    Some(json!({"type": kind, "reviewer": reviewer}))
                })
                .collect();
            rules.push(
                json!({"id": e.id * 10 + 2, "node_id": render::node_id("GA", e.id * 10 + 2),
                "type": "required_reviewers", "prevent_self_review": e.prevent_self_review,
                "reviewers": reviewers}),
            );
        }
        if e.dbp.is_some() {
            rules.push(
                json!({"id": e.id * 10 + 3, "node_id": render::node_id("GA", e.id * 10 + 3),
                "type": "branch_policy"}),
            );
        }
        json!({
            "id": e.id,
            "node_id": render::node_id("EN", e.id),
            "name": e.name,
            "url": format!("{}/environments/{}", self.repo_url(ctx), pct(&e.name)),
            "html_url": format!("https://github.com/{}/{}/deployments/activity_log?environments_filter={}",
                self.repo.owner, self.repo.name, pct(&e.name)),
            "created_at": e.created,
            "updated_at": e.updated,
            "can_admins_bypass": e.can_admins_bypass,
            "protection_rules": rules,
            "deployment_branch_policy": e.dbp.map(|(p, c)| json!({
                "protected_branches": p, "custom_branch_policies": c})),
        })
    }

    // ---------------------------------------------------------------- branch policies

    /// `POST .../deployment-branch-policies`: 200, 303 for a duplicate, 404 when custom
    /// policies are off.
    pub(crate) fn create_policy(
        &mut self,
        env: &str,
        name: &str,
        kind: &str,
    ) -> Result<u64, Reply> {
        let e = self.env(env)?;
        if !matches!(e.dbp, Some((_, true))) {
            return Err(not_found());
        }
        if let Some(p) = e.policies.iter().find(|p| p.name == name && p.kind == kind) {
            let mut r = Reply::empty(303);
            r.headers
                .push(("x-existing-policy-id".into(), p.id.to_string()));
            return Err(r);
        }
        let id = self.next();
        let e = self.env_mut(env)?;
        e.policies.push(Policy {
            id,
            name: name.to_owned(),
            kind: kind.to_owned(),
        });
        Ok(id)
    }

    /// Finds a policy by id.
    pub(crate) fn policy(&self, env: &str, id: u64) -> Result<&Policy, Reply> {
        self.env(env)?
            .policies
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(not_found)
    }

    /// `PUT .../deployment-branch-policies/{id}`.
    pub(crate) fn rename_policy(&mut self, env: &str, id: u64, name: &str) -> Result<(), Reply> {
        let e = self.env_mut(env)?;
        let p = e
            .policies
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(not_found)?;
        name.clone_into(&mut p.name);
        Ok(())
    }

    /// `DELETE .../deployment-branch-policies/{id}`.
    pub(crate) fn delete_policy(&mut self, env: &str, id: u64) -> Res {
        let e = self.env_mut(env)?;
        let before = e.policies.len();
        e.policies.retain(|p| p.id != id);
        if e.policies.len() == before {
            return Err(not_found());
        }
        Ok(Reply::empty(204))
    }

    // ---------------------------------------------------------------- secrets and variables

    /// `PUT .../secrets/{name}`: 201 created, 204 updated; 422 on a stale key id or a value
    /// that is not a sealed box for the current key.
    pub(crate) fn put_secret(&mut self, env: &str, name: &str, b64: &str, key_id: &str) -> Res {
        let e = self.env_mut(env)?;
        if key_id != e.key_id {
            return Err(error(
                422,
                "Bad request: key_id does not match the environment's current public key",
                docs::SECRETS,
            ));
        }
        let sealed = B64
            .decode(b64)
            .ok()
            .filter(|s| e.key.unseal(s).is_ok())
            .ok_or_else(|| {
                error(
                    422,
                    "Bad request: encrypted_value could not be decrypted with the environment's public key",
                    docs::SECRETS,
                )
            })?;
        let name = name.to_ascii_uppercase();
        let now = render::now_iso();
        if let Some(s) = e.secrets.get_mut(&name) {
            s.sealed = sealed;
            s.updated = now;
            Ok(Reply::empty(204))
        } else {
            e.secrets.insert(
                name,
                Secret {
                    sealed,
                    created: now.clone(),
                    updated: now,
                },
            );
            Ok(Reply::json(201, json!({})))
        }
    }

    /// `DELETE .../secrets/{name}`.
    pub(crate) fn delete_secret(&mut self, env: &str, name: &str) -> Res {
        let e = self.env_mut(env)?;
        e.secrets
            .remove(&name.to_ascii_uppercase())
            .map(|_| Reply::empty(204))
            .ok_or_else(not_found)
    }

    /// `POST .../variables`: 201 `{}`, 409 when it exists.
    pub(crate) fn create_variable(&mut self, env: &str, name: &str, value: &str) -> Res {
        let e = self.env_mut(env)?;
        let name = name.to_ascii_uppercase();
        if e.variables.contains_key(&name) {
            return Err(error(
                409,
                "Already exists - Variable already exists",
                docs::VARIABLES,
            ));
        }
        let now = render::now_iso();
        e.variables.insert(
            name,
            Variable {
                value: value.to_owned(),
                created: now.clone(),
                updated: now,
            },
        );
        Ok(Reply::json(201, json!({})))
    }

    /// `PATCH .../variables/{name}`: 204; may rename.
    pub(crate) fn update_variable(&mut self, env: &str, name: &str, body: &Value) -> Res {
        let e = self.env_mut(env)?;
        let name = name.to_ascii_uppercase();
        let mut var = e.variables.get(&name).cloned().ok_or_else(not_found)?;
        let new_name = body
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| name.clone(), str::to_ascii_uppercase);
        if new_name != name && e.variables.contains_key(&new_name) {
            return Err(error(
                409,
                "Already exists - Variable already exists",
                docs::VARIABLES,
            ));
        }
        if let Some(v) = body.get("value").and_then(Value::as_str) {
            v.clone_into(&mut var.value);
        }
        var.updated = render::now_iso();
        e.variables.remove(&name);
        e.variables.insert(new_name, var);
        Ok(Reply::empty(204))
    }

    /// `DELETE .../variables/{name}`.
    pub(crate) fn delete_variable(&mut self, env: &str, name: &str) -> Res {
        let e = self.env_mut(env)?;
        e.variables
            .remove(&name.to_ascii_uppercase())
            .map(|_| Reply::empty(204))
            .ok_or_else(not_found)
    }

    // ---------------------------------------------------------------- export

    /// Returns the current state in the seed format.
    pub(crate) fn to_seed(&self) -> Seed {
        let branches = self
            .branches
            .iter()
            .map(|(name, b)| {
                (
                    name.clone(),
                    BranchSeed {
                        protection: b.protection.as_ref().map(protection_body),
                        required_signatures: b.protection.as_ref().is_some_and(|p| p.signatures),
                    },
                )
            })
            .collect();
        let environments = self
            .envs
            .iter()
            .map(|(name, e)| {
                let reviewers = e
                    .reviewers
                    .iter()
                    .map(|(kind, id)| match kind.as_str() {
                        "User" => self.users.iter().find(|u| u.id == *id).map_or(
                            ReviewerSeed::ById {
                                kind: kind.clone(),
                                id: *id,
                            },
                            |u| ReviewerSeed::User {
                                user: u.login.clone(),
                            },
                        ),
                        _ => self.teams.iter().find(|t| t.id == *id).map_or(
                            ReviewerSeed::ById {
                                kind: kind.clone(),
                                id: *id,
                            },
                            |t| ReviewerSeed::Team {
                                team: t.slug.clone(),
                            },
                        ),
                    })
                    .collect();
                let seed = EnvironmentSeed {
                    wait_timer: e.wait_timer,
                    prevent_self_review: e.prevent_self_review,
                    reviewers,
                    can_admins_bypass: e.can_admins_bypass,
                    deployment_branch_policy: e.dbp.map(|(p, c)| DeploymentBranchPolicySeed {
                        protected_branches: p,
                        custom_branch_policies: c,
                    }),
                    branch_policies: e
                        .policies
                        .iter()
                        .map(|p| BranchPolicySeed {
                            name: p.name.clone(),
                            kind: p.kind.clone(),
                        })
                        .collect(),
                    secrets: e.secrets.keys().cloned().collect(),
                    variables: e
                        .variables
                        .iter()
                        .map(|(k, v)| (k.clone(), v.value.clone()))
                        .collect(),
                };
                (name.clone(), seed)
            })
            .collect();
        Seed {
            repo: self.repo.clone(),
            users: self.users.clone(),
            teams: self.teams.clone(),
            apps: self.apps.clone(),
            branches,
            environments,
        }
    }
}

/// Returns the live 422 for the `contexts`/`checks` rule (QUIRKS 22).
pub(crate) fn one_of_error(both: bool) -> Reply {
    let m = if both {
        "Invalid request.\n\nMore than one subschema in \"oneOf\" matched."
    } else {
        "Invalid request.\n\nNo subschema in \"oneOf\" matched."
    };
    let e = m.trim_start_matches("Invalid request.\n\n").to_owned();
    invalid_simple(m, &[e], docs::UPDATE_PROTECTION)
}

/// Writes stored protection back as a PUT body (checks with `app_id` only when pinned).
fn protection_body(p: &Protection) -> Value {
    let actors = |a: &Actors| json!({"users": a.users, "teams": a.teams, "apps": a.apps});
    json!({
        "required_status_checks": p.status_checks.as_ref().map(|s| json!({
            "strict": s.strict,
            "checks": s.checks.iter().map(|(c, a)| match a {
                Some(id) => json!({"context": c, "app_id": id}),
                None => json!({"context": c}),
            }).collect::<Vec<_>>(),
        })),
        "enforce_admins": p.enforce_admins,
        "required_pull_request_reviews": p.reviews.as_ref().map(|r| {
            let mut v = json!({
                "dismiss_stale_reviews": r.dismiss_stale,
                "require_code_owner_reviews": r.code_owners,
                "required_approving_review_count": r.count,
                "require_last_push_approval": r.last_push,
            });
            if let Some(d) = &r.dismissal {
                v["dismissal_restrictions"] = actors(d);
            }
            if let Some(b) = &r.bypass {
                v["bypass_pull_request_allowances"] = actors(b);
            }
            v
        }),
        "restrictions": p.restrictions.as_ref().map(actors),
        "required_linear_history": p.linear_history,
        "allow_force_pushes": p.force_pushes,
        "allow_deletions": p.deletions,
        "block_creations": p.block_creations,
        "required_conversation_resolution": p.conversation_resolution,
        "lock_branch": p.lock_branch,
        "allow_fork_syncing": p.fork_syncing,
    })
}

/// Percent-encodes a path segment.
pub(crate) fn pct(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2D", "-")
        .replace("%5F", "_")
        .replace("%2E", ".")
}
