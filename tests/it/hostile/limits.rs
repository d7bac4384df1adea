//! Resource limits (issue 28, finding 6): timeouts that would overflow the clock, the App's
//! token exchange held to `--timeout`, a write pause held to it too, answers larger than
//! GitHub ever sends, private key files that are endless or never end, and a glob so long
//! that matching it costs seconds.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use gh_policy_emulator::{Fault, FaultKind};

use super::{as_app, assert_code, org, printed, run};
use crate::common::{Policy, TestRepo};

/// Runs a command, killing it if it has not finished within `limit` (then `None`).
fn within(cmd: &mut Command, limit: Duration) -> Option<Output> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

#[test]
fn timeouts_and_pauses_past_a_week_are_refused_not_a_panic() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    for flag in [
        "--timeout",
        "--request-timeout",
        "--max-rate-limit-wait",
        "--write-delay-ms",
    ] {
        let command = if flag == "--write-delay-ms" {
            "apply"
        } else {
            "plan"
        };
        let output = run(
            &mut repo.std_cmd(),
            &[command, "--no-cache", flag, "9223372036854775807"],
        );
        assert_code(&output, 1);
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("(a week)"), "{flag}: {err}");
    }
    assert!(repo.emu.requests().is_empty());
}

#[test]
fn a_write_pause_longer_than_the_timeout_fails_at_once() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let output = within(
        repo.std_cmd().args([
            "apply",
            "--no-cache",
            "--yes",
            "--timeout",
            "5",
            "--write-delay-ms",
            "600000",
        ]),
        Duration::from_secs(30),
    )
    .expect("apply waited past its --timeout");
    assert_code(&output, 1);
    let all = printed(&output);
    assert!(
        all.contains("(--write-delay-ms) would outlast the overall --timeout of 5 s"),
        "{all}"
    );
    assert_eq!(
        repo.writes().len(),
        1,
        "one write, then the pause was refused"
    );
}

#[test]
fn the_apps_token_exchange_is_held_to_the_timeout() {
    let repo = org(1);
    repo.emu.inject(
        Fault::new(FaultKind::Delay(Duration::from_secs(60)))
            .method("POST")
            .path("/access_tokens")
            .always(),
    );
    // The delay is a minute: a run that ends within 40 s gave up at its --timeout.
    let output = within(
        as_app(&mut repo.std_cmd()).args(["plan", "--no-cache", "--timeout", "2"]),
        Duration::from_secs(40),
    )
    .expect("the token exchange ran past --timeout");
    assert_code(&output, 1);
    let all = printed(&output);
    assert!(
        all.contains("POST /app/installations/77/access_tokens"),
        "{all}"
    );
    assert!(all.contains("--timeout"), "{all}");
}

/// A server that answers every request with `head` and then `body_bytes` of `x`, in
/// chunks when `chunked`; returns its URL.
fn huge_answer_server(content_length: Option<u64>, body_bytes: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let head = match content_length {
                    Some(len) => format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n"),
                    None => "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned(),
                };
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![b'x'; 1 << 20];
                for _ in 0..(body_bytes >> 20) {
                    let sent = match content_length {
                        Some(_) => stream.write_all(&chunk),
                        None => stream
                            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                            .and_then(|()| stream.write_all(&chunk))
                            .and_then(|()| stream.write_all(b"\r\n")),
                    };
                    if sent.is_err() {
                        return;
                    }
                }
                if content_length.is_none() {
                    let _ = stream.write_all(b"0\r\n\r\n");
                }
            });
        }
    });
    url
}

#[test]
fn an_answer_larger_than_github_ever_sends_is_not_read() {
    for (declared, sent) in [(Some(400_000_000), 64 << 20), (None, 48 << 20)] {
        let url = huge_answer_server(declared, sent);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("policy.yaml"), "version: 1\n").unwrap();
        let output = within(
            Command::new(assert_cmd::cargo::cargo_bin!("gh-policy"))
                .current_dir(dir.path())
                .args(["plan", "--no-cache", "--repo", "acme/api", "--retries", "0"])
                .env("GITHUB_API_URL", &url)
                .env("GITHUB_TOKEN", "ghp_test_token_0123456789")
                .env_remove("GH_TOKEN"),
            Duration::from_secs(60),
        )
        .expect("the answer was read for a minute");
        assert_code(&output, 1);
        let all = printed(&output);
        assert!(all.contains("is larger than 32 MiB"), "{declared:?}: {all}");
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_as_the_private_key_is_refused_not_waited_on() {
    let repo = org(1);
    let fifo = repo.dir.path().join("key.pem");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let output = within(
        repo.std_cmd()
            .args(["plan", "--no-cache", "--app-id", "15368", "--private-key"])
            .arg(&fifo),
        Duration::from_secs(20),
    )
    .expect("the private key pipe was waited on");
    assert_code(&output, 1);
    let all = printed(&output);
    assert!(all.contains("is not a regular file"), "{all}");
}

#[cfg(unix)]
#[test]
fn a_device_or_a_huge_file_as_the_private_key_is_refused() {
    let repo = org(1);
    let big = repo.dir.path().join("big.pem");
    std::fs::write(&big, vec![b'A'; 1 << 20]).unwrap();
    for (key, message) in [
        (
            std::path::PathBuf::from("/dev/zero"),
            "is not a regular file",
        ),
        (big, "too large for a private key"),
    ] {
        let output = within(
            repo.std_cmd()
                .args(["plan", "--no-cache", "--app-id", "15368", "--private-key"])
                .arg(&key),
            Duration::from_secs(20),
        )
        .expect("the private key was read on and on");
        assert_code(&output, 1);
        let all = printed(&output);
        assert!(all.contains(message), "{all}");
    }
}

#[test]
fn a_group_glob_longer_than_any_repository_name_is_refused() {
    let repo = TestRepo::new("flow-in-sync");
    let glob = "a".repeat(900_000);
    repo.policy(&format!(
        "version: 1\norganization: acme\ngroups:\n  huge:\n    select: {{ names: [\"{glob}*\"] }}\n    policy: {{}}\n"
    ));
    let output = within(
        repo.std_cmd().args(["validate", "--no-workflows"]),
        Duration::from_secs(20),
    )
    .unwrap();
    assert_code(&output, 1);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("policy.yaml:5:"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(
        err.len() < 5000,
        "the glob is not repeated whole: {} bytes",
        err.len()
    );
}
