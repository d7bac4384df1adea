//! One repository: identity, branches and environments, and how a seed fills them.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use super::Reply;
use super::environments::Env;
use super::issues::Issues;
use super::protection::Branch;
use super::rulesets::Ruleset;
use crate::render::{self, Account, Ctx};
use crate::seed::{
    AppSeed, BranchSeed, EnvironmentSeed, RepoSeed, ReviewerSeed, TeamSeed, UserSeed,
};

/// The organisation: login, id and custom property definitions.
#[derive(Debug, Clone)]
pub(crate) struct Org {
    pub login: String,
    pub id: u64,
    /// `custom-property` objects as seeded (without `url`/`source_type`).
    pub property_defs: Vec<Value>,
}

/// Accounts every repository shares; fixed once seeded.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    pub users: Vec<UserSeed>,
    pub teams: Vec<TeamSeed>,
    pub apps: Vec<AppSeed>,
    pub org: Option<Org>,
}

impl Directory {
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
    /// Returns the organisation when `login` names it.
    pub(crate) fn org_named(&self, login: &str) -> Option<&Org> {
        self.org
            .as_ref()
            .filter(|o| o.login.eq_ignore_ascii_case(login))
    }
    /// Returns the organisation as an account (for teams and app owners).
    pub(crate) fn org_account(&self) -> Account {
        self.org.as_ref().map_or_else(
            || Account {
                login: "github".into(),
                id: 9919,
                kind: "Organization".into(),
            },
            |o| Account {
                login: o.login.clone(),
                id: o.id,
                kind: "Organization".into(),
            },
        )
    }
}

/// One repository.
#[expect(
    clippy::struct_field_names,
    reason = "`repo` is the seed's repository part, as the handlers have always called it"
)]
pub(crate) struct Repo {
    pub dir: Arc<Directory>,
    pub repo: RepoSeed,
    pub repo_id: u64,
    pub owner_id: u64,
    pub created: String,
    pub branches: BTreeMap<String, Branch>,
    pub envs: BTreeMap<String, Env>,
    pub rulesets: BTreeMap<u64, Ruleset>,
    pub issues: Issues,
    ids: Arc<AtomicU64>,
}

impl Repo {
    /// Returns an empty repository (no branches yet).
    pub(crate) fn new(
        dir: Arc<Directory>,
        repo: RepoSeed,
        repo_id: u64,
        created: String,
        ids: Arc<AtomicU64>,
    ) -> Self {
        let owner_id = dir
            .org_named(&repo.owner)
            .map(|o| o.id)
            .or_else(|| dir.user(&repo.owner).map(|u| u.id))
            .unwrap_or_else(|| render::account_id(&repo.owner));
        Self {
            dir,
            repo,
            repo_id,
            owner_id,
            created,
            branches: BTreeMap::new(),
            envs: BTreeMap::new(),
            rulesets: BTreeMap::new(),
            issues: Issues::default(),
            ids,
        }
    }

    /// Adds a branch that does not exist yet.
    pub(crate) fn add_branch(&mut self, name: &str) {
        self.branches
            .entry(name.to_owned())
            .or_insert_with(|| Branch {
                sha: render::sha_for(name),
                protection: None,
            });
    }

    /// Fills branches and environments from seed parts, through the PUT handlers' code.
    pub(crate) fn load(
        &mut self,
        branches: &BTreeMap<String, BranchSeed>,
        environments: &BTreeMap<String, EnvironmentSeed>,
    ) -> Result<(), String> {
        for name in branches.keys() {
            self.add_branch(name);
        }
        let fail = |what: String, r: &Reply| {
            format!(
                "invalid seed ({what}): {} {}",
                r.status,
                r.body.as_ref().map(Value::to_string).unwrap_or_default()
            )
        };
        for (name, b) in branches {
            if let Some(body) = &b.protection {
                if let Err(errs) = crate::schema::validate_request(
                    "PUT",
                    "/repos/{owner}/{repo}/branches/{branch}/protection",
                    body,
                ) {
                    return Err(format!("invalid seed (branch {name}): {}", errs.join("; ")));
                }
                self.put_protection(name, body)
                    .map_err(|r| fail(format!("branch {name}"), &r))?;
            }
            if b.required_signatures {
                self.set_signatures(name, true)
                    .map_err(|r| fail(format!("branch {name}"), &r))?;
            }
        }
        for (name, e) in environments {
            let body = self
                .env_seed_body(e)
                .map_err(|m| format!("invalid seed (environment {name}): {m}"))?;
            self.put_environment(name, Some(&body))
                .map_err(|r| fail(format!("environment {name}"), &r))?;
            for p in &e.branch_policies {
                self.create_policy(name, &p.name, &p.kind)
                    .map_err(|r| fail(format!("environment {name} policy {}", p.name), &r))?;
            }
            for secret in &e.secrets {
                let (sealed, key_id) = self.seal_for(name, b"")?;
                self.put_secret(name, secret, &sealed, &key_id)
                    .map_err(|r| fail(format!("environment {name} secret {secret}"), &r))?;
            }
            for (k, v) in &e.variables {
                self.create_variable(name, k, v)
                    .map_err(|r| fail(format!("environment {name} variable {k}"), &r))?;
            }
        }
        Ok(())
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

    pub(crate) fn next(&mut self) -> u64 {
        self.ids.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Returns the repository's URL under the API root.
    pub(crate) fn repo_url(&self, ctx: &Ctx) -> String {
        format!("{}/repos/{}/{}", ctx.api, self.repo.owner, self.repo.name)
    }

    /// Finds a user by login (case-insensitive).
    pub(crate) fn user(&self, login: &str) -> Option<&UserSeed> {
        self.dir.user(login)
    }
    /// Finds a team by slug.
    pub(crate) fn team(&self, slug: &str) -> Option<&TeamSeed> {
        self.dir.team(slug)
    }
    /// Finds an app by slug.
    pub(crate) fn app(&self, slug: &str) -> Option<&AppSeed> {
        self.dir.app(slug)
    }

    /// Returns whether an organisation owns the repository.
    pub(crate) fn is_org(&self) -> bool {
        self.repo.owner_type == "Organization"
    }

    /// Returns `owner/name`.
    pub(crate) fn full_name(&self) -> String {
        format!("{}/{}", self.repo.owner, self.repo.name)
    }

    /// Returns the owner as an account (the organisation's id when it is the organisation).
    pub(crate) fn owner_account(&self) -> Account {
        Account {
            login: self.repo.owner.clone(),
            id: self.owner_id,
            kind: self.repo.owner_type.clone(),
        }
    }
}
