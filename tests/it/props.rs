//! Property tests of the model: export → load round-trips, a model never drifts from itself,
//! and the policy loader never panics, whatever the bytes.

use std::fmt::Write as _;

use gh_policy::model::live::LiveState;
use gh_policy::model::names::Pattern;
use gh_policy::model::{
    Actors, Branch, DeploymentBranches, DeploymentPattern, Environment, Prune, PullRequestRules,
    RefType, RepoSettings, RequiredCheck, Reviewer, Secret, StatusChecks,
};
use gh_policy::plan::diff;
use gh_policy::policy;
use proptest::collection::{btree_map, btree_set, vec};
use proptest::prelude::*;
use proptest::sample::SizeRange;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A GitHub login: letters, digits and single hyphens inside, sometimes a managed user's
/// `_SHORTCODE`.
/// A generated name as its type: the generators write only names that keep the rule.
fn typed<T: TryFrom<String, Error = String>>(text: String) -> T {
    T::try_from(text).unwrap_or_else(|reason| panic!("{reason}"))
}

fn login() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,4}(-[a-z0-9]{1,4}){0,2}(_[a-z0-9]{1,4})?"
}

/// A team or app slug.
fn slug() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,10}"
}

/// A secret or variable name: upper-case, not `GITHUB_`-prefixed.
fn upper_name() -> impl Strategy<Value = String> {
    "[A-Z][A-Z0-9_]{0,10}".prop_filter("GITHUB_ is reserved", |n| !n.starts_with("GITHUB_"))
}

/// Text with the characters that make YAML hard: quotes, colons, `#`, leading spaces, Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,24}",
        "\\PC{0,12}",
        Just("yes".to_owned()),
        Just("null".to_owned()),
        Just("0x1F".to_owned()),
        prop::sample::select(vec![
            "+1",
            "-0",
            ".5",
            "1.",
            "1e3",
            "0o17",
            "True",
            "FALSE",
            "~",
            "Null",
            "1_0",
            "0b11",
            ".inf",
            "-.Inf",
            ".NaN",
            "2.0",
            "18446744073709551616",
            "",
        ])
        .prop_map(str::to_owned),
        Just("- a".to_owned()),
        Just("a: b".to_owned()),
    ]
}

/// A sorted list of distinct items, as the model keeps its sets.
fn set<S>(item: S, size: impl Into<SizeRange>) -> impl Strategy<Value = Vec<String>>
where
    S: Strategy<Value = String>,
{
    btree_set(item, size).prop_map(|set| set.into_iter().collect())
}

fn actors() -> impl Strategy<Value = Actors> {
    (set(login(), 0..3), set(slug(), 0..3), set(slug(), 0..2)).prop_map(|(users, teams, apps)| {
        Actors {
            users: users.into_iter().map(typed).collect(),
            teams: teams.into_iter().map(typed).collect(),
            apps: apps.into_iter().map(typed).collect(),
        }
    })
}

fn pull_request() -> impl Strategy<Value = PullRequestRules> {
    (0u8..=6, any::<(bool, bool, bool)>(), actors(), actors()).prop_map(
        |(required_approvals, (dismiss, owners, last), dismissal, bypass)| PullRequestRules {
            required_approvals,
            dismiss_stale_reviews: dismiss,
            require_code_owner_reviews: owners,
            require_last_push_approval: last,
            dismissal_restrictions: dismissal,
            bypass,
        },
    )
}

fn status_checks() -> impl Strategy<Value = StatusChecks> {
    // Keyed by context: one pin per context, sorted as the model keeps them.
    let checks = btree_map(
        "[A-Za-z][A-Za-z0-9 ./:_-]{0,16}[A-Za-z0-9]",
        prop::option::of(slug()),
        0..4,
    );
    (any::<bool>(), checks).prop_map(|(strict, checks)| StatusChecks {
        strict,
        required: checks
            .into_iter()
            .map(|(context, app)| RequiredCheck {
                context,
                app: app.map(typed),
                app_id: None,
            })
            .collect(),
    })
}

fn branch() -> impl Strategy<Value = Branch> {
    prop_oneof![
        1 => Just(Branch::unprotected()),
        6 => (
            prop::option::of(pull_request()),
            prop::option::of(status_checks()),
            any::<[bool; 10]>(),
            prop::option::of(actors()),
        )
            .prop_map(|(pull_request, status_checks, flags, push_restrictions)| Branch {
                protected: true,
                pull_request,
                status_checks,
                enforce_admins: flags[0],
                required_linear_history: flags[1],
                allow_force_pushes: flags[2],
                allow_deletions: flags[3],
                block_creations: flags[4],
                required_conversation_resolution: flags[5],
                required_signatures: flags[6],
                lock_branch: flags[7],
                allow_fork_syncing: flags[8],
                push_restrictions: push_restrictions.filter(|_| flags[9]),
            }),
    ]
}

fn deployment_branches() -> impl Strategy<Value = DeploymentBranches> {
    let pattern =
        (any::<bool>(), "[a-z][a-z0-9/*._-]{0,12}").prop_map(|(tag, pattern)| DeploymentPattern {
            ref_type: if tag { RefType::Tag } else { RefType::Branch },
            pattern: Pattern::parse(pattern).expect("a pattern the strategy writes keeps the rule"),
        });
    prop_oneof![
        Just(DeploymentBranches::All),
        Just(DeploymentBranches::Protected),
        btree_set(pattern, 0..4)
            .prop_map(|patterns| DeploymentBranches::Custom(patterns.into_iter().collect())),
    ]
}

fn environment() -> impl Strategy<Value = Environment> {
    let reviewer = prop_oneof![
        login().prop_map(|login| Reviewer::User(typed(login))),
        slug().prop_map(|slug| Reviewer::Team(typed(slug)))
    ];
    let secret =
        (upper_name(), prop::option::of(upper_name())).prop_map(|(name, from_env)| Secret {
            name: typed(name),
            from_env: from_env.map(typed),
        });
    (
        0u32..=43_200,
        any::<(bool, bool)>(),
        btree_set(reviewer, 0..=6),
        deployment_branches(),
        btree_map(upper_name(), secret, 0..3),
        btree_map(upper_name(), text(), 0..4),
    )
        .prop_map(
            |(
                wait_timer,
                (self_review, bypass),
                reviewers,
                deployment_branches,
                secrets,
                variables,
            )| {
                let reviewers: Vec<Reviewer> = reviewers.into_iter().collect();
                Environment {
                    wait_timer,
                    // GitHub keeps `prevent_self_review` only with reviewers.
                    prevent_self_review: self_review && !reviewers.is_empty(),
                    reviewers,
                    can_admins_bypass: bypass,
                    deployment_branches,
                    // Keyed by name, so names are distinct.
                    secrets: secrets
                        .into_iter()
                        .map(|(name, secret)| Secret {
                            name: typed(name),
                            ..secret
                        })
                        .collect(),
                    variables: variables.into_iter().map(|(k, v)| (typed(k), v)).collect(),
                }
            },
        )
}

fn settings() -> impl Strategy<Value = RepoSettings> {
    (
        prop::option::of((login(), "[a-z][a-z0-9._-]{0,10}")),
        btree_map("[a-z][a-z0-9-]{0,6}(/[a-z0-9]{1,4})?", branch(), 0..4),
        // GitHub matches environment names without case: no two may differ only in case.
        btree_map("[a-z][a-zA-Z0-9 _-]{0,10}", environment(), 0..3).prop_filter(
            "environment names differ in more than case",
            |environments| {
                let lower: std::collections::BTreeSet<String> =
                    environments.keys().map(|k| k.to_lowercase()).collect();
                lower.len() == environments.len()
            },
        ),
        any::<[bool; 4]>(),
    )
        .prop_map(|(repository, branches, environments, prune)| RepoSettings {
            version: 1,
            repository: repository.map(|(owner, name)| format!("{owner}/{name}")),
            branches: branches
                .into_iter()
                .map(|(name, branch)| (typed(name), branch))
                .collect(),
            environments: environments
                .into_iter()
                .map(|(name, environment)| (typed(name), environment))
                .collect(),
            rulesets: std::collections::BTreeMap::new(),
            requirements: std::collections::BTreeMap::new(),
            settings: None,
            security: None,
            actions: None,
            exceptions: Vec::new(),
            prune: Prune {
                environments: prune[0],
                branch_protection: prune[1],
                secrets: prune[2],
                variables: prune[3],
                rulesets: false,
            },
        })
}

proptest! {
    #![proptest_config(config(128))]

    /// What `export` writes, `plan` reads back as the same settings.
    #[test]
    fn export_then_load_round_trips(settings in settings()) {
        let text = serde_saphyr::to_string(&settings).unwrap();
        let loaded = policy::parse("export.yaml", &text)
            .unwrap_or_else(|err| panic!("{err}\n--- exported:\n{text}"));
        prop_assert_eq!(&loaded, &settings, "exported:\n{}", text);
        let plan = diff::plan("acme/x", &loaded, &LiveState::from_settings(settings), &diff::Context::default());
        prop_assert!(plan.in_sync(), "{:?}", plan.changes);
    }

    /// A repository never drifts from itself.
    #[test]
    fn a_model_has_no_drift_from_itself(settings in settings()) {
        let plan = diff::plan("acme/x", &settings, &LiveState::from_settings(settings.clone()), &diff::Context::default());
        prop_assert!(plan.in_sync(), "{:?}", plan.changes);
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary bytes are an error or a policy, never a panic.
    #[test]
    fn the_loader_never_panics_on_bytes(bytes in vec(any::<u8>(), 0..512)) {
        let _ = policy::parse("fuzz.yaml", &String::from_utf8_lossy(&bytes));
    }

    /// Nor does YAML-looking text made of the policy's own keys.
    #[test]
    fn the_loader_never_panics_on_policy_shaped_text(
        lines in vec(
            (0usize..4, prop::sample::select(vec![
                "version:", "branches:", "main:", "environments:", "production:", "pull_request:",
                "required_approvals:", "status_checks:", "required:", "- context:", "app:",
                "reviewers:", "- user:", "- team:", "secrets:", "- name:", "from_env:", "variables:",
                "deployment_branches:", "prune:", "wait_timer:", "protected:", "&a", "*a", "<<:",
                "!!str", "- ", "[", "{", "?", "|", ">", "\"", "'",
            ]), "[ -~]{0,8}"),
            0..24,
        )
    ) {
        let mut text = String::new();
        for (indent, key, value) in &lines {
            writeln!(text, "{}{key} {value}", "  ".repeat(*indent)).unwrap();
        }
        let _ = policy::parse("fuzz.yaml", &text);
    }
}

/// The loader also survives deep nesting and a billion-laughs style alias bomb.
#[test]
fn the_loader_survives_pathological_documents() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let _ = policy::parse("deep.yaml", &deep);
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = if i == 1 {
            "a".to_owned()
        } else {
            format!("a{}", i - 1)
        };
        writeln!(
            bomb,
            "a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]"
        )
        .unwrap();
    }
    let _ = policy::parse("bomb.yaml", &bomb);
}

/// A pattern of the characters that make fnmatch hard.
fn pattern() -> impl Strategy<Value = String> {
    vec(
        prop::sample::select(vec![
            "a", "b", ".", "/", "*", "**", "**/", "?", "[", "]", "!", "^", "-", "\\",
        ]),
        0..10,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config(4000))]

    /// The tool predicts which rulesets apply with its own matcher, GitHub (the emulator)
    /// answers with another: written apart, they must agree on every pattern.
    #[test]
    fn the_tools_pattern_matcher_agrees_with_the_emulators(
        pattern in pattern(),
        text in "[ab./]{0,8}",
    ) {
        prop_assert_eq!(
            gh_policy::model::ref_pattern::fnmatch(&pattern, &text),
            gh_policy_emulator::ref_patterns::fnmatch(&pattern, &text),
            "{:?} vs {:?}", pattern, text
        );
    }
}
