//! Turning the jobs of parsed workflows into the check names they report and the
//! environments they deploy to: names and matrices here, calls to local reusable workflows
//! in `calls.rs`.
//!
//! All the work that grows with the input is charged to a `Meter`. When a job's, a file's
//! or the scan's budget runs out, the job's names fall back to what can be said without the
//! expensive part (its name with every expression, matrix and call as a wildcard), and one
//! located warning says so. Environments are collected in a separate pass that costs one
//! look per job, so no budget can hide a deployment.

mod calls;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;

use super::limits::{Exhausted, MAX_FILE_STEPS, MAX_JOB_STEPS, MAX_MATRIX_JOBS};
use super::limits::{MAX_SCAN_STEPS, Meter};
use super::matrix::{self, Matrix};
use super::name_pattern::NamePattern;
use super::names::{fallback_name, substitute, unknown_matrix_name, with_values};
use super::scan::{self, Listing};
use super::yaml::{Entry, Yaml};
use super::{EnvironmentUse, ProducedCheck, WorkflowIndex, WorkflowWarning, file_name};
use crate::output::untrusted::quote;

/// Indexes every file of `listing` into `index`; returns the steps spent on check names.
pub(super) fn index_all(listing: &Listing, index: &mut WorkflowIndex) -> u64 {
    let mut indexer = Indexer::new(listing);
    for problem in &listing.problems {
        indexer.problem(problem.clone());
    }
    for source in &listing.files {
        if let Some(problem) = &source.problem {
            indexer.problem(problem.clone());
        }
        let Some(text) = &source.text else {
            continue;
        };
        match scan::parse(&source.path, text) {
            Ok(workflow) => indexer.index_workflow(&source.path, &workflow, index),
            Err(problem) => indexer.problem(problem),
        }
    }
    index.problems = indexer.problems;
    indexer.meter.scan_steps()
}

/// The state of one scan.
struct Indexer<'a> {
    listing: &'a Listing,
    meter: Meter,
    /// The check names of called workflows (without the caller's prefix), by file name;
    /// `None` for one whose names took more than a budget.
    called: HashMap<String, Option<Rc<Vec<NamePattern>>>>,
    /// The file names of the reusable workflows being expanded, to stop on a cycle.
    stack: Vec<String>,
    problems: Vec<WorkflowWarning>,
    /// The problems already recorded: a call cycle is met from every caller.
    seen_problems: HashSet<(Option<std::path::PathBuf>, Option<usize>, String)>,
    scan_exhausted: bool,
}

impl<'a> Indexer<'a> {
    fn new(listing: &'a Listing) -> Self {
        Self {
            listing,
            meter: Meter::default(),
            called: HashMap::new(),
            stack: Vec::new(),
            problems: Vec::new(),
            seen_problems: HashSet::new(),
            scan_exhausted: false,
        }
    }

    fn problem(&mut self, warning: WorkflowWarning) {
        let key = (warning.file.clone(), warning.line, warning.message.clone());
        if self.seen_problems.insert(key) {
            self.problems.push(warning);
        }
    }

    fn located(&mut self, file: &Path, line: usize, message: String) {
        self.problem(WorkflowWarning {
            file: Some(file.to_path_buf()),
            line: Some(line).filter(|&l| l > 0),
            setting: None,
            message,
        });
    }

    fn index_workflow(&mut self, file: &Path, workflow: &Yaml, index: &mut WorkflowIndex) {
        let Some(jobs) = workflow.get("jobs").and_then(Yaml::as_map) else {
            self.problem(WorkflowWarning {
                file: Some(file.to_path_buf()),
                line: None,
                setting: None,
                message: format!(
                    "workflow {} has no `jobs`, so it was not checked",
                    file_name(file)
                ),
            });
            return;
        };
        for entry in jobs {
            if let Some(used) = environment_of(file, entry) {
                index.environments.push(used);
            }
        }
        if only_workflow_call(workflow) {
            return;
        }
        self.meter.start_file();
        let mut file_exhausted = false;
        // The file itself is the first level of calls, so that a call back to it is a cycle.
        self.stack.clear();
        self.stack.push(
            file.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        );
        for entry in jobs {
            self.meter.start_job();
            let names = match self.job_names(file, &entry.key, &entry.value) {
                Ok(names) => names,
                Err(exhausted) => {
                    self.exhausted(exhausted, file, entry, &mut file_exhausted);
                    vec![fallback_name(&entry.key, &entry.value)]
                }
            };
            let line = entry.value.get_entry("name").map_or(entry.line, |n| n.line);
            for name in names {
                index.checks.push(ProducedCheck {
                    name,
                    file: file.to_path_buf(),
                    job: entry.key.clone(),
                    line: Some(line).filter(|&l| l > 0),
                });
            }
        }
    }

    /// Records that a budget ran out at job `entry`, once per job, file or scan.
    fn exhausted(&mut self, what: Exhausted, file: &Path, entry: &Entry, file_done: &mut bool) {
        let job = quote(&entry.key);
        let name = file_name(file);
        let message = match what {
            Exhausted::Job => format!(
                "workflow {name} job {job}: working out its check names takes more than {MAX_JOB_STEPS} steps, so they were treated as unknown"
            ),
            Exhausted::File if !*file_done => {
                *file_done = true;
                format!(
                    "workflow {name}: working out check names takes more than {MAX_FILE_STEPS} steps, so the names of job {job} and the jobs after it were treated as unknown"
                )
            }
            Exhausted::Scan if !self.scan_exhausted => {
                self.scan_exhausted = true;
                format!(
                    "working out check names takes more than {MAX_SCAN_STEPS} steps in all, so the names of workflow {name} job {job} and every job after it were treated as unknown"
                )
            }
            Exhausted::File | Exhausted::Scan => return,
        };
        self.located(file, entry.line, message);
    }

    /// Returns the check names one job reports.
    fn job_names(
        &mut self,
        file: &Path,
        id: &str,
        job: &Yaml,
    ) -> Result<Vec<NamePattern>, Exhausted> {
        let own = self.display_names(file, id, job)?;
        let Some(uses) = job.get_entry("uses") else {
            return Ok(own);
        };
        let called = match uses.value.scalar() {
            Some(target) => self.called_names(file, id, &target, uses.line)?,
            None => Rc::new(vec![NamePattern::any()]),
        };
        let mut names = Vec::new();
        let mut seen = HashSet::new();
        for caller in &own {
            for callee in called.iter() {
                self.meter.charge(caller.len() + callee.len() + 3)?;
                let mut name = caller.clone();
                name.push_str(" / ");
                name.append(callee);
                if seen.insert(name.clone()) {
                    names.push(name);
                }
            }
        }
        Ok(names)
    }

    /// Returns the names a job shows, one per matrix combination.
    fn display_names(
        &mut self,
        file: &Path,
        id: &str,
        job: &Yaml,
    ) -> Result<Vec<NamePattern>, Exhausted> {
        let name = job.get("name").and_then(Yaml::scalar);
        let template = name.as_deref().unwrap_or(id);
        self.meter.charge(template.len() + 1)?;
        let strategy = job.get("strategy");
        let Some(matrix) = strategy.and_then(|s| s.get_entry("matrix")) else {
            return Ok(vec![substitute(template, None, &mut 0)]);
        };
        let combinations = match matrix::expand(&matrix.value, &mut self.meter)? {
            Matrix::Expanded(combinations) => combinations,
            Matrix::RunTime => return Ok(vec![unknown_matrix_name(template)]),
            Matrix::OverCap { at_least } => {
                self.located(
                    file,
                    matrix.line,
                    format!(
                        "workflow {} job {}: its matrix makes at least {at_least} jobs, more than the {MAX_MATRIX_JOBS} GitHub runs (GitHub refuses such a workflow), so its check names were treated as unknown",
                        file_name(file),
                        quote(id)
                    ),
                );
                return Ok(vec![unknown_matrix_name(template)]);
            }
        };
        let mut names = Vec::new();
        let mut seen = HashSet::new();
        for combination in &combinations {
            let mut steps = template.len() + combination.len();
            let name = if template.contains("${{") {
                substitute(template, Some(combination), &mut steps)
            } else {
                with_values(template, combination)
            };
            self.meter.charge(steps + name.len())?;
            if seen.insert(name.clone()) {
                names.push(name);
            }
        }
        Ok(names)
    }
}

/// Returns the job's use of an environment, when it names one without an expression.
fn environment_of(file: &Path, entry: &Entry) -> Option<EnvironmentUse> {
    let environment = entry.value.get_entry("environment")?;
    let name = match &environment.value {
        Yaml::Map(_) => environment.value.get("name").and_then(Yaml::scalar),
        other => other.scalar(),
    }?;
    if name.is_empty() || name.contains("${{") {
        return None;
    }
    Some(EnvironmentUse {
        environment: name,
        file: file.to_path_buf(),
        job: entry.key.clone(),
        line: Some(environment.line).filter(|&l| l > 0),
    })
}

/// Returns true when the workflow runs only when another workflow calls it.
pub(super) fn only_workflow_call(workflow: &Yaml) -> bool {
    // YAML 1.2 reads `on` as a string; a YAML 1.1 reader would have made it `true`.
    let Some(on) = workflow.get("on").or_else(|| workflow.get("true")) else {
        return false;
    };
    match on {
        Yaml::Str(event) => event == "workflow_call",
        Yaml::Seq(events) => {
            !events.is_empty()
                && events
                    .iter()
                    .all(|e| matches!(e, Yaml::Str(s) if s == "workflow_call"))
        }
        Yaml::Map(events) => !events.is_empty() && events.iter().all(|e| e.key == "workflow_call"),
        _ => false,
    }
}

/// Returns the check names of one job, the problems found and the steps spent, with no
/// files around it: for unit tests of names and matrices.
#[cfg(test)]
pub(super) fn names_of_job(id: &str, job: &Yaml) -> (Vec<NamePattern>, Vec<WorkflowWarning>, u64) {
    let listing = Listing::default();
    let mut indexer = Indexer::new(&listing);
    let file = Path::new("test.yml");
    let names = indexer
        .job_names(file, id, job)
        .unwrap_or_else(|_| vec![fallback_name(id, job)]);
    (names, indexer.problems, indexer.meter.scan_steps())
}
