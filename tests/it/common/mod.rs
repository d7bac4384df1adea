//! What the integration tests share: a repository on the GitHub emulator, a temp directory
//! with a policy file, and a `gh-policy` command wired to both.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use gh_policy_emulator::{Emulator, LoggedRequest};
use serde_json::{Value, json};
use tempfile::TempDir;

pub mod http;
pub mod policy;

pub use policy::Policy;

/// A repository on a fresh emulator, and a working directory for the command.
pub struct TestRepo {
    pub emu: Emulator,
    pub dir: TempDir,
}

/// Returns the crate's root directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Returns the example policies in `schema/examples/<kind>` (`valid` or `invalid`), sorted.
pub fn examples(kind: &str) -> Vec<PathBuf> {
    let dir = root().join("schema/examples").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// Returns the path of a file under `tests/fixtures`.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

/// Returns the root `policy.yaml`, the flow this tool exists for, without its
/// `requirements` (most tests are about configuration; `requirements.rs` and the tests
/// that take `whole_flow_policy` judge them).
pub fn flow_policy() -> String {
    let whole = whole_flow_policy();
    let start = whole
        .find("\n# The checklist itself")
        .expect("policy.yaml ends with its requirements");
    whole[..=start].to_owned()
}

/// `flow-in-sync` with `main` lowered to one approval.
pub fn lowered_flow() -> TestRepo {
    let repo = TestRepo::new("flow-in-sync");
    repo.set_main_approvals(1);
    repo
}

/// Asserts a command's exit code, showing what it printed when the code differs.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Returns the root `policy.yaml` whole.
pub fn whole_flow_policy() -> String {
    std::fs::read_to_string(root().join("policy.yaml")).unwrap()
}

impl TestRepo {
    /// Starts an emulator seeded from `tests/fixtures/live/<name>.json`.
    pub fn new(name: &str) -> Self {
        Self::with(Emulator::from_fixture(fixture(&format!(
            "live/{name}.json"
        ))))
    }

    /// Wraps a started emulator.
    pub fn with(emu: Emulator) -> Self {
        Self {
            emu,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Writes `policy.yaml` in the working directory.
    pub fn policy(&self, text: &str) -> &Self {
        std::fs::write(self.dir.path().join("policy.yaml"), text).unwrap();
        self
    }

    /// Writes a built policy as `policy.yaml` in the working directory.
    pub fn write(&self, policy: &Policy) -> &Self {
        self.policy(&policy.yaml())
    }

    /// Returns a `gh-policy` command in the working directory, talking to the emulator with
    /// its token, with no cache, no pause between writes and none of the runner's variables;
    /// the flow policy's secret values are set, as where `apply` runs.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same command as a `std::process::Command`, for a test that spawns and stops it.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("gh-policy"));
        cmd.current_dir(self.dir.path())
            .env("GITHUB_API_URL", self.emu.url())
            .env("GITHUB_TOKEN", self.emu.token())
            .env("GH_POLICY_WRITE_DELAY_MS", "0")
            .env("STAGING_SSH_KEY", "staging-key-material")
            .env("PROD_SSH_KEY", "prod-key-material")
            .env("GH_POLICY_CACHE_DIR", self.dir.path().join(".cache"))
            .env_remove("GH_TOKEN")
            .env_remove("GITHUB_REPOSITORY")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("NO_COLOR")
            .env("RUST_BACKTRACE", "1");
        cmd
    }

    /// Runs `plan --format json` and returns the exit code and the parsed plan.
    pub fn plan_json(&self) -> (i32, Value) {
        self.plan_json_with(&[])
    }

    /// Runs `plan --format json` with `extra` arguments and returns the exit code and the
    /// parsed plan.
    pub fn plan_json_with(&self, extra: &[&str]) -> (i32, Value) {
        let output = self
            .cmd()
            .args(["plan", "--no-cache", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let plan = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|err| panic!("plan did not print JSON ({err}); stderr: {stderr}"));
        (output.status.code().unwrap(), plan)
    }

    /// Returns the non-GET requests the emulator received.
    pub fn writes(&self) -> Vec<LoggedRequest> {
        self.emu.writes()
    }

    /// Changes the approvals `main`'s protection requires on GitHub, as someone would in the
    /// settings page.
    pub fn set_main_approvals(&self, count: u64) {
        let mut seed = self.emu.state();
        seed.branches
            .get_mut("main")
            .unwrap()
            .protection
            .as_mut()
            .unwrap()["required_pull_request_reviews"]["required_approving_review_count"] =
            json!(count);
        self.emu.reset(&seed).unwrap();
    }

    /// Runs `export --org ORG -o org.yaml`; returns the file's text and its parsed value.
    pub fn export_org(&self, org: &str) -> (String, Value) {
        let output = self
            .cmd()
            .args(["export", "--no-cache", "--org", org, "-o", "org.yaml"])
            .output()
            .unwrap();
        assert_exit(&output, 0);
        let text = std::fs::read_to_string(self.dir.path().join("org.yaml")).unwrap();
        let exported = serde_saphyr::from_str(&text).unwrap();
        (text, exported)
    }

    /// Returns `METHOD path` of each write.
    pub fn write_lines(&self) -> Vec<String> {
        self.writes()
            .iter()
            .map(|w| format!("{} {}", w.method, w.path))
            .collect()
    }

    /// Asserts that the emulator received no write, listing those it did.
    pub fn assert_no_writes(&self) {
        let writes = self.write_lines();
        assert!(writes.is_empty(), "{writes:?}");
    }

    /// Asserts that every request conformed to GitHub's request schema and every answer to
    /// the response schema, and that the token was sent on every request.
    pub fn assert_conformant(&self) {
        let requests = self.emu.request_violations();
        assert!(
            requests.is_empty(),
            "requests that break GitHub's schema: {requests:#?}"
        );
        let responses = self.emu.response_violations();
        assert!(
            responses.is_empty(),
            "emulator answers that break GitHub's schema: {responses:#?}"
        );
        for request in self.emu.requests() {
            // A 401 is a test of a wrong token; every other request carries the right one.
            assert!(
                request.authorized || request.status == 401,
                "sent without the token: {} {}",
                request.method,
                request.path
            );
            assert_eq!(
                request.api_version.as_deref(),
                Some("2022-11-28"),
                "{}",
                request.path
            );
            assert_eq!(
                request.accept.as_deref(),
                Some("application/vnd.github+json"),
                "{}",
                request.path
            );
            assert!(request.user_agent.is_some(), "{}", request.path);
            if request.method == "PUT" && request.path.ends_with("/protection") {
                // The official schema requires `contexts`, and GitHub refuses it with `checks`.
                let checks = &request.body.as_ref().unwrap()["required_status_checks"];
                assert!(
                    checks.is_null()
                        || (checks.get("contexts").is_some() && checks.get("checks").is_none()),
                    "{checks}"
                );
            }
        }
    }
}

/// Returns `(address, action, applicable)` of each change of a JSON plan.
pub fn changes(plan: &Value) -> Vec<(String, String, bool)> {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["address"].as_str().unwrap().to_owned(),
                c["action"].as_str().unwrap().to_owned(),
                c.get("applicable").is_none_or(|a| a.as_bool().unwrap()),
            )
        })
        .collect()
}

/// Returns `(address, action, applicable)` from string literals, for comparisons.
pub fn expect(list: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    list.iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), *c))
        .collect()
}

impl TestRepo {
    /// Starts a fresh request log, after checking and recording the one so far (so a test
    /// that looks at its second half alone still proves the first half conformed).
    pub fn clear_log(&self) {
        self.record_traffic();
        self.assert_conformant();
        self.emu.clear_log();
    }

    /// With `GH_POLICY_TRAFFIC_LOG=FILE`, appends the operations used to FILE (for counting
    /// how many of GitHub's operations the suite covers).
    fn record_traffic(&self) {
        if let Some(file) = std::env::var_os("GH_POLICY_TRAFFIC_LOG") {
            use std::io::Write as _;
            let mut log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(file)
                .unwrap();
            for request in self.emu.requests() {
                writeln!(
                    log,
                    "{} {} {}",
                    request.method, request.path, request.status
                )
                .unwrap();
            }
        }
    }
}

impl Drop for TestRepo {
    /// Every test that talks to the emulator proves its traffic conforms to GitHub's
    /// official schemas: a violation fails the test even when the test did not ask.
    fn drop(&mut self) {
        self.record_traffic();
        if !std::thread::panicking() {
            self.assert_conformant();
        }
    }
}

/// Returns the whole outcome of a command as one text for a snapshot: the exit code, then
/// stdout and stderr in full. Paths under `dir` read `[TMP]`, the checkout's `[ROOT]`;
/// `snapshot_settings` takes care of ports and timings.
pub fn transcript(output: &Output, dir: &Path) -> String {
    let text = format!(
        "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        output
            .status
            .code()
            .map_or_else(|| "(killed)".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // A temporary directory may sit inside the checkout's (TMPDIR=target/…): it goes first.
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    text.replace(&dir.display().to_string(), "[TMP]")
        .replace(&root().display().to_string(), "[ROOT]")
}

/// Returns insta settings that hide what changes from run to run: the emulator's port, and
/// the durations in `-v` logs and retry messages.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]");
    settings.add_filter(r"\b\d+(\.\d+)? ?(ms|s)\b", "[TIME]");
    settings.set_prepend_module_to_snapshot(true);
    settings
}
