//! Proxies from the environment, end to end: `HTTPS_PROXY` takes the binary's requests to
//! GitHub through a CONNECT tunnel (the token never in clear to the proxy), `NO_PROXY`
//! leaves a host out, and loopback is never proxied.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Output;
use std::sync::{Arc, Mutex};

use crate::common::{Policy, TestRepo, assert_exit};

/// A proxy that records each request head and what the client then sent, answers every
/// CONNECT with 200 and hangs up after the first bytes through the tunnel; returns its URL.
/// Each connection's request head and the first bytes sent through its tunnel.
type Seen = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

fn local_proxy() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let _ = stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
            let mut tunnelled = [0u8; 4096];
            let n = stream.read(&mut tunnelled).unwrap_or(0);
            record.lock().unwrap().push((
                String::from_utf8_lossy(&head).into_owned(),
                tunnelled[..n].to_vec(),
            ));
        }
    });
    (url, seen)
}

fn plan(repo: &TestRepo, api: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = repo.std_cmd();
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(name);
    }
    cmd.envs(env.iter().copied())
        // One request at a time: the first one's failure ends the run.
        .args(["plan", "--no-cache", "--retries", "0", "--concurrency", "1"])
        .args(["--api-url", api])
        .output()
        .unwrap()
}

#[test]
fn https_proxy_tunnels_the_requests_to_github_but_not_no_proxy_hosts_or_loopback() {
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    let (proxy, seen) = local_proxy();
    let output = plan(&repo, "https://api.github.test", &[("HTTPS_PROXY", &proxy)]);
    // The local proxy is no GitHub: the TLS handshake through it fails.
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("tls handshake eof"), "{err}");
    let tunnels = seen.lock().unwrap().clone();
    assert!(!tunnels.is_empty(), "{err}");
    for (head, tunnelled) in &tunnels {
        assert!(
            head.to_lowercase()
                .starts_with("connect api.github.test:443 http/1.1\r\n"),
            "{head}"
        );
        assert_eq!(
            tunnelled.first(),
            Some(&0x16),
            "a TLS handshake went through"
        );
        for sent in [head.as_bytes(), tunnelled.as_slice()] {
            assert!(
                !String::from_utf8_lossy(sent).contains(repo.emu.token()),
                "the token reached the proxy in clear"
            );
        }
    }

    // NO_PROXY leaves the host out: it is reached directly (and does not resolve).
    let output = plan(
        &repo,
        "https://api.github.test",
        &[("https_proxy", &proxy), ("NO_PROXY", "github.test")],
    );
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("cannot resolve the host name"), "{err}");
    // The emulator on loopback, with every proxy variable set: reached directly.
    let output = plan(
        &repo,
        &repo.emu.url(),
        &[
            ("HTTPS_PROXY", &proxy),
            ("HTTP_PROXY", &proxy),
            ("ALL_PROXY", &proxy),
        ],
    );
    assert_exit(&output, 0);
    assert_eq!(seen.lock().unwrap().len(), tunnels.len());
}
