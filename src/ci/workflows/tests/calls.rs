//! Calls to reusable workflows: cycles, depth, workflows that multiply, and a called
//! workflow parsed once however often it is called.

use super::*;

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
