//! The names jobs report (names, matrices, reusable workflows) and the comparison of a
//! policy's required checks and environments with them, on the fixture workflows.

use super::*;

#[test]
fn renamed_job_is_reported_with_the_check_and_the_workflow_file() {
    let index = scan_fixture("renamed-job");
    assert_eq!(names(&index), ["dev - lint & test", "audit"]);
    let warnings = check(&policy(&required(&["dev - lint and test"]), &[]), &index);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let warning = &warnings[0];
    assert!(
        warning.message.starts_with(
            "required check `dev - lint and test` of branches.dev is not produced by any workflow job in "
        ),
        "{}",
        warning.message
    );
    assert!(
        warning.message.ends_with(
            "(a renamed job blocks every pull request); did you mean `dev - lint & test` from ci.yml?"
        ),
        "{}",
        warning.message
    );
    assert_eq!(
        warning.file.as_deref(),
        Some(fixture("renamed-job").join("ci.yml").as_path())
    );
    assert_eq!(warning.line, Some(11), "the line of the job's `name:`");
}

#[test]
fn produced_check_is_not_reported() {
    let index = scan_fixture("renamed-job");
    let warnings = check(
        &policy(&required(&["dev - lint & test", "audit"]), &[]),
        &index,
    );
    assert_eq!(warnings, []);
}

#[test]
fn far_away_name_gets_no_hint() {
    let index = scan_fixture("renamed-job");
    let warnings = check(&policy(&required(&["deploy preview"]), &[]), &index);
    assert_eq!(warnings.len(), 1);
    assert!(
        !warnings[0].message.contains("did you mean"),
        "{}",
        warnings[0].message
    );
    assert_eq!(warnings[0].file, None);
    assert_eq!(
        warnings[0].setting.as_deref(),
        Some("branches.dev.status_checks.required.0")
    );
}

#[test]
fn checks_pinned_to_other_apps_are_skipped() {
    let index = scan_fixture("renamed-job");
    let mut other_slug = RequiredCheck::any_app("ci/circleci: build");
    other_slug.app = Some(name("circleci-checks"));
    let mut other_id = RequiredCheck::any_app("codecov/patch");
    other_id.app_id = Some(254);
    let mut actions_slug = RequiredCheck::any_app("lint");
    actions_slug.app = Some(name("github-actions"));
    let mut actions_id = RequiredCheck::any_app("fmt");
    actions_id.app_id = Some(15368);
    let warnings = check(
        &policy(&[other_slug, other_id, actions_slug, actions_id], &[]),
        &index,
    );
    let messages: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(messages[0].starts_with("required check `lint` "));
    assert!(messages[1].starts_with("required check `fmt` "));
}

#[test]
fn matrix_jobs_are_expanded() {
    let index = scan_fixture("matrix");
    assert_eq!(
        names(&index),
        [
            "test (ubuntu-latest)",
            "test (windows-latest)",
            "build x86_64-unknown-linux-gnu",
            "build aarch64-apple-darwin",
            "build x86_64-pc-windows-msvc",
            "node (ubuntu-latest, 18, true)",
            "node (ubuntu-latest, 20, true)",
            "node (macos-latest, 20)",
            "integration*",
        ]
    );
}

#[test]
fn matrix_job_that_produces_the_check_is_not_reported() {
    let index = scan_fixture("matrix");
    let checks = required(&[
        "test (ubuntu-latest)",
        "test (windows-latest)",
        "build aarch64-apple-darwin",
        "node (macos-latest, 20)",
        "integration (shard-1)",
    ]);
    assert_eq!(check(&policy(&checks, &[]), &index), []);
}

#[test]
fn matrix_names_that_do_not_exist_are_reported() {
    let index = scan_fixture("matrix");
    let checks = required(&["test", "node (macos-latest, 18)", "build"]);
    let warnings = check(&policy(&checks, &[]), &index);
    let messages: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(messages[1].contains("did you mean `node (macos-latest, 20)` from test.yml?"));
}

#[test]
fn local_reusable_workflow_is_expanded_and_remote_one_is_a_wildcard() {
    let index = scan_fixture("reusable");
    assert_eq!(
        names(&index),
        [
            "Checks / lint",
            "Checks / test (ubuntu-latest)",
            "Checks / test (windows-latest)",
            "security / *",
        ]
    );
    assert_eq!(index.unknowns().count(), 1);
    assert!(
        index.checks.iter().all(|c| c.file.ends_with("ci.yml")),
        "jobs of a workflow_call-only file report nothing by themselves"
    );
}

#[test]
fn reusable_checks_are_matched_and_the_remote_one_suppresses_its_prefix_only() {
    let index = scan_fixture("reusable");
    let checks = required(&["Checks / lint", "security / scan", "lint"]);
    let warnings = check(&policy(&checks, &[]), &index);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0]
            .message
            .starts_with("required check `lint` of branches.dev"),
        "the bare name of a called job is not a check: {}",
        warnings[0].message
    );
    assert!(
        warnings[0]
            .message
            .ends_with("; did you mean `Checks / lint` from ci.yml?"),
        "{}",
        warnings[0].message
    );
}

#[test]
fn unlisted_environment_is_reported_with_file_and_line() {
    let index = scan_fixture("deploy");
    let envs: Vec<_> = index
        .environments
        .iter()
        .map(|e| (e.environment.as_str(), e.job.as_str(), e.line))
        .collect();
    assert_eq!(
        envs,
        [
            ("staging", "staging", Some(9)),
            ("production", "production", Some(15)),
            ("preview", "deploy", Some(22)),
        ],
        "expressions are skipped"
    );
    let warnings = check(&policy(&[], &["staging", "production"]), &index);
    assert_eq!(
        warnings,
        [WorkflowWarning {
            file: Some(fixture("deploy").join("deploy.yml")),
            line: Some(22),
            setting: None,
            message: "workflow deploy.yml job `deploy` deploys to environment `preview`, which the policy does not list".to_owned(),
        }]
    );
}

#[test]
fn broken_yaml_is_a_warning_and_other_files_are_still_read() {
    let index = scan_fixture("broken");
    assert_eq!(names(&index), ["lint"]);
    let warnings = check(&policy(&required(&["lint"]), &[]), &index);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(
        warnings[0].file.as_deref(),
        Some(fixture("broken").join("ci.yml").as_path())
    );
    assert!(
        warnings[0].message.starts_with(
            "workflow ci.yml is not valid YAML, so its jobs were not checked: line 8 column 6: "
        ),
        "{}",
        warnings[0].message
    );
}

#[test]
fn missing_directory_is_an_error() {
    let err = scan(&fixture("no-such-dir")).unwrap_err();
    assert!(
        err.message()
            .starts_with("failed to read the workflow directory")
    );
}

#[test]
fn missing_local_reusable_workflow_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ci.yml"),
        "on: push\njobs:\n  call:\n    uses: ./.github/workflows/gone.yml\n",
    )
    .unwrap();
    let index = scan(dir.path()).unwrap();
    assert_eq!(names(&index), ["call / *"]);
    assert_eq!(
        index.problems[0].message,
        "workflow ci.yml job `call` calls `./.github/workflows/gone.yml`, which does not exist"
    );
}

#[test]
fn reusable_call_cycle_terminates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yml"),
        "on: [push, workflow_call]\njobs:\n  a:\n    uses: ./.github/workflows/b.yml\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.yml"),
        "on: workflow_call\njobs:\n  b:\n    uses: ./.github/workflows/a.yml\n",
    )
    .unwrap();
    let index = scan(dir.path()).unwrap();
    assert_eq!(names(&index), ["a / b / *"]);
}

#[test]
fn names_with_other_expressions_become_patterns() {
    let job: Yaml = serde_saphyr::from_str(
        "name: deploy ${{ inputs.env }}\nstrategy:\n  matrix:\n    region: [eu, us]\n",
    )
    .unwrap();
    let names = job_names("d", &job);
    assert_eq!(names, ["deploy *"]);
    let job: Yaml = serde_saphyr::from_str(
        "name: \"py ${{ matrix['py'] }} on ${{matrix.os}}\"\nstrategy:\n  matrix:\n    os: [linux]\n    py: [3.10, '3.12']\n",
    )
    .unwrap();
    let names = job_names("d", &job);
    assert_eq!(names, ["py 3.1 on linux", "py 3.12 on linux"]);
}

#[test]
fn matrix_with_only_include_and_empty_values() {
    let job: Yaml = serde_saphyr::from_str(
        "strategy:\n  matrix:\n    include:\n      - {os: linux, extra: ''}\n      - {os: mac}\n",
    )
    .unwrap();
    let names = job_names("t", &job);
    assert_eq!(names, ["t (linux)", "t (mac)"]);
}

#[test]
fn on_as_a_boolean_key_is_understood() {
    let workflow: Yaml = serde_saphyr::from_str("true: workflow_call\njobs: {}\n").unwrap();
    assert!(only_workflow_call(&workflow));
}

#[test]
fn patterns_match() {
    let mut pattern = NamePattern::exact("ci / ");
    pattern.push_any();
    pattern.push_str(" (x)");
    assert!(pattern.matches("ci / a (x)"));
    assert!(pattern.matches("ci /  (x)"));
    assert!(!pattern.matches("ci / a (y)"));
    assert!(NamePattern::any().matches(""));
}
