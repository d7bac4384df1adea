//! Matrices at and over GitHub's cap of 256 jobs, and jobs whose names take more than
//! their budget (issue 14): refused without building them, with a located warning.

use super::*;

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
