// Compiled only under cfg(test) (see `mod environment;` in diff/tests.rs): environments
// and what hangs off them.
use serde_json::json;

use super::*;

#[test]
fn a_new_environment_comes_before_its_patterns_secrets_and_variables() {
    let mut desired = repo();
    desired.environments.insert(
        name("production"),
        Environment {
            deployment_branches: DeploymentBranches::Custom(vec![DeploymentPattern {
                ref_type: RefType::Branch,
                pattern: name("main"),
            }]),
            secrets: vec![
                Secret {
                    name: name("SSH_HOST"),
                    from_env: None,
                },
                Secret {
                    name: name("SSH_KEY"),
                    from_env: Some(name("PROD_KEY")),
                },
            ],
            variables: [(name("URL"), "https://x".to_owned())].into(),
            ..Environment::default()
        },
    );
    let plan = plan("acme/x", &desired, &LiveState::from_settings(repo()));
    assert_eq!(
        addresses(&plan),
        vec![
            ("environments.production".into(), Action::Create, true),
            (
                "environments.production.deployment_branches.main".into(),
                Action::Create,
                true
            ),
            (
                "environments.production.secrets.SSH_HOST".into(),
                Action::Create,
                false
            ),
            (
                "environments.production.secrets.SSH_KEY".into(),
                Action::Create,
                true
            ),
            (
                "environments.production.variables.URL".into(),
                Action::Create,
                true
            ),
        ]
    );
    assert_eq!(
        plan.changes[0].diffs[0],
        FieldDiff::new("deployment_branches", Value::Null, json!(["main"]))
    );
    assert_eq!(plan.changes[2].reason(), Some(REASON_SECRET_VALUE));
    assert_eq!(plan.summary().create, 5);
}

#[test]
fn deployment_patterns_are_diffed_as_a_set() {
    let pattern = |name: &str, ref_type| DeploymentPattern {
        ref_type,
        pattern: crate::testing::name(name),
    };
    let env = |patterns| Environment {
        deployment_branches: DeploymentBranches::Custom(patterns),
        ..Environment::default()
    };
    let mut live = repo();
    live.environments.insert(
        name("prod"),
        env(vec![
            pattern("main", RefType::Branch),
            pattern("old/*", RefType::Branch),
        ]),
    );
    let mut desired = repo();
    desired.environments.insert(
        name("prod"),
        env(vec![
            pattern("v*", RefType::Tag),
            pattern("main", RefType::Branch),
            pattern("main", RefType::Branch),
        ]),
    );
    let mut state = LiveState::from_settings(live);
    state
        .pattern_ids
        .insert(("prod".into(), pattern("old/*", RefType::Branch)), 7);
    let plan = plan("acme/x", &desired, &state);
    assert!(matches!(
        plan.changes[1].target(),
        Some(Target::DeploymentPattern {
            write: crate::plan::PatternWrite::Delete { id: 7 },
            ..
        })
    ));
    assert_eq!(
        addresses(&plan),
        vec![
            (
                "environments.prod.deployment_branches.tag:v*".into(),
                Action::Create,
                true
            ),
            (
                "environments.prod.deployment_branches.old/*".into(),
                Action::Delete,
                true
            ),
        ]
    );
}

#[test]
fn variables_update_and_prune() {
    let env = |vars: &[(&str, &str)]| Environment {
        variables: vars
            .iter()
            .map(|(k, v)| (name(k), (*v).to_owned()))
            .collect(),
        ..Environment::default()
    };
    let mut live = repo();
    live.environments
        .insert(name("prod"), env(&[("A", "1"), ("B", "2")]));
    let mut desired = repo();
    desired
        .environments
        .insert(name("prod"), env(&[("A", "9")]));
    let plan1 = plan("acme/x", &desired, &LiveState::from_settings(live.clone()));
    assert_eq!(
        addresses(&plan1),
        vec![("environments.prod.variables.A".into(), Action::Update, true)]
    );
    desired.prune.variables = true;
    let plan2 = plan("acme/x", &desired, &LiveState::from_settings(live));
    assert_eq!(plan2.changes.len(), 2);
    assert_eq!(plan2.changes[1].action, Action::Delete);
}

#[test]
fn environment_secret_and_variable_names_match_as_github_matches_them() {
    // GitHub matches environment names without case and stores secret and variable names
    // in upper case: none of that may show as drift on every run.
    let mut live = repo();
    live.environments.insert(
        name("production"),
        Environment {
            secrets: vec![Secret {
                name: name("SSH_HOST"),
                from_env: None,
            }],
            variables: [(name("HEALTH_URL"), "https://x".to_owned())].into(),
            ..Environment::default()
        },
    );
    let mut desired = repo();
    desired.prune = crate::model::Prune {
        environments: true,
        secrets: true,
        variables: true,
        branch_protection: false,
        rulesets: false,
    };
    desired.environments.insert(
        name("Production"),
        Environment {
            secrets: vec![Secret {
                name: name("ssh_host"),
                from_env: None,
            }],
            variables: [(name("health_url"), "https://x".to_owned())].into(),
            ..Environment::default()
        },
    );
    let plan = plan("acme/x", &desired, &LiveState::from_settings(live));
    assert!(plan.in_sync(), "{plan:#?}");
}
