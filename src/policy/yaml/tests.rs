//! Tests of the YAML reader: YAML 1.2 core resolution, locations and the limits.

use serde_json::{Value, json};

use super::*;

fn value(text: &str) -> Value {
    convert(text, false).unwrap().value.unwrap()
}

fn problems(text: &str) -> Vec<String> {
    let problems = match convert(text, true) {
        Ok(converted) => converted.bad_values.into_iter().map(|(_, p)| p).collect(),
        Err(problems) => problems,
    };
    problems
        .iter()
        .map(|p| match p.at {
            Some((line, column)) => format!("{line}:{column}: {}", p.message),
            None => p.message.clone(),
        })
        .collect()
}

#[test]
fn scalars_resolve_by_the_yaml_1_2_core_schema() {
    let cases: &[(&str, Value)] = &[
        ("~", Value::Null),
        ("null", Value::Null),
        ("NULL", Value::Null),
        ("", Value::Null),
        ("true", json!(true)),
        ("False", json!(false)),
        ("TRUE", json!(true)),
        ("yes", json!("yes")),
        ("off", json!("off")),
        ("2", json!(2)),
        ("-7", json!(-7)),
        ("+3", json!(3)),
        ("017", json!(17)),
        ("0o17", json!(15)),
        ("0x1F", json!(31)),
        ("2.0", json!(2)),
        ("1e3", json!(1000)),
        ("0.5", json!(0.5)),
        (".5", json!(0.5)),
        ("1_0", json!("1_0")),
        ("0b11", json!("0b11")),
        ("-0x1", json!("-0x1")),
        ("1.2.3", json!("1.2.3")),
        ("\"true\"", json!("true")),
        ("'2'", json!("2")),
        ("\"~\"", json!("~")),
        ("!!str 2", json!("2")),
        ("!!int \"2\"", json!(2)),
        ("! 2", json!("2")),
        ("|\n  2\n", json!("2\n")),
    ];
    for (text, expected) in cases {
        assert_eq!(&value(&format!("a: {text}"))["a"], expected, "{text:?}");
    }
}

#[test]
fn keys_are_their_text() {
    assert_eq!(
        value("1: a\ntrue: b\n~: c\n\"x\": d\n"),
        json!({"1": "a", "true": "b", "~": "c", "x": "d"})
    );
}

#[test]
fn aliases_expand_and_merge_keys_are_ordinary_keys() {
    assert_eq!(
        value("a: &x [1, 2]\nb: *x\nc: {<<: {d: 1}}\n"),
        json!({"a": [1, 2], "b": [1, 2], "c": {"<<": {"d": 1}}})
    );
    assert_eq!(
        value("&k key: 1\nb: {*k : 2}\n"),
        json!({"key": 1, "b": {"key": 2}})
    );
}

#[test]
fn problems_are_located_and_worded() {
    let cases = [
        (
            "a: 1\na: 2\n",
            "2:1: duplicate key `a`: each key may appear once in a mapping (first at line 1)",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "2:1: a policy file holds one YAML document",
        ),
        ("a:\n\tb: 1\n", "tab character in indentation"),
        ("? [a]\n: 1\n", "1:3: a key must be a single value"),
        ("a: !!binary aGk=\n", "unsupported tag `!!binary`"),
        (
            "a: !!int x\n",
            "1:10: `x` is not an integer, as its tag `!!int` says",
        ),
        ("a: .inf\n", "1:4: `.inf` is not a number a policy can hold"),
        ("a: [b, *c]\n", "unknown alias"),
        ("a: \"x\u{202e}\n", "unclosed quote"),
    ];
    for (text, expected) in cases {
        let found = problems(text);
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "{text:?}: {found:?}"
        );
    }
}

/// A value that cannot be read is `null`, with its path, and does not stop the reader.
#[test]
fn bad_values_are_kept_by_path() {
    let converted = convert("a: [1, .nan]\nb: 2\n", false).unwrap();
    assert_eq!(converted.value, Some(json!({"a": [1, null], "b": 2})));
    let (path, _) = &converted.bad_values[0];
    assert_eq!(path, &[Segment::Key("a".into()), Segment::Index(1)]);
}

#[test]
fn refuses_deep_nesting_and_alias_bombs() {
    let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
    assert!(problems(&deep)[0].contains("nested more than 32 levels"));
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        bomb.extend([format!("a{level}: &a{level} [{refs}]\n")]);
    }
    assert!(problems(&bomb)[0].contains("alias bomb"));
}

/// See issue 16 item 9: a file with CR line breaks whose first line is a comment.
#[test]
fn issue_16_cr_only_line_breaks_are_line_breaks() {
    assert_eq!(value("# policy\rversion: 1\r"), json!({"version": 1}));
    assert_eq!(value("\u{feff}version: 1\n"), json!({"version": 1}));
    assert_eq!(convert("# only a comment\r", false).unwrap().value, None);
}

#[test]
fn records_where_every_node_is() {
    let converted = convert("a:\n  b: [1, {c: 2}]\n", true).unwrap();
    let map = SourceMap::from_root(converted.root);
    assert_eq!(map.locate("a.b.1.c"), Some((2, 11)));
    assert_eq!(map.locate_value("a.b.1.c"), Some((2, 14)));
    assert!(convert("a: 1\n", false).unwrap().root.is_none());
}
