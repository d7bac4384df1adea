//! Unit tests, compiled only under #[cfg(test)] from the parent module.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::jobs::{names_of_job, only_workflow_call};
use super::yaml::Yaml;
use super::*;
use crate::model::{Branch, Environment, StatusChecks};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workflows")
        .join(name)
}

fn scan_fixture(name: &str) -> WorkflowIndex {
    scan(&fixture(name)).unwrap()
}

/// A policy requiring `checks` on `dev` and listing `environments`.
fn policy(checks: &[RequiredCheck], environments: &[&str]) -> RepoSettings {
    let mut settings = RepoSettings::empty();
    settings.branches.insert(
        "dev".to_owned(),
        Branch {
            status_checks: Some(StatusChecks {
                strict: false,
                required: checks.to_vec(),
            }),
            ..Branch::default()
        },
    );
    settings.environments = environments
        .iter()
        .map(|name| ((*name).to_owned(), Environment::default()))
        .collect::<BTreeMap<_, _>>();
    settings
}

fn required(names: &[&str]) -> Vec<RequiredCheck> {
    names.iter().map(|n| RequiredCheck::any_app(*n)).collect()
}

/// The names one job reports, as text.
fn job_names(id: &str, job: &Yaml) -> Vec<String> {
    names_of_job(id, job)
        .0
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn names(index: &WorkflowIndex) -> Vec<String> {
    index.checks.iter().map(|c| c.name.to_string()).collect()
}

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
    other_slug.app = Some("circleci-checks".to_owned());
    let mut other_id = RequiredCheck::any_app("codecov/patch");
    other_id.app_id = Some(254);
    let mut actions_slug = RequiredCheck::any_app("lint");
    actions_slug.app = Some("github-actions".to_owned());
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

// ---------------------------------------------------------------------------------------
// Hostile input: every case finishes with bounded work and says what it skipped.

/// Writes `files` (name, text) into a new temporary directory.
fn workflows_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// A job `test` with a matrix of `keys` keys of `values` values each, then `extra` lines
/// under `matrix:`.
fn matrix_job(keys: usize, values: usize, extra: &str) -> String {
    let mut text = String::from("strategy:\n  matrix:\n");
    for key in 0..keys {
        let list: Vec<String> = (0..values).map(|v| v.to_string()).collect();
        let _ = writeln!(text, "    k{key}: [{}]", list.join(", "));
    }
    text.push_str(extra);
    text
}

fn parse_job(text: &str) -> Yaml {
    serde_saphyr::from_str(text).unwrap()
}

fn messages(warnings: &[WorkflowWarning]) -> Vec<&str> {
    warnings.iter().map(|w| w.message.as_str()).collect()
}

#[test]
fn issue_14_ten_key_matrix_is_refused_without_building_it() {
    // 10^10 combinations: the old expansion built them all and aborted out of memory.
    let job = parse_job(&matrix_job(10, 10, ""));
    let (names, problems, steps) = names_of_job("test", &job);
    assert_eq!(
        names.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["test*"]
    );
    assert!(steps < 100, "{steps} steps: nothing was built");
    assert_eq!(
        messages(&problems),
        [
            "workflow test.yml job `test`: its matrix makes at least 10000000000 jobs, more than the 256 GitHub runs (GitHub refuses such a workflow), so its check names were treated as unknown"
        ]
    );
    assert_eq!(problems[0].line, Some(2), "the line of `matrix:`");
}

#[test]
fn issue_14_matrix_over_the_cap_stops_at_the_257th_combination() {
    // An exclude that matches nothing: the product is walked until it passes the cap.
    let job = parse_job(&matrix_job(10, 10, "    exclude:\n      - k0: none\n"));
    let built = match matrix::expand(
        job.get("strategy").unwrap().get("matrix").unwrap(),
        &mut limits::Meter::default(),
    ) {
        Ok(matrix::Matrix::OverCap { at_least }) => at_least,
        other => panic!("{other:?}"),
    };
    assert_eq!(built, 257);
    let (_, problems, steps) = names_of_job("test", &job);
    assert!(steps < 20_000, "{steps} steps");
    assert!(
        problems[0].message.contains("at least 257 jobs"),
        "{problems:?}"
    );
}

#[test]
fn issue_14_matrix_excluding_nearly_everything_runs_out_of_budget() {
    // 10^10 combinations, all excluded: walking them would take hours; the job's budget
    // stops it and its names become unknown.
    let job = parse_job(&matrix_job(
        10,
        10,
        "    exclude:\n      - k9: 0\n      - k9: 1\n      - k9: 2\n      - k9: 3\n      - k9: 4\n      - k9: 5\n      - k9: 6\n      - k9: 7\n      - k9: 8\n      - k9: 9\n",
    ));
    let (names, problems, steps) = names_of_job("test", &job);
    assert_eq!(names, [NamePattern::exact("test").tap_any()]);
    assert!(steps <= limits::MAX_JOB_STEPS + 1_000, "{steps} steps");
    assert!(
        problems.is_empty(),
        "reported by the file's indexer: {problems:?}"
    );
}

#[test]
fn issue_14_matrices_from_the_report_finish_quickly() {
    // 7 keys × 10 values aborted with an allocation failure; 4 × 12 took 8.5 s.
    for (keys, values) in [(7, 10), (4, 12)] {
        let text = format!(
            "on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n{}",
            indent(&matrix_job(keys, values, ""), 4)
        );
        let dir = workflows_dir(&[("ci.yml", &text)]);
        let (index, steps) = scan_counting(dir.path()).unwrap();
        assert!(steps < 1_000, "{keys}×{values}: {steps} steps");
        assert_eq!(names(&index), ["test*"]);
        let warnings = check(&policy(&required(&["test (1, 2, 3, 4)"]), &[]), &index);
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(
            warnings[0]
                .message
                .contains("more than the 256 GitHub runs")
        );
        assert_eq!(warnings[0].line, Some(6));
    }
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().fold(String::new(), |mut out, line| {
        let _ = writeln!(out, "{pad}{line}");
        out
    })
}

#[test]
fn matrix_of_exactly_256_is_expanded_and_names_are_deduplicated_with_a_set() {
    let job = parse_job(&matrix_job(8, 2, ""));
    let (names, problems, _) = names_of_job("t", &job);
    assert_eq!(names.len(), 256);
    assert!(problems.is_empty());
    // Mapping values show as wildcards: 256 combinations, one distinct name.
    let job = parse_job(
        "strategy:\n  matrix:\n    a: [{x: 1}, {x: 2}, {x: 3}, {x: 4}, {x: 5}, {x: 6}, {x: 7}, {x: 8}, {x: 9}, {x: 10}, {x: 11}, {x: 12}, {x: 13}, {x: 14}, {x: 15}, {x: 16}]\n    b: [{y: 1}, {y: 2}, {y: 3}, {y: 4}, {y: 5}, {y: 6}, {y: 7}, {y: 8}, {y: 9}, {y: 10}, {y: 11}, {y: 12}, {y: 13}, {y: 14}, {y: 15}, {y: 16}]\n",
    );
    let (names, _, _) = names_of_job("t", &job);
    assert_eq!(
        names.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["t (*, *)"]
    );
}

#[test]
fn include_entries_count_towards_the_cap() {
    let mut extra = String::from("    include:\n");
    for i in 0..60 {
        let _ = writeln!(extra, "      - k0: new{i}");
    }
    // 2^7 = 128 combinations, and 60 entries that fit none of them: 188 jobs.
    let job = parse_job(&matrix_job(7, 2, &extra));
    assert_eq!(names_of_job("t", &job).0.len(), 188);
    // 2^8 = 256, and one more: over the cap.
    let job = parse_job(&matrix_job(8, 2, "    include:\n      - k0: new\n"));
    let (names, problems, _) = names_of_job("t", &job);
    assert_eq!(names, [NamePattern::exact("t").tap_any()]);
    assert!(
        problems[0].message.contains("at least 257 jobs"),
        "{problems:?}"
    );
}

#[test]
fn issue_14_thirty_expressions_in_a_name_match_in_linear_time() {
    // `a-${{ x }}-${{ x }}-…-${{ x }} (x)` against a name with many `-`: the recursive
    // matcher tried every placement of every wildcard (over 100 s for 14 expressions).
    let name: Vec<String> = (0..30).map(|i| format!("${{{{ inputs.x{i} }}}}")).collect();
    let template = format!("{} (x)", name.join("-"));
    let pattern = names::substitute(&template, None, &mut 0);
    assert_eq!(pattern.to_string(), format!("{} (x)", ["*"; 30].join("-")));
    let context: Vec<String> = (0..200).map(|i| format!("p{i}")).collect();
    let context = context.join("-");
    let (matches, steps) = pattern.match_counting(&context);
    assert!(!matches);
    assert!(
        steps <= context.len() + pattern.len(),
        "{steps} steps for {} + {} bytes",
        context.len(),
        pattern.len()
    );
    let (matches, steps) = pattern.match_counting(&format!("{context} (x)"));
    assert!(matches);
    assert!(steps <= context.len() + pattern.len() + 4, "{steps}");
}

#[test]
fn issue_14_name_with_many_expressions_is_checked_quickly_end_to_end() {
    let name: Vec<String> = (0..30).map(|i| format!("${{{{ inputs.x{i} }}}}")).collect();
    let text = format!(
        "on: pull_request\njobs:\n  test:\n    name: \"{} (x)\"\n",
        name.join("-")
    );
    let dir = workflows_dir(&[("ci.yml", &text)]);
    let index = scan(dir.path()).unwrap();
    let long: Vec<String> = (0..2_000).map(|i| format!("p{i}")).collect();
    let settings = policy(&required(&[&long.join("-")]), &[]);
    let warnings = within_a_minute(move || check(&settings, &index));
    assert_eq!(warnings.len(), 1);
}

/// Runs `work` on another thread and returns its result; fails the test, instead of
/// hanging it, when the work takes more than a minute. Only a hang detector: the work
/// itself is bounded by assertions on steps.
fn within_a_minute<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(work()));
    result
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("finished within a minute")
}

#[test]
fn comparison_past_its_budget_counts_what_it_did_not_compare() {
    // 5,000 patterns `*zzN*` that each read a whole 1,000-byte required check.
    let mut text = String::from("on: push\njobs:\n");
    for i in 0..5_000 {
        let _ = writeln!(
            text,
            "  j{i}:\n    name: \"${{{{ inputs.a }}}}zz{i}${{{{ inputs.b }}}}\""
        );
    }
    let dir = workflows_dir(&[("ci.yml", &text)]);
    let index = scan(dir.path()).unwrap();
    let contexts: Vec<String> = (0..30)
        .map(|i| format!("{i}{}", "a".repeat(1_000)))
        .collect();
    let contexts: Vec<&str> = contexts.iter().map(String::as_str).collect();
    let settings = policy(&required(&contexts), &[]);
    let warnings = within_a_minute(move || check(&settings, &index));
    let last = &warnings.last().unwrap().message;
    assert!(
        last.starts_with("21 required check(s) were not compared with the workflow jobs in "),
        "{last}"
    );
    assert!(
        last.ends_with(": comparing takes more than 50000000 steps"),
        "{last}"
    );
    assert_eq!(warnings.len(), 10);
}

/// Returns true when `name` matches `pattern` (`*` = any text), by dynamic programming over
/// positions: the reference the fast matcher is checked against.
fn reference_match(pattern: &[char], name: &[char]) -> bool {
    let mut row = vec![false; name.len() + 1];
    row[0] = true;
    for &p in pattern {
        let mut next = vec![false; name.len() + 1];
        if p == '*' {
            let mut any = false;
            for j in 0..=name.len() {
                any |= row[j];
                next[j] = any;
            }
        } else {
            for j in 1..=name.len() {
                next[j] = row[j - 1] && name[j - 1] == p;
            }
        }
        row = next;
    }
    row[name.len()]
}

proptest::proptest! {
    #[test]
    fn matcher_agrees_with_the_reference(
        pattern in "[ab*/ ]{0,12}",
        name in "[ab/ ]{0,16}",
    ) {
        let mut compiled = NamePattern::default();
        for c in pattern.chars() {
            if c == '*' {
                compiled.push_any();
            } else {
                compiled.push_str(&c.to_string());
            }
        }
        let chars: Vec<char> = pattern.chars().collect();
        let name_chars: Vec<char> = name.chars().collect();
        proptest::prop_assert_eq!(
            compiled.matches(&name),
            reference_match(&chars, &name_chars),
            "pattern {:?} name {:?}", pattern, name
        );
    }
}

impl NamePattern {
    /// Returns the pattern with a wildcard appended (test shorthand).
    fn tap_any(mut self) -> Self {
        self.push_any();
        self
    }
}

#[test]
fn job_over_its_budget_is_a_located_warning_and_a_wildcard() {
    let text = format!(
        "on: push\njobs:\n  test:\n{}  other:\n    name: other\n",
        indent(
            &matrix_job(
                10,
                10,
                "    exclude:\n      - k9: 0\n      - k9: 1\n      - k9: 2\n      - k9: 3\n      - k9: 4\n      - k9: 5\n      - k9: 6\n      - k9: 7\n      - k9: 8\n      - k9: 9\n"
            ),
            4
        )
    );
    let dir = workflows_dir(&[("ci.yml", &text)]);
    let index = scan(dir.path()).unwrap();
    assert_eq!(names(&index), ["test*", "other"]);
    assert_eq!(
        messages(&index.problems),
        [
            "workflow ci.yml job `test`: working out its check names takes more than 1000000 steps, so they were treated as unknown"
        ]
    );
    assert_eq!(index.problems[0].line, Some(3));
}

#[test]
fn reusable_workflows_that_multiply_run_out_of_budget() {
    // Eight levels, each with two matrix jobs of 16 calling the next: 32^8 names.
    let mut files = Vec::new();
    for level in 0..8 {
        let next = format!("./.github/workflows/w{}.yml", level + 1);
        let on = if level == 0 { "push" } else { "workflow_call" };
        files.push((
            format!("w{level}.yml"),
            format!(
                "on: {on}\njobs:\n  a:\n    strategy:\n      matrix:\n        x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]\n    uses: {next}\n  b:\n    strategy:\n      matrix:\n        y: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]\n    uses: {next}\n"
            ),
        ));
    }
    files.push((
        "w8.yml".to_owned(),
        "on: workflow_call\njobs:\n  leaf:\n    name: leaf\n".to_owned(),
    ));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = workflows_dir(&files);
    let (index, steps) = scan_counting(dir.path()).unwrap();
    assert!(steps <= limits::MAX_FILE_STEPS + 10_000, "{steps}");
    assert_eq!(names(&index), ["a* / *", "b* / *"]);
    assert!(
        index.problems[0]
            .message
            .starts_with("workflow w0.yml job `a`: working out its check names takes more than"),
        "{:#?}",
        index.problems
    );
}

#[test]
fn many_jobs_are_indexed_with_bounded_work() {
    let mut text = String::from("on: push\njobs:\n");
    for i in 0..20_000 {
        let _ = writeln!(text, "  j{i}: {{}}");
    }
    let dir = workflows_dir(&[("ci.yml", &text)]);
    let (index, steps) = scan_counting(dir.path()).unwrap();
    assert_eq!(index.checks.len(), 20_000);
    assert!(steps < 200_000, "{steps}");
    assert!(index.problems.is_empty());
}

#[test]
fn reusable_workflow_calling_itself_is_a_located_warning() {
    let dir = workflows_dir(&[(
        "self.yml",
        "on: [push, workflow_call]\njobs:\n  again:\n    uses: ./.github/workflows/self.yml\n",
    )]);
    let index = scan(dir.path()).unwrap();
    assert_eq!(names(&index), ["again / *"]);
    assert_eq!(
        messages(&index.problems),
        [
            "workflow self.yml job `again` calls `./.github/workflows/self.yml`, which is already being called (self.yml → self.yml): GitHub refuses a cycle of calls, so its check names were treated as unknown"
        ]
    );
    assert_eq!(index.problems[0].line, Some(4), "the line of `uses:`");
}

#[test]
fn call_cycle_is_reported_once_where_it_closes() {
    let dir = workflows_dir(&[
        (
            "a.yml",
            "on: [push, workflow_call]\njobs:\n  a:\n    uses: ./.github/workflows/b.yml\n  a2:\n    uses: ./.github/workflows/b.yml\n",
        ),
        (
            "b.yml",
            "on: workflow_call\njobs:\n  b:\n    uses: ./.github/workflows/a.yml\n",
        ),
    ]);
    let index = scan(dir.path()).unwrap();
    assert_eq!(names(&index), ["a / b / *", "a2 / b / *"]);
    assert_eq!(index.problems.len(), 1, "{:#?}", index.problems);
    assert_eq!(
        index.problems[0].file.as_deref(),
        Some(dir.path().join("b.yml").as_path())
    );
    assert!(
        index.problems[0]
            .message
            .contains("(a.yml → b.yml → a.yml)")
    );
}

#[test]
fn calls_deeper_than_github_allows_are_cut_with_a_warning() {
    let mut files = Vec::new();
    for level in 0..12 {
        let on = if level == 0 { "push" } else { "workflow_call" };
        files.push((
            format!("w{level:02}.yml"),
            format!(
                "on: {on}\njobs:\n  j:\n    uses: ./.github/workflows/w{:02}.yml\n",
                level + 1
            ),
        ));
    }
    files.push((
        "w12.yml".to_owned(),
        "on: workflow_call\njobs:\n  leaf: {}\n".to_owned(),
    ));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = workflows_dir(&files);
    let index = scan(dir.path()).unwrap();
    assert_eq!(names(&index), [format!("{}*", "j / ".repeat(10))]);
    assert_eq!(index.problems.len(), 1, "{:#?}", index.problems);
    assert!(
        index.problems[0].message.starts_with("workflow w09.yml job `j` calls `./.github/workflows/w10.yml`, more than 10 levels of workflows deep"),
        "{}",
        index.problems[0].message
    );
}

#[test]
fn huge_file_is_skipped_with_a_warning() {
    let big = format!("on: push\njobs:\n  a: {{}}\n#{}\n", "x".repeat(1024 * 1024));
    let dir = workflows_dir(&[("big.yml", &big), ("ok.yml", "on: push\njobs:\n  ok: {}\n")]);
    let index = scan(dir.path()).unwrap();
    assert_eq!(names(&index), ["ok"]);
    assert_eq!(
        messages(&index.problems),
        [
            "workflow big.yml is too large (1048601 bytes; the limit is 1048576 bytes, 1 MiB), so it was not checked"
        ]
    );
}

#[test]
fn scan_stops_reading_past_8_mib_in_all() {
    let filler = format!("on: push\njobs:\n  a: {{}}\n#{}\n", "x".repeat(1000 * 1024));
    let names_in: Vec<String> = (0..10).map(|i| format!("f{i}.yml")).collect();
    let files: Vec<(&str, &str)> = names_in
        .iter()
        .map(|n| (n.as_str(), filler.as_str()))
        .collect();
    let dir = workflows_dir(&files);
    let index = scan(dir.path()).unwrap();
    assert_eq!(index.checks.len(), 8);
    assert_eq!(
        messages(&index.problems),
        [
            "workflow files total more than 8388608 bytes (8 MiB), so f8.yml and the files after it (by name) were not checked"
        ]
    );
}

#[test]
fn too_many_files_are_cut_with_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..limits::MAX_FILES + 3 {
        std::fs::write(
            dir.path().join(format!("w{i:04}.yml")),
            "on: push\njobs:\n  a: {}\n",
        )
        .unwrap();
    }
    let index = scan(dir.path()).unwrap();
    assert_eq!(index.checks.len(), limits::MAX_FILES);
    assert_eq!(index.problems.len(), 1, "{:#?}", index.problems);
    assert!(index.problems[0].message.ends_with(
        "has more than 500 workflow files; w0500.yml and the files after it (by name) were not checked"
    ));
}

#[test]
fn non_utf8_file_is_a_located_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bin.yml"),
        b"on: push\njobs:\n  a:\n    name: \xff\xfe\n",
    )
    .unwrap();
    let index = scan(dir.path()).unwrap();
    assert_eq!(
        messages(&index.problems),
        ["workflow bin.yml is not valid UTF-8 (byte 0xFF at offset 30), so it was not checked"]
    );
    assert_eq!(index.problems[0].line, Some(4));
}

#[test]
fn deep_nesting_and_alias_bombs_are_refused_by_the_parser() {
    let deep = format!(
        "on: push\njobs:\n  a:\n    x: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let mut bomb = String::from(
        "on: push\njobs:\n  a:\n    x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..12 {
        let prev = i - 1;
        let _ = writeln!(
            bomb,
            "    x{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]"
        );
    }
    let dir = workflows_dir(&[("bomb.yml", &bomb), ("deep.yml", &deep)]);
    let index = scan(dir.path()).unwrap();
    assert_eq!(index.checks, []);
    let messages = messages(&index.problems);
    assert_eq!(messages.len(), 2, "{messages:#?}");
    for message in messages {
        assert!(
            message.contains("is not valid YAML, so its jobs were not checked: "),
            "{message}"
        );
        assert!(message.len() < 400, "{message}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_and_special_files_are_not_followed() {
    let dir = workflows_dir(&[("ok.yml", "on: push\njobs:\n  ok: {}\n")]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yml")).unwrap();
    std::os::unix::fs::symlink("ok.yml", dir.path().join("link.yml")).unwrap();
    // A pipe would block a reader forever.
    let fifo = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.yml"))
        .status()
        .is_ok_and(|status| status.success());
    let index = scan(dir.path()).unwrap();
    assert_eq!(names(&index), ["ok"]);
    let mut expected = vec![
        "workflow link.yml is a symbolic link, which is not followed, so it was not checked",
        "workflow zero.yml is a symbolic link, which is not followed, so it was not checked",
    ];
    if fifo {
        expected.insert(
            1,
            "workflow pipe.yml is not a regular file, so it was not checked",
        );
    }
    assert_eq!(messages(&index.problems), expected);
}

// ---------------------------------------------------------------------------------------
// Outside text in warnings

/// Asserts that no warning has a character that could split it or reach the terminal.
fn assert_printable(warnings: &[WorkflowWarning]) {
    for warning in warnings {
        assert!(
            !warning.message.chars().any(|c| c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "{:?}",
            warning.message
        );
    }
}

#[test]
fn names_from_workflow_and_policy_files_are_escaped_in_warnings() {
    let dir = workflows_dir(&[(
        "ci.yml",
        "on: push\njobs:\n  \"evil\\n::error::job\":\n    name: \"lint\\u001b[31m\\r\\n::error file=x::injected\"\n    environment: \"prod\\n::warning::env\\u202e\"\n  \"caller\\a\":\n    uses: \"./.github/workflows/gone\\n::error::uses.yml\"\n",
    )]);
    let index = scan(dir.path()).unwrap();
    let warnings = check(
        &policy(
            &required(&["lint\u{1b}[31m\r\n::error file=x::injecte", "a\nb"]),
            &[],
        ),
        &index,
    );
    assert_printable(&warnings);
    let messages = messages(&warnings);
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert_eq!(
        messages[0],
        "workflow ci.yml job `caller\\u{7}` calls `./.github/workflows/gone\\n::error::uses.yml`, which does not exist"
    );
    assert!(
        messages[1].starts_with(
            "required check `lint\\u{1b}[31m\\r\\n::error file=x::injecte` of branches.dev"
        ),
        "{}",
        messages[1]
    );
    assert!(
        messages[1].ends_with(
            "; did you mean `lint\\u{1b}[31m\\r\\n::error file=x::injected` from ci.yml?"
        ),
        "{}",
        messages[1]
    );
    assert!(messages[2].starts_with("required check `a\\nb` of branches.dev"));
    assert_eq!(
        messages[3],
        "workflow ci.yml job `evil\\n::error::job` deploys to environment `prod\\n::warning::env\\u{202e}`, which the policy does not list"
    );
}

#[cfg(unix)]
#[test]
fn file_names_are_escaped_in_warnings() {
    let dir = workflows_dir(&[
        ("bad\n::error::name.yml", "on: push\njobs: [\n"),
        ("x\u{1b}[2J.yml", "on: push\n"),
    ]);
    let index = scan(dir.path()).unwrap();
    assert_printable(&index.problems);
    let messages = messages(&index.problems);
    assert!(
        messages[0].starts_with("workflow bad\\n::error::name.yml is not valid YAML"),
        "{messages:?}"
    );
    assert_eq!(
        messages[1],
        "workflow x\\u{1b}[2J.yml has no `jobs`, so it was not checked"
    );
}

#[test]
fn a_called_workflow_is_parsed_once_however_often_it_is_called() {
    // A broken 500 kB callee and 2,000 callers: parsed again for each call, it was a
    // gigabyte of YAML.
    let called = format!(
        "on: workflow_call\njobs:\n  a: {{}}\n#{}\n  b: [\n",
        "x".repeat(500 * 1024)
    );
    let mut calls = String::from("on: push\njobs:\n");
    for i in 0..2_000 {
        let _ = writeln!(calls, "  j{i}:\n    uses: ./.github/workflows/callee.yml");
    }
    let dir = workflows_dir(&[("callee.yml", &called), ("ci.yml", &calls)]);
    let (index, steps) = scan_counting(dir.path()).unwrap();
    assert_eq!(index.checks.len(), 2_000);
    assert_eq!(index.checks[0].name.to_string(), "j0 / *");
    assert!(
        steps < 600 * 1024,
        "{steps} steps: one parse and 2,000 small names"
    );
    assert_eq!(index.problems.len(), 1, "{:#?}", index.problems);
}
