//! A document that failed its schema, with the parts that failed taken out, so that the
//! rules a schema cannot state still run on the rest: a file's every problem is reported in
//! one run, the type problems and the rule problems together.
//!
//! A failing map entry goes; a failing list item takes its whole list with it (taking out
//! one item would shift the others, and a rule's finding about item 3 would point at the
//! line of item 4). When what is left does not pass the schema either (a required key was
//! the problem), there is nothing to run the rules on.

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::report::segments;
use super::schema::Compiled;
use super::source_map::Segment;

/// How many rounds of taking parts out are tried: each round can reveal errors the last
/// one hid (an object whose keys were wrong, then its required key missing).
const ROUNDS: usize = 8;

/// Returns the value without the parts its schema errors are about, when what is left
/// passes the schema.
pub(super) fn salvage(compiled: &Compiled, value: &Value) -> Option<Value> {
    let mut value = value.clone();
    for _ in 0..ROUNDS {
        let failing: Vec<Vec<Segment>> = compiled
            .validator
            .iter_errors(&value)
            .flat_map(|error| {
                let path = segments(error.instance_path());
                match error.kind() {
                    ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
                        .iter()
                        .map(|key| {
                            let mut entry = path.clone();
                            entry.push(Segment::Key(key.clone()));
                            entry
                        })
                        .collect(),
                    _ => vec![path],
                }
            })
            .collect();
        if failing.is_empty() {
            return Some(value);
        }
        let mut removed = false;
        for path in failing {
            // Up to the first list: a whole list goes, never one of its items.
            let cut = path
                .iter()
                .position(|segment| matches!(segment, Segment::Index(_)))
                .unwrap_or(path.len());
            removed |= remove(&mut value, &path[..cut]);
        }
        if !removed {
            return None;
        }
    }
    None
}

/// Removes the map entry at `path`; returns false when there is none (or the path is the
/// whole document).
fn remove(value: &mut Value, path: &[Segment]) -> bool {
    let Some((Segment::Key(last), parents)) = path.split_last() else {
        return false;
    };
    let mut node = value;
    for segment in parents {
        let next = match segment {
            Segment::Key(key) => node.get_mut(key.as_str()),
            Segment::Index(index) => node.get_mut(*index),
        };
        match next {
            Some(next) => node = next,
            None => return false,
        }
    }
    node.as_object_mut()
        .is_some_and(|map| map.remove(last).is_some())
}
