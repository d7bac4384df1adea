//! Both ways on every emulator world: each repository read through GraphQL in bulk (with
//! REST for the rest) and through REST alone gives the same live model — or the same
//! error — and the bulk way really answered from GraphQL where it could.

use std::path::Path;
use std::sync::Arc;

use gh_policy_emulator::{ActivitySeed, BranchSeed, Emulator, RepositorySeed, Seed};
use serde_json::json;

use crate::github::client::{ApiRoot, ClientConfig, ReadClient, Token};
use crate::github::error::ApiError;
use crate::github::read::prefetch;
use crate::github::read::{OrgRulesets, ReadError, read_all, read_facts, read_live_in_org};
use crate::github::rest::RestReader;
use crate::model::live::LiveState;
use crate::model::names::RepoName;
use crate::model::{Branch, Requirement};
use crate::protection::findings::{Facts, Needs};

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

/// The rulesets read through REST (`repository/list` for a list, `repository/ID` for one
/// ruleset), once per read.
fn ruleset_reads(emu: &Emulator) -> Vec<String> {
    emu.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.contains("/rulesets") && r.status == 200)
        .map(|r| {
            let repo = r.path.split('/').nth(3).unwrap_or_default();
            let which = r
                .path
                .split_once("/rulesets/")
                .map_or("list", |(_, id)| id.split('?').next().unwrap_or_default());
            format!("{repo}/{which}")
        })
        .collect()
}

/// The findings' lists read through REST (`repository/branches` for every branch's name,
/// `repository/collaborators` for the people with write access), once per read, whatever
/// REST answered.
fn finding_reads(emu: &Emulator) -> Vec<String> {
    emu.requests()
        .iter()
        .filter(|r| r.method == "GET")
        .filter(|r| {
            !r.query
                .as_deref()
                .unwrap_or_default()
                .contains("protected=")
        })
        .filter_map(|r| {
            let mut segments = r.path.split('/').skip(3);
            let (repo, list) = (segments.next()?, segments.next()?);
            let whole_list = segments.next().is_none();
            (whole_list && matches!(list, "branches" | "collaborators"))
                .then(|| format!("{repo}/{list}"))
        })
        .collect()
}

/// What each way read through REST: classic protection by repository, rulesets (see
/// [`ruleset_reads`]), the findings' lists (see [`finding_reads`]).
#[derive(Debug, Default)]
struct ThroughRest {
    protection: Vec<String>,
    rulesets: Vec<String>,
    findings: Vec<String>,
}

/// What findings read of a repository's own lists: the people with write access and every
/// branch's name.
fn listed() -> Needs {
    Needs {
        writers: true,
        branches: true,
        ..Needs::default()
    }
}

/// Reads every repository of the world both ways, as `export` does, as a plan with a
/// requirement on the default branch and branches that are missing or unprotected does,
/// and as findings read the people with write access and the branches; returns what each
/// way read through REST.
async fn both_ways(emu: &Emulator, token: &str, seed: &Seed) -> (ThroughRest, ThroughRest) {
    let rest = reader(emu, token);
    let repos = repos_of(seed);
    let (mut rest_reads, mut bulk_reads) = (ThroughRest::default(), ThroughRest::default());
    for repo in &repos {
        emu.clear_log();
        let plain = read_all(&rest, repo, None).await;
        let mut desired = plain.as_ref().map_or_else(
            |_| crate::model::RepoSettings::empty(),
            |live| live.settings.clone(),
        );
        desired
            .branches
            .insert(crate::testing::name("no-such-branch"), Branch::default());
        desired
            .branches
            .insert(crate::testing::name("unprotected"), Branch::default());
        desired.requirements.insert(
            "~DEFAULT_BRANCH".into(),
            Requirement {
                required_approvals: 1,
                ..Requirement::default()
            },
        );
        let org = OrgRulesets::default();
        let planned = read_live_in_org(&rest, repo, &desired, &org).await;
        let facts = read_facts(&rest, repo, &listed()).await;
        rest_reads.protection.extend(protection_reads(emu));
        rest_reads.rulesets.extend(ruleset_reads(emu));
        rest_reads.findings.extend(finding_reads(emu));

        emu.clear_log();
        let bulk = prefetch(&rest, std::slice::from_ref(repo)).await;
        let through = rest.with_bulk(Arc::new(bulk));
        let bulk_all = read_all(&through, repo, None).await;
        let bulk_planned = read_live_in_org(&through, repo, &desired, &org).await;
        let bulk_facts = read_facts(&through, repo, &listed()).await;
        bulk_reads.protection.extend(protection_reads(emu));
        bulk_reads.rulesets.extend(ruleset_reads(emu));
        bulk_reads.findings.extend(finding_reads(emu));
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
        let same_facts = |a: &Result<Facts, ApiError>, b: &Result<Facts, ApiError>| match (a, b) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => (a.kind, &a.needs) == (b.kind, &b.needs),
            _ => false,
        };
        assert!(
            same_facts(&facts, &bulk_facts),
            "{repo}: findings read differ:\n{facts:?}\n{bulk_facts:?}"
        );
    }
    (rest_reads, bulk_reads)
}

/// The emulator's worlds: every seed in `tests/fixtures/live`, so a world added there is
/// read both ways too.
fn fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the fixture worlds")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter_map(|path| path.file_name()?.to_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

mod worlds;
use worlds::{PARTIAL, WHOLE, crowded, rulesets};

fn fixture(name: &str) -> Seed {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/live")
        .join(name);
    Emulator::load_seed(path).expect("a fixture world")
}

/// The worlds no branch of which has classic protection.
const UNPROTECTED: [&str; 1] = ["empty.json"];

/// A world with every part of classic protection GraphQL carries: restrictions of users,
/// teams and apps, dismissal restrictions, bypass allowances, checks pinned to an app,
/// signatures, a locked branch that allows fork syncing; a check pinned to an app the
/// directory does not know (GraphQL cannot name it: that repository is read through REST);
/// the repository rulesets of [`rulesets`] and an organisation ruleset that applies.
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
                "members": [{"login": "octocat", "id": 583_231}, {"login": "hubot", "id": 7}],
                "rulesets": [{"id": 900, "name": "org floor", "enforcement": "active",
                    "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []},
                                   "repository_name": {"include": ["~ALL"], "exclude": []}},
                    "rules": [{"type": "non_fast_forward"}]}]},
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
        rulesets(),
        crowded(),
    ];
    seed.repositories[0].activity = ActivitySeed::default().collaborators(&[
        ("octocat", "admin"),
        ("hubot", "read"),
        ("mona", "maintain"),
        ("lisa", "triage"),
        ("tux", "write"),
    ]);
    seed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_world_reads_the_same_both_ways() {
    let names = fixtures();
    assert!(names.len() >= 4, "{names:?}");
    for name in &names {
        let name = name.as_str();
        let seed = fixture(name);
        let emu = Emulator::start(seed.clone());
        let (rest, bulk) = both_ways(&emu, emu.token(), &seed).await;
        // Every protected branch and every list of rulesets came from GraphQL.
        assert_eq!(bulk.protection, Vec::<String>::new(), "{name}");
        assert!(
            !bulk.rulesets.iter().any(|r| r.ends_with("/list")),
            "{name}: {bulk:?}"
        );
        assert_eq!(
            rest.protection.is_empty(),
            UNPROTECTED.contains(&name),
            "{name}: {rest:?}"
        );
        // The requirement reads the list of rulesets: through REST, it is a request.
        assert!(
            rest.rulesets.iter().any(|r| r.ends_with("/list")),
            "{name}: {rest:?}"
        );
        // Findings read two lists of each repository through REST; GraphQL answers both.
        assert_eq!(rest.findings.len(), 2 * repos_of(&seed).len(), "{name}");
        assert_eq!(bulk.findings, Vec::<String>::new(), "{name}");
        assert!(emu.response_violations().is_empty(), "{name}");
    }
    let seed = rich();
    let emu = Emulator::start(seed.clone());
    let (rest, bulk) = both_ways(&emu, emu.token(), &seed).await;
    // Only `unknown-app`, whose check GraphQL could not name, is read through REST.
    assert!(
        rest.protection.contains(&"everything".to_owned()),
        "{rest:?}"
    );
    assert!(
        !bulk.protection.is_empty() && bulk.protection.iter().all(|r| r == "unknown-app"),
        "{bulk:?}"
    );
    // Of the repository's own rulesets, exactly those GraphQL does not show whole are read
    // through REST; the organisation's (900) is read where it applies, as without GraphQL.
    let read = |reads: &[String], id: &str| reads.contains(&format!("ruled/{id}"));
    for id in WHOLE.iter().chain(&PARTIAL) {
        assert!(read(&rest.rulesets, id), "{id}: {rest:?}");
    }
    for id in PARTIAL {
        assert!(read(&bulk.rulesets, id), "{id}: {bulk:?}");
    }
    for id in WHOLE {
        assert!(!read(&bulk.rulesets, id), "{id}: {bulk:?}");
    }
    assert!(
        bulk.rulesets
            .iter()
            .all(|r| PARTIAL.iter().any(|id| r == &format!("ruled/{id}")) || r.ends_with("/900")),
        "{bulk:?}"
    );
    // Only `crowded`'s lists, longer than a page of GraphQL, are read through REST (two
    // pages each).
    let mut crowded = bulk.findings.clone();
    crowded.sort();
    crowded.dedup();
    assert_eq!(crowded, ["crowded/branches", "crowded/collaborators"]);
}

mod errors;
