//! The release layout (`release/package.sh`, which the release workflow runs) and the
//! action's installer (`action/install.sh`), against a fake release in a temporary directory
//! that stands in for GitHub: built by the same packaging script, with tiny executable
//! scripts named `gh-policy` that say which target they were built for.

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

#[test]
fn installs_the_binary_built_for_this_platform() {
    let release = Release::new(TAG, &[other_target(), host_target()]);
    let (dir, notes) = release.install(&[]);
    assert_eq!(dir, release.install_dir().join(TAG).join(host_target()));
    assert_eq!(
        run_binary(&dir),
        format!("fake gh-policy {TAG} {}", host_target())
    );
    assert!(notes.contains("verified: sha256 "), "{notes}");
    assert!(notes.contains("installed gh-policy v9.9.9"), "{notes}");
    // Only the binary is left behind: no archive, no staging directory.
    assert_eq!(release.installed_files(), [dir.join("gh-policy")]);
}

#[test]
fn reads_a_release_from_a_file_url_and_maps_uname_to_the_target() {
    let release = Release::new(TAG, &["aarch64-apple-darwin", host_target()]);
    let base = format!("file://{}", release.base().display());

    // A uname that says macOS on Apple silicon.
    let fake = tempfile::tempdir().unwrap();
    fs::write(
        fake.path().join("uname"),
        "#!/bin/sh\ncase $1 in -s) echo Darwin ;; -m) echo arm64 ;; esac\n",
    )
    .unwrap();
    let chmod = Command::new("chmod")
        .arg("+x")
        .arg(fake.path().join("uname"))
        .output()
        .unwrap();
    assert_success(&chmod, "chmod");
    let path = format!(
        "{}:{}",
        fake.path().display(),
        std::env::var("PATH").unwrap()
    );
    let (dir, _) = release.install(&[("GH_POLICY_RELEASE_BASE", &base), ("PATH", &path)]);
    assert_eq!(
        run_binary(&dir),
        format!("fake gh-policy {TAG} aarch64-apple-darwin")
    );

    let cases = [
        ("Linux", "x86_64", Some("x86_64-unknown-linux-musl")),
        ("Linux", "aarch64", Some("aarch64-unknown-linux-musl")),
        ("Linux", "arm64", Some("aarch64-unknown-linux-musl")),
        ("Darwin", "x86_64", Some("x86_64-apple-darwin")),
        ("Darwin", "arm64", Some("aarch64-apple-darwin")),
        (
            "MINGW64_NT-10.0-20348",
            "x86_64",
            Some("x86_64-pc-windows-msvc"),
        ),
        ("MSYS_NT-10.0", "x86_64", Some("x86_64-pc-windows-msvc")),
        ("FreeBSD", "amd64", None),
        ("Linux", "riscv64", None),
    ];
    for (system, machine, expected) in cases {
        fs::write(
            fake.path().join("uname"),
            format!("#!/bin/sh\ncase $1 in -s) echo {system} ;; -m) echo {machine} ;; esac\n"),
        )
        .unwrap();
        let output = release.run("resolve", &[("GH_POLICY_VERSION", TAG), ("PATH", &path)]);
        if let Some(target) = expected {
            assert_success(&output, "install.sh resolve");
            assert_eq!(
                value_of(&stdout(&output), "target"),
                target,
                "{system} {machine}"
            );
        } else {
            assert!(!output.status.success(), "{system} {machine}");
            assert!(
                stderr(&output).contains("no gh-policy release for"),
                "{}",
                stderr(&output)
            );
        }
    }
}

#[test]
fn refuses_an_archive_whose_checksum_does_not_match() {
    let release = Release::new(TAG, &[host_target()]);
    let archive = release
        .base()
        .join(TAG)
        .join(format!("gh-policy-{TAG}-{}.tar.gz", host_target()));
    let mut bytes = fs::read(&archive).unwrap();
    bytes.extend_from_slice(b"tampered");
    fs::write(&archive, bytes).unwrap();

    let output = release.run("install", &[("GH_POLICY_VERSION", TAG)]);
    assert!(!output.status.success());
    assert_ne!(output.status.code(), Some(0));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "error: checksum mismatch for gh-policy-{TAG}-{}.tar.gz",
            host_target()
        )),
        "{message}"
    );
    assert!(message.contains("not installing"), "{message}");
    assert_eq!(stdout(&output), "", "no directory printed");
    assert_eq!(release.installed_files(), Vec::<PathBuf>::new());
}

#[test]
fn refuses_an_archive_the_checksum_file_does_not_list() {
    let release = Release::new(TAG, &[host_target(), other_target()]);
    let sums = release.base().join(TAG).join("SHA256SUMS");
    let listed = fs::read_to_string(&sums).unwrap();
    let kept: Vec<&str> = listed
        .lines()
        .filter(|line| !line.ends_with(&format!("{}.tar.gz", host_target())))
        .collect();
    let kept = kept.join("\n") + "\n";
    fs::write(&sums, kept).unwrap();

    let output = release.run("install", &[("GH_POLICY_VERSION", TAG)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("has no single checksum for"),
        "{}",
        stderr(&output)
    );
    assert_eq!(release.installed_files(), Vec::<PathBuf>::new());
}

#[test]
fn a_second_install_uses_the_installed_binary_without_downloading() {
    let release = Release::new(TAG, &[host_target()]);
    let (first, notes) = release.install(&[]);
    assert!(notes.contains("downloading"), "{notes}");

    // With the release gone, only the installed binary can satisfy the second run.
    fs::remove_dir_all(release.base().join(TAG)).unwrap();
    let (second, notes) = release.install(&[]);
    assert_eq!(second, first);
    assert!(notes.contains("is already installed in"), "{notes}");
    assert!(notes.contains("(cached); not downloading"), "{notes}");
    assert!(!notes.contains("downloading "), "{notes}");
    assert_eq!(
        run_binary(&second),
        format!("fake gh-policy {TAG} {}", host_target())
    );
}

#[test]
fn the_version_is_the_actions_ref_when_it_is_a_version_tag_else_the_latest() {
    let release = Release::new("v1.0.0", &[host_target()]);
    release.add(TAG, &[host_target()]);
    let link = Command::new("ln")
        .args(["-s", TAG])
        .arg(release.base().join("latest"))
        .output()
        .unwrap();
    assert_success(&link, "ln -s");
    let version = |vars: &[(&str, &str)]| {
        let output = release.run("resolve", vars);
        assert_success(&output, "install.sh resolve");
        value_of(&stdout(&output), "version")
    };

    assert_eq!(
        version(&[("GH_POLICY_DEFAULT_VERSION", "v1.0.0")]),
        "v1.0.0"
    );
    assert_eq!(version(&[("GH_POLICY_DEFAULT_VERSION", "main")]), TAG);
    assert_eq!(version(&[("GH_POLICY_DEFAULT_VERSION", "v1")]), TAG);
    assert_eq!(version(&[]), TAG);
    assert_eq!(version(&[("GH_POLICY_VERSION", "latest")]), TAG);
    assert_eq!(
        version(&[
            ("GH_POLICY_VERSION", "1.0.0"),
            ("GH_POLICY_DEFAULT_VERSION", "v9.9.9")
        ]),
        "v1.0.0"
    );

    // Where the runner put the action stands in for a missing ref and repository.
    let output = release.run(
        "resolve",
        &[
            ("GH_POLICY_RELEASE_BASE", ""),
            (
                "GH_POLICY_ACTION_PATH",
                "/home/runner/work/_actions/acme/gh-policy/v1.0.0",
            ),
        ],
    );
    assert_success(&output, "install.sh resolve");
    let resolved = stdout(&output);
    assert_eq!(value_of(&resolved, "version"), "v1.0.0");
    assert_eq!(
        value_of(&resolved, "base"),
        "https://github.com/acme/gh-policy/releases/download"
    );
    assert_eq!(
        PathBuf::from(value_of(&resolved, "bin-dir")),
        release.install_dir().join("v1.0.0").join(host_target())
    );

    // And the latest release is what gets installed.
    let output = release.run("install", &[("GH_POLICY_DEFAULT_VERSION", "main")]);
    assert_success(&output, "install.sh");
    assert_eq!(
        run_binary(Path::new(stdout(&output).trim())),
        format!("fake gh-policy {TAG} {}", host_target())
    );
}

#[test]
fn refuses_a_version_that_is_not_one_and_a_release_over_plain_http() {
    let release = Release::new(TAG, &[host_target()]);
    for bad in ["../../etc", "v1.2", "v1.2.3;rm", "main"] {
        let output = release.run("install", &[("GH_POLICY_VERSION", bad)]);
        assert!(!output.status.success(), "{bad}");
        assert!(
            stderr(&output).contains("is not a version such as v1.2.3 or latest"),
            "{bad}: {}",
            stderr(&output)
        );
    }
    let output = release.run(
        "install",
        &[
            ("GH_POLICY_VERSION", TAG),
            (
                "GH_POLICY_RELEASE_BASE",
                "http://127.0.0.1:9/releases/download",
            ),
        ],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("only https://, file:// or a local directory"),
        "{}",
        stderr(&output)
    );
    assert_eq!(release.installed_files(), Vec::<PathBuf>::new());
}
