//! GitHub's request and response shapes, exactly as the REST API (version 2022-11-28)
//! documents them, for the operations gh-policy uses. Nothing here decides anything: these
//! are the bodies `rest` sends and parses, and `convert` turns them into the model and back.
//! The types never leave `github/`.
//!
//! Response types are lenient where GitHub is (a section may be missing or `null`, both
//! meaning "off") and strict where it matters (a field of the wrong type is an error).

pub mod account;
pub mod actions;
pub mod checks;
pub mod environment;
pub mod findings;
pub mod issue;
pub mod properties;
pub mod protection;
pub mod rate_limit;
pub mod ruleset;
pub mod switches;

use serde::Deserialize;

/// `{ "enabled": bool }`, GitHub's wrapper of a boolean setting in GET answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Enabled {
    /// The flag.
    #[serde(default)]
    pub enabled: bool,
}

/// Returns the flag of an optional wrapper; absent means off.
pub fn enabled(flag: Option<&Enabled>) -> bool {
    flag.is_some_and(|flag| flag.enabled)
}
