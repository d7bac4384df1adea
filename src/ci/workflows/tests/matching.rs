//! Names with wildcards: matching in linear time (issue 14), a comparison that stops at
//! its budget, and the fast matcher against a reference.

use super::*;

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
