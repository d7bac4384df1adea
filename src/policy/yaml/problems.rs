//! The reader's problems that are not about a value: the parser's errors, in the tool's
//! wording, and complex keys.

use serde_saphyr::granit_parser::{ErrorKind, ScanError};

use super::super::source_map::Pos;
use super::{MAX_DEPTH, Problem};

/// The problem of a mapping or list used as a key.
pub(super) fn complex_key(at: Pos) -> Problem {
    Problem {
        at: Some(at),
        message: String::from("a key must be a single value, not a list or a mapping"),
    }
}

/// Turns a parser error into a problem with the tool's wording.
pub(super) fn scan_problem(err: &ScanError) -> Problem {
    let mark = err.marker();
    let message = match err.kind() {
        ErrorKind::TabInIndentation
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabNotAllowed
        | ErrorKind::TabAtBlockScalarStart => {
            String::from("tab character in indentation: YAML indents with spaces only")
        }
        ErrorKind::RecursionLimitExceeded => format!(
            "the document is nested more than {MAX_DEPTH} levels deep; a policy needs fewer than 10"
        ),
        ErrorKind::UnknownAnchor => {
            String::from("unknown alias: no anchor of that name is defined before it")
        }
        kind => {
            let text = kind.to_string();
            let text = if text.is_empty() {
                String::from("invalid YAML")
            } else {
                text
            };
            crate::output::untrusted::escape(text.trim_end_matches('.')).into_owned()
        }
    };
    Problem {
        at: Some((mark.line().max(1), mark.col() + 1)),
        message,
    }
}
