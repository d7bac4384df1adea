//! A saved plan (`plan --out FILE`, read by `apply --plan FILE`; DESIGN §15): the JSON plan
//! `plan --format json` writes, plus a `saved` object saying what the plan was made from —
//! the gh-policy version, the policy file's digest, which secret values were there, and a
//! fingerprint of everything read from GitHub (`reads`).
//!
//! The file stays a plan file: `issue` and `comment` read it like any other. Its `saved`
//! object is read strictly (an unknown or missing key is an error at its line and column),
//! because `apply` acts on it.

mod differs;
pub mod reads;

#[cfg(test)]
mod tests;

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Plan;
use super::file::{self, Plans};
use crate::output::untrusted::quote;
pub use differs::Differs;
use reads::Fingerprints;

/// The version of the `saved` object this gh-policy writes and reads.
pub const FORMAT: u32 = 1;

/// What a saved plan was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MadeFrom {
    /// The version of the `saved` object (`FORMAT`).
    pub format: u32,
    /// The gh-policy version that made the plan: only the same version applies it.
    pub gh_policy: String,
    /// When the plan was made (RFC 3339), for people.
    pub made_at: String,
    /// The policy file.
    pub policy: PolicyDigest,
    /// The variables that held a secret's value where the plan was made: only those
    /// secrets are created, as the plan says.
    pub secret_values: Vec<String>,
    /// A fingerprint of each thing read from GitHub.
    pub reads: Fingerprints,
}

/// A policy file, as the plan read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDigest {
    /// Its path, as given to `plan`.
    pub path: String,
    /// The hex SHA-256 of its bytes.
    pub sha256: String,
}

impl PolicyDigest {
    /// Returns the digest of a policy file's bytes.
    pub fn of(path: &Path, bytes: &[u8]) -> Self {
        use sha2::Digest as _;
        Self {
            path: path.display().to_string(),
            sha256: reads::hex(&sha2::Sha256::digest(bytes)),
        }
    }
}

/// A saved plan, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedPlan {
    /// The plan, as `file` reads it (without the writes: `apply` makes them again).
    pub plan: Plan,
    /// What it was made from.
    pub made_from: MadeFrom,
    /// The file's name and text, to locate what differs in it.
    pub display: String,
    text: String,
}

/// Why a saved plan cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SavedPlanError(String);

/// Returns the text of a saved plan: the JSON plan with `saved` last.
///
/// # Panics
///
/// Never: the JSON renderer writes a JSON object, and `MadeFrom` holds only strings,
/// numbers and maps.
pub fn render(plan: &Plan, made_from: &MadeFrom) -> String {
    let mut document: Value = serde_json::from_str(&render_plan(plan))
        .expect("the JSON renderer writes JSON, because it serialises with serde_json");
    if let Some(object) = document.as_object_mut() {
        object.insert(
            "saved".to_owned(),
            serde_json::to_value(made_from)
                .expect("`MadeFrom` serialises, because it holds only strings, numbers and maps"),
        );
    }
    let mut text = serde_json::to_string_pretty(&document)
        .expect("a JSON value serialises, because its keys are strings");
    text.push('\n');
    text
}

/// Writes a saved plan to `path`, whole or not at all (a temporary file, then renamed).
pub fn write(path: &Path, plan: &Plan, made_from: &MadeFrom) -> std::io::Result<()> {
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.partial"));
    std::fs::write(&temporary, render(plan, made_from))?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// Reads a saved plan from `path`.
pub fn read(path: &Path) -> Result<SavedPlan, SavedPlanError> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|err| SavedPlanError(format!("cannot read the saved plan {display}: {err}")))?;
    parse(&display, text)
}

/// Parses the text of a saved plan; `display` names it in errors.
pub fn parse(display: &str, text: String) -> Result<SavedPlan, SavedPlanError> {
    let read = file::parse(display, &text).map_err(|err| SavedPlanError(err.to_string()))?;
    let plan = match read.plans {
        Plans::Repository(plan) => plan,
        Plans::Organization(org) => {
            return Err(SavedPlanError(format!(
                "{display} is the plan of the organisation {}: `apply --plan` applies the saved plan of one repository",
                quote(&org.organization)
            )));
        }
    };
    let outer: Outer = serde_json::from_str(&text).map_err(|err| {
        let message = err.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(message, _)| message);
        SavedPlanError(format!(
            "{display}:{}:{}: `saved` is not as `gh-policy plan --out` writes it: {message}",
            err.line(),
            err.column()
        ))
    })?;
    let Some(made_from) = outer.saved else {
        return Err(SavedPlanError(format!(
            "{display} is a plan without what it was made from (no `saved`): make it with `gh-policy plan --out {display}`"
        )));
    };
    if made_from.format != FORMAT {
        return Err(SavedPlanError(format!(
            "{display}: `saved.format` is {}; this gh-policy reads format {FORMAT}",
            made_from.format
        )));
    }
    Ok(SavedPlan {
        plan,
        made_from,
        display: display.to_owned(),
        text,
    })
}

/// A saved plan's own key, read strictly.
#[derive(Deserialize)]
struct Outer {
    saved: Option<MadeFrom>,
}

/// A plan's JSON.
fn render_plan(plan: &Plan) -> String {
    let mut json = Vec::new();
    crate::render::render(plan, crate::render::Format::Json, false, &mut json)
        .expect("writing to a Vec cannot fail, because it only grows");
    String::from_utf8(json).expect("the JSON renderer writes UTF-8, because serde_json does")
}
