//! Unit tests of the workflow cross-check, by concern; this file holds the helpers they
//! share. Hostile input: every case finishes with bounded work and says what it skipped.

mod calls;
mod check;
mod escaping;
mod files;
mod matching;
mod matrices;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::jobs::{names_of_job, only_workflow_call};
use super::yaml::Yaml;
use super::*;
use crate::model::{Branch, Environment, StatusChecks};
use crate::testing::name;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workflows")
        .join(name)
}

fn scan_fixture(name: &str) -> WorkflowIndex {
    scan(&fixture(name)).unwrap()
}

/// A policy requiring `checks` on `dev` and listing `environments`.
fn policy(checks: &[RequiredCheck], environments: &[&str]) -> RepoSettings {
    let mut settings = RepoSettings::empty();
    settings.branches.insert(
        name("dev"),
        Branch {
            status_checks: Some(StatusChecks {
                strict: false,
                required: checks.to_vec(),
            }),
            ..Branch::default()
        },
    );
    settings.environments = environments
        .iter()
        .map(|environment| (name(environment), Environment::default()))
        .collect::<BTreeMap<_, _>>();
    settings
}

fn required(names: &[&str]) -> Vec<RequiredCheck> {
    names.iter().map(|n| RequiredCheck::any_app(*n)).collect()
}

/// The names one job reports, as text.
fn job_names(id: &str, job: &Yaml) -> Vec<String> {
    names_of_job(id, job)
        .0
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn names(index: &WorkflowIndex) -> Vec<String> {
    index.checks.iter().map(|c| c.name.to_string()).collect()
}

/// Writes `files` (name, text) into a new temporary directory.
fn workflows_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// A job `test` with a matrix of `keys` keys of `values` values each, then `extra` lines
/// under `matrix:`.
fn matrix_job(keys: usize, values: usize, extra: &str) -> String {
    let mut text = String::from("strategy:\n  matrix:\n");
    for key in 0..keys {
        let list: Vec<String> = (0..values).map(|v| v.to_string()).collect();
        let _ = writeln!(text, "    k{key}: [{}]", list.join(", "));
    }
    text.push_str(extra);
    text
}

fn parse_job(text: &str) -> Yaml {
    serde_saphyr::from_str(text).unwrap()
}

fn messages(warnings: &[WorkflowWarning]) -> Vec<&str> {
    warnings.iter().map(|w| w.message.as_str()).collect()
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().fold(String::new(), |mut out, line| {
        let _ = writeln!(out, "{pad}{line}");
        out
    })
}

/// Runs `work` on another thread and returns its result; fails the test, instead of
/// hanging it, when the work takes more than a minute. Only a hang detector: the work
/// itself is bounded by assertions on steps.
fn within_a_minute<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(work()));
    result
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("finished within a minute")
}

impl NamePattern {
    /// Returns the pattern with a wildcard appended (test shorthand).
    fn tap_any(mut self) -> Self {
        self.push_any();
        self
    }
}
