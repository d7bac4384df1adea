//! Credentials echoed back (issue 28, finding 1): a personal token, an installation token
//! or the App's JWT that an answer repeats is never printed, whatever the shape of the
//! answer, and a token exchange that answers 200 does not show its body.

use gh_policy_emulator::{Echo, Fault, FaultKind};

use super::{as_app, assert_code, org, printed, run};
use crate::common::{Policy, TestRepo};

const MAIN_PROTECTION: &str = "/repos/acme/katz-backend/branches/main/protection";

/// Every echo shape, with a status that goes with it.
const SHAPES: [(Echo, u16); 3] = [(Echo::Message, 400), (Echo::Errors, 422), (Echo::Html, 502)];

#[test]
fn a_personal_token_echoed_in_an_error_is_never_printed() {
    for (shape, status) in SHAPES {
        let repo = TestRepo::new("flow-in-sync");
        repo.write(&Policy::flow());
        repo.emu.inject(
            Fault::new(FaultKind::EchoAuthorization { status, shape })
                .path(MAIN_PROTECTION)
                .always(),
        );
        for format in ["text", "json"] {
            let output = run(
                &mut repo.std_cmd(),
                &["plan", "--no-cache", "-v", "--format", format],
            );
            assert_code(&output, 1);
            let all = printed(&output);
            assert!(
                !all.contains(repo.emu.token()),
                "{shape:?} {status} {format}: the token was printed:\n{all}"
            );
            assert!(all.contains("[REDACTED]"), "{shape:?} {format}:\n{all}");
        }
    }
}

#[test]
fn an_installation_token_and_the_apps_jwt_echoed_are_never_printed() {
    for (shape, status) in SHAPES {
        let repo = org(1);
        // A repository read, made with the installation token (`ghs_…`).
        repo.emu.inject(
            Fault::new(FaultKind::EchoAuthorization { status, shape })
                .path("/branches/main/protection")
                .always(),
        );
        let output = run(as_app(&mut repo.std_cmd()), &["plan", "--no-cache", "-v"]);
        assert_code(&output, 1);
        let all = printed(&output);
        assert!(all.contains("[REDACTED]"), "{shape:?}:\n{all}");
        assert!(
            !all.contains("ghs_"),
            "{shape:?}: a token was printed:\n{all}"
        );
        // The App's own call, made with its JWT.
        repo.emu.clear_faults();
        repo.emu.inject(
            Fault::new(FaultKind::EchoAuthorization { status, shape })
                .path("/orgs/acme/installation")
                .always(),
        );
        let output = run(as_app(&mut repo.std_cmd()), &["plan", "--no-cache", "-v"]);
        assert_code(&output, 1);
        let all = printed(&output);
        assert!(all.contains("[REDACTED]"), "{shape:?}:\n{all}");
        assert!(
            !all.contains("eyJ"),
            "{shape:?}: the JWT was printed:\n{all}"
        );
    }
}

#[test]
fn a_token_exchange_answering_200_does_not_show_its_body() {
    let repo = org(1);
    repo.emu.inject(
        Fault::new(FaultKind::RewriteStatus(200))
            .method("POST")
            .path("/access_tokens")
            .always(),
    );
    let output = run(as_app(&mut repo.std_cmd()), &["plan", "--no-cache", "-v"]);
    assert_code(&output, 1);
    let all = printed(&output);
    assert!(!all.contains("ghs_"), "the token was printed:\n{all}");
    assert!(all.contains("201 Created"), "{all}");
}
