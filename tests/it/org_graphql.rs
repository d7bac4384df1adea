//! An organisation run reads what GraphQL serves in bulk (DESIGN §16) and makes the same
//! plan when GraphQL is refused or absent: then everything is read through REST.

use gh_policy_emulator::{Emulator, Fault, FaultKind, RepositorySeed, Role, Seed};
use serde_json::{Value, json};

use crate::common::{TestRepo, fixture};
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

/// A policy that reads each repository's classic protection and its rulesets.
const RULESETS_POLICY: &str = r#"version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 1 }
  rulesets:
    protect-main:
      include: ["~DEFAULT_BRANCH"]
      rules: { restrict_deletions: true }
"#;

/// `plan -v` in JSON: the exit code, the plan and what `-v` said.
fn plan_verbose(repo: &TestRepo) -> (i32, Value, String) {
    let output = repo
        .cmd()
        .args(["plan", "-v", "--no-cache", "--format", "json"])
        .env("GH_POLICY_RETRY_BASE_MS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let plan = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("plan did not print JSON ({err}); stderr: {stderr}"));
    (output.status.code().unwrap(), plan, stderr)
}

/// The lines of `-v` that say what was read through REST instead of GraphQL.
fn fallbacks(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("read through REST, not GraphQL: "))
        .collect()
}

/// acme of `n` repositories (`svc-00`, …), each with `main` protected and the ruleset
/// `protect-main`, as [`RULESETS_POLICY`] asks.
fn in_sync(n: usize) -> Seed {
    let mut seed = Seed::organization("acme", 9000);
    for i in 0..n {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("svc-{i:02}"))
                .protected_branch("main", crate::org::bare())
                .ruleset(json!({
                    "name": "protect-main", "enforcement": "active",
                    "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
                    "rules": [{"type": "deletion"}]
                })),
        );
    }
    seed
}

fn repo_of(seed: Seed, budget: Option<u64>) -> TestRepo {
    let builder = Emulator::builder(seed);
    let builder = match budget {
        Some(points) => builder.graphql_budget(points),
        None => builder,
    };
    let repo = TestRepo::with(builder.start());
    repo.policy(RULESETS_POLICY);
    repo
}

#[test]
fn verbose_names_each_repository_and_part_read_through_rest_and_why() {
    let mut seed = in_sync(3);
    // svc-01: a check pinned to an app GraphQL cannot name (an error on that field);
    // svc-02: a ruleset with a pull_request rule, whose required reviewers GraphQL hides.
    seed.repositories[1] = RepositorySeed::new("svc-01").protected_branch(
        "main",
        json!({
            "required_status_checks": {"strict": false, "checks": [{"context": "ci", "app_id": 999}]},
            "enforce_admins": false, "restrictions": null,
            "required_pull_request_reviews": {"required_approving_review_count": 1}
        }),
    );
    seed.repositories[2] = seed.repositories[2].clone().ruleset(json!({
        "id": 77, "name": "reviews", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
        "rules": [{"type": "pull_request", "parameters": {"required_approving_review_count": 1,
            "dismiss_stale_reviews_on_push": false, "require_code_owner_review": false,
            "require_last_push_approval": false, "required_review_thread_resolution": false}}]
    }));
    let repo = repo_of(seed.clone(), None);
    let (_, through_graphql, stderr) = plan_verbose(&repo);
    assert_eq!(
        fallbacks(&stderr),
        [
            "read through REST, not GraphQL: acme/svc-01: classic protection: GraphQL answered with an error: Could not resolve to an App with the id 999.",
            "read through REST, not GraphQL: acme/svc-02: ruleset `reviews` (id 77): its pull_request rule, whose required reviewers and dismissal restrictions GraphQL does not show",
        ],
        "{stderr}"
    );
    // Without -v, nothing is said.
    let quiet = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("not GraphQL"));

    // A server without GraphQL: every repository, and why.
    let absent = repo_of(seed, None);
    absent.emu.inject(
        Fault::new(FaultKind::Status(404))
            .method("POST")
            .path("/graphql")
            .always(),
    );
    let (_, through_rest, stderr) = plan_verbose(&absent);
    assert_eq!(through_rest, through_graphql);
    assert_eq!(
        fallbacks(&stderr),
        [
            "read through REST, not GraphQL: every repository (3): every part: the server has no GraphQL API (POST /graphql answered 404)"
        ],
        "{stderr}"
    );
}

#[test]
fn queries_stop_before_graphqls_points_run_out_and_the_rest_is_read_through_rest() {
    // Two queries of 25 repositories: what one costs, from a run with points to spare.
    let plenty = repo_of(in_sync(50), None);
    let (code, whole, stderr) = plan_verbose(&plenty);
    assert!(whole["repositories"][49]["in_sync"] == true, "{whole}");
    assert_eq!(count(&plenty, "POST", "/graphql"), 2);
    assert_eq!(fallbacks(&stderr), Vec::<&str>::new());
    let cost = plenty.emu.graphql_points_used() / 2;
    assert!(cost > 1, "{cost}");

    // Points for one query and a half: the second is never sent; its 25 repositories are
    // read through REST, named, and the plan is the same.
    let scarce = repo_of(in_sync(50), Some(cost + cost / 2));
    let (scarce_code, plan, stderr) = plan_verbose(&scarce);
    assert_eq!((scarce_code, &plan), (code, &whole), "{stderr}");
    assert_eq!(count(&scarce, "POST", "/graphql"), 1);
    assert_eq!(scarce.emu.graphql_points_used(), cost);
    assert_eq!(count(&scarce, "GET", "/protection"), 25);
    let said = fallbacks(&stderr);
    assert_eq!(said.len(), 1, "{stderr}");
    let names: Vec<String> = (25..50).map(|i| format!("acme/svc-{i:02}")).collect();
    assert!(
        said[0].starts_with(&format!(
            "read through REST, not GraphQL: {}: every part: GraphQL has {} points left until ",
            names.join(", "),
            cost / 2
        )) && said[0].ends_with(&format!("too few for 1 more queries of {cost}")),
        "{}",
        said[0]
    );

    // Fewer points than one query: GraphQL refuses it, and everything is read through REST.
    let none = repo_of(in_sync(50), Some(cost - 1));
    let (none_code, plan, stderr) = plan_verbose(&none);
    assert_eq!((none_code, &plan), (code, &whole), "{stderr}");
    assert_eq!(count(&none, "GET", "/protection"), 50);
    assert_eq!(
        fallbacks(&stderr),
        [
            "read through REST, not GraphQL: every repository (50): every part: GraphQL refused the query: API rate limit exceeded for this token."
        ]
    );
}

/// A branch, a ruleset and a requirement whose `no_bypass` reads who may bypass each
/// source: every part an organisation run reads through GraphQL.
const EVERY_PART_POLICY: &str = r#"version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 1 }
  rulesets:
    protect-main:
      include: ["~DEFAULT_BRANCH"]
      rules: { restrict_deletions: true }
  requirements:
    main: { required_approvals: 1, required_checks: [ci], no_bypass: true }
"#;

/// The organisation worlds of the test suite: the emulator's organisation fixture, this
/// file's and the organisation tests' acme, and the requirements' and effective
/// protection's worlds (organisation rulesets, one in evaluate mode, a `pull_request`
/// rule, an admin bypass).
fn organisation_worlds() -> Vec<(&'static str, Seed)> {
    let mut reviews = in_sync(2);
    reviews.repositories[1] = reviews.repositories[1].clone().ruleset(json!({
        "name": "reviews", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
        "rules": [{"type": "pull_request", "parameters": {"required_approving_review_count": 1,
            "dismiss_stale_reviews_on_push": false, "require_code_owner_review": false,
            "require_last_push_approval": false, "required_review_thread_resolution": false}}]
    }));
    vec![
        (
            "org-acme.json",
            Emulator::load_seed(fixture("live/org-acme.json")).unwrap(),
        ),
        ("org tests' acme", acme()),
        ("in sync, a pull_request rule", reviews),
        ("requirements, active", crate::requirements::world("active")),
        (
            "requirements, evaluate",
            crate::requirements::world("evaluate"),
        ),
        ("effective, bypass", crate::effective::bypass_world()),
    ]
}

#[test]
fn every_organisation_world_plans_the_same_through_graphql_and_rest_alone_for_every_role() {
    let roles = [
        None,
        Some(("admin-token", Role::Admin)),
        Some(("write-token", Role::Write)),
        Some(("read-token", Role::Read)),
    ];
    for (world, seed) in organisation_worlds() {
        for role in roles {
            let run = |graphql: bool| {
                let mut builder = Emulator::builder(seed.clone());
                if let Some((token, role)) = role {
                    builder = builder.token_with_role(token, role);
                }
                let repo = TestRepo::with(builder.start());
                repo.policy(EVERY_PART_POLICY);
                if !graphql {
                    repo.emu.inject(
                        Fault::new(FaultKind::Status(404))
                            .method("POST")
                            .path("/graphql")
                            .always(),
                    );
                }
                let mut cmd = repo.cmd();
                if let Some((token, _)) = role {
                    cmd.env("GITHUB_TOKEN", token);
                }
                let output = cmd
                    .args(["plan", "--no-cache", "--format", "json"])
                    .env("GH_POLICY_RETRY_BASE_MS", "1")
                    .output()
                    .unwrap();
                let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
                let plan: Value = serde_json::from_slice(&output.stdout)
                    .unwrap_or_else(|err| panic!("{world}: no JSON ({err}); stderr: {stderr}"));
                (
                    output.status.code().unwrap(),
                    plan,
                    count(&repo, "POST", "/graphql"),
                )
            };
            let (code, through_graphql, queries) = run(true);
            assert_eq!(queries, 1, "{world}, {role:?}");
            let (rest_code, through_rest, _) = run(false);
            assert_eq!(
                (rest_code, &through_rest),
                (code, &through_graphql),
                "{world}, {role:?}"
            );
        }
    }
}
