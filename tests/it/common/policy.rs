//! Policies for the tests, built as values of the policy model (`gh_policy::model`) and
//! written as YAML, instead of editing the text of `policy.yaml`: a test says which setting
//! it changes, and a reworded comment in the file cannot break it.
//!
//! `Policy::flow()` is the repository's own `policy.yaml` (the katz-backend flow) as a value;
//! `the_flow_builder_is_the_root_policy` keeps the two the same.

use std::collections::BTreeMap;

use gh_policy::model::names::VariableName;
use gh_policy::model::{
    Branch, DeploymentBranches, DeploymentPattern, Environment, Prune, PullRequestRules, RefType,
    RepoSettings, RequiredCheck, Reviewer, Secret, StatusChecks,
};

/// Returns a name (`EnvironmentName`, `SecretName`, …) a test writes, which keeps its rule.
pub fn name<'a, T: TryFrom<&'a str, Error = String>>(text: &'a str) -> T {
    T::try_from(text).unwrap_or_else(|reason| panic!("{reason}"))
}

/// A policy under construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy(pub RepoSettings);

/// The check every branch of the flow requires, from any app.
pub const LINT_AND_TEST: &str = "dev - lint and test";

impl Policy {
    /// Returns the flow: acme/katz-backend with main, stage and dev protected and the staging
    /// and production environments, exactly as the root `policy.yaml` declares them.
    pub fn flow() -> Self {
        let mut settings = RepoSettings::empty();
        settings.repository = Some("acme/katz-backend".to_owned());
        settings.branches = BTreeMap::from([
            (
                name("main"),
                Branch {
                    pull_request: Some(PullRequestRules {
                        required_approvals: 2,
                        dismiss_stale_reviews: true,
                        ..PullRequestRules::default()
                    }),
                    status_checks: Some(StatusChecks {
                        strict: true,
                        required: vec![
                            RequiredCheck::any_app(LINT_AND_TEST),
                            pinned("Security Checks", "github-actions"),
                        ],
                    }),
                    enforce_admins: true,
                    required_conversation_resolution: true,
                    ..Branch::default()
                },
            ),
            (name("stage"), reviewed_and_tested(1)),
            (name("dev"), reviewed_and_tested(1)),
        ]);
        settings.environments = BTreeMap::from([
            (
                name("staging"),
                Environment {
                    deployment_branches: branches(&["stage"]),
                    secrets: ssh_secrets("STAGING_SSH_KEY"),
                    variables: variables(&[(
                        "HEALTH_URL",
                        "https://staging.katz.example.com/api/health",
                    )]),
                    ..Environment::default()
                },
            ),
            (
                name("production"),
                Environment {
                    wait_timer: 5,
                    prevent_self_review: true,
                    reviewers: vec![
                        Reviewer::User(name("octocat")),
                        Reviewer::Team(name("release-managers")),
                    ],
                    can_admins_bypass: false,
                    deployment_branches: branches(&["main"]),
                    secrets: ssh_secrets("PROD_SSH_KEY"),
                    variables: variables(&[("HEALTH_URL", "https://katz.example.com/api/health")]),
                },
            ),
        ]);
        Self(settings)
    }

    /// Returns the policy as YAML, as a user would write it.
    pub fn yaml(&self) -> String {
        serde_saphyr::to_string(&self.0).unwrap()
    }

    /// Drops `repository:`, so that the repository comes from elsewhere.
    pub fn without_repository(mut self) -> Self {
        self.0.repository = None;
        self
    }

    /// Changes (or adds) a branch.
    pub fn branch(mut self, branch: &str, change: impl FnOnce(&mut Branch)) -> Self {
        change(self.0.branches.entry(name(branch)).or_default());
        self
    }

    /// Changes (or adds) an environment.
    pub fn environment(mut self, environment: &str, change: impl FnOnce(&mut Environment)) -> Self {
        change(self.0.environments.entry(name(environment)).or_default());
        self
    }

    /// Renames an environment, keeping its settings.
    pub fn rename_environment(mut self, from: &str, to: &str) -> Self {
        let environment = self.0.environments.remove(from).unwrap();
        self.0.environments.insert(name(to), environment);
        self
    }

    /// Changes what is pruned.
    pub fn prune(mut self, change: impl FnOnce(&mut Prune)) -> Self {
        change(&mut self.0.prune);
        self
    }
}

/// Returns a check pinned to an app, by slug.
pub fn pinned(context: &str, app: &str) -> RequiredCheck {
    RequiredCheck {
        app: Some(name(app)),
        ..RequiredCheck::any_app(context)
    }
}

/// Returns a check pinned to an app, by id.
pub fn pinned_id(context: &str, app_id: i64) -> RequiredCheck {
    RequiredCheck {
        app_id: Some(app_id),
        ..RequiredCheck::any_app(context)
    }
}

/// Returns deployment patterns for branches.
pub fn branches(patterns: &[&str]) -> DeploymentBranches {
    DeploymentBranches::Custom(patterns.iter().map(|p| pattern(p)).collect())
}

/// Returns a branch deployment pattern.
pub fn pattern(pattern: &str) -> DeploymentPattern {
    DeploymentPattern {
        ref_type: RefType::Branch,
        pattern: name(pattern),
    }
}

/// Returns a tag deployment pattern.
pub fn tag(pattern: &str) -> DeploymentPattern {
    DeploymentPattern {
        ref_type: RefType::Tag,
        pattern: name(pattern),
    }
}

/// Returns a secret that must exist, without a value source.
pub fn secret(secret: &str) -> Secret {
    Secret {
        name: name(secret),
        from_env: None,
    }
}

/// Returns a secret `apply` may create from an environment variable.
pub fn secret_from(secret_name: &str, var: &str) -> Secret {
    Secret {
        from_env: Some(name(var)),
        ..secret(secret_name)
    }
}

/// Returns variables from pairs.
pub fn variables(pairs: &[(&str, &str)]) -> BTreeMap<VariableName, String> {
    pairs
        .iter()
        .map(|(k, v)| (name(k), (*v).to_owned()))
        .collect()
}

/// A branch needing `approvals` reviews and the lint-and-test check.
fn reviewed_and_tested(approvals: u8) -> Branch {
    Branch {
        pull_request: Some(PullRequestRules {
            required_approvals: approvals,
            ..PullRequestRules::default()
        }),
        status_checks: Some(StatusChecks {
            strict: false,
            required: vec![RequiredCheck::any_app(LINT_AND_TEST)],
        }),
        ..Branch::default()
    }
}

/// The SSH secrets of an environment of the flow, the key uploaded from `var`.
fn ssh_secrets(var: &str) -> Vec<Secret> {
    vec![
        secret("SSH_HOST"),
        secret("SSH_USER"),
        secret_from("SSH_PRIVATE_KEY", var),
    ]
}

#[test]
fn the_flow_builder_is_the_root_policy() {
    // The flow's configuration: the root policy without its requirements (which
    // `requirements.rs` judges).
    let mut root = gh_policy::policy::load(&super::root().join("policy.yaml")).unwrap();
    root.requirements.clear();
    assert_eq!(Policy::flow().0, root);
    // And what it writes reads back as itself.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.yaml");
    std::fs::write(&file, Policy::flow().yaml()).unwrap();
    assert_eq!(gh_policy::policy::load(&file).unwrap(), root);
}
