//! Injected faults and latency.

use std::time::Duration;

use gh_policy_emulator::{Fault, FaultKind};

use super::*;

#[test]
fn faults() {
    let emu = in_sync();
    emu.inject(
        Fault::new(FaultKind::Status(502))
            .method("GET")
            .path("/environments")
            .times(2),
    );
    assert_eq!(get(&emu, &format!("{R}/environments")).status, 502);
    assert_eq!(get(&emu, R).status, 200, "path does not match");
    assert_eq!(
        get(&emu, &format!("{R}/environments")).json()["message"],
        "Bad Gateway"
    );
    assert_eq!(
        get(&emu, &format!("{R}/environments")).status,
        200,
        "fired twice only"
    );

    emu.inject(Fault::new(FaultKind::PrimaryRateLimit {
        reset_in: Duration::from_secs(60),
    }));
    let r = get(&emu, R);
    assert_eq!(r.status, 403);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!(reset > 1_700_000_000);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("API rate limit exceeded")
    );

    emu.inject(Fault::new(FaultKind::SecondaryRateLimit {
        retry_after: Some(3),
    }));
    let r = get(&emu, R);
    assert_eq!((r.status, r.header("retry-after")), (403, Some("3")));
    assert!(
        r.json()["documentation_url"]
            .as_str()
            .unwrap()
            .ends_with("secondary-rate-limits")
    );

    emu.inject(Fault::new(FaultKind::Forbidden {
        accepted_permissions: "administration=read".into(),
    }));
    let r = get(&emu, R);
    assert_eq!(r.status, 403);
    assert_eq!(
        r.header("x-accepted-github-permissions"),
        Some("administration=read")
    );
    assert_eq!(
        r.json()["message"],
        "Resource not accessible by personal access token"
    );

    emu.inject(Fault::new(FaultKind::TruncatedBody));
    let r = get(&emu, R);
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<Value>(&r.body).is_err());

    emu.inject(Fault::new(FaultKind::CloseConnection).method("PUT"));
    let auth = format!("Bearer {}", emu.token());
    let dropped = raw(
        &emu,
        "PUT",
        &format!("{R}/environments/x"),
        Some("{}"),
        &[("Authorization", &auth)],
    );
    assert!(
        dropped.is_err() || dropped.as_ref().is_ok_and(|r| r.status == 0),
        "connection must drop"
    );
    assert_eq!(
        get(&emu, &format!("{R}/environments/x")).status,
        404,
        "a dropped request is not processed"
    );
    assert_eq!(emu.requests().iter().filter(|l| l.status == 0).count(), 1);

    // A delayed request is still processed (that it waits, the binary's timeout tests show).
    emu.inject(Fault::new(FaultKind::Delay(Duration::from_millis(10))));
    assert_eq!(get(&emu, R).status, 200);
    emu.clear_log();
    assert!(emu.requests().is_empty());
    assert_clean(&emu);
}
