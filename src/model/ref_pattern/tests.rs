// Compiled only under cfg(test) (see `mod tests;` in model/ref_pattern.rs).
use serde::Deserialize;

use super::*;

/// The table the emulator runs too (`tests/fixtures/ref-patterns.json`).
#[derive(Deserialize)]
struct Table {
    fnmatch: Vec<Case>,
    conditions: Vec<Condition>,
}

#[derive(Deserialize)]
struct Case {
    pattern: String,
    text: String,
    matches: bool,
    why: String,
}

#[derive(Deserialize)]
struct Condition {
    include: Vec<String>,
    exclude: Vec<String>,
    branch: String,
    default_branch: String,
    selects: bool,
    why: String,
}

fn table() -> Table {
    serde_json::from_str(include_str!("../../../tests/fixtures/ref-patterns.json"))
        .expect("the shared table is valid JSON, because it is checked in")
}

#[test]
fn patterns_match_as_github_matches_them() {
    let table = table();
    assert!(table.fnmatch.len() > 50, "the table is read whole");
    let wrong: Vec<String> = table
        .fnmatch
        .iter()
        .filter(|case| fnmatch(&case.pattern, &case.text) != case.matches)
        .map(|case| {
            format!(
                "{:?} vs {:?}: expected {} ({})",
                case.pattern, case.text, case.matches, case.why
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn conditions_select_branches_as_github_does() {
    let wrong: Vec<String> = table()
        .conditions
        .iter()
        .filter(|c| {
            selects_branch(&c.include, &c.exclude, &c.branch, &c.default_branch) != c.selects
        })
        .map(|c| {
            format!(
                "{:?} on {:?}: expected {} ({})",
                c.include, c.branch, c.selects, c.why
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_name_may_start_with_a_dot() {
    assert!(fnmatch_name("*", ".github"));
    assert!(!fnmatch("*", ".github"));
    assert!(fnmatch_name("svc-*", "svc-api"));
}

#[test]
fn many_stars_cost_the_product_of_the_lengths() {
    let pattern = "*a".repeat(40);
    let text = "a".repeat(39) + "b";
    assert!(!fnmatch(&pattern, &text));
    let deep = format!("refs/heads/{}", "a/".repeat(40));
    assert!(!fnmatch(
        &format!("refs/heads/{}b", "**/".repeat(12)),
        &deep
    ));
}

#[test]
fn a_pattern_that_selects_nothing_or_escapes_nothing_is_malformed() {
    for wrong in ["svc-[", "release/\\", "a*[b", "[]]", "v[]", "x[/]y"] {
        assert!(malformed(wrong).is_some(), "{wrong}");
    }
    for fine in [
        "svc-*", "svc-[ab]", "svc-[!a]", "v\\[1", "[\\]]", "[!]", "x[a/b]y", "[a-]", "**/x",
    ] {
        assert_eq!(malformed(fine), None, "{fine}");
    }
}

#[test]
fn every_pattern_of_the_table_that_never_parses_is_malformed() {
    let unparsed: Vec<String> = table()
        .fnmatch
        .iter()
        .filter(|case| Pattern::parse(&case.pattern).is_none())
        .map(|case| case.pattern.clone())
        .collect();
    assert!(!unparsed.is_empty(), "the table holds unclosed classes");
    let missed: Vec<&String> = unparsed.iter().filter(|p| malformed(p).is_none()).collect();
    assert!(missed.is_empty(), "{missed:?}");
}
