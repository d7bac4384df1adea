// Compiled only under cfg(test) (see `mod tests;` in rest/mod.rs).
//! Declared operations sent over HTTP to the emulator, judged by their declarations.

use std::sync::Arc;

use gh_policy_emulator::{Emulator, Fault, FaultKind, Seed};

use super::RestReader;
use crate::github::api::{ProtectionRead, reads, writes};
use crate::github::client::{ApiRoot, ClientConfig, ReadClient, Token};
use crate::github::error::ApiErrorKind;
use crate::model::names::RepoName;

#[tokio::test]
async fn the_rate_limit_is_the_core_budget_and_costs_nothing() {
    let emu = Emulator::builder(Seed::organization("acme", 9000))
        .primary_rate_limit(1000)
        .start();
    let config = ClientConfig::new(
        ApiRoot::parse(&emu.url()).unwrap(),
        Arc::new(Token::new(emu.token())),
    );
    let github = RestReader::new(ReadClient::new(config));
    github.read(reads::org_rulesets("acme")).await.unwrap();
    let budget = github.read(reads::rate_limit()).await.unwrap();
    assert_eq!(budget.limit, 1000);
    assert_eq!(budget.used, 1);
    assert_eq!(budget.remaining, 999);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        budget.reset > now && budget.reset <= now + 3600,
        "{budget:?}"
    );
    assert_eq!(emu.rate_limit_used(), 1);
}

/// What a 404 is comes from the declaration: an answer where it says so, else an error
/// whose hint names what may be missing.
#[tokio::test]
async fn a_404_is_what_the_declaration_says_it_is() {
    let github = crate::testing::flow_repository();
    let (rest, repo) = (github.rest.reader(), github.repo());
    assert_eq!(rest.read(reads::user("nobody-at-all")).await.unwrap(), None);
    let unprotected = reads::branch_protection(&repo, "dev");
    assert_eq!(
        rest.read(unprotected).await.unwrap(),
        ProtectionRead::NotProtected
    );
    let missing = reads::branch_protection(&repo, "no-such-branch");
    assert_eq!(
        rest.read(missing).await.unwrap(),
        ProtectionRead::BranchMissing
    );
    assert!(
        !rest
            .read(reads::required_signatures(&repo, "dev"))
            .await
            .unwrap()
    );

    let nope = RepoName::parse("acme/nope").unwrap();
    let err = rest.read(reads::rulesets(&nope)).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::NotFound);
    assert!(
        err.hint()
            .starts_with("repository `acme/nope` was not found"),
        "{}",
        err.hint()
    );
    // Not every 404 may mean the repository: a ruleset by id names none.
    let err = rest.read(reads::ruleset(&repo, 404_404)).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::NotFound);
    assert!(!err.hint().contains("acme/katz-backend"), "{}", err.hint());
}

/// A 403 names the permission the declaration says the operation needs; a status the
/// declaration accepts is success, whatever it is.
#[tokio::test]
async fn statuses_and_permissions_come_from_the_declaration() {
    let github = crate::testing::flow_repository();
    let repo = github.repo();
    github.emu.inject(
        Fault::new(FaultKind::Status(403))
            .operation("GET", "/repos/{owner}/{repo}/environments")
            .always(),
    );
    let err = github
        .rest
        .read(reads::environments(&repo))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Permission);
    assert!(err.hint().contains("\"Actions: read\""), "{}", err.hint());
    // Signed commits off on a branch where they are off already: GitHub's 404 is success.
    let off = writes::set_required_signatures(&repo, "dev", false);
    github.rest.write(off).await.unwrap();
    let delete = github.emu.writes().pop().unwrap();
    assert_eq!((delete.method.as_str(), delete.status), ("DELETE", 404));
    // The same status where the declaration does not accept it is an error naming the call.
    let err = github
        .rest
        .write(writes::delete_environment(&repo, "nowhere"))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::NotFound);
    assert_eq!(
        err.call.to_string(),
        "DELETE /repos/acme/katz-backend/environments/nowhere"
    );
}
