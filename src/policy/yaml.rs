//! YAML text → a JSON value, and where each of its nodes is written, in one pass over the
//! parser's event stream.
//!
//! Scalars are resolved by the YAML 1.2 core schema, as editors do: a quoted scalar is always
//! a string; a plain one is `null` (`null`, `Null`, `NULL`, `~`, empty), a boolean (`true`,
//! `True`, `TRUE`, and the same for false), an integer (`[-+]?[0-9]+`, `0o…`, `0x…`), a float,
//! or else a string (`yes`, `1_0`, `0b11`). A float without a fraction becomes an integer, as
//! JSON Schema counts it. Keys are the text as written.
//!
//! The limits are the loader's defences against hostile files: aliases expand with a node
//! budget (a billion-laughs document stops at its first alias past it), nesting has a depth
//! limit, a file holds one document, duplicate keys are refused, and so are complex keys,
//! merge keys' magic (`<<` is an ordinary key, which the schema then refuses) and tags other
//! than the core schema's. Every problem comes with its line and column.

use serde_json::Value;
use serde_saphyr::granit_parser::{Parser, Span};

#[cfg(test)]
use super::source_map::SourceMap;
use super::source_map::{Node, Pos, Segment};

mod builder;
mod problems;
mod scalar;

use builder::Builder;
use problems::scan_problem;

pub use scalar::plain_value;

/// How many nodes aliases may add to a document, in total. Anchors are for sharing a list
/// of reviewers or checks between a few branches; a billion-laughs document goes far beyond.
pub const MAX_ALIAS_NODES: u64 = 10_000;

/// How deeply collections may nest. A policy needs fewer than 10 levels.
pub const MAX_DEPTH: usize = 32;

/// A problem with the YAML itself, at a line and column (both 1-based) when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where, when known.
    pub at: Option<Pos>,
    /// What is wrong.
    pub message: String,
}

/// The converted document: the value and, when asked for, the location of every node.
#[derive(Debug)]
pub struct Converted {
    /// The document as JSON; `None` when the file holds no document.
    pub value: Option<Value>,
    /// The location tree, parallel to `value` (only when locations were asked for).
    pub root: Option<Node>,
    /// Values that could not be read (a bad tag, an infinity), each `null` in `value`, by
    /// path: problems that do not stop the schema from checking the rest.
    pub bad_values: Vec<(Vec<Segment>, Problem)>,
}

/// Converts YAML text. With `locate`, also records where every node is; without it, the
/// pass is cheaper (the caller converts again with locations when it needs to report).
pub fn convert(text: &str, locate: bool) -> Result<Converted, Vec<Problem>> {
    let mut builder = Builder::new(locate);
    let mut options = serde_saphyr::granit_parser::Options::default();
    options.set_emit_comments(false);
    let mut parser = Parser::new_from_str_with_options(text, options);
    loop {
        match parser.next_event() {
            None => break,
            Some(Err(err)) => return Err(vec![scan_problem(&err)]),
            Some(Ok((event, span))) => {
                if let Err(problem) = builder.event(event, span) {
                    return Err(vec![problem]);
                }
            }
        }
    }
    if !builder.problems.is_empty() {
        builder.problems.sort_by_key(|p| p.at);
        return Err(builder.problems);
    }
    let (value, root) = match builder.root {
        Some((value, node)) => (Some(value), Some(node)),
        None => (None, None),
    };
    Ok(Converted {
        value,
        root: if locate { root } else { None },
        bad_values: builder.bad_values,
    })
}

/// Returns the 1-based line and column where a span starts.
pub(super) fn position(span: Span) -> Pos {
    (span.start.line().max(1), span.start.col() + 1)
}

#[cfg(test)]
mod tests;
