// Compiled only under cfg(test) (see `mod tests;` in render/mod.rs).
use insta::assert_snapshot;
use serde_json::json;

use super::{Format, render};

mod guarded;
mod plans;

use crate::plan::{Action, Address, Change, Disposition, FieldDiff, Plan, ResourceKind, Target};
use plans::{drifted, long_values, plans};

fn diff(path: &str, live: serde_json::Value, policy: serde_json::Value) -> FieldDiff {
    FieldDiff::new(path, live, policy)
}

/// An applicable change (weakening nothing unless a test says so).
fn change(
    address: &str,
    kind: ResourceKind,
    action: Action,
    diffs: Vec<FieldDiff>,
    target: Option<Target>,
) -> Change {
    let address = Address::parse(address).expect("a plan address");
    assert_eq!(address.kind(), kind, "{address}");
    Change {
        address,
        action,
        diffs,
        disposition: Disposition::Applicable(target),
        note: None,
    }
}

fn inapplicable(mut change: Change, reason: &str) -> Change {
    change.refuse(reason);
    change
}

fn output(plan: &Plan, format: Format, color: bool) -> String {
    let mut out = Vec::new();
    render(plan, format, color, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("renderers write UTF-8")
}

#[test]
fn text_snapshots() {
    for (name, plan) in plans() {
        assert_snapshot!(format!("text_{name}"), output(&plan, Format::Text, false));
    }
}

#[test]
fn json_snapshots() {
    for (name, plan) in plans() {
        assert_snapshot!(format!("json_{name}"), output(&plan, Format::Json, false));
    }
}

#[test]
fn markdown_snapshots() {
    for (name, plan) in plans() {
        assert_snapshot!(
            format!("markdown_{name}"),
            output(&plan, Format::Markdown, false)
        );
    }
}

#[test]
fn text_without_color_has_no_escapes() {
    for (_, plan) in plans() {
        for format in [Format::Text, Format::Json, Format::Markdown] {
            assert!(!output(&plan, format, false).contains('\u{1b}'));
        }
    }
}

#[test]
fn text_with_color_has_escapes() {
    for (_, plan) in plans() {
        let text = output(&plan, Format::Text, true);
        if !plan.in_sync() {
            assert!(text.contains("\u{1b}["), "{text}");
        }
        // Stripped of its colour, it is the plain rendering: colour never replaces a mark.
        assert_eq!(
            console::strip_ansi_codes(&text),
            output(&plan, Format::Text, false)
        );
    }
}

#[test]
fn changed_words_are_coloured_on_a_terminal() {
    let text = output(&long_values(), Format::Text, true);
    let red = console::Style::new().force_styling(true).red();
    let green = console::Style::new().force_styling(true).green();
    assert!(
        text.contains(&red.apply_to("[-3-]").to_string()),
        "{text:?}"
    );
    assert!(
        text.contains(&green.apply_to("{+release-+}").to_string()),
        "{text:?}"
    );
}

#[test]
fn the_note_is_in_every_format() {
    for format in [Format::Text, Format::Json, Format::Markdown] {
        let text = output(&long_values(), format, false);
        assert!(text.contains("PROD_SSH_KEY"), "{format:?}: {text}");
    }
}

#[test]
fn json_and_markdown_ignore_color() {
    for format in [Format::Json, Format::Markdown] {
        assert_eq!(
            output(&drifted(), format, true),
            output(&drifted(), format, false)
        );
    }
}

fn keys(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn json_has_exactly_the_design_keys() {
    for (_, plan) in plans() {
        let text = output(&plan, Format::Json, false);
        assert!(text.ends_with("}\n"));
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let mut top = keys(&value);
        top.sort_unstable();
        assert_eq!(
            top,
            ["changes", "in_sync", "repository", "summary", "weakens"]
        );
        let mut summary = keys(&value["summary"]);
        summary.sort_unstable();
        let mut expected = vec!["create", "delete", "update"];
        if plan.changes.iter().any(Change::excepted) {
            expected.push("excepted");
        }
        expected.sort_unstable();
        assert_eq!(summary, expected);
        assert_eq!(value["in_sync"], plan.in_sync());
        for (change, original) in value["changes"]
            .as_array()
            .expect("a list")
            .iter()
            .zip(&plan.changes)
        {
            let mut expected = vec!["action", "address", "diffs", "kind"];
            if original.refusal().is_some() {
                expected.extend(["applicable", "reason"]);
            }
            if original.note.is_some() {
                expected.push("note");
            }
            if original.excepted() {
                expected.push("excepted");
            }
            if original.weakens() {
                expected.push("weakens");
            }
            expected.sort_unstable();
            let mut found = keys(change);
            found.sort_unstable();
            assert_eq!(found, expected, "{change}");
            if original.refusal().is_some() {
                assert_eq!(change["applicable"], false);
            }
            for (diff, field) in change["diffs"]
                .as_array()
                .expect("a list")
                .iter()
                .zip(&original.diffs)
            {
                let mut found = keys(diff);
                found.sort_unstable();
                let mut expected = vec!["live", "path", "policy"];
                if crate::protection::weakening::diff_weakens(original, field) {
                    expected.push("weakens");
                }
                if field.sources.is_some() {
                    expected.push("sources");
                }
                if field.excepted.is_some() {
                    expected.push("excepted");
                }
                if field.exception_expired.is_some() {
                    expected.push("exception_expired");
                }
                expected.sort_unstable();
                assert_eq!(found, expected);
            }
        }
    }
}

#[test]
fn json_keys_are_in_design_order() {
    let text = output(&drifted(), Format::Json, false);
    let position = |key: &str| {
        text.find(&format!("\"{key}\""))
            .unwrap_or_else(|| panic!("{key} missing"))
    };
    let order = ["repository", "in_sync", "summary", "changes"];
    assert!(order.windows(2).all(|w| position(w[0]) < position(w[1])));
    let order = [
        "create", "update", "delete", "address", "kind", "action", "diffs",
    ];
    assert!(order.windows(2).all(|w| position(w[0]) < position(w[1])));
    let order = ["path", "live", "policy", "applicable", "reason"];
    assert!(order.windows(2).all(|w| position(w[0]) < position(w[1])));
    assert!(!text.contains("target"));
}

#[test]
fn summary_counts_every_change_applicable_or_not() {
    let text = output(&drifted(), Format::Json, false);
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        value["summary"],
        json!({"create": 4, "update": 3, "delete": 1})
    );
    assert_eq!(value["changes"].as_array().map(Vec::len), Some(8));
    let text = output(&drifted(), Format::Text, false);
    assert!(
        text.ends_with("Plan: 4 to create, 3 to update, 1 to delete (2 cannot be applied).\n"),
        "{text}"
    );
    let markdown = output(&drifted(), Format::Markdown, false);
    assert!(markdown.contains("4 to create, 3 to update, 1 to delete (2 cannot be applied)"));
}
