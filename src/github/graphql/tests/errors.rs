//! What GraphQL answers with an error, or nulls for a token that may not see it, is read
//! through REST (and said under `-v`), never taken as empty: a part with an error (classic
//! protection, rulesets, branches, people with write access) leaves the repository's other
//! parts from GraphQL; an error anywhere else, or a repository
//! nulled, sends all of it to REST.

use std::sync::Arc;

use gh_policy_emulator::{Emulator, Role};
use serde_json::{Value, json};

use super::{
    PARTIAL, WHOLE, both_ways, finding_reads, listed, protection_reads, reader, rich, ruleset_reads,
};
use crate::github::api::reads;
use crate::github::graphql::{Bulk, query};
use crate::github::read::{prefetch, read_all, read_facts};
use crate::model::names::RepoName;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_graphql_nulls_for_a_reader_is_read_through_rest_never_taken_as_empty() {
    let seed = rich();
    let emu = Emulator::builder(seed.clone())
        .token_with_role("reader", Role::Read)
        .start();
    // A reader may not read classic protection: GraphQL nulls it with an error, REST
    // refuses; both ways end in the same error, never in "unprotected".
    both_ways(&emu, "reader", &seed).await;
    let rest = reader(&emu, "reader");
    let repo = RepoName::parse("acme/everything").expect("a name");
    let bulk = prefetch(&rest, std::slice::from_ref(&repo)).await;
    assert!(bulk.protection(&repo, "main").is_none());
    assert!(
        bulk.fallbacks[0].contains("Must have admin rights"),
        "{:?}",
        bulk.fallbacks
    );
    let through = rest.with_bulk(Arc::new(bulk));
    assert!(
        through
            .read(reads::branch_protection(&repo, "main"))
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repository_graphql_nulls_for_a_reader_has_every_ruleset_read_through_rest() {
    // A reader may read a repository's rulesets but not its classic protection, which
    // GraphQL cannot leave null: it nulls the whole repository with an error. Every ruleset
    // of `ruled` is then read through REST, as without GraphQL, never taken as none.
    let mut seed = rich();
    seed.repositories.retain(|r| r.name == "ruled");
    let emu = Emulator::builder(seed.clone())
        .token_with_role("reader", Role::Read)
        .start();
    let (rest, bulk) = both_ways(&emu, "reader", &seed).await;
    for id in WHOLE.iter().chain(&PARTIAL) {
        let id = format!("ruled/{id}");
        assert!(rest.rulesets.contains(&id), "{id}: {rest:?}");
        assert!(bulk.rulesets.contains(&id), "{id}: {bulk:?}");
    }
    let repo = RepoName::parse("acme/ruled").expect("a name");
    let said = prefetch(&reader(&emu, "reader"), std::slice::from_ref(&repo))
        .await
        .fallbacks;
    assert_eq!(
        said,
        [
            "acme/ruled: every part: GraphQL answered with an error: Must have admin rights to Repository."
        ]
    );

    // A writer sees the repository's bypass actors but not the organisation ruleset's.
    let emu = Emulator::builder(seed.clone())
        .token_with_role("writer", Role::Write)
        .start();
    both_ways(&emu, "writer", &seed).await;
}

/// `answer` with `field` of repository `r0` nulled and GraphQL's error at `path`.
fn erred(answer: &Value, field: &str, path: &Value) -> Value {
    let mut erred = answer.clone();
    erred["data"]["r0"][field] = Value::Null;
    erred["errors"] = json!([{
        "type": "FORBIDDEN", "path": path,
        "message": "Resource not accessible by integration"
    }]);
    erred
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_graphql_answers_with_an_error_is_read_through_rest_the_others_from_graphql() {
    // `everything`: classic protection on `main` and `release`, the organisation's ruleset
    // in its list, collaborators of every permission.
    let emu = Emulator::start(rich());
    let rest = reader(&emu, emu.token());
    let repo = RepoName::parse("acme/everything").expect("a name");
    let answer = rest
        .graphql(&query::text(1), &query::variables(&[&repo]))
        .await
        .expect("GraphQL answers")
        .expect("the emulator has GraphQL");
    let plain = read_all(&rest, &repo, None).await.expect("REST reads it");
    let facts = read_facts(&rest, &repo, &listed())
        .await
        .expect("REST reads them");
    let because = ": GraphQL answered with an error: Resource not accessible by integration";
    // Each field with an error, where GraphQL put it, what is said, and which parts stay
    // GraphQL's: classic protection, rulesets, branches, people with write access.
    let cases = [
        (
            "rulesets",
            json!(["r0", "rulesets"]),
            format!("acme/everything: rulesets{because}"),
            [true, false, true, true],
        ),
        (
            "branchProtectionRules",
            json!(["r0", "branchProtectionRules", "nodes", 0, "isAdminEnforced"]),
            format!("acme/everything: classic protection{because}"),
            [false, true, true, true],
        ),
        (
            "refs",
            json!(["r0", "refs"]),
            format!("acme/everything: the branches{because}"),
            [true, true, false, true],
        ),
        (
            "collaborators",
            json!(["r0", "collaborators"]),
            format!("acme/everything: the people with write access{because}"),
            [true, true, true, false],
        ),
        (
            "defaultBranchRef",
            json!(["r0", "defaultBranchRef"]),
            format!("acme/everything: every part{because}"),
            [false; 4],
        ),
    ];
    for (field, path, why, known) in cases {
        let mut bulk = Bulk::default();
        bulk.take(&[&repo], &erred(&answer, field, &path));
        assert_eq!(bulk.fallbacks, [why], "{field}");
        // The part with the error is unknown, never empty; the others are GraphQL's.
        let told = [
            bulk.protection(&repo, "main").is_some(),
            bulk.ruleset_summaries(&repo).is_some(),
            bulk.branch_names(&repo).is_some(),
            bulk.writers(&repo).is_some(),
        ];
        assert_eq!(told, known, "{field}");
        let [protection, rulesets, branches, writers] = known;
        // Read through it, the repository is what REST alone reads, each unknown part
        // read through REST.
        emu.clear_log();
        let through = rest.with_bulk(Arc::new(bulk));
        let live = read_all(&through, &repo, None).await.expect("it reads");
        assert_eq!(live, plain, "{field}");
        let through_facts = read_facts(&through, &repo, &listed()).await;
        assert_eq!(through_facts.ok().as_ref(), Some(&facts), "{field}");
        assert_eq!(protection_reads(&emu).is_empty(), protection, "{field}");
        let lists = ruleset_reads(&emu).iter().any(|r| r.ends_with("/list"));
        assert_eq!(lists, !rulesets, "{field}");
        let findings = finding_reads(&emu);
        let read = |list: &str| findings.contains(&format!("everything/{list}"));
        assert_eq!(read("branches"), !branches, "{field}: {findings:?}");
        assert_eq!(read("collaborators"), !writers, "{field}: {findings:?}");
    }
    // What GraphQL told of the people is what REST's `permission=push` keeps.
    let writers = ["octocat", "mona", "tux"].map(str::to_owned);
    assert_eq!(facts.writers.as_deref(), Some(&writers[..]));
}
