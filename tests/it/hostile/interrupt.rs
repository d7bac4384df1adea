//! SIGINT or SIGTERM during `apply` (issue 28, finding 8): the write in flight is finished,
//! nothing more is written, and the report says what was and was not applied (exit 1).

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use gh_policy_emulator::{Fault, FaultKind};

use super::{ORG_POLICY, org};
use crate::common::{Policy, TestRepo};

/// Starts `apply --yes` with answers that take `latency`.
fn start(repo: &TestRepo, latency: Duration, extra: &[&str]) -> Child {
    repo.emu.set_latency(latency);
    repo.std_cmd()
        .args(["apply", "--no-cache", "--yes"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Asserts that the writes after the first `answered` all belong to one change: the one in
/// flight (a change may take more than one request, e.g. a protection and its checks).
fn one_change_after(writes: &[gh_policy_emulator::LoggedRequest], answered: usize) {
    let resource = |path: &str| path.split('/').take(6).collect::<Vec<_>>().join("/");
    let after: Vec<String> = writes[answered..]
        .iter()
        .map(|w| resource(&w.path))
        .collect();
    assert!(
        after.windows(2).all(|w| w[0] == w[1]),
        "only the change in flight may follow the signal: {after:#?}"
    );
    assert!(writes.iter().all(|w| w.status < 300), "{writes:#?}");
}

/// Waits until the emulator has answered a write, then sends `signal` to the command;
/// returns how many writes were answered by then, and the command's output.
fn signal_after_first_write(repo: &TestRepo, child: Child, signal: &str) -> (usize, Output) {
    let started = Instant::now();
    while repo.writes().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(60), "no write came");
        std::thread::sleep(Duration::from_millis(20));
    }
    let answered = repo.writes().len();
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    (answered, child.wait_with_output().unwrap())
}

fn streams(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn sigterm_during_apply_finishes_the_write_in_flight_and_reports_the_rest() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let child = start(&repo, Duration::from_millis(300), &[]);
    let (answered, output) = signal_after_first_write(&repo, child, "-TERM");
    let (out, err) = streams(&output);
    assert_eq!(output.status.code(), Some(1), "{out}\n{err}");
    one_change_after(&repo.writes(), answered);
    assert!(out.contains("✓ applied"), "{out}");
    assert!(out.contains("· not attempted"), "{out}");
    assert!(
        err.contains("terminated (SIGTERM): finishing the write in flight"),
        "{err}"
    );
    assert!(err.contains("error: apply interrupted:"), "{err}");
    assert!(
        err.contains("changes applied, the rest not attempted"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn sigint_during_apply_over_an_organisation_stops_after_the_write_in_flight() {
    let repo = org(6);
    repo.policy(ORG_POLICY);
    let child = start(&repo, Duration::from_millis(200), &[]);
    let (answered, output) = signal_after_first_write(&repo, child, "-INT");
    let (out, err) = streams(&output);
    assert_eq!(output.status.code(), Some(1), "{out}\n{err}");
    one_change_after(&repo.writes(), answered);
    assert!(out.contains("Not attempted: acme/svc-"), "{out}");
    assert!(err.contains("interrupted (SIGINT)"), "{err}");
    assert!(
        err.contains("apply stopped: a signal asked it to stop"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_second_signal_stops_at_once_saying_the_write_in_flight_may_be_made() {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    // Writes slow enough that the next one is still in flight when both signals come;
    // reads answer at once.
    for method in ["PUT", "PATCH", "DELETE"] {
        repo.emu.inject(
            Fault::new(FaultKind::Delay(Duration::from_secs(2)))
                .method(method)
                .always(),
        );
    }
    let child = start(&repo, Duration::ZERO, &[]);
    let started = Instant::now();
    while repo.writes().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(60), "no write came");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = child.id().to_string();
    for _ in 0..2 {
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        std::thread::sleep(Duration::from_millis(300));
    }
    let output = child.wait_with_output().unwrap();
    let (out, err) = streams(&output);
    assert_eq!(output.status.code(), Some(130), "{out}\n{err}");
    assert!(err.contains("a second signal stops at once"), "{err}");
    assert!(
        err.contains("interrupted (SIGINT) again: stopping now; the write in flight may or may not have been made"),
        "{err}"
    );
}
