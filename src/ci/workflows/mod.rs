//! Cross-checks a policy against the repository's GitHub Actions workflows.
//!
//! A required status check is a name that some job must report. When a job is renamed, the
//! policy keeps requiring the old name and every pull request waits forever for a check that
//! nothing produces. Likewise a job that deploys to an environment the policy does not list
//! escapes the policy. `scan` reads `.github/workflows` into a `WorkflowIndex` (the check names
//! jobs can produce, the environments they deploy to); `check` compares it with the policy.
//!
//! Check names follow GitHub Actions:
//! - a job reports its `name:`, or its job id when it has none;
//! - a job with a `strategy.matrix` reports one check per combination. When its name has no
//!   `${{ }}` expression, the combination's values are appended: `test (ubuntu-latest, 18)`, in
//!   key order, skipping empty values. When the name has expressions, they are substituted and
//!   nothing is appended;
//! - a job calling a reusable workflow (`uses:`) reports `<caller> / <called job>` for each job
//!   of the called workflow;
//! - jobs of a workflow triggered only by `workflow_call` report nothing by themselves.
//!
//! What cannot be known statically (`${{ inputs.x }}`, `fromJSON(...)` matrices, remote reusable
//! workflows) becomes a wildcard in a name pattern (`deploy *`, `ci / *`). A required check that
//! such a pattern matches is not reported: it may well be produced, and a warning on every run
//! that cannot be fixed would teach users to ignore the others. A check no exact name and no
//! pattern matches is reported, with the closest produced name as a hint.
//!
//! The files come from the pull request being checked, so they are hostile input. Every
//! limit is in `limits.rs`, and a limit that is reached is a located warning. A file that is
//! not read (too large, a link, not UTF-8) adds nothing, like one that does not parse; names
//! whose working out a budget cut short become wildcards rather than guesses, and so do the
//! names of a job whose matrix is over GitHub's 256 jobs (GitHub refuses to run it). Every
//! piece of outside text that reaches a warning goes through `crate::output::untrusted` (see
//! `WorkflowWarning`).
//!
//! The parts: `scan.rs` finds, reads and parses the files; `yaml.rs` is the value they parse
//! into; `jobs.rs` turns jobs into check names and environments, with `jobs/calls.rs` for
//! calls to reusable workflows, `matrix.rs` for matrices, `names.rs` for name templates and
//! `name_pattern.rs` for names with wildcards; this file holds the public types and the
//! comparison with a policy.

mod jobs;
mod limits;
mod matrix;
mod name_pattern;
mod names;
mod scan;
mod yaml;

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use name_pattern::NamePattern;

use crate::Error;
use crate::model::{RepoSettings, RequiredCheck};
use crate::output::untrusted::{escape, quote};
use crate::policy::levenshtein;
use limits::MAX_CHECK_STEPS;

/// The slug of the GitHub App that reports GitHub Actions jobs.
const ACTIONS_APP_SLUG: &str = "github-actions";
/// The id of the GitHub App that reports GitHub Actions jobs.
const ACTIONS_APP_ID: i64 = 15368;

/// One warning about the policy vs the workflows.
///
/// `message` is safe to print: every name, value and file name from a workflow or policy
/// file in it has gone through `crate::output::untrusted`, so it is one line without control
/// characters. `file` is the path as found; escape it too before printing it.
///
/// A warning is located in a workflow file (`file`, `line`) where one is to blame (a file
/// that does not parse, the job a renamed check most likely came from, a deployment to an
/// unlisted environment), else at the policy setting it is about (`setting`), which the
/// caller, who has the policy's source map, turns into a line of the policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowWarning {
    /// The workflow file the warning is about, when there is one.
    pub file: Option<PathBuf>,
    /// The 1-based line in `file`, when known.
    pub line: Option<usize>,
    /// The dotted path of the policy setting the warning is about, when it is not located
    /// in a workflow file, e.g. `branches.dev.status_checks.required.0`.
    pub setting: Option<String>,
    /// What is wrong, as one sentence without a trailing period.
    pub message: String,
}

/// What the workflows of one directory produce, as far as it can be known without running them.
///
/// Names, job ids and environments are kept as written (raw outside text); `check` escapes
/// them in its warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkflowIndex {
    /// The directory that was scanned, as given.
    pub dir: PathBuf,
    /// The check names jobs can produce, in file order then job order.
    pub checks: Vec<ProducedCheck>,
    /// Every literal `environment:` of every job.
    pub environments: Vec<EnvironmentUse>,
    /// Files that could not be read or parsed, calls that could not be followed, and limits
    /// that were reached; already escaped.
    pub problems: Vec<WorkflowWarning>,
}

impl WorkflowIndex {
    /// Returns the checks whose name may be unknown (it contains a wildcard).
    pub fn unknowns(&self) -> impl Iterator<Item = &ProducedCheck> {
        self.checks.iter().filter(|c| !c.name.is_exact())
    }
}

/// A check name a job reports, and where the job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducedCheck {
    /// The name, exact or with wildcards.
    pub name: NamePattern,
    /// The workflow file of the job that starts the run (the caller for reusable workflows).
    pub file: PathBuf,
    /// The job id in `file`.
    pub job: String,
    /// The line of the job's `name:` key, or of its id when it has no name.
    pub line: Option<usize>,
}

/// A job deploying to an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentUse {
    /// The environment's name.
    pub environment: String,
    /// The workflow file.
    pub file: PathBuf,
    /// The job id.
    pub job: String,
    /// The line of the `environment:` key.
    pub line: Option<usize>,
}

/// Reads every `*.yml` / `*.yaml` in `dir` and returns what it knows.
///
/// Only an unreadable directory is an error; a file that cannot be read or parsed, or that
/// goes over a limit, becomes a problem in the index, so that one broken workflow does not
/// hide the others.
pub fn scan(dir: &Path) -> Result<WorkflowIndex, Error> {
    scan_counting(dir).map(|(index, _)| index)
}

/// Scans like `scan`, and returns the steps spent on check names too.
fn scan_counting(dir: &Path) -> Result<(WorkflowIndex, u64), Error> {
    let listing = scan::list(dir)?;
    let mut index = WorkflowIndex {
        dir: dir.to_path_buf(),
        ..WorkflowIndex::default()
    };
    let steps = jobs::index_all(&listing, &mut index);
    Ok((index, steps))
}

/// Returns a file's name for a message, escaped.
fn file_name(file: &Path) -> String {
    let name = file
        .file_name()
        .map_or_else(|| file.to_string_lossy(), |name| name.to_string_lossy());
    escape(&name).into_owned()
}

/// Compares the policy with the workflows.
///
/// Returns, in this order: the index's problems (unparsable files, missing called
/// workflows, limits), required checks no job can produce (by branch, then in policy order),
/// and jobs deploying to environments the policy does not list (by file, then job). The
/// comparison has a budget of its own: past it, the remaining required checks are counted in
/// one warning instead of being compared.
pub fn check(policy: &RepoSettings, index: &WorkflowIndex) -> Vec<WorkflowWarning> {
    let mut warnings = index.problems.clone();
    let dir = escape(&index.dir.to_string_lossy()).into_owned();
    let produced = Produced::new(index);
    let mut budget = Budget(MAX_CHECK_STEPS);
    let mut not_compared = 0_usize;
    // Every list of required checks: a branch's, a ruleset's, a requirement's.
    let lists = policy
        .branches
        .iter()
        .filter_map(|(branch, settings)| {
            let checks = settings.status_checks.as_ref()?;
            Some((
                format!("branches.{branch}"),
                format!("branches.{branch}.status_checks.required"),
                &checks.required,
            ))
        })
        .chain(policy.rulesets.iter().filter_map(|(name, ruleset)| {
            let checks = ruleset.rules.status_checks.as_ref()?;
            Some((
                format!("rulesets.{name}"),
                format!("rulesets.{name}.rules.status_checks.required"),
                &checks.required,
            ))
        }))
        .chain(policy.requirements.iter().map(|(key, requirement)| {
            (
                format!("requirements.{key}"),
                format!("requirements.{key}.required_checks"),
                &requirement.required_checks,
            )
        }));
    for (owner, list, required_checks) in lists {
        let mut seen = BTreeSet::new();
        for (position, required) in required_checks.iter().enumerate() {
            if !from_actions(required) || !seen.insert(required.context.as_str()) {
                continue;
            }
            let context = &required.context;
            match produced.covers(context, &mut budget) {
                Some(true) => continue,
                Some(false) => {}
                None => {
                    not_compared += 1;
                    continue;
                }
            }
            let mut warning = WorkflowWarning {
                file: None,
                line: None,
                setting: Some(format!("{list}.{position}")),
                message: format!(
                    "required check {} of {} is not produced by any workflow job in {dir} (a renamed job blocks every pull request)",
                    quote(context),
                    escape(&owner)
                ),
            };
            if let Some((closest, name)) = produced.closest(context, &mut budget) {
                let _ = write!(
                    warning.message,
                    "; did you mean {} from {}?",
                    quote(name),
                    file_name(&closest.file)
                );
                warning.file = Some(closest.file.clone());
                warning.line = closest.line;
                warning.setting = None;
            }
            warnings.push(warning);
        }
    }
    if not_compared > 0 {
        warnings.push(WorkflowWarning {
            file: None,
            line: None,
            setting: Some("branches".to_owned()),
            message: format!(
                "{not_compared} required check(s) were not compared with the workflow jobs in {dir}: comparing takes more than {MAX_CHECK_STEPS} steps"
            ),
        });
    }
    for used in &index.environments {
        if policy.environments.contains_key(used.environment.as_str()) {
            continue;
        }
        warnings.push(WorkflowWarning {
            file: Some(used.file.clone()),
            line: used.line,
            setting: None,
            message: format!(
                "workflow {} job {} deploys to environment {}, which the policy does not list",
                file_name(&used.file),
                quote(&used.job),
                quote(&used.environment)
            ),
        });
    }
    warnings
}

/// Returns true when GitHub Actions may be the app that reports the check.
fn from_actions(check: &RequiredCheck) -> bool {
    check
        .app
        .as_deref()
        .is_none_or(|app| app == ACTIONS_APP_SLUG)
        && check.app_id.is_none_or(|id| id == ACTIONS_APP_ID)
}

/// The steps `check` may still spend.
struct Budget(u64);

impl Budget {
    /// Spends `steps`; false when there were not that many left.
    fn spend(&mut self, steps: usize) -> bool {
        let steps = u64::try_from(steps).unwrap_or(u64::MAX);
        if let Some(left) = self.0.checked_sub(steps) {
            self.0 = left;
            true
        } else {
            self.0 = 0;
            false
        }
    }
}

/// The produced names, arranged for comparison: exact names in a set and in first-seen
/// order, and each distinct pattern once.
struct Produced<'a> {
    exact: HashSet<String>,
    /// Each distinct exact name with its first check and its length in characters.
    first: Vec<(&'a ProducedCheck, String, usize)>,
    patterns: Vec<&'a NamePattern>,
}

impl<'a> Produced<'a> {
    fn new(index: &'a WorkflowIndex) -> Self {
        let mut exact = HashSet::new();
        let mut first = Vec::new();
        let mut patterns = Vec::new();
        let mut seen_patterns = HashSet::new();
        for check in &index.checks {
            if let Some(name) = check.name.as_exact() {
                if exact.insert(name.clone()) {
                    let chars = name.chars().count();
                    first.push((check, name, chars));
                }
            } else if seen_patterns.insert(&check.name) {
                patterns.push(&check.name);
            }
        }
        Self {
            exact,
            first,
            patterns,
        }
    }

    /// Returns whether some job may produce `context`; `None` when the budget ran out.
    fn covers(&self, context: &str, budget: &mut Budget) -> Option<bool> {
        if !budget.spend(context.len() + 1) {
            return None;
        }
        if self.exact.contains(context) {
            return Some(true);
        }
        for pattern in &self.patterns {
            let (matches, steps) = pattern.match_counting(context);
            if !budget.spend(steps + 1) {
                return None;
            }
            if matches {
                return Some(true);
            }
        }
        Some(false)
    }

    /// Returns the produced exact name closest to `context`: a reusable workflow's check
    /// `<caller> / context` (the bare name of a called job is a common mistake), else the
    /// name fewest edits away when close enough to be a plausible rename (at most a third
    /// of the longer name changed, or 2 edits). No hint when the budget runs out.
    fn closest(&self, context: &str, budget: &mut Budget) -> Option<(&'a ProducedCheck, &str)> {
        let called = format!(" / {context}");
        for (check, name, _) in &self.first {
            if !budget.spend(called.len().min(name.len()) + 1) {
                return None;
            }
            if name.ends_with(&called) {
                return Some((check, name));
            }
        }
        let length = context.chars().count();
        let mut best: Option<(usize, &'a ProducedCheck, &str)> = None;
        for (check, name, chars) in &self.first {
            let limit = (length.max(*chars) / 3).max(2);
            // The distance is at least the difference in length.
            if length.abs_diff(*chars) > limit {
                continue;
            }
            if !budget.spend(length.saturating_mul(*chars) + 1) {
                return None;
            }
            let distance = levenshtein(context, name);
            if distance <= limit && best.is_none_or(|(d, _, _)| distance < d) {
                best = Some((distance, check, name));
            }
        }
        best.map(|(_, check, name)| (check, name))
    }
}

#[cfg(test)]
mod tests;
