//! The limits that keep a scan of hostile workflow files small and quick, and the step
//! meter that enforces the limits on work.
//!
//! Workflow files come from the pull request being checked, so every quantity that grows
//! with the input has a cap: bytes read (per file and per scan), files, YAML nodes and
//! depth, matrix combinations, and the steps spent turning jobs into check names (per job,
//! per file and per scan). A cap that is hit becomes a located warning and the affected
//! names become wildcards: the check then says less, but it never aborts, hangs or grows
//! without bound. The caps sit far above real workflows: the largest public ones are a few
//! thousand lines with a few hundred matrix jobs.

/// The largest workflow file read, in bytes (1 MiB, as for policy files).
pub(super) const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The most bytes of workflow files read in one scan (8 MiB).
pub(super) const MAX_SCAN_BYTES: u64 = 8 * 1024 * 1024;

/// The most workflow files read in one scan; the rest (by name) are skipped with a warning.
pub(super) const MAX_FILES: usize = 500;

/// The most directory entries looked at in one scan.
pub(super) const MAX_DIR_ENTRIES: usize = 10_000;

/// The most YAML nodes in one workflow file (the parser's own default).
pub(super) const MAX_YAML_NODES: usize = 250_000;

/// The deepest YAML nesting in a workflow file. Real workflows nest about ten levels.
pub(super) const MAX_YAML_DEPTH: usize = 48;

/// The most jobs a matrix may produce, after `include` and `exclude`.
///
/// Verified via GitHub's "Running variations of jobs in a workflow": "A matrix will
/// generate a maximum of 256 jobs per workflow run."; GitHub refuses a larger matrix.
pub(super) const MAX_MATRIX_JOBS: usize = 256;

/// How deep local reusable workflows are followed (GitHub allows 10 levels of nesting).
pub(super) const MAX_CALL_DEPTH: usize = 10;

/// The most steps spent on the check names of one job (matrix cells built, values
/// compared, bytes of names written), and on those of each reusable workflow it calls
/// (bytes parsed too), which has a budget of this size of its own.
pub(super) const MAX_JOB_STEPS: u64 = 1_000_000;

/// The most steps spent on the check names of the jobs of one file.
pub(super) const MAX_FILE_STEPS: u64 = 4_000_000;

/// The most steps spent on check names in one scan.
pub(super) const MAX_SCAN_STEPS: u64 = 16_000_000;

/// The most steps `check` spends comparing required checks with produced names (bytes
/// matched, edit-distance cells) before it gives up on the rest with a warning.
pub(super) const MAX_CHECK_STEPS: u64 = 50_000_000;

/// Which budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Exhausted {
    /// The budget of one job.
    Job,
    /// The budget of one file.
    File,
    /// The budget of the whole scan.
    Scan,
}

/// Counts steps against the job, file and scan budgets.
#[derive(Debug, Default)]
pub(super) struct Meter {
    job: u64,
    file: u64,
    scan: u64,
}

impl Meter {
    /// Starts counting a new file (and a new job).
    pub(super) fn start_file(&mut self) {
        self.file = 0;
        self.job = 0;
    }

    /// Starts counting a new job.
    pub(super) fn start_job(&mut self) {
        self.job = 0;
    }

    /// Starts a job budget of its own, for a called workflow (whose names do not depend on
    /// the caller, and are worked out once); returns what to give `end_scope`.
    pub(super) fn start_scope(&mut self) -> u64 {
        std::mem::take(&mut self.job)
    }

    /// Goes back to the caller's job budget. The steps of the scope stay counted in the
    /// file's and the scan's budgets.
    pub(super) fn end_scope(&mut self, saved: u64) {
        self.job = saved;
    }

    /// Adds `steps`; fails with the widest budget that is now exceeded.
    pub(super) fn charge(&mut self, steps: usize) -> Result<(), Exhausted> {
        let steps = u64::try_from(steps).unwrap_or(u64::MAX);
        self.job = self.job.saturating_add(steps);
        self.file = self.file.saturating_add(steps);
        self.scan = self.scan.saturating_add(steps);
        if self.scan > MAX_SCAN_STEPS {
            Err(Exhausted::Scan)
        } else if self.file > MAX_FILE_STEPS {
            Err(Exhausted::File)
        } else if self.job > MAX_JOB_STEPS {
            Err(Exhausted::Job)
        } else {
            Ok(())
        }
    }

    /// Returns the steps counted in this scan.
    pub(super) fn scan_steps(&self) -> u64 {
        self.scan
    }
}
