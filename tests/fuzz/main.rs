//! Deterministic mutation fuzzing of the three readers of text from a pull request: the
//! policy parser, the state-file loader (`plan --state`) and the workflow scanner with its
//! cross-check. A test target of its own, outside the default `cargo test`: `.ci/run` runs
//! it in its own step with a fixed budget, `cargo test --locked --test fuzz`.
//!
//! Each test first runs every file of its seed corpus (`tests/fuzz/corpus/<target>/`, where
//! crash inputs are kept as regressions), then a fixed number of mutations of them from a
//! fixed seed, so a failure reproduces on every machine. An input passes when the reader
//! neither panics nor takes longer than `HANG_LIMIT`, and every diagnostic it returns is
//! printable: no control, line-separator or bidirectional-override character that could
//! split a diagnostic or reach a terminal or the GitHub Actions log raw. A failing input is
//! shrunk and written to `target/tmp/fuzz-failures/`, and the test fails naming it.
//!
//! `GH_POLICY_FUZZ_RUNS=N` sets the number of mutated inputs per target (default
//! `DEFAULT_RUNS`, the CI budget); `GH_POLICY_FUZZ_SEED=N` picks another sequence;
//! `GH_POLICY_FUZZ_STRICT=0` only prints unescaped text in policy and state diagnostics
//! instead of failing on it. For a long run:
//! `GH_POLICY_FUZZ_RUNS=20000 cargo test --release --test fuzz -- --nocapture`.
#![allow(clippy::unwrap_used, reason = "test code")]

mod mutate;
mod target;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mutate::{Rng, mutate};
use target::{Hang, Outcome, POLICY_RULE, Target, Worker};

/// The default seed; `GH_POLICY_FUZZ_SEED` overrides it.
const SEED: u64 = 0x6768_2d70_6f6c_6963;

/// Mutated inputs per target unless `GH_POLICY_FUZZ_RUNS` says otherwise, the budget of
/// CI's fuzz step: about five seconds for the workflow target in a debug build on an idle
/// two-core machine.
const DEFAULT_RUNS: usize = 1_000;

/// How long one input may take before it counts as a hang. The readers take milliseconds;
/// this only has to tell a hang from a slow, loaded machine.
const HANG_LIMIT: Duration = Duration::from_secs(60);

/// How many inputs shrinking one failure may try.
const MAX_SHRINK_TRIES: usize = 2_000;

/// How many distinct failures of one target are shrunk and saved; the rest are counted.
const MAX_SAVED: usize = 5;

#[test]
fn fuzz_policy_parser() {
    fuzz(Target::Policy);
}

#[test]
fn fuzz_state_loader() {
    fuzz(Target::State);
}

#[test]
fn fuzz_workflow_scanner() {
    fuzz(Target::Workflows);
}

/// Reads a number from the environment.
fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Runs the corpus, then the mutations, of one target; fails with every distinct failure.
fn fuzz(target: Target) {
    let runs = usize::try_from(setting("GH_POLICY_FUZZ_RUNS", DEFAULT_RUNS as u64)).unwrap();
    let seed = setting("GH_POLICY_FUZZ_SEED", SEED);
    let corpus = target.corpus();
    let seeds: Vec<Vec<u8>> = corpus.iter().map(|(_, bytes)| bytes.clone()).collect();
    let worker = Worker::spawn(target);
    let mut failures = Failures::new(target);
    let started = Instant::now();
    let mut count = 0;
    for (name, bytes) in &corpus {
        for variant in 0..target.variants() {
            failures.exercise(&worker, bytes, variant, &format!("corpus file {name}"));
            count += 1;
        }
    }
    let mut rng = Rng::new(seed ^ (target as u64));
    for run in 0..runs {
        let base = rng.pick(&seeds);
        let input = mutate(&mut rng, base, &seeds);
        let variant = rng.below(target.variants());
        failures.exercise(&worker, &input, variant, &format!("mutation {run}"));
        count += 1;
    }
    report(target, count, started.elapsed(), &failures);
    let strict = setting("GH_POLICY_FUZZ_STRICT", 1) == 1;
    let failing = failures
        .distinct
        .keys()
        .any(|kind| strict || kind != POLICY_RULE);
    assert!(
        !failing,
        "{} of {count} inputs failed:\n{}",
        failures.total,
        failures.summary()
    );
}

#[expect(
    clippy::print_stderr,
    reason = "a fuzz run says how much it did and found"
)]
fn report(target: Target, count: usize, elapsed: Duration, failures: &Failures) {
    eprintln!(
        "fuzz {}: {count} inputs in {elapsed:.1?}, {} failed ({} distinct)",
        target.name(),
        failures.total,
        failures.distinct.len()
    );
    if !failures.distinct.is_empty() {
        eprint!("{}", failures.summary());
    }
}

/// The failures of one target, by kind, each shrunk and saved.
struct Failures {
    target: Target,
    distinct: BTreeMap<String, String>,
    total: usize,
}

impl Failures {
    fn new(target: Target) -> Self {
        Self {
            target,
            distinct: BTreeMap::new(),
            total: 0,
        }
    }

    fn exercise(&mut self, worker: &Worker, input: &[u8], variant: usize, what: &str) {
        let outcome = run_or_hang(self.target, worker, input, variant, what);
        let Some(kind) = outcome.kind() else {
            return;
        };
        self.total += 1;
        if self.distinct.contains_key(&kind) || self.distinct.len() >= MAX_SAVED {
            return;
        }
        let small = shrink(self.target, worker, input, variant, &kind);
        let saved = save(self.target, self.distinct.len(), &small);
        let shown =
            gh_policy::output::untrusted::escape(&String::from_utf8_lossy(&small)).into_owned();
        let output = match &outcome {
            Outcome::Panicked(message) => message.clone(),
            Outcome::Broke(_, output) => output.clone(),
            Outcome::Passed => String::new(),
        };
        let detail = format!(
            "{what} (variant {variant}): {}\n  shrunk to {} bytes, saved as {}: {shown}",
            gh_policy::output::untrusted::escape(&output),
            small.len(),
            saved.display()
        );
        self.distinct.insert(kind, detail);
    }

    fn summary(&self) -> String {
        let mut summary = String::new();
        for (kind, detail) in &self.distinct {
            let _ = writeln!(summary, "- {kind}\n  {detail}");
        }
        summary
    }
}

/// Runs one input; a hang fails the test at once (the worker is stuck), saving the input.
fn run_or_hang(
    target: Target,
    worker: &Worker,
    input: &[u8],
    variant: usize,
    what: &str,
) -> Outcome {
    worker.run(input, variant).unwrap_or_else(|Hang| {
        let saved = save(target, 99, input);
        panic!(
            "{} {what} (variant {variant}) ran for more than {HANG_LIMIT:?}; input saved as {}",
            target.name(),
            saved.display()
        )
    })
}

/// Returns a smaller input that fails the same way: removes ever smaller runs of lines,
/// then of bytes, while the failure stays, up to `MAX_SHRINK_TRIES` tries in all.
fn shrink(target: Target, worker: &Worker, input: &[u8], variant: usize, kind: &str) -> Vec<u8> {
    let mut tries = 0;
    let mut fails = |candidate: &[u8]| {
        tries += 1;
        tries <= MAX_SHRINK_TRIES
            && run_or_hang(target, worker, candidate, variant, "shrinking")
                .kind()
                .as_deref()
                == Some(kind)
    };
    let lines: Vec<Vec<u8>> = input
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let lines = remove_chunks(lines, &mut |units: &[Vec<u8>]| fails(&units.concat()));
    let bytes: Vec<u8> = lines.concat();
    remove_chunks(bytes, &mut |units: &[u8]| fails(units))
}

/// Removes runs of `units`, halving the run length down to one, keeping each removal after
/// which `fails` still holds.
fn remove_chunks<T: Clone>(mut units: Vec<T>, fails: &mut dyn FnMut(&[T]) -> bool) -> Vec<T> {
    let mut chunk = units.len().div_ceil(2).max(1);
    loop {
        let mut at = 0;
        let mut removed = false;
        while at < units.len() {
            let end = (at + chunk).min(units.len());
            let mut candidate = units[..at].to_vec();
            candidate.extend_from_slice(&units[end..]);
            if fails(&candidate) {
                units = candidate;
                removed = true;
            } else {
                at += chunk;
            }
        }
        if !removed {
            if chunk == 1 {
                return units;
            }
            chunk = chunk.div_ceil(2);
        }
    }
}

/// Writes a failing input under `target/tmp/fuzz-failures/` and returns its path.
fn save(target: Target, number: usize, input: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}-{number}.yml", target.name()));
    std::fs::write(&path, input).unwrap();
    path
}
