//! The policy language: reading `policy.yaml` into the model, checking it, and its JSON Schema.
//!
//! One pipeline for every document type (`document.rs`), each stage reporting every problem
//! it finds as `FILE:LINE:COLUMN: message`, in file order:
//!
//! 1. `read.rs`: the file (or standard input for `-`) as UTF-8 text, at most 1 MiB.
//! 2. `yaml.rs`: YAML 1.2 → a JSON value, with the reader's limits (one document, no
//!    duplicate keys, an alias budget, a depth limit). Locations of every node are recorded
//!    only when something must be located (`source_map.rs`).
//! 3. The document type's JSON Schema (`schema.rs`, generated from the model), applied at run
//!    time with `jsonschema`: the same verdict an editor gives. `report.rs` words its errors.
//! 4. `serde_json` builds the model from the validated value.
//! 5. The type's cross-field rules (`Document::RULES`, for a repository policy in
//!    `validate.rs`): the few rules a schema cannot state. They run on a file that failed
//!    its schema too, with the failing parts taken out (`salvage.rs`), so that every
//!    problem of a file is reported at once.
//!
//! **Adding a section or a document type.** A new section is a field with its model type;
//! put its rules on the type, where the schema says them: `#[schemars(pattern(...))]` with a
//! pattern from `crate::model::names` for a name (the pattern's explaining function words the
//! error), `range`/`length` for bounds (limits from `crate::model::limits`), `extend("x-expected" =
//! ...)` to say what a value must be, and `extend("allOf" = [{"if": ..., "then": {...,
//! "x-message": ...}}])` for a condition between keys of one mapping. Only a rule that
//! compares items or keys with each other, counts distinct ones or measures bytes goes into
//! code: a named `Rule` in the type's `Document::RULES`, which the differential test lists.
//! A new document type (an organisation policy) implements `Document` and is read with
//! [`parse_document`] / [`load_document`]; nothing else changes.

mod declared;
mod document;
mod org;
mod read;
mod report;
mod rulesets;
mod salvage;
mod schema;
mod source_map;
mod suggest;
mod validate;
mod yaml;

use std::fmt;
use std::path::Path;

pub use declared::Layers;
pub use document::{Document, Findings, Rule, broken_rules, rule_problems};
pub use org::{PolicyFile, load_any, parse_any};
pub use read::{MAX_POLICY_BYTES, STDIN_NAME, display_name};
pub use source_map::{Dotted, Located, Segment, SourceMap};
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
    /// What is wrong and, where it helps, what to write instead. Text from the file in it is
    /// escaped (`crate::output::untrusted`), so it is always one printable line.
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

/// Reads, parses and validates a policy file; `-` reads standard input.
pub fn load(path: &Path) -> Result<RepoSettings, PolicyError> {
    let display = read::display_name(path);
    let text = read::read(path, &display)?;
    document::parse(&display, &text, false).map(|(settings, _)| settings)
}

/// Reads a policy file's text (standard input for `-`) with the loader's limits, and returns
/// it with the name diagnostics give the file.
pub fn read_text(path: &Path) -> Result<(String, String), PolicyError> {
    let display = read::display_name(path);
    let text = read::read(path, &display)?;
    Ok((display, text))
}

/// Reads, parses and validates a policy file, and returns where each setting is written.
pub fn load_with_source_map(path: &Path) -> Result<(RepoSettings, SourceMap), PolicyError> {
    load_document(path)
}

/// Reads, parses and validates a document of any type; `-` reads standard input.
pub fn load_document<T: Document>(path: &Path) -> Result<(T, SourceMap), PolicyError> {
    let display = read::display_name(path);
    let text = read::read(path, &display)?;
    parse_document(&display, &text)
}

/// Parses and validates policy text; `display_path` names it in diagnostics.
///
/// Used for `--state` files and tests, and by `load`.
pub fn parse(display_path: &str, text: &str) -> Result<RepoSettings, PolicyError> {
    document::parse(display_path, text, false).map(|(settings, _)| settings)
}

/// Parses and validates policy text, and returns where each setting is written.
pub fn parse_with_source_map(
    display_path: &str,
    text: &str,
) -> Result<(RepoSettings, SourceMap), PolicyError> {
    parse_document(display_path, text)
}

/// Parses and validates a document of any type, and returns where each setting is written.
pub fn parse_document<T: Document>(
    display_path: &str,
    text: &str,
) -> Result<(T, SourceMap), PolicyError> {
    document::parse(display_path, text, true)
        .map(|(document, map)| (document, map.unwrap_or_default()))
}

/// Parses policy text into a JSON value without checking it against the schema, with the
/// loader's YAML reader and limits: what an editor validates. An empty document is `null`.
pub fn to_json(display_path: &str, text: &str) -> Result<serde_json::Value, PolicyError> {
    document::to_json(display_path, text)
}

/// Returns the policy JSON Schema (draft 2020-12), pretty-printed with a final newline.
///
/// The same bytes as `schema/policy.schema.json`; a test keeps the file up to date.
pub fn json_schema() -> String {
    schema::render::<RepoSettings>()
}

/// The same bytes as `schema/org-policy.schema.json`: the schema of an organisation policy.
pub fn org_json_schema() -> String {
    schema::render::<crate::model::OrgPolicy>()
}

/// Returns the JSON Schema of any document type as a JSON value.
pub fn json_schema_value<T: schemars::JsonSchema>() -> serde_json::Value {
    schema::generate::<T>()
}

/// Returns the JSON Schema of any document type, pretty-printed with a final newline.
pub fn json_schema_for<T: schemars::JsonSchema>() -> String {
    schema::render::<T>()
}

/// Returns the names of a document type's cross-field rules, in the order they run.
pub fn rule_names<T: Document>() -> Vec<&'static str> {
    T::RULES.iter().map(|rule| rule.name).collect()
}
