//! The readers under test: how each target's input is laid out and read, the rules its
//! output must keep, and the worker thread that runs it so a hang can be noticed.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use gh_policy::ci::workflows;
use gh_policy::model::RepoSettings;
use gh_policy::policy;

use super::HANG_LIMIT;

/// A policy for the workflow cross-check: required checks that exercise every path of the
/// comparison (exact, matrix, reusable, a long name against wildcards) and environments.
const CHECK_POLICY: &str = r"version: 1
branches:
  main:
    status_checks:
      required:
        - dev - lint and test
        - test (ubuntu-latest)
        - Checks / lint
        - a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z
        - context: Security Checks
          app: github-actions
environments:
  staging: {}
  production: {}
";

/// A reader under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `policy::parse` on text (lossily decoded: the loader refuses non-UTF-8 before).
    Policy,
    /// `policy::load` on a file, as `plan --state` reads it: bytes, size and UTF-8 checks.
    State,
    /// `workflows::scan` and `workflows::check` on a directory holding the input.
    Workflows,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Self::Policy => "policy",
            Self::State => "state",
            Self::Workflows => "workflows",
        }
    }

    /// How an input can be laid out; see `Runner::run`.
    pub fn variants(self) -> usize {
        if self == Self::Workflows { 2 } else { 1 }
    }

    /// Returns the seed corpus, by file name.
    pub fn corpus(self) -> Vec<(String, Vec<u8>)> {
        let dir = corpus_dir().join(self.name());
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&path).unwrap())
            })
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no seed corpus in {}", dir.display());
        files
    }
}

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus")
}

/// What one input did.
#[derive(Debug)]
pub enum Outcome {
    Passed,
    /// The reader panicked, with this message.
    Panicked(String),
    /// The reader returned output that breaks a rule: which rule, and the output.
    Broke(&'static str, String),
}

impl Outcome {
    /// Returns what identifies the failure across inputs, for de-duplication.
    pub fn kind(&self) -> Option<String> {
        match self {
            Self::Passed => None,
            Self::Panicked(message) => Some(format!("panic: {}", first_line(message))),
            Self::Broke(rule, _) => Some((*rule).to_owned()),
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// Runs the reader on its own thread, one input at a time, so that a hang can be noticed
/// (and the test fail) instead of blocking the test forever.
pub struct Worker {
    inputs: mpsc::Sender<(Vec<u8>, usize)>,
    outcomes: mpsc::Receiver<Outcome>,
    _dir: tempfile::TempDir,
}

/// The input a worker did not finish within `HANG_LIMIT`.
pub struct Hang;

impl Worker {
    pub fn spawn(target: Target) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let runner = Runner::new(target, dir.path());
        let (inputs, input_rx) = mpsc::channel::<(Vec<u8>, usize)>();
        let (outcome_tx, outcomes) = mpsc::channel();
        // The binary runs the readers on its main thread, which has 8 MiB of stack.
        std::thread::Builder::new()
            .name(format!("fuzz-{}", target.name()))
            .stack_size(8 << 20)
            .spawn(move || {
                for (input, variant) in input_rx {
                    let outcome = runner.run(&input, variant);
                    if outcome_tx.send(outcome).is_err() {
                        break;
                    }
                }
            })
            .unwrap();
        Self {
            inputs,
            outcomes,
            _dir: dir,
        }
    }

    pub fn run(&self, input: &[u8], variant: usize) -> Result<Outcome, Hang> {
        self.inputs.send((input.to_vec(), variant)).unwrap();
        self.outcomes.recv_timeout(HANG_LIMIT).map_err(|_| Hang)
    }
}

/// Calls one reader and checks what it returns.
struct Runner {
    target: Target,
    dir: PathBuf,
    policy: RepoSettings,
    /// The callee and caller of the reusable-workflow pair in the corpus.
    callee: Vec<u8>,
    caller: Vec<u8>,
}

impl Runner {
    fn new(target: Target, dir: &Path) -> Self {
        let workflows = corpus_dir().join("workflows");
        Self {
            target,
            dir: dir.to_path_buf(),
            policy: policy::parse("check-policy.yaml", CHECK_POLICY).unwrap(),
            callee: std::fs::read(workflows.join("fixture-reusable-reusable-checks.yml")).unwrap(),
            caller: std::fs::read(workflows.join("fixture-reusable-ci.yml")).unwrap(),
        }
    }

    fn run(&self, input: &[u8], variant: usize) -> Outcome {
        match panic::catch_unwind(AssertUnwindSafe(|| self.check(input, variant))) {
            Ok(Ok(())) => Outcome::Passed,
            Ok(Err((rule, output))) => Outcome::Broke(rule, output),
            Err(payload) => Outcome::Panicked(
                payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "a panic without a message".to_owned()),
            ),
        }
    }

    fn check(&self, input: &[u8], variant: usize) -> Result<(), (&'static str, String)> {
        match self.target {
            Target::Policy => {
                diagnostics(policy::parse("fuzz.yaml", &String::from_utf8_lossy(input)))
            }
            Target::State => {
                let path = self.dir.join("state.yaml");
                std::fs::write(&path, input).unwrap();
                diagnostics(policy::load(&path))
            }
            Target::Workflows => {
                // Variant 0: the input calls the corpus's reusable workflow; variant 1: the
                // corpus's caller calls the input.
                let (ci, called) = if variant == 0 {
                    (input, self.callee.as_slice())
                } else {
                    (self.caller.as_slice(), input)
                };
                std::fs::write(self.dir.join("ci.yml"), ci).unwrap();
                std::fs::write(self.dir.join("reusable-checks.yml"), called).unwrap();
                let index = workflows::scan(&self.dir).map_err(|err| {
                    (
                        "scan of a readable directory failed",
                        err.message().to_owned(),
                    )
                })?;
                for warning in workflows::check(&self.policy, &index) {
                    printable("control character in a workflow warning", &warning.message)?;
                }
                Ok(())
            }
        }
    }
}

/// The rule for the policy loader's diagnostics (`GH_POLICY_FUZZ_STRICT=0` only prints its
/// failures); see the module comment.
pub const POLICY_RULE: &str = "control character in a policy diagnostic";

/// Checks the diagnostics of a policy or state file.
fn diagnostics<T>(result: Result<T, policy::PolicyError>) -> Result<(), (&'static str, String)> {
    let Err(error) = result else {
        return Ok(());
    };
    for diagnostic in &error.diagnostics {
        printable(POLICY_RULE, &diagnostic.message)?;
    }
    Ok(())
}

/// Fails when `text` has a character `gh_policy::output::untrusted::escape` would have rewritten.
fn printable(rule: &'static str, text: &str) -> Result<(), (&'static str, String)> {
    if gh_policy::output::untrusted::escape(text) == text {
        Ok(())
    } else {
        Err((rule, text.to_owned()))
    }
}
