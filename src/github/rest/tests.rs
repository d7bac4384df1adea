// Compiled only under cfg(test) (see `mod tests;` in rest/mod.rs).
//! Reads over HTTP against the emulator.

use std::sync::Arc;

use gh_policy_emulator::{Emulator, Seed};

use super::RestReader;
use crate::github::api::reads;
use crate::github::client::{ApiRoot, ClientConfig, ReadClient, Token};

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
