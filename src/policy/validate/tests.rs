//! Tests of the cross-field rules, through `policy::parse`.

use crate::policy::parse;

fn problems(text: &str) -> Vec<String> {
    match parse("p.yaml", text) {
        Ok(_) => Vec::new(),
        Err(err) => err.diagnostics.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn accepts_a_plain_policy_with_repeats() {
    let text = "version: 1\nbranches:\n  main:\n    pull_request: {required_approvals: 2}\nenvironments:\n  prod:\n    secrets: [A, {name: B, from_env: B_SRC}, A]\n";
    assert_eq!(problems(text), Vec::<String>::new());
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
      - {name: KEY, from_env: B}
";
    let found = problems(text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("p.yaml:8:11: check `test` is listed twice with different apps"));
    assert!(
        found[1].starts_with("p.yaml:14:9: secret `KEY` is listed twice with different sources")
    );
}

/// See issue 14 item 7: names GitHub matches without case are one name.
#[test]
fn issue_14_case_duplicates_are_refused_with_both_places() {
    let text = "\
version: 1
environments:
  Production: {}
  production:
    secrets: [SSH_KEY, ssh_key]
    variables: {REGION: a, region: b}
";
    assert_eq!(
        problems(text),
        [
            "p.yaml:4:3: environment `production` and `Production` (line 3) are one environment: GitHub matches environment names without case; keep one",
            "p.yaml:5:24: secret `ssh_key` and `SSH_KEY` (line 5) are one secret: GitHub matches secret names without case; keep one spelling",
            "p.yaml:6:28: variable `region` and `REGION` (line 6) are one variable: GitHub matches variable names without case; keep one",
        ]
    );
}

/// See issue 16 item 9: seven entries naming six reviewers are six.
#[test]
fn issue_16_reviewers_listed_twice_count_once() {
    let six = "[{user: a}, {user: b}, {user: c}, {team: d}, {team: e}, {team: f}";
    let text = format!("version: 1\nenvironments:\n  prod:\n    reviewers: {six}, {{user: a}}]\n");
    assert_eq!(problems(&text), Vec::<String>::new());
    let text = format!(
        "version: 1\nenvironments:\n  prod:\n    reviewers: {six}, {{user: g}}, {{user: a}}]\n"
    );
    assert_eq!(
        problems(&text),
        [
            "p.yaml:4:5: at most 6 reviewers (users and teams together) per environment; found 7 different ones"
        ]
    );
}

/// See issue 14 item 9: GitHub's limits on secrets and variables.
#[test]
fn issue_14_secret_and_variable_limits() {
    let names: Vec<String> = (0..101).map(|i| format!("S{i}")).collect();
    let mut secrets = names.clone();
    secrets.push(String::from("S0"));
    let text = format!(
        "version: 1\nenvironments:\n  prod:\n    secrets: [{}]\n",
        secrets.join(", ")
    );
    assert_eq!(
        problems(&text),
        ["p.yaml:4:5: at most 100 secrets per environment; found 101 different ones"]
    );
    let big = "é".repeat(30_000);
    let text = format!("version: 1\nenvironments:\n  prod:\n    variables: {{BIG: {big}}}\n");
    assert_eq!(
        problems(&text),
        [
            "p.yaml:4:22: the value of variable `BIG` is 60000 bytes; GitHub keeps at most 49152 (48 KB)"
        ]
    );
}

#[test]
fn every_rule_has_a_name_and_a_reason() {
    use crate::model::RepoSettings;
    use crate::policy::Document;
    let names = crate::policy::rule_names::<RepoSettings>();
    let mut distinct = names.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), names.len());
    assert!(
        RepoSettings::RULES
            .iter()
            .all(|r| !r.why_in_code.is_empty())
    );
}
