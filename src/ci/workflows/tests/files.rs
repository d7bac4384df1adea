//! Reading the workflow files: sizes, counts, encodings, parser bombs, links and special
//! files are cut with a warning that says what was skipped.

use super::*;

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
