//! An organisation run reads what GraphQL serves in bulk (DESIGN §16) and makes the same
//! plan when GraphQL is refused or absent: then everything is read through REST.

use gh_policy_emulator::{Emulator, Fault, FaultKind};
use serde_json::Value;

use crate::common::TestRepo;
use crate::org::{ORG_POLICY, acme};

fn plan(repo: &TestRepo) -> (i32, Value) {
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "json"])
        .env("GH_POLICY_RETRY_BASE_MS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let plan = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("plan did not print JSON ({err}); stderr: {stderr}"));
    (output.status.code().unwrap(), plan)
}

fn count(repo: &TestRepo, method: &str, part: &str) -> usize {
    repo.emu
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path.contains(part))
        .count()
}

fn acme_repo() -> TestRepo {
    let repo = TestRepo::with(Emulator::builder(acme()).start());
    repo.policy(ORG_POLICY);
    repo
}

#[test]
fn an_organisation_plan_reads_protection_in_bulk_and_the_same_plan_without_graphql() {
    let bulk = acme_repo();
    let (code, through_graphql) = plan(&bulk);
    assert_eq!(code, 2, "{through_graphql}");
    // Four repositories planned, one query; no protection read through REST.
    assert_eq!(count(&bulk, "POST", "/graphql"), 1);
    assert_eq!(count(&bulk, "GET", "/protection"), 0);

    // A server without GraphQL (404, as an old GHES answers).
    let absent = acme_repo();
    absent.emu.inject(
        Fault::new(FaultKind::Status(404))
            .method("POST")
            .path("/graphql")
            .always(),
    );
    let (code, through_rest) = plan(&absent);
    assert_eq!(code, 2);
    assert_eq!(through_rest, through_graphql);
    assert_eq!(count(&absent, "GET", "/protection"), 4);

    // GraphQL failing (502 after every retry): the same plan through REST.
    let failing = acme_repo();
    failing.emu.inject(
        Fault::new(FaultKind::Status(502))
            .method("POST")
            .path("/graphql")
            .always(),
    );
    let (code, after_failures) = plan(&failing);
    assert_eq!(code, 2);
    assert_eq!(after_failures, through_graphql);
    assert_eq!(count(&failing, "GET", "/protection"), 4);
}
