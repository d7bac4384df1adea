//! What pull requests into a repository meet beyond its protection (DESIGN §13): who has
//! write access, the CODEOWNERS file, the pull requests, and what reported on each commit.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::CheckRunSeed;

/// A repository's collaborators, CODEOWNERS file, pull requests and commits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivitySeed {
    /// Who has access, with their permission. Absent: the seed's users, `write` for those
    /// with `write_access`, else `read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collaborators: Option<Vec<CollaboratorSeed>>,
    /// The CODEOWNERS file; absent: the repository has none (`codeowners/errors` answers 404).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codeowners: Option<CodeownersSeed>,
    /// Pull requests, oldest first (`updated_at` follows that order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pull_requests: Vec<PullRequestSeed>,
    /// What reported on each commit, by sha.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub commits: BTreeMap<String, CommitSeed>,
}

impl ActivitySeed {
    /// Returns true when nothing is seeded.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A collaborator and their permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollaboratorSeed {
    /// Login (a user of the seed, or any login).
    pub login: String,
    /// `admin`, `maintain`, `write`, `triage` or `read`.
    pub permission: String,
}

/// A CODEOWNERS file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeownersSeed {
    /// Where it is (`.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`).
    #[serde(default = "codeowners_path")]
    pub path: String,
    /// Its syntax errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<CodeownersErrorSeed>,
}

fn codeowners_path() -> String {
    ".github/CODEOWNERS".to_owned()
}

/// One syntax error of a CODEOWNERS file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeownersErrorSeed {
    /// Line, 1-based.
    pub line: u64,
    /// `Invalid pattern`, `Invalid owner`, `Unknown owner`…
    pub kind: String,
    /// The line as written.
    pub source: String,
}

/// A pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequestSeed {
    /// The branch it merges into.
    pub base: String,
    /// Its head commit.
    pub head_sha: String,
    /// `open` or `closed`.
    #[serde(default = "closed")]
    pub state: String,
    /// Whether it was merged (a merged pull request is closed).
    #[serde(default)]
    pub merged: bool,
}

fn closed() -> String {
    "closed".to_owned()
}

/// What reported on one commit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitSeed {
    /// Check runs, each by the app that ran it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_runs: Vec<CheckRunSeed>,
    /// Contexts of successful commit statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
}

impl ActivitySeed {
    /// Adds a pull request merged into `base`, its head `sha` reported on by these check
    /// runs (name, app slug) and statuses.
    #[must_use]
    pub fn merged(
        mut self,
        base: &str,
        sha: &str,
        runs: &[(&str, &str)],
        statuses: &[&str],
    ) -> Self {
        self.pull_requests.push(PullRequestSeed {
            base: base.to_owned(),
            head_sha: sha.to_owned(),
            state: closed(),
            merged: true,
        });
        self.commits.insert(
            sha.to_owned(),
            CommitSeed {
                check_runs: runs
                    .iter()
                    .map(|(name, app)| CheckRunSeed {
                        name: (*name).to_owned(),
                        app: (*app).to_owned(),
                    })
                    .collect(),
                statuses: statuses.iter().map(|s| (*s).to_owned()).collect(),
            },
        );
        self
    }

    /// Sets the collaborators: (login, permission).
    #[must_use]
    pub fn collaborators(mut self, people: &[(&str, &str)]) -> Self {
        self.collaborators = Some(
            people
                .iter()
                .map(|(login, permission)| CollaboratorSeed {
                    login: (*login).to_owned(),
                    permission: (*permission).to_owned(),
                })
                .collect(),
        );
        self
    }

    /// Adds a CODEOWNERS file with these errors: (line, kind, source).
    #[must_use]
    pub fn codeowners(mut self, errors: &[(u64, &str, &str)]) -> Self {
        self.codeowners = Some(CodeownersSeed {
            path: codeowners_path(),
            errors: errors
                .iter()
                .map(|(line, kind, source)| CodeownersErrorSeed {
                    line: *line,
                    kind: (*kind).to_owned(),
                    source: (*source).to_owned(),
                })
                .collect(),
        });
        self
    }
}
