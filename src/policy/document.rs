//! The loader's pipeline, the same for every document type: YAML → JSON value (and
//! locations) → the type's JSON Schema → the model → the type's cross-field rules.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::read::{MAX_POLICY_BYTES, too_large};
use super::salvage::salvage;
use super::source_map::{Dotted, Segment, SourceMap};
use super::{Diagnostic, PolicyError, report, schema, yaml};

impl SourceMap {
    /// Builds the map of a YAML document; a text that is not YAML gives an empty map.
    pub fn build(text: &str) -> Self {
        yaml::convert(text, true)
            .map(|converted| Self::from_root(converted.root))
            .unwrap_or_default()
    }
}

/// A document the loader reads: a model type whose `JsonSchema` carries every rule a schema
/// can state, and the rules it cannot, by name.
pub trait Document: DeserializeOwned + schemars::JsonSchema + 'static {
    /// The cross-field rules, each run on a document that passed the schema.
    const RULES: &'static [Rule<Self>];
}

/// A rule a JSON Schema cannot state, checked in code.
pub struct Rule<T: ?Sized> {
    /// Its name, as the differential test lists it.
    pub name: &'static str,
    /// Why a JSON Schema cannot say it.
    pub why_in_code: &'static str,
    /// Reports every place the document breaks it.
    pub check: fn(&T, &mut Findings),
}

/// The problems cross-field rules find, each at a path of the document.
#[derive(Debug, Default)]
pub struct Findings {
    rule: &'static str,
    found: Vec<Finding>,
}

/// One problem a rule found.
#[derive(Debug, Clone)]
struct Finding {
    rule: &'static str,
    path: Vec<Segment>,
    at_key: bool,
    message: String,
    /// Another place the message is about; `{other}` in the message becomes its line.
    other: Option<Vec<Segment>>,
}

impl Findings {
    /// Reports a problem located at the key (or list item) of `path`.
    pub fn at_key(&mut self, path: Vec<Segment>, message: String) {
        self.push(path, true, message, None);
    }

    /// Reports a problem located at the value of `path`.
    pub fn at_value(&mut self, path: Vec<Segment>, message: String) {
        self.push(path, false, message, None);
    }

    /// Reports a problem at the key of `path` that involves another place too: `{other}` in
    /// the message becomes "line N" of that place.
    pub fn with_other(&mut self, path: Vec<Segment>, other: Vec<Segment>, message: String) {
        self.push(path, true, message, Some(other));
    }

    /// Runs `check` (another document's rules) on a part of this document at `prefix`: what
    /// it finds is reported under that prefix.
    pub fn under(&mut self, prefix: &[Segment], check: impl FnOnce(&mut Self)) {
        let mut inner = Self {
            rule: self.rule,
            found: Vec::new(),
        };
        check(&mut inner);
        let prefixed =
            |path: Vec<Segment>| -> Vec<Segment> { prefix.iter().cloned().chain(path).collect() };
        for finding in inner.found {
            self.found.push(Finding {
                path: prefixed(finding.path),
                other: finding.other.map(prefixed),
                ..finding
            });
        }
    }

    fn push(
        &mut self,
        path: Vec<Segment>,
        at_key: bool,
        message: String,
        other: Option<Vec<Segment>>,
    ) {
        self.found.push(Finding {
            rule: self.rule,
            path,
            at_key,
            message,
            other,
        });
    }
}

/// Returns the names of the rules `document` breaks, in `RULES` order, once each.
pub fn broken_rules<T: Document>(document: &T) -> Vec<&'static str> {
    let mut findings = Findings::default();
    for rule in T::RULES {
        findings.rule = rule.name;
        (rule.check)(document, &mut findings);
    }
    let mut names: Vec<&'static str> = Vec::new();
    for finding in &findings.found {
        if !names.contains(&finding.rule) {
            names.push(finding.rule);
        }
    }
    names
}

/// Returns what the rules find in a document built in code (no file to locate it in): each
/// problem as `path: message`, the other place named by its path.
pub fn rule_problems<T: Document>(document: &T) -> Vec<String> {
    let mut findings = Findings::default();
    for rule in T::RULES {
        findings.rule = rule.name;
        (rule.check)(document, &mut findings);
    }
    findings
        .found
        .iter()
        .map(|finding| {
            let other = finding
                .other
                .as_ref()
                .map(|other| format!("`{}`", Dotted(other)))
                .unwrap_or_default();
            format!(
                "{}: {}",
                Dotted(&finding.path),
                finding.message.replace("{other}", &other)
            )
        })
        .collect()
}

/// Parses, validates and checks a document. Builds the source map only when `want_map` or
/// when a problem needs locating: on the happy path the reader records no locations.
pub fn parse<T: Document>(
    display: &str,
    text: &str,
    want_map: bool,
) -> Result<(T, Option<SourceMap>), PolicyError> {
    let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if len > MAX_POLICY_BYTES {
        return Err(too_large(display, len));
    }
    let converted = match yaml::convert(text, want_map) {
        Ok(converted) => converted,
        // Again with locations, so that a duplicate key can name the first one's line.
        Err(problems) => {
            let problems = yaml::convert(text, true).err().unwrap_or(problems);
            return Err(located(
                display,
                problems.into_iter().map(|p| (p.at, p.message)),
            ));
        }
    };
    let value = match converted.value {
        None | Some(Value::Null) => {
            return Err(PolicyError::single(Diagnostic::file(
                display,
                "empty policy file (it needs at least `version: 1`)",
            )));
        }
        Some(value) => value,
    };
    let bad_values = converted.bad_values;
    let mut map = converted.root.map(|root| SourceMap::from_root(Some(root)));
    let compiled = schema::compiled::<T>().map_err(|err| {
        PolicyError::single(Diagnostic::file(
            display,
            format!("internal error: the policy schema does not compile ({err}); please report it"),
        ))
    })?;
    if !bad_values.is_empty() || !compiled.validator.is_valid(&value) {
        let map = map.get_or_insert_with(|| SourceMap::build(text));
        // A value that could not be read is `null` in `value`: say why, not that it is empty.
        let skip: Vec<&[Segment]> = bad_values.iter().map(|(path, _)| path.as_slice()).collect();
        let explained = report::explain_all(&compiled, &value, map, text, &skip);
        // The rules, on what passes: every problem of the file at once.
        let ruled = salvage(&compiled, &value)
            .and_then(|rest| serde_json::from_value::<T>(rest).ok())
            .map(|rest| locate(rule_findings(&rest), map))
            .unwrap_or_default();
        let problems = bad_values
            .iter()
            .map(|(_, p)| (p.at, p.message.clone()))
            .chain(explained.into_iter().map(|e| (e.at, e.message)))
            .chain(ruled);
        return Err(located(display, problems));
    }
    let document: T = serde_json::from_value(value).map_err(|err| {
        PolicyError::single(Diagnostic::file(
            display,
            format!(
                "internal error: the policy passed its schema but could not be read ({}); please report it",
                crate::output::untrusted::escape(&err.to_string())
            ),
        ))
    })?;
    let found = rule_findings(&document);
    if found.is_empty() {
        return Ok((document, map));
    }
    let map = map.get_or_insert_with(|| SourceMap::build(text));
    Err(located(display, locate(found, map).into_iter()))
}

/// Runs the type's rules on a document.
fn rule_findings<T: Document>(document: &T) -> Vec<Finding> {
    let mut findings = Findings::default();
    for rule in T::RULES {
        findings.rule = rule.name;
        (rule.check)(document, &mut findings);
    }
    findings.found
}

/// Locates what the rules found: at the key or the value, `{other}` as the other line.
fn locate(found: Vec<Finding>, map: &SourceMap) -> Vec<(Option<(usize, usize)>, String)> {
    found
        .into_iter()
        .map(|finding| {
            let at = if finding.at_key {
                map.locate_path(&finding.path)
            } else {
                map.locate_value_path(&finding.path)
            };
            let mut message = finding.message;
            if let Some(other) = finding.other {
                let line = map.locate_path(&other).map_or_else(
                    || String::from("another line"),
                    |(line, _)| format!("line {line}"),
                );
                message = message.replace("{other}", &line);
            }
            (at, message)
        })
        .collect()
}

/// Parses YAML text into JSON with the loader's reader and limits, for checking a file
/// against the JSON Schema as an editor would. An empty document is `null`.
pub fn to_json(display: &str, text: &str) -> Result<Value, PolicyError> {
    let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if len > MAX_POLICY_BYTES {
        return Err(too_large(display, len));
    }
    let problems = match yaml::convert(text, false) {
        Ok(converted) if converted.bad_values.is_empty() => {
            return Ok(converted.value.unwrap_or(Value::Null));
        }
        Ok(converted) => converted.bad_values.into_iter().map(|(_, p)| p).collect(),
        Err(problems) => problems,
    };
    Err(located(
        display,
        problems.into_iter().map(|p| (p.at, p.message)),
    ))
}

/// Turns located messages into an error, in file order (whole-file problems first).
fn located(
    display: &str,
    problems: impl Iterator<Item = (Option<(usize, usize)>, String)>,
) -> PolicyError {
    let mut diagnostics: Vec<Diagnostic> = problems
        .map(|(at, message)| match at {
            Some((line, column)) => Diagnostic::at(display, line, column, message),
            None => Diagnostic::file(display, message),
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
    PolicyError { diagnostics }
}
