//! Faults aimed at one repository, or at one operation.

use gh_policy_emulator::{Emulator, Fault, FaultKind};

use crate::common::{R, assert_clean, call, get, in_sync, org_seed};
use serde_json::json;

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

#[test]
fn an_operation_fault_fails_that_operation_only_however_often_it_is_called() {
    let emu = in_sync();
    emu.inject(
        Fault::new(FaultKind::Status(500))
            .operation(
                "PUT",
                "/repos/{owner}/{repo}/environments/{environment_name}",
            )
            .always(),
    );
    for name in ["production", "qa", "release%2F1"] {
        let path = format!("{R}/environments/{name}");
        assert_eq!(call(&emu, "PUT", &path, Some(json!({}))).status, 500);
    }
    // The same path with another method, the paths below it and other PUTs are other
    // operations.
    assert_eq!(
        get(&emu, &format!("{R}/environments/production")).status,
        200
    );
    let protection = json!({"required_status_checks": null, "enforce_admins": false,
                            "required_pull_request_reviews": null, "restrictions": null});
    let path = format!("{R}/branches/dev/protection");
    assert_eq!(call(&emu, "PUT", &path, Some(protection)).status, 200);
    let variable = json!({"name": "REGION", "value": "eu"});
    assert_eq!(
        call(
            &emu,
            "POST",
            &format!("{R}/environments/production/variables"),
            Some(variable)
        )
        .status,
        201
    );
    assert!(!emu.state().environments.contains_key("qa"));
    assert_clean(&emu);
}
