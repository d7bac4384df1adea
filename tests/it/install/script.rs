//! `action/install.sh` against a local release: the binary for this platform, `uname`
//! mapped to the target, checksums refused when they do not match or are missing, a second
//! install without downloading, and which version it takes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{
    Release, TAG, assert_success, host_target, other_target, run_binary, stderr, stdout, value_of,
};

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
