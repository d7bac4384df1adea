//! The release layout (`release/package.sh`, which the release workflow runs) and the
//! action's installer (`action/install.sh`), against a fake release in a temporary directory
//! that stands in for GitHub: built by the same packaging script, with tiny executable
//! scripts named `gh-policy` that say which target they were built for. This file checks
//! the release layout and holds the fake release; `script.rs` runs the installer.

mod script;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

use crate::common::root;

const TAG: &str = "v9.9.9";

/// The variables that would change what the scripts do, cleared so the machine's own
/// (on a GitHub runner, say) cannot leak into a test.
const SCRIPT_VARIABLES: &[&str] = &[
    "GH_POLICY_VERSION",
    "GH_POLICY_DEFAULT_VERSION",
    "GH_POLICY_RELEASE_BASE",
    "GH_POLICY_REPOSITORY",
    "GH_POLICY_ACTION_PATH",
    "GH_POLICY_INSTALL_DIR",
    "GH_POLICY_TARGET",
    "GITHUB_SERVER_URL",
    "RUNNER_TOOL_CACHE",
];

/// Fails the test, loudly, when a tool the scripts need is missing: a test that cannot run
/// must not pass.
pub fn require_tools(tools: &[&str]) {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for tool in tools {
        let found = std::env::split_paths(&path).any(|dir| dir.join(tool).is_file());
        assert!(
            found,
            "`{tool}` is not on PATH: the release and action scripts need it, so this test \
             cannot run; install it (a test that cannot run must not pass)"
        );
    }
}

/// The tools of `package.sh` and `install.sh` for the targets these tests package.
fn require_script_tools() {
    require_tools(&["bash", "tar", "gzip", "sha256sum", "awk", "mktemp"]);
}

/// The release target of the machine running the tests, as `install.sh` should detect it.
fn host_target() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-musl",
        ("linux", "aarch64") => "aarch64-unknown-linux-musl",
        ("macos", "x86_64") => "x86_64-apple-darwin",
        ("macos", "aarch64") => "aarch64-apple-darwin",
        (os, arch) => panic!("gh-policy has no release build for {os}/{arch}"),
    }
}

/// Another Unix target than the host's, to check that the host's is the one installed.
fn other_target() -> &'static str {
    if host_target() == "aarch64-apple-darwin" {
        "x86_64-unknown-linux-musl"
    } else {
        "aarch64-apple-darwin"
    }
}

/// A fake release directory: `releases/TAG/ASSET`, as GitHub serves them under
/// `.../releases/download`, and a directory to install into.
pub struct Release {
    dir: TempDir,
}

impl Release {
    /// Packages fake binaries for `targets` as release `tag`, with release/package.sh.
    pub fn new(tag: &str, targets: &[&str]) -> Self {
        require_script_tools();
        let release = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        release.add(tag, targets);
        release
    }

    /// Adds release `tag` with fake binaries for `targets`.
    pub fn add(&self, tag: &str, targets: &[&str]) {
        let built = self.dir.path().join("built").join(tag);
        for target in targets {
            let dir = built.join(target);
            fs::create_dir_all(&dir).unwrap();
            fs::write(
                dir.join("gh-policy"),
                format!("#!/bin/sh\necho \"fake gh-policy {tag} {target}\"\n"),
            )
            .unwrap();
        }
        let output = Command::new("bash")
            .arg(root().join("release/package.sh"))
            .arg(tag)
            .arg(&built)
            .arg(self.base().join(tag))
            .output()
            .unwrap();
        assert_success(&output, "release/package.sh");
    }

    /// Where the release assets are: `BASE/TAG/ASSET`.
    pub fn base(&self) -> PathBuf {
        self.dir.path().join("releases")
    }

    /// The root install.sh installs into.
    pub fn install_dir(&self) -> PathBuf {
        self.dir.path().join("installed")
    }

    /// Runs `install.sh MODE` from this release into this install directory, with `vars`.
    pub fn run(&self, mode: &str, vars: &[(&str, &str)]) -> Output {
        let mut command = Command::new("bash");
        command
            .arg(root().join("action/install.sh"))
            .arg(mode)
            .env("GH_POLICY_RELEASE_BASE", self.base())
            .env("GH_POLICY_INSTALL_DIR", self.install_dir());
        for var in SCRIPT_VARIABLES {
            if !matches!(*var, "GH_POLICY_RELEASE_BASE" | "GH_POLICY_INSTALL_DIR") {
                command.env_remove(var);
            }
        }
        for (name, value) in vars {
            command.env(name, value);
        }
        command.output().unwrap()
    }

    /// Installs `TAG`, asserts success, and returns the directory install.sh printed.
    pub fn install(&self, vars: &[(&str, &str)]) -> (PathBuf, String) {
        let mut all = vec![("GH_POLICY_VERSION", TAG)];
        all.extend_from_slice(vars);
        let output = self.run("install", &all);
        assert_success(&output, "install.sh");
        let dir = PathBuf::from(stdout(&output).trim());
        (dir, stderr(&output))
    }

    /// Returns every file under the install directory.
    pub fn installed_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
            let Ok(entries) = fs::read_dir(dir) else {
                return;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, files);
                } else {
                    files.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.install_dir(), &mut files);
        files
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\nstdout: {}\nstderr: {}",
        output.status,
        stdout(output),
        stderr(output)
    );
}

/// Runs an installed fake binary and returns what it printed.
fn run_binary(dir: &Path) -> String {
    let output = Command::new(dir.join("gh-policy")).output().unwrap();
    assert_success(&output, "the installed gh-policy");
    stdout(&output).trim().to_owned()
}

/// Returns `key=value` lines as pairs.
fn key_values(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn value_of(text: &str, key: &str) -> String {
    key_values(text)
        .into_iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no {key}= in {text}"))
        .1
}

#[test]
fn the_release_has_archives_bare_binaries_for_gh_and_checksums() {
    let targets = [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
    ];
    let release = Release::new(TAG, &targets);
    let dir = release.base().join(TAG);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "SHA256SUMS",
            // The names `gh extension install OWNER/gh-policy` looks for.
            "gh-policy-darwin-amd64",
            "gh-policy-darwin-arm64",
            "gh-policy-linux-amd64",
            "gh-policy-linux-arm64",
            "gh-policy-v9.9.9-aarch64-apple-darwin.tar.gz",
            "gh-policy-v9.9.9-aarch64-unknown-linux-musl.tar.gz",
            "gh-policy-v9.9.9-x86_64-apple-darwin.tar.gz",
            "gh-policy-v9.9.9-x86_64-unknown-linux-musl.tar.gz",
            // The schemas an exported policy's modeline points at.
            "org-policy.schema.json",
            "policy.schema.json",
        ]
    );
    assert_eq!(
        fs::read(dir.join("policy.schema.json")).unwrap(),
        fs::read(root().join("schema/policy.schema.json")).unwrap()
    );

    // One line for every other asset, and every line checks out.
    let sums = fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let listed: Vec<&str> = sums
        .lines()
        .map(|line| line.split_once("  ").unwrap().1)
        .collect();
    assert_eq!(listed, names[1..]);
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_success(&check, "sha256sum --check");

    // An archive holds its directory with an executable gh-policy and the README.
    let listing = Command::new("tar")
        .arg("-tvzf")
        .arg(dir.join("gh-policy-v9.9.9-aarch64-apple-darwin.tar.gz"))
        .output()
        .unwrap();
    assert_success(&listing, "tar -tvzf");
    let listing = stdout(&listing);
    let binary = listing
        .lines()
        .find(|line| line.ends_with(" gh-policy-v9.9.9-aarch64-apple-darwin/gh-policy"))
        .unwrap_or_else(|| panic!("no binary in the archive:\n{listing}"));
    assert!(binary.starts_with("-rwxr-xr-x"), "{binary}");
    assert!(
        listing.contains(" gh-policy-v9.9.9-aarch64-apple-darwin/README.md"),
        "{listing}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("gh-policy-darwin-arm64")).unwrap(),
        "#!/bin/sh\necho \"fake gh-policy v9.9.9 aarch64-apple-darwin\"\n"
    );
}
