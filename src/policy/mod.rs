//! The policy language: reading `policy.yaml` into the model, checking it, and its JSON Schema.
//!
//! `load` is the only way into a `RepoSettings` from a file: YAML syntax, types and unknown
//! keys are checked by the parser (`load.rs`), GitHub's rules by `validate.rs`. Both report
//! every problem as `FILE:LINE:COLUMN: message`. `SourceMap` (`source_map.rs`) says where
//! each setting is written, for diagnostics and for annotations pointing at a drifting line.

mod load;
mod rulesets;
mod schema;
mod source_map;
mod suggest;
mod validate;

use std::fmt;
use std::path::Path;

pub use load::MAX_POLICY_BYTES;
pub use source_map::SourceMap;
pub use suggest::{closest, levenshtein};

use crate::model::RepoSettings;

/// A policy file that could not be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl PolicyError {
    fn single(diagnostic: Diagnostic) -> Self {
        Self {
            diagnostics: vec![diagnostic],
        }
    }
}

/// One line per diagnostic, `FILE:LINE:COLUMN: message`.
impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

/// One problem in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as given on the command line.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong and, where it helps, what to write instead.
    pub message: String,
}

impl Diagnostic {
    /// Returns a diagnostic about the file as a whole.
    pub fn file(path: &str, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// Returns a diagnostic at a line and column.
    pub fn at(path: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

/// `FILE:LINE:COLUMN: message`, or `FILE: message` when the line is unknown.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Reads, parses and validates a policy file.
pub fn load(path: &Path) -> Result<RepoSettings, PolicyError> {
    let display = path.display().to_string();
    let text = load::read(path, &display)?;
    parse_checked(&display, &text, false).map(|(settings, _)| settings)
}

/// Reads, parses and validates a policy file, and returns where each setting is written.
pub fn load_with_source_map(path: &Path) -> Result<(RepoSettings, SourceMap), PolicyError> {
    let display = path.display().to_string();
    let text = load::read(path, &display)?;
    parse_with_source_map(&display, &text)
}

/// Parses and validates policy text; `display_path` names it in diagnostics.
///
/// Used for `--state` files and tests, and by `load`.
pub fn parse(display_path: &str, text: &str) -> Result<RepoSettings, PolicyError> {
    parse_checked(display_path, text, false).map(|(settings, _)| settings)
}

/// Parses and validates policy text, and returns where each setting is written.
pub fn parse_with_source_map(
    display_path: &str,
    text: &str,
) -> Result<(RepoSettings, SourceMap), PolicyError> {
    parse_checked(display_path, text, true)
        .map(|(settings, map)| (settings, map.unwrap_or_default()))
}

/// Parses and validates; builds the source map only when it is wanted or needed. Finding
/// where each key is written costs a third of the time on large files (`--state` snapshots),
/// and the checks need it only to point at problems and to see keys written next to
/// `protected: false`, so a valid file without such a branch never pays for it.
fn parse_checked(
    display_path: &str,
    text: &str,
    want_map: bool,
) -> Result<(RepoSettings, Option<SourceMap>), PolicyError> {
    let settings = load::parse_yaml(display_path, text)?;
    let needs_map = want_map || settings.branches.values().any(|branch| !branch.protected);
    let map = if needs_map {
        SourceMap::build(text)
    } else {
        SourceMap::default()
    };
    let mut diagnostics = validate::check(&settings, &map, display_path);
    if diagnostics.is_empty() {
        return Ok((settings, needs_map.then_some(map)));
    }
    if !needs_map {
        // Check again with the map, so that every problem has its line and column.
        diagnostics = validate::check(&settings, &SourceMap::build(text), display_path);
    }
    Err(PolicyError { diagnostics })
}

/// Parses policy text into a JSON value without checking it against the model, with the
/// same size and alias limits as `parse`: for validating a file against the JSON Schema.
pub fn to_json(display_path: &str, text: &str) -> Result<serde_json::Value, PolicyError> {
    load::parse_json(display_path, text)
}

/// Returns the policy JSON Schema (draft 2020-12), pretty-printed with a final newline.
///
/// The same bytes as `schema/policy.schema.json`; a test keeps the file up to date.
pub fn json_schema() -> String {
    schema::render()
}
