//! What reported a commit's checks: `GET /repos/{o}/{r}/commits/{ref}/check-runs`, the one
//! place GitHub names the app behind an app id (emulator/github-api/QUIRKS.md 63).

use serde::Deserialize;

use super::account::App;

/// One check run: its name and the app that reported it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckRun {
    /// The check's name (the context a required check names).
    pub name: String,
    /// The app that reported it.
    #[serde(default)]
    pub app: Option<App>,
}

/// The answer: one page of check runs (`total_count` aside).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckRuns {
    /// The runs.
    pub check_runs: Vec<CheckRun>,
}
