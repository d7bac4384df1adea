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

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::Error;
use crate::model::{RepoSettings, RequiredCheck};
use crate::policy::levenshtein;

/// The slug of the GitHub App that reports GitHub Actions jobs.
const ACTIONS_APP_SLUG: &str = "github-actions";
/// The id of the GitHub App that reports GitHub Actions jobs.
const ACTIONS_APP_ID: i64 = 15368;
/// How deep local reusable workflows are followed (GitHub allows 10 levels of nesting).
const MAX_CALL_DEPTH: usize = 10;

/// One warning about the policy vs the workflows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowWarning {
    /// The workflow file the warning is about, when there is one.
    pub file: Option<PathBuf>,
    /// The 1-based line in `file`, when known.
    pub line: Option<usize>,
    /// What is wrong, as one sentence without a trailing period.
    pub message: String,
}

/// What the workflows of one directory produce, as far as it can be known without running them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkflowIndex {
    /// The directory that was scanned, as given.
    pub dir: PathBuf,
    /// The check names jobs can report, in file order then job order.
    pub checks: Vec<ProducedCheck>,
    /// Every literal `environment:` of every job.
    pub environments: Vec<EnvironmentUse>,
    /// Files that could not be read or parsed, and calls that could not be followed.
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

/// A check name in which some parts may be unknown until the workflow runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamePattern(Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// Any text, possibly empty.
    Any,
}

impl NamePattern {
    /// Returns an exact name.
    pub fn exact(name: impl Into<String>) -> Self {
        let mut pattern = Self::default();
        pattern.push_str(&name.into());
        pattern
    }

    /// Returns a name that may be anything.
    pub fn any() -> Self {
        Self(vec![Segment::Any])
    }

    /// Returns true when the name has no wildcard.
    pub fn is_exact(&self) -> bool {
        !self.0.contains(&Segment::Any)
    }

    /// Returns the name when it has no wildcard.
    pub fn as_exact(&self) -> Option<String> {
        self.is_exact().then(|| self.to_string())
    }

    /// Returns true when the pattern can produce `name`.
    pub fn matches(&self, name: &str) -> bool {
        matches_segments(&self.0, name)
    }

    fn push_str(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(Segment::Literal(last)) = self.0.last_mut() {
            last.push_str(text);
        } else {
            self.0.push(Segment::Literal(text.to_owned()));
        }
    }

    fn push_any(&mut self) {
        if self.0.last() != Some(&Segment::Any) {
            self.0.push(Segment::Any);
        }
    }

    fn append(&mut self, other: &Self) {
        for segment in &other.0 {
            match segment {
                Segment::Literal(text) => self.push_str(text),
                Segment::Any => self.push_any(),
            }
        }
    }
}

fn matches_segments(segments: &[Segment], name: &str) -> bool {
    match segments.split_first() {
        None => name.is_empty(),
        Some((Segment::Literal(text), rest)) => name
            .strip_prefix(text.as_str())
            .is_some_and(|tail| matches_segments(rest, tail)),
        Some((Segment::Any, rest)) => name
            .char_indices()
            .map(|(i, _)| i)
            .chain([name.len()])
            .any(|i| matches_segments(rest, &name[i..])),
    }
}

impl fmt::Display for NamePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for segment in &self.0 {
            match segment {
                Segment::Literal(text) => f.write_str(text)?,
                Segment::Any => f.write_str("*")?,
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Scanning

/// Reads every `*.yml` / `*.yaml` in `dir` and returns what it knows.
///
/// Only an unreadable directory is an error; a file that cannot be read or parsed becomes a
/// problem in the index, so that one broken workflow does not hide the others.
pub fn scan(dir: &Path) -> Result<WorkflowIndex, Error> {
    let entries = std::fs::read_dir(dir).map_err(|err| {
        Error::new(format!(
            "failed to read the workflow directory `{}`",
            dir.display()
        ))
        .caused_by(err.to_string())
        .with_hint("pass the directory holding the workflow files (usually .github/workflows)")
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| {
            Error::new(format!(
                "failed to list the workflow directory `{}`",
                dir.display()
            ))
            .caused_by(err.to_string())
        })?;
        let path = entry.path();
        let is_yaml = path
            .extension()
            .is_some_and(|ext| ext == "yml" || ext == "yaml");
        if is_yaml && path.is_file() {
            files.push(path);
        }
    }
    files.sort();

    let mut index = WorkflowIndex {
        dir: dir.to_path_buf(),
        ..WorkflowIndex::default()
    };
    for file in &files {
        let Some(workflow) = load(file, &mut index.problems) else {
            continue;
        };
        index_workflow(dir, file, &workflow, &mut index);
    }
    Ok(index)
}

/// Reads and parses one workflow file; a failure is recorded as a problem.
fn load(file: &Path, problems: &mut Vec<WorkflowWarning>) -> Option<Yaml> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(err) => {
            problems.push(WorkflowWarning {
                file: Some(file.to_path_buf()),
                line: None,
                message: format!(
                    "workflow {} could not be read, so its jobs were not checked: {err}",
                    file_name(file)
                ),
            });
            return None;
        }
    };
    match serde_saphyr::from_str::<Yaml>(&text) {
        Ok(workflow @ Yaml::Map(_)) => Some(workflow),
        Ok(_) => {
            problems.push(WorkflowWarning {
                file: Some(file.to_path_buf()),
                line: None,
                message: format!(
                    "workflow {} is not a mapping with `jobs`, so it was not checked",
                    file_name(file)
                ),
            });
            None
        }
        Err(err) => {
            let line = err
                .location()
                .and_then(|loc| usize::try_from(loc.line()).ok());
            let detail = err.to_string();
            let detail = detail.lines().next().unwrap_or_default();
            let detail = detail.strip_prefix("error: ").unwrap_or(detail);
            problems.push(WorkflowWarning {
                file: Some(file.to_path_buf()),
                line: line.filter(|&l| l > 0),
                message: format!(
                    "workflow {} is not valid YAML, so its jobs were not checked: {detail}",
                    file_name(file)
                ),
            });
            None
        }
    }
}

fn index_workflow(dir: &Path, file: &Path, workflow: &Yaml, index: &mut WorkflowIndex) {
    let Some(jobs) = workflow.get("jobs").and_then(Yaml::as_map) else {
        index.problems.push(WorkflowWarning {
            file: Some(file.to_path_buf()),
            line: None,
            message: format!(
                "workflow {} has no `jobs`, so it was not checked",
                file_name(file)
            ),
        });
        return;
    };
    let standalone = !only_workflow_call(workflow);
    for entry in jobs {
        let job = &entry.value;
        if let Some(environment) = job.get_entry("environment") {
            let name = match &environment.value {
                Yaml::Map(_) => environment.value.get("name").and_then(Yaml::scalar),
                other => other.scalar(),
            };
            if let Some(name) = name.filter(|n| !n.contains("${{") && !n.is_empty()) {
                index.environments.push(EnvironmentUse {
                    environment: name,
                    file: file.to_path_buf(),
                    job: entry.key.clone(),
                    line: Some(environment.line).filter(|&l| l > 0),
                });
            }
        }
        if standalone {
            let line = job.get_entry("name").map_or(entry.line, |name| name.line);
            let mut stack = vec![file.to_path_buf()];
            for name in job_check_names(dir, &entry.key, job, &mut stack, &mut index.problems, file)
            {
                index.checks.push(ProducedCheck {
                    name,
                    file: file.to_path_buf(),
                    job: entry.key.clone(),
                    line: Some(line).filter(|&l| l > 0),
                });
            }
        }
    }
}

/// Returns true when the workflow runs only when another workflow calls it.
fn only_workflow_call(workflow: &Yaml) -> bool {
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

/// Returns the check names one job reports. `stack` holds the workflow files being expanded,
/// to stop on a call cycle; `origin` is the file the run starts from, for problems.
fn job_check_names(
    dir: &Path,
    id: &str,
    job: &Yaml,
    stack: &mut Vec<PathBuf>,
    problems: &mut Vec<WorkflowWarning>,
    origin: &Path,
) -> Vec<NamePattern> {
    let own = display_names(id, job);
    let Some(uses) = job.get("uses") else {
        return own;
    };
    let called = match uses.scalar() {
        Some(uses) => called_job_names(dir, id, &uses, stack, problems, origin),
        None => vec![NamePattern::any()],
    };
    let mut names = Vec::new();
    for caller in &own {
        for callee in &called {
            let mut name = caller.clone();
            name.push_str(" / ");
            name.append(callee);
            names.push(name);
        }
    }
    names
}

/// Returns the check names of the jobs of a called reusable workflow, without the caller's
/// prefix: the jobs of a local workflow that can be read, or a wildcard.
fn called_job_names(
    dir: &Path,
    caller_id: &str,
    uses: &str,
    stack: &mut Vec<PathBuf>,
    problems: &mut Vec<WorkflowWarning>,
    origin: &Path,
) -> Vec<NamePattern> {
    let path = uses.split('@').next().unwrap_or_default();
    let Some(local) = path.strip_prefix("./.github/workflows/") else {
        // A workflow in another repository (`org/repo/.github/workflows/x.yml@v1`), or an
        // expression: its jobs cannot be known here.
        return vec![NamePattern::any()];
    };
    if local.contains('/') || uses.contains("${{") {
        return vec![NamePattern::any()];
    }
    let file = dir.join(local);
    if stack.contains(&file) || stack.len() > MAX_CALL_DEPTH {
        return vec![NamePattern::any()];
    }
    if !file.is_file() {
        problems.push(WorkflowWarning {
            file: Some(origin.to_path_buf()),
            line: None,
            message: format!(
                "workflow {} job `{caller_id}` calls `{uses}`, which does not exist",
                file_name(origin)
            ),
        });
        return vec![NamePattern::any()];
    }
    // A broken called file is reported when the directory scan reaches it.
    let Some(workflow) = load(&file, &mut Vec::new()) else {
        return vec![NamePattern::any()];
    };
    let Some(jobs) = workflow.get("jobs").and_then(Yaml::as_map) else {
        return vec![NamePattern::any()];
    };
    stack.push(file);
    let mut names = Vec::new();
    for entry in jobs {
        names.extend(job_check_names(
            dir,
            &entry.key,
            &entry.value,
            stack,
            problems,
            origin,
        ));
    }
    stack.pop();
    names
}

/// Returns the names a job shows, one per matrix combination.
fn display_names(id: &str, job: &Yaml) -> Vec<NamePattern> {
    let name = job.get("name").and_then(Yaml::scalar);
    let template = name.as_deref().unwrap_or(id);
    let has_expression = template.contains("${{");
    let matrix = job.get("strategy").and_then(|s| s.get("matrix"));
    let Some(matrix) = matrix else {
        return vec![substitute(template, None)];
    };
    let Some(combinations) = expand_matrix(matrix) else {
        // The matrix is computed at run time.
        if has_expression {
            return vec![substitute(template, None)];
        }
        let mut pattern = NamePattern::exact(template);
        pattern.push_any();
        return vec![pattern];
    };
    let mut names = Vec::new();
    for combination in &combinations {
        let name = if has_expression {
            substitute(template, Some(combination))
        } else {
            let mut name = NamePattern::exact(template);
            let values: Vec<NamePattern> = combination
                .iter()
                .filter(|(_, value)| {
                    !matches!(value, Yaml::Null) && value.scalar().as_deref() != Some("")
                })
                .map(|(_, value)| render_value(value))
                .collect();
            if !values.is_empty() {
                name.push_str(" (");
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        name.push_str(", ");
                    }
                    name.append(value);
                }
                name.push_str(")");
            }
            name
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// A matrix combination: key and value, in key order.
type Combination = Vec<(String, Yaml)>;

/// Expands a literal matrix; `None` when it depends on run-time values.
fn expand_matrix(matrix: &Yaml) -> Option<Vec<Combination>> {
    let entries = matrix.as_map()?;
    let mut combinations: Vec<Combination> = vec![Vec::new()];
    let mut keys = Vec::new();
    let mut include = Vec::new();
    let mut exclude = Vec::new();
    for entry in entries {
        match entry.key.as_str() {
            "include" => include = literal_objects(&entry.value)?,
            "exclude" => exclude = literal_objects(&entry.value)?,
            key => {
                let Yaml::Seq(values) = &entry.value else {
                    return None;
                };
                keys.push(key.to_owned());
                combinations = combinations
                    .iter()
                    .flat_map(|base| {
                        values.iter().map(move |value| {
                            let mut next = base.clone();
                            next.push((key.to_owned(), value.clone()));
                            next
                        })
                    })
                    .collect();
            }
        }
    }
    if keys.is_empty() {
        combinations.clear();
    }
    combinations.retain(|combination| {
        !exclude.iter().any(|rule| {
            rule.iter()
                .all(|(key, value)| lookup(combination, key).is_some_and(|v| v == value))
        })
    });
    // Include entries merge into the original combinations only, never into ones added by an
    // earlier include entry; with no original keys, each entry is a combination of its own.
    let original = combinations.len();
    for rule in include {
        let mut merged = false;
        for combination in &mut combinations[..original] {
            // An include entry may add keys, and overwrite keys it added, but never change a
            // value of the original matrix.
            let fits = rule.iter().all(|(key, value)| {
                !keys.contains(key) || lookup(combination, key).is_some_and(|v| v == value)
            });
            if fits {
                for (key, value) in &rule {
                    match combination.iter_mut().find(|(k, _)| k == key) {
                        Some(slot) => slot.1 = value.clone(),
                        None => combination.push((key.clone(), value.clone())),
                    }
                }
                merged = true;
            }
        }
        if !merged {
            combinations.push(rule);
        }
    }
    Some(combinations)
}

fn lookup<'a>(combination: &'a Combination, key: &str) -> Option<&'a Yaml> {
    combination.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Reads `include:` / `exclude:`: a literal list of mappings.
fn literal_objects(value: &Yaml) -> Option<Vec<Combination>> {
    let Yaml::Seq(items) = value else {
        return None;
    };
    items
        .iter()
        .map(|item| {
            item.as_map().map(|entries| {
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.clone()))
                    .collect()
            })
        })
        .collect()
}

/// Returns how a matrix value shows in a name; mappings, lists and expressions are unknown.
fn render_value(value: &Yaml) -> NamePattern {
    match value.scalar() {
        Some(text) if !text.contains("${{") => NamePattern::exact(text),
        _ => NamePattern::any(),
    }
}

/// Substitutes `${{ matrix.KEY }}` expressions; every other expression becomes a wildcard.
fn substitute(template: &str, combination: Option<&Combination>) -> NamePattern {
    let mut pattern = NamePattern::default();
    let mut rest = template;
    while let Some(start) = rest.find("${{") {
        pattern.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else {
            pattern.push_str(&rest[start..]);
            return pattern;
        };
        let expression = after[..end].trim();
        let value = matrix_key(expression).and_then(|key| combination.and_then(|c| lookup(c, key)));
        match value {
            Some(value) => pattern.append(&render_value(value)),
            None => pattern.push_any(),
        }
        rest = &after[end + 2..];
    }
    pattern.push_str(rest);
    pattern
}

/// Returns `KEY` for the expressions `matrix.KEY`, `matrix['KEY']` and `matrix["KEY"]`.
fn matrix_key(expression: &str) -> Option<&str> {
    let rest = expression.strip_prefix("matrix")?;
    let key = if let Some(key) = rest.strip_prefix('.') {
        key
    } else {
        rest.strip_prefix("['")
            .and_then(|r| r.strip_suffix("']"))
            .or_else(|| rest.strip_prefix("[\"").and_then(|r| r.strip_suffix("\"]")))?
    };
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then_some(key)
}

fn file_name(file: &Path) -> String {
    file.file_name().map_or_else(
        || file.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

// ---------------------------------------------------------------------------------------
// Checking

/// Compares the policy with the workflows.
///
/// Returns, in this order: the index's problems (unparsable files, missing called
/// workflows), required checks no job can produce (by branch, then in policy order), and jobs
/// deploying to environments the policy does not list (by file, then job).
pub fn check(policy: &RepoSettings, index: &WorkflowIndex) -> Vec<WorkflowWarning> {
    let mut warnings = index.problems.clone();
    let dir = index.dir.display();
    for (branch, settings) in &policy.branches {
        let Some(status_checks) = &settings.status_checks else {
            continue;
        };
        let mut seen = BTreeSet::new();
        for required in &status_checks.required {
            if !from_actions(required) || !seen.insert(required.context.as_str()) {
                continue;
            }
            let context = &required.context;
            if index.checks.iter().any(|c| c.name.matches(context)) {
                continue;
            }
            let mut warning = WorkflowWarning {
                file: None,
                line: None,
                message: format!(
                    "required check `{context}` of branches.{branch} is not produced by any workflow job in {dir} (a renamed job blocks every pull request)"
                ),
            };
            if let Some((closest, name)) = closest(context, index) {
                let _ = write!(
                    warning.message,
                    "; did you mean `{name}` from {}?",
                    file_name(&closest.file)
                );
                warning.file = Some(closest.file.clone());
                warning.line = closest.line;
            }
            warnings.push(warning);
        }
    }
    for used in &index.environments {
        if policy.environments.contains_key(&used.environment) {
            continue;
        }
        warnings.push(WorkflowWarning {
            file: Some(used.file.clone()),
            line: used.line,
            message: format!(
                "workflow {} job `{}` deploys to environment `{}`, which the policy does not list",
                file_name(&used.file),
                used.job,
                used.environment
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

/// Returns the produced exact name closest to `context`: a reusable workflow's check
/// `<caller> / context` (the bare name of a called job is a common mistake), else the name
/// fewest edits away when close enough to be a plausible rename (at most a third of the
/// longer name changed, or 2 edits).
fn closest<'a>(context: &str, index: &'a WorkflowIndex) -> Option<(&'a ProducedCheck, String)> {
    let called = format!(" / {context}");
    let via_caller = index.checks.iter().find_map(|check| {
        let name = check.name.as_exact()?;
        name.ends_with(&called).then_some((check, name))
    });
    if via_caller.is_some() {
        return via_caller;
    }
    index
        .checks
        .iter()
        .filter_map(|check| check.name.as_exact().map(|name| (check, name)))
        .map(|(check, name)| (levenshtein(context, &name), check, name))
        .filter(|(distance, _, name)| {
            let longest = context.chars().count().max(name.chars().count());
            *distance <= (longest / 3).max(2)
        })
        .min_by_key(|(distance, _, _)| *distance)
        .map(|(_, check, name)| (check, name))
}

// ---------------------------------------------------------------------------------------
// A generic YAML value that keeps mapping order (matrix values are named in key order) and
// the line of every mapping key (for `environment:`).

#[derive(Debug, Clone, PartialEq)]
enum Yaml {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Yaml>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    key: String,
    /// 1-based line of the key; 0 when unknown.
    line: usize,
    value: Yaml,
}

impl Yaml {
    fn as_map(&self) -> Option<&[Entry]> {
        match self {
            Self::Map(entries) => Some(entries),
            _ => None,
        }
    }

    fn get_entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    fn get(&self, key: &str) -> Option<&Self> {
        self.get_entry(key).map(|e| &e.value)
    }

    /// Returns a scalar as GitHub shows it in a name (`true`, `18`, `3.1`).
    fn scalar(&self) -> Option<String> {
        match self {
            Self::Null => Some(String::new()),
            Self::Bool(b) => Some(b.to_string()),
            Self::Int(i) => Some(i.to_string()),
            Self::Float(f) => Some(f.to_string()),
            Self::Str(s) => Some(s.clone()),
            Self::Seq(_) | Self::Map(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Yaml;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Yaml, E> {
        Ok(Yaml::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Yaml, E> {
        Ok(Yaml::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Yaml, E> {
        Ok(Yaml::Int(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Yaml, E> {
        Ok(Yaml::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Yaml, E> {
        Ok(Yaml::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Yaml, E> {
        Ok(Yaml::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Yaml, D::Error> {
        Yaml::deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Yaml::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Yaml, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Yaml>>()? {
            let line = usize::try_from(key.referenced.line()).unwrap_or(0);
            // Keys are strings in workflows; a YAML 1.1 `on` would be `true`, kept as "true".
            let key = key.value.scalar().unwrap_or_default();
            let value = map.next_value()?;
            entries.push(Entry { key, line, value });
        }
        Ok(Yaml::Map(entries))
    }
}

#[cfg(test)]
mod tests;
