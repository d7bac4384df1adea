// Compiled only under cfg(test) (see `mod tests;` in names/mod.rs): an unwrap here fails a test, never a run.
use super::*;

/// Returns whether JSON Schema's `pattern` (as the schema and editors apply it) accepts.
fn schema_accepts(pattern: &str, text: &str) -> bool {
    let schema = serde_json::json!({ "type": "string", "pattern": pattern });
    jsonschema::validator_for(&schema)
        .unwrap()
        .is_valid(&serde_json::json!(text))
}

/// Every rule's pattern and its explaining function give one verdict.
fn agree(pattern: &str, check: fn(&str) -> Result<(), String>, samples: &[&str]) {
    for sample in samples {
        assert_eq!(
            schema_accepts(pattern, sample),
            check(sample).is_ok(),
            "{pattern} and the check disagree on {sample:?}: {:?}",
            check(sample)
        );
    }
}

const BRANCHES: &[&str] = &[
    "main",
    "release/1.0",
    "dev-2",
    "feat_x",
    "a.b",
    "v1@x",
    "ünï",
    "",
    "a b",
    "a..b",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[",
    "a\\b",
    "-a",
    "/a",
    "a/",
    "a.lock",
    "a.lock/b",
    "a/.b",
    "a//b",
    "@",
    "a@{1}",
    "a.",
    ".a",
    "a\tb",
    "a\u{7f}",
    "x/y.lockz",
];

#[test]
fn branch_names_follow_git() {
    for good in ["main", "release/1.0", "dev-2", "feat_x", "a.b", "v1@x"] {
        assert!(check_branch(good).is_ok(), "{good}");
    }
    for bad in [
        "", "a b", "a..b", "a~1", "a:b", "a*", "-a", "a/", "a.lock", "a/.b", "@",
    ] {
        assert!(check_branch(bad).is_err(), "{bad}");
    }
    agree(BRANCH_PATTERN, check_branch, BRANCHES);
}

#[test]
fn logins_slugs_and_repositories_follow_github() {
    let logins = [
        "octocat",
        "octo-cat",
        "a",
        "-x",
        "x-",
        "a--b",
        "octocat_acme",
        "octo_",
        "_x",
        "a_b_c",
        "a b",
        "ünï",
        &"a".repeat(39),
        &"a".repeat(40),
        "",
    ];
    agree(LOGIN_PATTERN, check_login, &logins);
    let slugs = [
        "release-managers",
        "ops_team",
        "acme/ops",
        "Release Managers",
        "",
        "x",
    ];
    agree(SLUG_PATTERN, check_slug, &slugs);
    let repos = [
        "acme/katz-backend",
        "a/b.c_d",
        "acme",
        "acme/",
        "acme/x/y",
        "../x",
        "acme/..",
        "acme/.",
        "acme/.github",
        "acme_corp/api",
        "octocat_emu/api",
        "-a/b",
        "a/b c",
    ];
    agree(REPOSITORY_PATTERN, check_repository, &repos);
    agree(
        REPOSITORY_PATTERN,
        check_repository,
        &[" acme/x", "acme/x "],
    );
    assert!(RepoName::parse("../x").is_err());
    assert!(RepoName::parse("acme/..").is_err());
}

#[test]
fn secret_and_environment_names_follow_github() {
    let secrets = [
        "SSH_HOST",
        "_x1",
        "1X",
        "github_token",
        "GitHub_X",
        "A-B",
        "",
        "GITHUBX",
    ];
    agree(SECRET_NAME_PATTERN, check_secret_name, &secrets);
    agree(
        ENV_VAR_PATTERN,
        check_env_var,
        &["PROD_KEY", "PROD-KEY", "1A", "", "_"],
    );
    let environments = [
        "production",
        "Prod Env",
        ".",
        "..",
        "...",
        "a\nb",
        "",
        "x/y",
        &"e".repeat(256),
        "pro\u{202e}d",
        "bell\u{7}",
        "c1\u{85}",
    ];
    agree(ENVIRONMENT_PATTERN, check_environment, &environments);
}

#[test]
fn remote_paths_give_the_repository() {
    assert_eq!(
        RepoName::from_remote_path("acme/katz-backend.git")
            .unwrap()
            .to_string(),
        "acme/katz-backend"
    );
    assert!(RepoName::from_remote_path("acme").is_none());
}

#[test]
fn blank_text_is_refused() {
    let samples = [
        "lint",
        " x ",
        "",
        " ",
        "\t",
        "\u{a0}",
        "a b",
        "\u{1b}[31mred",
        "main\u{7}",
        "rtl\u{202e}",
        "a\u{2028}b",
        "x\u{9b}",
        "ünï/名前",
    ];
    agree(NON_BLANK_PATTERN, check_non_blank, &samples);
}

/// Every rule in `RULES` is one of the patterns above, each once.
#[test]
fn rules_list_every_pattern_once() {
    let patterns = [
        REPOSITORY_PATTERN,
        REPOSITORY_NAME_PATTERN,
        LOGIN_PATTERN,
        SLUG_PATTERN,
        SECRET_NAME_PATTERN,
        ENV_VAR_PATTERN,
        BRANCH_PATTERN,
        ENVIRONMENT_PATTERN,
        NON_BLANK_PATTERN,
    ];
    assert_eq!(RULES.len(), patterns.len());
    for pattern in patterns {
        assert_eq!(RULES.iter().filter(|r| r.pattern == pattern).count(), 1);
        assert_eq!(rule_for(pattern).map(|r| r.pattern), Some(pattern));
    }
}

#[test]
fn repository_names_follow_github() {
    let names = [
        "katz-backend",
        "a.b_c",
        ".github",
        ".",
        "..",
        "...",
        "svc api",
        "acme/api",
        "",
        &"r".repeat(100),
        &"r".repeat(101),
    ];
    agree(REPOSITORY_NAME_PATTERN, check_repository_name, &names);
}

/// A name type is made only through its rule: parsing and deserialising refuse what the
/// rule refuses, and its JSON Schema is the rule's pattern.
#[test]
fn name_types_are_made_only_through_their_rule() {
    fn holds<T>(good: &str, bad: &str, pattern: &str)
    where
        T: serde::de::DeserializeOwned + serde::Serialize + schemars::JsonSchema + std::fmt::Debug,
    {
        let parsed: T = serde_json::from_value(serde_json::json!(good)).unwrap();
        assert_eq!(
            serde_json::to_value(&parsed).unwrap(),
            serde_json::json!(good)
        );
        let refused = serde_json::from_value::<T>(serde_json::json!(bad)).unwrap_err();
        assert!(refused.to_string().contains("is not a valid"), "{refused}");
        let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
        assert_eq!(schema.get("pattern"), Some(&serde_json::json!(pattern)));
    }
    holds::<BranchName>("release/1.0", "a..b", BRANCH_PATTERN);
    holds::<EnvironmentName>("Prod Env", "..", ENVIRONMENT_PATTERN);
    holds::<SecretName>("SSH_KEY", "GITHUB_X", SECRET_NAME_PATTERN);
    holds::<VariableName>("REGION", "1X", SECRET_NAME_PATTERN);
    holds::<EnvVarName>("PROD_KEY", "PROD-KEY", ENV_VAR_PATTERN);
    holds::<Login>("octocat", "-x", LOGIN_PATTERN);
    holds::<Slug>("ops", "acme/ops", SLUG_PATTERN);
    holds::<RepositoryName>("api", "..", REPOSITORY_NAME_PATTERN);
    holds::<Text>("lint", "rtl\u{202e}", NON_BLANK_PATTERN);
    holds::<Pattern>("release/**/*", " ", NON_BLANK_PATTERN);
    assert_eq!(
        Text::parse(" ").unwrap_err(),
        "` ` is not a valid text: it must not be empty or blank"
    );
    assert!(BranchName::parse("main").is_ok_and(|b| b == "main"));
}
