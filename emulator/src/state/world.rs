//! The whole emulated world: accounts, the organisation, repositories and org rulesets.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use serde_json::Value;

use super::rulesets::{Ruleset, Source};
use super::{Directory, Org, Repo};
use crate::render;
use crate::seed::{
    InstallationSeed, OrgSeed, Realism, RepoSeed, RepositorySeed, Seed, TeamSeed, TokenSeed,
    UserSeed,
};

/// Seconds from the Unix epoch to `render::EPOCH` (2020-01-01).
const EPOCH_SECS: u64 = 1_577_836_800;

/// The whole emulated world.
pub(crate) struct World {
    pub dir: Arc<Directory>,
    /// Repositories in seed order.
    pub repos: Vec<Repo>,
    /// Organisation rulesets by id.
    pub org_rulesets: BTreeMap<u64, Ruleset>,
    pub realism: Realism,
    /// Tokens the seed adds.
    pub tokens: Vec<TokenSeed>,
    pub installations: Vec<InstallationSeed>,
    /// Former names of renamed repositories (`owner/name`, lower case) and their ids:
    /// GitHub answers 301 to them.
    pub moved: BTreeMap<String, u64>,
    /// Whether the seed had a top-level repository (it is `repos[0]`).
    top_level: bool,
    /// Whether the seed named the organisation itself (`org`).
    explicit_org: bool,
    pub ids: Arc<AtomicU64>,
}

fn merge_users(a: &[UserSeed], b: &[UserSeed]) -> Vec<UserSeed> {
    let mut out = a.to_vec();
    for u in b {
        if !out.iter().any(|x| x.login.eq_ignore_ascii_case(&u.login)) {
            out.push(u.clone());
        }
    }
    out
}

fn merge_teams(a: &[TeamSeed], b: &[TeamSeed]) -> Vec<TeamSeed> {
    let mut out = a.to_vec();
    for t in b {
        if !out.iter().any(|x| x.slug.eq_ignore_ascii_case(&t.slug)) {
            out.push(t.clone());
        }
    }
    out
}

impl World {
    /// Builds the world from a seed, through the same code the write handlers use.
    pub(crate) fn from_seed(seed: &Seed) -> Result<Self, String> {
        let top_level = !seed.repo.is_unset();
        let org = match &seed.org {
            Some(o) => Some(Org {
                login: o.login.clone(),
                id: o.id.unwrap_or_else(|| render::account_id(&o.login)),
                property_defs: o.custom_property_definitions.clone(),
            }),
            None if top_level && seed.repo.owner_type == "Organization" => Some(Org {
                login: seed.repo.owner.clone(),
                id: render::account_id(&seed.repo.owner),
                property_defs: Vec::new(),
            }),
            None => None,
        };
        let (members, org_teams) = seed
            .org
            .as_ref()
            .map(|o| (o.members.as_slice(), o.teams.as_slice()))
            .unwrap_or_default();
        let dir = Arc::new(Directory {
            users: merge_users(&seed.users, members),
            teams: merge_teams(&seed.teams, org_teams),
            apps: seed.apps.clone(),
            org,
        });
        let org_login = dir.org.as_ref().map(|o| o.login.clone());
        let mut w = Self {
            dir: Arc::clone(&dir),
            repos: Vec::new(),
            org_rulesets: BTreeMap::new(),
            realism: seed.realism.clone(),
            tokens: seed.tokens.clone(),
            installations: seed.installations.clone(),
            moved: BTreeMap::new(),
            top_level,
            explicit_org: seed.org.is_some(),
            ids: Arc::new(AtomicU64::new(1_000_001)),
        };
        let mut parts: Vec<(RepoSeed, &RepositorySeed)> = Vec::new();
        let top = RepositorySeed {
            branches: seed.branches.clone(),
            environments: seed.environments.clone(),
            rulesets: seed.rulesets.clone(),
            issues: seed.issues.clone(),
            labels: seed.labels.clone(),
            ..RepositorySeed::new(&seed.repo.name)
        };
        if top_level {
            parts.push((seed.repo.clone(), &top));
        }
        for r in &seed.repositories {
            parts.push((r.repo_seed(org_login.as_deref()), r));
        }
        for (i, (repo, r)) in parts.into_iter().enumerate() {
            let full = format!("{}/{}", repo.owner, repo.name);
            if repo.owner.is_empty() || repo.name.is_empty() {
                return Err(format!(
                    "invalid seed: repository {full:?} needs an owner and a name"
                ));
            }
            if w.repo(&repo.owner, &repo.name).is_some() {
                return Err(format!("invalid seed: repository {full} is listed twice"));
            }
            let n = i as u64;
            let id = repo.id.unwrap_or(700_000_001 + n);
            let created = render::iso(EPOCH_SECS + n * 3600);
            let is_top = top_level && i == 0;
            let mut repo_state =
                super::Repo::new(Arc::clone(&dir), repo, id, created, Arc::clone(&w.ids));
            if !is_top {
                let default = repo_state.repo.default_branch.clone();
                repo_state.add_branch(&default);
            }
            repo_state.load(&r.branches, &r.environments)?;
            repo_state.load_issues(&r.labels, &r.issues)?;
            w.repos.push(repo_state);
            let idx = w.repos.len() - 1;
            for body in &r.rulesets {
                w.seed_ruleset(Source::Repo(idx), body)
                    .map_err(|m| format!("invalid seed (repository {full} ruleset): {m}"))?;
            }
        }
        if let Some(o) = &seed.org {
            for body in &o.rulesets {
                w.seed_ruleset(Source::Org, body)
                    .map_err(|m| format!("invalid seed (organisation ruleset): {m}"))?;
            }
        }
        Ok(w)
    }

    /// Returns the index of a repository (names are case-insensitive).
    pub(crate) fn repo_index(&self, owner: &str, name: &str) -> Option<usize> {
        self.repos.iter().position(|r| {
            r.repo.owner.eq_ignore_ascii_case(owner) && r.repo.name.eq_ignore_ascii_case(name)
        })
    }

    /// Renames a repository (`owner/name` to `new_name`), keeping its old name as a redirect.
    pub(crate) fn rename(&mut self, from: &str, new_name: &str) -> Result<(), String> {
        let (owner, name) = from.split_once('/').ok_or("expected owner/name")?;
        let i = self
            .repo_index(owner, name)
            .ok_or_else(|| format!("no repository {from}"))?;
        let id = self.repos[i].repo_id;
        new_name.clone_into(&mut self.repos[i].repo.name);
        self.moved.insert(from.to_lowercase(), id);
        Ok(())
    }

    /// Returns the id of the repository that was once `owner/name`, if it was renamed.
    pub(crate) fn moved_to(&self, owner: &str, name: &str) -> Option<u64> {
        self.moved
            .get(&format!("{owner}/{name}").to_lowercase())
            .copied()
            .filter(|_| self.repo_index(owner, name).is_none())
    }

    /// Returns a repository (names are case-insensitive).
    pub(crate) fn repo(&self, owner: &str, name: &str) -> Option<&Repo> {
        self.repo_index(owner, name).map(|i| &self.repos[i])
    }

    /// Returns the top-level repository of a single-repository seed, else the first one.
    pub(crate) fn first_repo(&self) -> Option<&Repo> {
        self.repos.first()
    }

    /// Returns the current state in the seed format.
    pub(crate) fn to_seed(&self) -> Seed {
        let mut seed = Seed {
            repo: RepoSeed::default(),
            users: self.dir.users.clone(),
            teams: self.dir.teams.clone(),
            apps: self.dir.apps.clone(),
            branches: BTreeMap::new(),
            environments: BTreeMap::new(),
            rulesets: Vec::new(),
            issues: Vec::new(),
            labels: Vec::new(),
            org: None,
            repositories: Vec::new(),
            tokens: self.tokens.clone(),
            installations: self.installations.clone(),
            realism: self.realism.clone(),
        };
        for (i, r) in self.repos.iter().enumerate() {
            let (branches, environments) = r.export();
            let rulesets: Vec<Value> = r.rulesets.values().map(Ruleset::to_seed).collect();
            let (issues, labels) = r.issues.to_seed();
            if self.top_level && i == 0 {
                seed.repo = r.repo.clone();
                seed.branches = branches;
                seed.environments = environments;
                seed.rulesets = rulesets;
                seed.issues = issues;
                seed.labels = labels;
            } else {
                seed.repositories.push(RepositorySeed {
                    name: r.repo.name.clone(),
                    owner: Some(r.repo.owner.clone()),
                    owner_type: Some(r.repo.owner_type.clone()),
                    private: r.repo.private,
                    default_branch: r.repo.default_branch.clone(),
                    archived: r.repo.archived,
                    fork: r.repo.fork,
                    id: Some(r.repo_id),
                    custom_properties: r.repo.custom_properties.clone(),
                    branches,
                    environments,
                    rulesets,
                    check_runs: r.repo.check_runs.clone(),
                    activity: r.repo.activity.clone(),
                    issues,
                    labels,
                    settings: r.repo.settings.clone(),
                });
            }
        }
        if (self.explicit_org || !self.org_rulesets.is_empty())
            && let Some(o) = &self.dir.org
        {
            seed.org = Some(OrgSeed {
                login: o.login.clone(),
                id: Some(o.id),
                teams: Vec::new(),
                members: Vec::new(),
                custom_property_definitions: o.property_defs.clone(),
                rulesets: self.org_rulesets.values().map(Ruleset::to_seed).collect(),
            });
        }
        seed
    }
}
