//! What `validate` says about a malformed policy (issues 14 and 16): file text escaped,
//! names differing only in case, YAML 1.2 types, GitHub's limits on secrets and variables,
//! every unknown key and wrong type in file order with its key path, and smaller loader
//! fixes.

use assert_cmd::Command;

use super::validate_text;

// See: issue 14, item 6 (file text echoed raw into diagnostics).
#[test]
fn issue_14_file_text_in_diagnostics_is_escaped() {
    let (code, shown) = validate_text("\u{202e}".as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r#"
    policy.yaml:1:1: the document must be a mapping of `key: value` entries; found the string "\u{202e}"
    error: policy.yaml has 1 problem
    "#);
    let text = "version: 1\nenvironments:\n  prod:\n    secrets: [_\tY]\n    \"a\\e[31m\\n::error::x\": 1\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:15: invalid secret name `_\tY` at `environments.prod.secrets.0`: `\t` is not allowed; use only letters, digits and `_`
    policy.yaml:5:5: unknown key `a\u{1b}[31m\n::error::x` in `environments.prod`: expected one of `wait_timer`, `prevent_self_review`, `reviewers`, `can_admins_bypass`, `deployment_branches`, `secrets`, `variables`
    error: policy.yaml has 2 problems
    ");
}

// See: issue 14, item 7 (case-duplicates pass validate, then never converge).
#[test]
fn issue_14_names_that_differ_only_in_case_are_refused() {
    let text = "version: 1\nenvironments:\n  Production: {}\n  production:\n    secrets: [SSH_KEY, ssh_key]\n    variables: {REGION: a, region: b}\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:3: environment `production` and `Production` (line 3) are one environment: GitHub matches environment names without case; keep one
    policy.yaml:5:24: secret `ssh_key` and `SSH_KEY` (line 5) are one secret: GitHub matches secret names without case; keep one spelling
    policy.yaml:6:28: variable `region` and `REGION` (line 6) are one variable: GitHub matches variable names without case; keep one
    error: policy.yaml has 3 problems
    ");
}

// See: issue 14, item 8 (the loader accepted what the schema refuses: quoted scalars, YAML
// 1.1 numbers, numbers and booleans turned into strings).
#[test]
fn issue_14_types_follow_yaml_1_2_and_the_format() {
    let text = r#"version: "1"
branches:
  main:
    enforce_admins: "true"
    pull_request:
      required_approvals: "2"
  dev:
    pull_request:
      required_approvals: 1_0
  stage:
    pull_request:
      required_approvals: 0b11
environments:
  prod:
    reviewers: [{user: 123}]
    variables: {A: 1, B: true}
"#;
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r#"
    policy.yaml:1:10: `version` must be `1` (the only format version this gh-policy reads); found the string "1" (a quoted value is a string)
    policy.yaml:4:21: `branches.main.enforce_admins` must be true or false; found the string "true" (a quoted value is a string)
    policy.yaml:6:27: `branches.main.pull_request.required_approvals` must be an integer from 0 to 6; found the string "2" (a quoted value is a string)
    policy.yaml:9:27: `branches.dev.pull_request.required_approvals` must be an integer from 0 to 6; found the string "1_0"
    policy.yaml:12:27: `branches.stage.pull_request.required_approvals` must be an integer from 0 to 6; found the string "0b11"
    policy.yaml:15:24: `environments.prod.reviewers.0.user` must be a string; found 123 (write "123" for the text)
    policy.yaml:16:20: `environments.prod.variables.A` must be a string (at most 48 KB); found 1 (write "1" for the text)
    policy.yaml:16:26: `environments.prod.variables.B` must be a string (at most 48 KB); found `true` (write "true" for the text)
    error: policy.yaml has 8 problems
    "#);
}

// See: issue 14, item 9 (GitHub's documented limits on secrets and variables).
#[test]
fn issue_14_secret_and_variable_limits_are_checked() {
    let names: Vec<String> = (0..101).map(|i| format!("V{i}")).collect();
    let variables: Vec<String> = names.iter().map(|n| format!("{n}: x")).collect();
    let text = format!(
        "version: 1\nenvironments:\n  a:\n    secrets: [{}]\n    variables: {{{}}}\n  b:\n    variables: {{BIG: {}}}\n",
        names.join(", "),
        variables.join(", "),
        "é".repeat(30_000)
    );
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:5: `environments.a.secrets`: at most 100 secrets per environment; found 101
    policy.yaml:5:5: `environments.a.variables` has 101 entries; at most 100 are allowed
    policy.yaml:7:22: the value of variable `BIG` is 60000 bytes; GitHub keeps at most 49152 (48 KB)
    error: policy.yaml has 3 problems
    ");
    let text = format!(
        "version: 1\nenvironments:\n  b:\n    variables: {{BIG: {}}}\n",
        "é".repeat(30_000)
    );
    let (_, shown) = validate_text(text.as_bytes());
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:22: the value of variable `BIG` is 60000 bytes; GitHub keeps at most 49152 (48 KB)
    error: policy.yaml has 1 problem
    ");
}

// See: issue 16, item 2 (a file with three typos reported only the first).
#[test]
fn issue_16_every_unknown_key_and_wrong_type_is_reported_in_file_order() {
    let text = "version: 1\nbranches:\n  main:\n    enforce_admin: true\n    pull_request:\n      required_aprovals: 2\n    allow_force_pushes: maybe\nenvironment:\n  prod: {}\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r#"
    policy.yaml:4:5: unknown key `enforce_admin` in `branches.main`: did you mean `enforce_admins`?
    policy.yaml:6:7: unknown key `required_aprovals` in `branches.main.pull_request`: did you mean `required_approvals`?
    policy.yaml:7:25: `branches.main.allow_force_pushes` must be true or false; found the string "maybe"
    policy.yaml:8:1: unknown key `environment`: did you mean `environments`?
    error: policy.yaml has 4 problems
    "#);
}

// See: issue 16, item 3 (messages that did not name the key).
#[test]
fn issue_16_every_message_names_the_key_path() {
    let text = "version: 1\nbranches: {main: }\nenvironments:\n  prod:\n    deployment_branches: everywhere\nprune:\n  environments: yes-please\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r#"
    policy.yaml:2:12: the value of `branches.main` is empty; write `main: {}`
    policy.yaml:5:26: `environments.prod.deployment_branches` must be `all`, `protected` or a list of branch patterns (write `[main]` for one branch); found the string "everywhere"
    policy.yaml:7:17: `prune.environments` must be true or false; found the string "yes-please"
    error: policy.yaml has 3 problems
    "#);
}

// See: issue 16, item 9 (managed users, repeated reviewers, CR line breaks,
// prevent_self_review without reviewers, `-p -`).
#[test]
fn issue_16_smaller_loader_fixes() {
    let ok = "# policy\rversion: 1\renvironments:\r  prod:\r    prevent_self_review: true\r    reviewers: [{user: octocat_acme}, {user: a}, {user: b}, {user: c}, {user: d}, {user: e}, {user: a}]\r";
    let (code, shown) = validate_text(ok.as_bytes());
    assert_eq!(
        (code, shown.as_str()),
        (Some(0), "policy.yaml: valid (0 branches, 1 environment)\n")
    );
    let text = "version: 1\nenvironments:\n  prod:\n    prevent_self_review: true\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:4:5: `environments.prod`: `prevent_self_review: true` needs at least one reviewer: add `reviewers`, or remove `prevent_self_review`
    error: policy.yaml has 1 problem
    ");
    let output = Command::cargo_bin("gh-policy")
        .unwrap()
        .args(["validate", "--no-workflows", "-p", "-"])
        .write_stdin("version: 1\nbranches: {main: {enforce_admin: true}}\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .starts_with("<stdin>:2:19: unknown key `enforce_admin` in `branches.main`"),
    );
}

// See: issue 16, item 2: a value that cannot be read does not hide the other problems.
#[test]
fn issue_16_an_unreadable_value_does_not_stop_the_report() {
    let text = "version: 1\nrepository: !!binary eA==\nbranches: {main: {enforce_admins: .inf, enforce_admin: true}}\n";
    let (code, shown) = validate_text(text.as_bytes());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(shown, @r"
    policy.yaml:2:22: unsupported tag `!!binary`: a policy file uses plain YAML values
    policy.yaml:3:35: `.inf` is not a number a policy can hold (infinity or not-a-number)
    policy.yaml:3:41: unknown key `enforce_admin` in `branches.main`: did you mean `enforce_admins`?
    error: policy.yaml has 3 problems
    ");
}
