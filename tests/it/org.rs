//! Organisation mode (DESIGN §10) against the emulator: selection by name, property,
//! exclusion, archived and forked repositories; merged layers; one repository failing while
//! the others are planned; apply over many repositories, stopped half-way and rerun; shards;
//! the rate-budget check; a loosening entry refused by `validate` at its line.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use gh_policy_emulator::{Emulator, RepositorySeed, Seed};
use serde_json::{Value, json};

use crate::common::TestRepo;

/// An unprotected branch, as GitHub has it before anyone protects it.
pub(crate) fn bare() -> Value {
    json!({
        "required_status_checks": null,
        "enforce_admins": false,
        "required_pull_request_reviews": {"required_approving_review_count": 1, "dismiss_stale_reviews": false,
            "require_code_owner_reviews": false, "require_last_push_approval": false},
        "restrictions": null
    })
}

/// The custom property `tier` of acme: critical or standard.
fn tier() -> Value {
    json!({"property_name": "tier", "value_type": "single_select",
           "allowed_values": ["critical", "standard"]})
}

/// acme: two services (one critical), a website, an archived repository, a fork and a
/// sandbox; every one with `main` protected with one approval.
pub(crate) fn acme() -> Seed {
    let repository = |name: &str| RepositorySeed::new(name).protected_branch("main", bare());
    Seed::organization("acme", 9000)
        .with_user("reviewer-1", 7001)
        .with_user("reviewer-2", 7002)
        .with_user("reviewer-3", 7003)
        .with_custom_property(tier())
        .with_repository(repository("svc-pay").property("tier", "critical"))
        .with_repository(repository("svc-mail").property("tier", "standard"))
        .with_repository(repository("web"))
        .with_repository(repository("old").archived(true))
        .with_repository(repository("web-fork").fork(true))
        .with_repository(repository("sandbox-1"))
}

/// The organisation policy of these tests: one approval everywhere, two for critical
/// services, and the archived repository listed (so planned, never written).
pub(crate) const ORG_POLICY: &str = r#"version: 1
organization: acme
defaults:
  branches:
    main:
      pull_request: { required_approvals: 1 }
      enforce_admins: true
groups:
  critical-services:
    select: { names: ["svc-*"], properties: { tier: critical } }
    policy:
      branches:
        main:
          pull_request: { required_approvals: 2 }
          enforce_admins: true
repositories:
  old: {}
exclude: ["sandbox-*"]
"#;

/// The App (id 15368, the emulator's test key) in the environment, as Actions would pass it.
/// A test that needs the App alone also removes `GITHUB_TOKEN`.
fn app_credentials() -> [(&'static str, &'static str); 2] {
    [
        ("GH_POLICY_APP_ID", "15368"),
        (
            "GH_POLICY_APP_PRIVATE_KEY",
            gh_policy_emulator::test_keys::PRIVATE_KEY_PEM,
        ),
    ]
}

fn org_repo(seed: Seed) -> TestRepo {
    let repo = TestRepo::with(Emulator::builder(seed).start());
    repo.policy(ORG_POLICY);
    repo
}

fn plan_json(repo: &TestRepo, extra: &[&str]) -> (i32, Value, String) {
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "json"])
        .args(extra)
        .env("GH_POLICY_RETRY_BASE_MS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let plan = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("plan did not print JSON ({err}); stderr: {stderr}"));
    (output.status.code().unwrap(), plan, stderr)
}

fn planned(plan: &Value) -> Vec<String> {
    plan["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["repository"].as_str().unwrap().to_owned())
        .collect()
}

fn approvals_diff(plan: &Value, repository: &str) -> Option<(Value, Value)> {
    let repo = plan["repositories"]
        .as_array()?
        .iter()
        .find(|p| p["repository"] == repository)?;
    repo["changes"].as_array()?.iter().find_map(|c| {
        c["diffs"].as_array()?.iter().find_map(|d| {
            (d["path"] == "pull_request.required_approvals")
                .then(|| (d["live"].clone(), d["policy"].clone()))
        })
    })
}

#[test]
fn an_organisation_policy_selects_by_name_property_and_listing_and_merges_the_layers() {
    let repo = org_repo(acme());
    let (code, plan, stderr) = plan_json(&repo, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(plan["organization"], "acme");
    assert_eq!(plan["errors"], json!([]));
    // Forks, archived and excluded repositories are skipped unless listed: `old` is listed.
    assert_eq!(
        planned(&plan),
        ["acme/old", "acme/svc-mail", "acme/svc-pay", "acme/web"]
    );
    // The group raises critical services to two approvals; the others keep one.
    assert_eq!(
        approvals_diff(&plan, "acme/svc-pay"),
        Some((json!(1), json!(2)))
    );
    assert_eq!(approvals_diff(&plan, "acme/svc-mail"), None);
    // A listed archived repository is planned, its changes not applicable.
    let old = plan["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["repository"] == "acme/old")
        .unwrap();
    for change in old["changes"].as_array().unwrap() {
        assert_eq!(change["applicable"], false, "{change}");
        assert_eq!(change["reason"], "archived repositories are read-only");
    }
    repo.assert_conformant();
    assert!(repo.writes().is_empty(), "plan wrote: {:?}", repo.writes());
}

#[test]
fn the_text_and_markdown_reports_start_with_the_summary_table() {
    let repo = org_repo(acme());
    for (format, header) in [
        ("text", "repository"),
        (
            "markdown",
            "| repository | status | create | update | delete |",
        ),
    ] {
        let output = repo
            .cmd()
            .args(["plan", "--no-cache", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let table = stdout
            .find(header)
            .unwrap_or_else(|| panic!("{format}: no table in\n{stdout}"));
        let first_change = stdout
            .find("branches.main")
            .unwrap_or_else(|| panic!("{format}: no change in\n{stdout}"));
        assert!(
            table < first_change,
            "{format}: the table comes first\n{stdout}"
        );
        assert!(
            stdout.contains("acme/svc-pay") && stdout.contains("drift"),
            "{stdout}"
        );
    }
}

#[test]
fn one_repository_failing_every_call_leaves_the_others_planned_and_exits_1() {
    let repo = org_repo(acme());
    repo.emu.fail_repository("acme/svc-mail", 500);
    let (code, plan, stderr) = plan_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(planned(&plan), ["acme/old", "acme/svc-pay", "acme/web"]);
    let errors = plan["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{plan:#}");
    assert_eq!(errors[0]["repository"], "acme/svc-mail");
    assert!(
        errors[0]["error"].as_str().unwrap().contains("500"),
        "{plan:#}"
    );
    // The text report names it in the table.
    let output = repo
        .cmd()
        .args(["plan", "--no-cache"])
        .env("GH_POLICY_RETRY_BASE_MS", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("acme/svc-mail") && l.contains("error")),
        "{stdout}"
    );
}

#[test]
fn shards_split_the_repositories_without_overlap() {
    let mut seed = Seed::organization("acme", 9000)
        .with_user("reviewer-1", 7001)
        .with_user("reviewer-2", 7002)
        .with_user("reviewer-3", 7003);
    for i in 0..12 {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("repo-{i:02}")).protected_branch("main", bare()),
        );
    }
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy("version: 1\norganization: acme\ndefaults:\n  branches:\n    main:\n      pull_request: { required_approvals: 1 }\n");
    let mut names_seen = BTreeSet::new();
    let mut total = 0;
    for shard in ["1/3", "2/3", "3/3"] {
        let (_, plan, stderr) = plan_json(&repo, &["--shard", shard]);
        let names = planned(&plan);
        assert!(
            !names.is_empty() && names.len() < 12,
            "shard {shard}: {names:?} {stderr}"
        );
        total += names.len();
        names_seen.extend(names);
    }
    assert_eq!((total, names_seen.len()), (12, 12));
    // A shard flag without an organisation is a mistake, said so.
    repo.policy("version: 1\nbranches: {}\n");
    let output = repo
        .cmd()
        .args(["plan", "--repo", "acme/repo-01", "--shard", "1/2"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--shard"));
}

#[test]
fn repo_with_an_organisation_policy_plans_that_repositorys_merged_policy() {
    let repo = org_repo(acme());
    let output = repo
        .cmd()
        .args([
            "plan",
            "--no-cache",
            "--format",
            "json",
            "--repo",
            "svc-pay",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["repository"], "acme/svc-pay");
    let reads: Vec<String> = repo.emu.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        !reads.iter().any(|p| p.contains("/repos/acme/web/")),
        "{reads:?}"
    );
    // A repository the policy does not select is said so.
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--repo", "sandbox-1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not select"));
}

#[test]
fn org_applies_a_repository_policy_to_every_repository() {
    let repo = TestRepo::with(Emulator::start(acme()));
    repo.policy("version: 1\nbranches:\n  main:\n    pull_request: { required_approvals: 1 }\n    enforce_admins: true\n");
    let (code, plan, stderr) = plan_json(&repo, &["--org", "acme"]);
    assert_eq!(code, 2, "{stderr}");
    // Archived repositories and forks are skipped; nothing is excluded.
    assert_eq!(
        planned(&plan),
        [
            "acme/sandbox-1",
            "acme/svc-mail",
            "acme/svc-pay",
            "acme/web"
        ]
    );
    // A repository policy naming its repository is not silently widened.
    repo.policy("version: 1\nrepository: acme/web\nbranches: {}\n");
    let output = repo.cmd().args(["plan", "--org", "acme"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("remove `repository:`"));
}

#[test]
fn apply_over_the_organisation_converges_and_a_rerun_writes_nothing() {
    let repo = org_repo(acme());
    let output = repo
        .cmd()
        .args(["apply", "--no-cache", "--yes"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The archived repository keeps drift apply cannot fix.
    assert_eq!(
        output.status.code(),
        Some(2),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("acme/svc-pay matches the policy."),
        "{stdout}"
    );
    let writes = repo.writes();
    assert_eq!(
        writes.len(),
        3,
        "one protection write per writable repository: {writes:?}"
    );
    assert!(
        writes.iter().all(|w| !w.path.contains("/acme/old/")),
        "{writes:?}"
    );
    repo.assert_conformant();
    repo.emu.clear_log();
    let output = repo
        .cmd()
        .args(["apply", "--no-cache", "--yes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(repo.writes().is_empty(), "{:?}", repo.writes());
}

#[test]
fn apply_stopped_half_way_converges_when_run_again_without_repeating_a_write() {
    let mut seed = Seed::organization("acme", 9000)
        .with_user("reviewer-1", 7001)
        .with_user("reviewer-2", 7002)
        .with_user("reviewer-3", 7003);
    for i in 0..8 {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("repo-{i}")).protected_branch("main", bare()),
        );
    }
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy("version: 1\norganization: acme\ndefaults:\n  branches:\n    main:\n      pull_request: { required_approvals: 2 }\n");
    let mut child = repo
        .std_cmd()
        .args(["apply", "--no-cache", "--yes"])
        .env("GH_POLICY_WRITE_DELAY_MS", "150")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while repo.writes().len() < 3 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let first: Vec<String> = repo
        .writes()
        .iter()
        .filter(|w| w.status < 300)
        .map(|w| w.path.clone())
        .collect();
    assert!((3..8).contains(&first.len()), "stopped half-way: {first:?}");
    repo.emu.clear_log();
    let output = repo
        .cmd()
        .args(["apply", "--no-cache", "--yes"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let second: Vec<String> = repo.writes().iter().map(|w| w.path.clone()).collect();
    assert_eq!(first.len() + second.len(), 8, "{first:?} then {second:?}");
    assert!(
        second.iter().all(|path| !first.contains(path)),
        "repeated: {first:?} then {second:?}"
    );
    let (code, _, _) = plan_json(&repo, &[]);
    assert_eq!(code, 0);
}

#[test]
fn a_run_the_rate_limit_left_cannot_cover_stops_before_reading_any_repository() {
    // Three reads for the run, then four repositories of three reads each (the third, who
    // may write, for the findings): 12 do not fit in the 8 left. (A server without
    // GraphQL: every read goes through REST.)
    let repo = TestRepo::with(Emulator::builder(acme()).primary_rate_limit(11).start());
    repo.emu.inject(
        gh_policy_emulator::Fault::new(gh_policy_emulator::FaultKind::Status(404))
            .path("/graphql")
            .always(),
    );
    repo.policy(ORG_POLICY);
    let output = repo.cmd().args(["plan", "--no-cache"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "this run may need 12 more requests for 4 repositories (0 answered for free, from the cache or GraphQL), and 8 of 11 are left until 20"
        ) && stderr.contains(": 2 repositories fit"),
        "{stderr}"
    );
    assert!(stderr.contains("--shard 1/"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    let per_repository: Vec<String> = repo
        .emu
        .requests()
        .iter()
        .map(|r| r.path.clone())
        .filter(|p| p.starts_with("/repos/"))
        .collect();
    assert!(per_repository.is_empty(), "{per_repository:?}");
    // --force goes on.
    repo.cmd()
        .args(["plan", "--no-cache", "--force"])
        .output()
        .unwrap();
    assert!(
        repo.emu
            .requests()
            .iter()
            .any(|r| r.path.starts_with("/repos/")),
        "--force read no repository"
    );
}

#[test]
fn organisation_rulesets_are_read_once_for_the_whole_run() {
    let mut seed = acme();
    seed.org.as_mut().unwrap().rulesets.push(json!({
        "name": "no force pushes", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []},
                       "repository_name": {"include": ["~ALL"], "exclude": []}},
        "rules": [{"type": "non_fast_forward"}]
    }));
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy(
        &format!("{ORG_POLICY}\n# and the floor every repository must keep\n").replace(
            "defaults:\n",
            "defaults:\n  requirements: { \"~DEFAULT_BRANCH\": { block_force_pushes: true } }\n",
        ),
    );
    let (code, plan, stderr) = plan_json(&repo, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(plan["errors"], json!([]), "{plan:#}");
    let lists = repo
        .emu
        .requests()
        .iter()
        .filter(|r| r.path == "/orgs/acme/rulesets")
        .count();
    assert_eq!(lists, 1);
    // The organisation ruleset blocks force pushes on every default branch: the floor holds.
    for repository in plan["repositories"].as_array().unwrap() {
        let judged = &repository["requirements"][0]["settings"];
        let setting = judged
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["setting"] == "block_force_pushes")
            .unwrap();
        assert_eq!(setting["met"], true, "{repository:#}");
    }
}

#[test]
fn a_repository_entry_that_lowers_an_organisation_requirement_is_refused_at_its_line() {
    let repo = org_repo(acme());
    repo.policy(
        "version: 1\norganization: acme\ndefaults:\n  requirements:\n    main: { required_approvals: 2 }\nrepositories:\n  web:\n    requirements:\n      main:\n        required_approvals: 1\n",
    );
    let output = repo
        .cmd()
        .args(["validate", "--no-workflows"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("policy.yaml:10:"), "{stderr}");
    assert!(stderr.contains("required_approvals"), "{stderr}");
}

#[test]
fn export_org_writes_a_policy_that_plans_in_sync_for_every_repository() {
    let seed = acme().with_repository(
        RepositorySeed::new("svc-search")
            .protected_branch("main", bare())
            .protected_branch("release", bare())
            .ruleset(
                json!({"name": "tags", "target": "tag", "enforcement": "active",
                "conditions": {"ref_name": {"include": ["refs/tags/v*"], "exclude": []}},
                "rules": [{"type": "deletion"}]}),
            ),
    );
    let repo = TestRepo::with(Emulator::start(seed));
    let output = repo
        .cmd()
        .args(["export", "--no-cache", "--org", "acme", "-o", "org.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(repo.dir.path().join("org.yaml")).unwrap();
    let exported: Value = serde_saphyr::from_str(&text).unwrap();
    // Every repository protects main alike: it is shared; the rest is svc-search's own.
    assert!(
        exported["defaults"]["branches"]["main"].is_object(),
        "{text}"
    );
    assert_eq!(
        exported["repositories"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["svc-search"],
        "{text}"
    );
    assert!(
        exported["repositories"]["svc-search"]["rulesets"]["tags"].is_object(),
        "{text}"
    );
    // Archived repositories and forks are left out, and the export plans in sync.
    let (code, plan, stderr) = plan_json(&repo, &["-p", "org.yaml"]);
    assert_eq!(code, 0, "{stderr}\n{plan:#}");
    assert_eq!(planned(&plan).len(), 5, "{plan:#}");
    assert!(repo.writes().is_empty());
}

#[test]
fn in_actions_the_step_summary_gets_the_table() {
    let repo = org_repo(acme());
    let summary = repo.dir.path().join("summary.md");
    let output = repo
        .cmd()
        .args(["plan", "--no-cache"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("### gh-policy plan for organisation `acme`"),
        "{text}"
    );
    assert!(
        text.contains("| `acme/svc-pay` | drift | 0 | 1 | 0 |"),
        "{text}"
    );
}

/// App credentials from the flags and the environment, end to end: every repository read
/// as the installation, and with tokens living 3 s and 250 ms of latency, a token renewed
/// while the run goes on.
#[test]
fn a_github_app_plans_the_organisation_renewing_its_token_mid_run() {
    use gh_policy_emulator::InstallationSeed;
    let mut seed = acme()
        .with_app("gh-policy", 15368)
        .with_installation(InstallationSeed::new(77, "gh-policy"));
    for i in 0..6 {
        seed = seed.with_repository(
            RepositorySeed::new(&format!("svc-extra-{i}")).protected_branch("main", bare()),
        );
    }
    let repo = TestRepo::with(
        Emulator::builder(seed)
            .installation_token_ttl(Duration::from_secs(3))
            .start(),
    );
    repo.policy(ORG_POLICY);
    repo.emu.set_latency(Duration::from_millis(250));
    let key = repo.dir.path().join("app.pem");
    std::fs::write(&key, gh_policy_emulator::test_keys::PRIVATE_KEY_PEM).unwrap();
    let output = repo
        .cmd()
        .args([
            "plan",
            "--no-cache",
            "--format",
            "json",
            "--concurrency",
            "2",
            "--app-id",
            "15368",
        ])
        .arg("--private-key")
        .arg(&key)
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["errors"], json!([]), "{plan:#}");
    assert_eq!(planned(&plan).len(), 10);
    let requests = repo.emu.requests();
    let minted = requests
        .iter()
        .filter(|r| r.path == "/app/installations/77/access_tokens")
        .count();
    assert!(
        minted >= 2,
        "the token was renewed during the run: {minted} minted"
    );
    for request in requests
        .iter()
        .filter(|r| r.path.starts_with("/repos/") || r.path.starts_with("/orgs/acme/repos"))
    {
        assert_eq!(
            request.caller.as_deref(),
            Some("installation:77"),
            "{} {}",
            request.method,
            request.path
        );
        assert_eq!(request.status, 200, "{} {}", request.method, request.path);
    }
    // The key's text in the environment works the same; the App wins over a token.
    repo.emu.set_latency(Duration::ZERO);
    repo.emu.clear_log();
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--repo", "web", "-v"])
        .envs(app_credentials())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    // `-v` logs the app's own calls too, never the JWT, the key or the token.
    assert!(
        stderr.contains("GET /orgs/acme/installation → 200"),
        "{stderr}"
    );
    assert!(
        stderr.contains("POST /app/installations/77/access_tokens → 201"),
        "{stderr}"
    );
    for secret in ["ghs_", "eyJ", "PRIVATE KEY", "Bearer"] {
        assert!(!stderr.contains(secret), "{secret} in the log: {stderr}");
    }
    assert!(
        repo.emu
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/repos/"))
            .all(|r| r.caller.as_deref() == Some("installation:77"))
    );
    // Half a pair is a mistake, said so before any request.
    let output = repo
        .cmd()
        .args(["plan", "--app-id", "15368"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("without its private key"));
}

#[test]
fn explain_and_export_take_one_repository_from_an_organisation_policy() {
    let repo = org_repo(acme());
    let output = repo
        .cmd()
        .args([
            "explain",
            "--no-cache",
            "--repo",
            "svc-pay",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let explained: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(explained["repository"], "acme/svc-pay", "{explained:#}");
    let output = repo
        .cmd()
        .args(["export", "--no-cache", "--repo", "acme/web"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("repository: acme/web"));
    // Without --repo an organisation policy names no one repository: said so.
    let output = repo.cmd().args(["explain", "--no-cache"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("organisation policy"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn apply_over_the_organisation_goes_on_past_a_repository_whose_write_fails() {
    use gh_policy_emulator::{Fault, FaultKind};
    let repo = org_repo(acme());
    repo.emu.inject(
        Fault::new(FaultKind::Status(422))
            .method("PUT")
            .repository("acme/svc-mail")
            .always(),
    );
    let output = repo
        .cmd()
        .args(["apply", "--no-cache", "--yes"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    // The repositories after it were applied, and the run names the one that failed.
    assert!(stdout.contains("acme/web matches the policy."), "{stdout}");
    assert!(stdout.contains("1 failed"), "{stdout}");
    assert!(
        stderr.contains("repositories that failed: acme/svc-mail"),
        "{stderr}"
    );
    let written: Vec<String> = repo
        .writes()
        .iter()
        .filter(|w| w.status < 300)
        .map(|w| w.path.clone())
        .collect();
    assert!(
        written.iter().any(|p| p.contains("/acme/web/"))
            && written.iter().any(|p| p.contains("/acme/svc-pay/")),
        "{written:?}"
    );
}

/// A command about one repository finds the App's installation through the repository, so
/// a repository a user owns works too (a user has no `/orgs/…/installation`).
#[test]
fn a_github_app_installed_on_a_users_account_reads_that_users_repository() {
    use gh_policy_emulator::InstallationSeed;
    let mut installation = InstallationSeed::new(78, "gh-policy");
    installation.account = Some("octocat".to_owned());
    let seed = acme()
        .with_user("octocat", 583_231)
        .with_app("gh-policy", 15368)
        .with_installation(installation)
        .with_repository(
            RepositorySeed::new("dotfiles")
                .owner("octocat", "User")
                .protected_branch("main", bare()),
        );
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy("version: 1\nbranches:\n  main:\n    pull_request: { required_approvals: 1 }\n");
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--repo", "octocat/dotfiles"])
        .env_remove("GITHUB_TOKEN")
        .envs(app_credentials())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let requests = repo.emu.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.path == "/repos/octocat/dotfiles/installation" && r.status == 200)
    );
    assert!(
        requests
            .iter()
            .filter(|r| r.path.starts_with("/repos/octocat/dotfiles/branches"))
            .all(|r| r.caller.as_deref() == Some("installation:78"))
    );
    // An App not installed there: the error says where it looked and what to do.
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--repo", "acme/web"])
        .env_remove("GITHUB_TOKEN")
        .envs(app_credentials())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("GET /repos/acme/web/installation")
            && stderr.contains("not installed on the repository `acme/web`"),
        "{stderr}"
    );
}

/// An App without "Organization administration: read" cannot list the organisation's
/// rulesets; each repository then reads those that apply to it, and the requirement is
/// judged the same.
#[test]
fn without_organisation_administration_the_organisation_rulesets_are_read_per_repository() {
    use gh_policy_emulator::InstallationSeed;
    let mut installation = InstallationSeed::new(77, "gh-policy");
    installation.permissions = Some(json!({"administration": "read", "metadata": "read",
        "environments": "read", "organization_custom_properties": "read", "members": "read"}));
    let mut seed = acme()
        .with_app("gh-policy", 15368)
        .with_installation(installation);
    seed.org.as_mut().unwrap().rulesets.push(json!({
        "name": "no force pushes", "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []},
                       "repository_name": {"include": ["~ALL"], "exclude": []}},
        "rules": [{"type": "non_fast_forward"}]
    }));
    let repo = TestRepo::with(Emulator::start(seed));
    repo.policy("version: 1\norganization: acme\ndefaults:\n  requirements: { \"~DEFAULT_BRANCH\": { block_force_pushes: true } }\n");
    let output = repo
        .cmd()
        .args(["plan", "--no-cache", "--format", "json"])
        .env_remove("GITHUB_TOKEN")
        .envs(app_credentials())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stderr}\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let listing = repo
        .emu
        .requests()
        .into_iter()
        .find(|r| r.path == "/orgs/acme/rulesets")
        .unwrap();
    assert_eq!(listing.status, 403);
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["errors"], json!([]));
    assert_eq!(planned(&plan).len(), 4);
    // Each repository read the organisation ruleset through its own path instead.
    let per_repository = repo
        .emu
        .requests()
        .iter()
        .filter(|r| {
            r.path.starts_with("/repos/acme/") && r.path.contains("/rulesets/") && r.status == 200
        })
        .count();
    assert_eq!(per_repository, 4);
}

#[test]
fn an_organisation_that_is_not_a_login_is_refused_before_any_request() {
    let repo = org_repo(acme());
    repo.policy("version: 1\norganization: ../acme\ndefaults: {}\n");
    let output = repo
        .cmd()
        .args(["validate", "--no-workflows"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("policy.yaml:2:") && stderr.contains("organization"),
        "{stderr}"
    );
    repo.policy("version: 1\nbranches: {}\n");
    let output = repo
        .cmd()
        .args(["plan", "--org", "acme/x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not an organisation's login"));
    assert!(repo.emu.requests().is_empty());
}
