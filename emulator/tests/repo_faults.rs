//! Faults aimed at one repository.
#![allow(clippy::unwrap_used, reason = "test code")]

mod common;

use gh_policy_emulator::{Emulator, Fault, FaultKind};

use common::{assert_clean, call, get, org_seed};

#[test]
fn a_failing_repository_fails_every_call_and_the_others_work() {
    let emu = Emulator::start(org_seed());
    emu.fail_repository("acme/API", 500);
    for _ in 0..3 {
        let r = get(&emu, "/repos/acme/api");
        assert_eq!(r.status, 500);
        assert_eq!(r.json()["message"], "Server Error");
    }
    assert_eq!(
        get(&emu, "/repos/acme/api/branches/main/protection").status,
        500
    );
    assert_eq!(
        call(&emu, "PUT", "/repos/acme/api/environments/qa", None).status,
        500
    );
    assert_eq!(get(&emu, "/repos/acme/api-fork").status, 200);
    assert_eq!(get(&emu, "/repos/acme/web/branches").status, 200);
    assert_eq!(get(&emu, "/orgs/acme/repos").status, 200);
    // The failed write changed nothing.
    assert!(!emu.state().repositories[0].environments.contains_key("qa"));
    emu.clear_faults();
    assert_eq!(get(&emu, "/repos/acme/api").status, 200);
    assert_clean(&emu);
}

#[test]
fn a_repository_fault_combines_with_method_path_and_count() {
    let emu = Emulator::start(org_seed());
    emu.inject(
        Fault::new(FaultKind::Status(502))
            .repository("acme/web")
            .method("GET")
            .path("/branches")
            .times(2),
    );
    assert_eq!(get(&emu, "/repos/acme/api/branches").status, 200);
    assert_eq!(get(&emu, "/repos/acme/web").status, 200);
    assert_eq!(get(&emu, "/repos/acme/web/branches").status, 502);
    assert_eq!(get(&emu, "/repos/acme/web/branches/trunk").status, 502);
    assert_eq!(get(&emu, "/repos/acme/web/branches").status, 200);
    assert_clean(&emu);
}
