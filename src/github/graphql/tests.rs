//! Both ways on every emulator world: each repository read through GraphQL in bulk (with
//! REST for the rest) and through REST alone gives the same live model — or the same
//! error — and the bulk way really answered from GraphQL where it could.

use std::path::Path;
use std::sync::Arc;

use gh_policy_emulator::{BranchSeed, Emulator, RepositorySeed, Role, Seed};
use serde_json::json;

use crate::github::api::reads;
use crate::github::client::{ApiRoot, ClientConfig, ReadClient, Token};
use crate::github::read::prefetch;
use crate::github::read::{OrgRulesets, ReadError, read_all, read_live_in_org};
use crate::github::rest::RestReader;
use crate::live::LiveState;
use crate::model::{Branch, Requirement};
use crate::names::RepoName;

fn reader(emu: &Emulator, token: &str) -> RestReader {
    let root = ApiRoot::parse(&emu.url()).expect("the emulator's URL");
    let mut config = ClientConfig::new(root, Arc::new(Token::new(token)));
    config.read_retries = 0;
    RestReader::new(ReadClient::new(config))
}

fn repos_of(seed: &Seed) -> Vec<RepoName> {
    let org = seed.org.as_ref().map_or("acme", |o| o.login.as_str());
    let top = (!seed.repo.name.is_empty()).then(|| RepoName {
        owner: seed.repo.owner.clone(),
        name: seed.repo.name.clone(),
    });
    let more = seed.repositories.iter().map(|r| RepoName {
        owner: r.owner.clone().unwrap_or_else(|| org.to_owned()),
        name: r.name.clone(),
    });
    top.into_iter().chain(more).collect()
}

/// The repositories whose classic protection the emulator answered through REST (a `200`
/// of `…/protection` or a sub-resource), once per read.
fn protection_reads(emu: &Emulator) -> Vec<String> {
    emu.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.contains("/protection") && r.status == 200)
        .map(|r| r.path.split('/').nth(3).unwrap_or_default().to_owned())
        .collect()
}

/// Reads every repository of the world both ways, as `export` does and as a plan with a
/// requirement on the default branch and branches that are missing or unprotected does;
/// returns the repositories whose protection each way read through REST.
async fn both_ways(emu: &Emulator, token: &str, seed: &Seed) -> (Vec<String>, Vec<String>) {
    let rest = reader(emu, token);
    let repos = repos_of(seed);
    let (mut rest_reads, mut bulk_reads) = (Vec::new(), Vec::new());
    for repo in &repos {
        emu.clear_log();
        let plain = read_all(&rest, repo, None).await;
        let mut desired = plain.as_ref().map_or_else(
            |_| crate::model::RepoSettings::empty(),
            |live| live.settings.clone(),
        );
        desired
            .branches
            .insert("no-such-branch".into(), Branch::default());
        desired
            .branches
            .insert("unprotected".into(), Branch::default());
        desired.requirements.insert(
            "~DEFAULT_BRANCH".into(),
            Requirement {
                required_approvals: 1,
                ..Requirement::default()
            },
        );
        let org = OrgRulesets::default();
        let planned = read_live_in_org(&rest, repo, &desired, &org).await;
        rest_reads.extend(protection_reads(emu));

        emu.clear_log();
        let bulk = prefetch(&rest, std::slice::from_ref(repo)).await;
        let through = rest.with_bulk(Arc::new(bulk));
        let bulk_all = read_all(&through, repo, None).await;
        let bulk_planned = read_live_in_org(&through, repo, &desired, &org).await;
        bulk_reads.extend(protection_reads(emu));
        let same = |a: &Result<LiveState, ReadError>, b: &Result<LiveState, ReadError>| match (a, b)
        {
            (Ok(a), Ok(b)) => a == b,
            // Reads run concurrently, so which refused read comes first may vary: the same
            // refusal (kind and permission) is the same answer.
            (Err(ReadError::Api(a)), Err(ReadError::Api(b))) => {
                (a.kind, &a.needs) == (b.kind, &b.needs)
            }
            (Err(a), Err(b)) => a.to_string() == b.to_string(),
            _ => false,
        };
        assert!(
            same(&plain, &bulk_all),
            "{repo}: export read differs:\n{plain:?}\n{bulk_all:?}"
        );
        assert!(
            same(&planned, &bulk_planned),
            "{repo}: plan read differs:\n{planned:?}\n{bulk_planned:?}"
        );
    }
    (rest_reads, bulk_reads)
}

fn fixture(name: &str) -> Seed {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/live")
        .join(name);
    Emulator::load_seed(path).expect("a fixture world")
}

/// A world with every part of classic protection GraphQL carries: restrictions of users,
/// teams and apps, dismissal restrictions, bypass allowances, checks pinned to an app,
/// signatures, a locked branch that allows fork syncing; and a check pinned to an app the
/// directory does not know (GraphQL cannot name it: that repository is read through REST).
fn rich() -> Seed {
    let everything = json!({
        "required_status_checks": {"strict": true, "checks": [{"context": "ci", "app_id": 15368}, {"context": "lint"}]},
        "enforce_admins": true,
        "required_pull_request_reviews": {
            "dismiss_stale_reviews": true, "require_code_owner_reviews": true,
            "required_approving_review_count": 2, "require_last_push_approval": true,
            "dismissal_restrictions": {"users": ["octocat"], "teams": ["platform"]},
            "bypass_pull_request_allowances": {"users": ["hubot"], "apps": ["ci-app"]}
        },
        "restrictions": {"users": ["octocat"], "teams": ["platform"], "apps": ["ci-app"]},
        "required_linear_history": true, "allow_force_pushes": false, "allow_deletions": false,
        "block_creations": true, "required_conversation_resolution": true,
        "lock_branch": true, "allow_fork_syncing": true
    });
    let unknown_app = json!({
        "required_status_checks": {"strict": false, "checks": [{"context": "ci", "app_id": 999}]},
        "enforce_admins": false, "required_pull_request_reviews": null, "restrictions": null
    });
    let mut seed: Seed = serde_json::from_value(json!({
        "org": {"login": "acme", "id": 9000, "teams": [{"slug": "platform", "id": 41}],
                "members": [{"login": "octocat", "id": 583_231}, {"login": "hubot", "id": 7}]},
        "apps": [{"slug": "ci-app", "id": 15368}]
    }))
    .expect("a seed");
    seed.repositories = vec![
        RepositorySeed::new("everything")
            .protected_branch("main", everything.clone())
            .branch(
                "release",
                BranchSeed {
                    protection: Some(everything),
                    required_signatures: true,
                },
            ),
        RepositorySeed::new("unknown-app").protected_branch("main", unknown_app),
        RepositorySeed::new("bare").default_branch("trunk"),
    ];
    seed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_world_reads_the_same_both_ways() {
    for name in [
        "empty.json",
        "flow-drifted.json",
        "flow-in-sync.json",
        "org-acme.json",
    ] {
        let seed = fixture(name);
        let emu = Emulator::start(seed.clone());
        let (rest, bulk) = both_ways(&emu, emu.token(), &seed).await;
        // Every protected branch came from GraphQL.
        assert_eq!(bulk, Vec::<String>::new(), "{name}");
        assert_eq!(rest.is_empty(), name == "empty.json", "{name}: {rest:?}");
        assert!(emu.response_violations().is_empty(), "{name}");
    }
    let seed = rich();
    let emu = Emulator::start(seed.clone());
    let (rest, bulk) = both_ways(&emu, emu.token(), &seed).await;
    // Only `unknown-app`, whose check GraphQL could not name, is read through REST.
    assert!(rest.contains(&"everything".to_owned()), "{rest:?}");
    assert!(
        !bulk.is_empty() && bulk.iter().all(|r| r == "unknown-app"),
        "{bulk:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_graphql_nulls_for_a_reader_is_read_through_rest_never_taken_as_empty() {
    let seed = rich();
    let emu = Emulator::builder(seed.clone())
        .token_with_role("reader", Role::Read)
        .start();
    // A reader may not read classic protection: GraphQL nulls the repository with an error,
    // REST refuses; both ways end in the same error, never in "unprotected".
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
