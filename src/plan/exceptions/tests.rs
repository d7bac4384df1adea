// Compiled only under cfg(test) (see `mod tests;` in exceptions/mod.rs).
use super::*;

fn policy() -> RepoSettings {
    crate::policy::parse(
        "p.yaml",
        "version: 1\nbranches:\n  main: {}\n  release/v1.2: {}\nenvironments:\n  prod:\n    secrets: [KEY]\n    variables: {URL: x}\nrequirements:\n  \"~DEFAULT_BRANCH\": {required_approvals: 1}\n",
    )
    .unwrap()
}

#[test]
fn paths_resolve_against_the_policys_own_keys() {
    let p = policy();
    let named = |path: &str| {
        resolve(path, &p).map(|n| (n.address.to_string(), n.setting.map(|s| s.to_string())))
    };
    assert_eq!(
        named("branches.release/v1.2.pull_request.required_approvals"),
        Some((
            "branches.release/v1.2".into(),
            Some("pull_request.required_approvals".into())
        ))
    );
    assert_eq!(named("branches.main"), Some(("branches.main".into(), None)));
    assert_eq!(
        named("environments.prod.secrets.KEY"),
        Some(("environments.prod.secrets.KEY".into(), None))
    );
    assert_eq!(
        named("environments.prod.variables.URL.value"),
        Some((
            "environments.prod.variables.URL".into(),
            Some("value".into())
        ))
    );
    assert_eq!(
        named("requirements.~DEFAULT_BRANCH.required_approvals"),
        Some((
            "requirements.~DEFAULT_BRANCH".into(),
            Some("required_approvals".into())
        ))
    );
    assert_eq!(named("branches.dev"), None);
    assert_eq!(named("environments.prod.secrets.OTHER"), None);
    assert_eq!(named("nothing.at.all"), None);
}

#[test]
fn a_date_lasts_to_the_end_of_that_day_utc() {
    let until = expires_at("2026-12-28").unwrap();
    assert_eq!(
        until,
        OffsetDateTime::parse("2026-12-29T00:00:00Z", &Rfc3339).unwrap()
    );
    let exact = expires_at("2026-12-28T18:00:00+01:00").unwrap();
    assert_eq!(
        exact,
        OffsetDateTime::parse("2026-12-28T17:00:00Z", &Rfc3339).unwrap()
    );
    assert!(expires_at("next week").is_err());
    assert!(expires_at("2026-13-01").is_err());
}

#[test]
fn validate_refuses_far_expiry_and_paths_that_name_nothing() {
    let mut p = policy();
    let exception = |path: &str, expires: &str| crate::model::Exception {
        path: path.into(),
        finding: None,
        target: None,
        allow: serde_json::json!("any"),
        reason: "INC-1".into(),
        expires: expires.into(),
    };
    p.exceptions = vec![
        exception(
            "branches.main.pull_request.required_approvals",
            "2026-12-28",
        ),
        exception("branches.main.pull_request.required_aprovals", "2026-12-28"),
        exception("branches.dev", "2026-12-28"),
        exception("branches.main", "2027-06-01"),
        exception("branches.main", "2026-11-01"),
    ];
    let now = OffsetDateTime::parse("2026-12-01T00:00:00Z", &Rfc3339).unwrap();
    let (errors, warnings) = check::check(&p, now);
    let paths: Vec<&str> = errors.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "exceptions.1.path",
            "exceptions.2.path",
            "exceptions.3.expires"
        ],
        "{errors:#?}"
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("expired on 2026-11-01"));
}
