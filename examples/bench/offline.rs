//! The offline commands on a large policy: `validate` and `plan --state` of 1000 branches,
//! wall time (median) and peak resident memory.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{OFFLINE_RUNS, Result};

/// Returns a policy of `n` branches and a state file (policy format) where every tenth branch
/// has drifted.
pub fn thousand_branches(n: usize) -> (String, String) {
    let mut policy = String::from("version: 1\nrepository: acme/huge\n\nbranches:\n");
    let mut state = policy.clone();
    for i in 0..n {
        let branch = |approvals: usize, checks: &str| {
            format!(
                "  branch-{i:04}:\n    pull_request:\n      required_approvals: {approvals}\n      dismiss_stale_reviews: true\n      bypass: {{ users: [octocat], teams: [], apps: [] }}\n    status_checks:\n      strict: true\n      required:\n{checks}    enforce_admins: true\n    required_linear_history: {}\n",
                i % 2 == 0
            )
        };
        let checks = "        - lint\n        - test\n        - context: Security Checks\n          app_id: 15368\n";
        policy.push_str(&branch(2, checks));
        if i % 10 == 0 {
            state.push_str(&branch(1, "        - lint\n"));
        } else {
            state.push_str(&branch(2, checks));
        }
    }
    (policy, state)
}

/// Wall time and peak memory of an offline command.
pub struct OfflineRun {
    pub code: i32,
    pub wall: Duration,
    pub peak_kib: Option<u64>,
    pub memory_source: &'static str,
}

impl OfflineRun {
    pub fn row(&self, name: &str) -> String {
        let peak = self.peak_kib.map_or_else(
            || "?".to_owned(),
            |kib| format!("{}.{}", kib / 1024, (kib % 1024) * 10 / 1024),
        );
        format!(
            "{name:<34} {:>4} {:>9.1} {peak:>12}",
            self.code,
            self.wall.as_secs_f64() * 1000.0
        )
    }
}

/// Times `gh-policy <args>` in `dir` several times; median wall time, largest peak RSS.
pub fn offline(bin: &Path, dir: &Path, args: &[&str]) -> Result<OfflineRun> {
    let time = Path::new("/usr/bin/time");
    let mut walls = Vec::new();
    let mut peak = None;
    let mut code = 0;
    let mut source = "/proc/<pid>/status VmHWM (polled)";
    for run in 0..OFFLINE_RUNS {
        let report = dir.join(format!("time-{run}.txt"));
        let use_time = time.is_file();
        let mut command = if use_time {
            source = "/usr/bin/time (maximum resident set size)";
            let mut c = Command::new(time);
            c.arg("-f").arg("%M").arg("-o").arg(&report).arg(bin);
            c
        } else {
            Command::new(bin)
        };
        command
            .current_dir(dir)
            .args(args)
            .env_remove("GITHUB_ACTIONS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let started = Instant::now();
        let mut child = command.spawn()?;
        let mut polled = None;
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if !use_time {
                polled = polled.max(vm_hwm(child.id()));
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        walls.push(started.elapsed());
        code = status.code().unwrap_or(-1);
        let kib = if use_time {
            std::fs::read_to_string(&report)
                .ok()
                .and_then(|text| text.lines().last()?.trim().parse::<u64>().ok())
        } else {
            polled
        };
        peak = peak.max(kib);
    }
    walls.sort();
    Ok(OfflineRun {
        code,
        wall: walls[walls.len() / 2],
        peak_kib: peak,
        memory_source: source,
    })
}

/// Reads a process's peak resident set size (`VmHWM`, KiB) while it runs.
pub fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
