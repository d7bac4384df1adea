//! Cases (a) and (b): one repository's `plan` against the emulator, first with an empty
//! cache and then with the cache the first run filled; `--sweep` adds (b) by concurrency.

use std::fmt::Write as _;
use std::path::Path;

use gh_policy_emulator::{Emulator, Seed};
use serde_json::{Value, json};

use crate::offline::{offline, thousand_branches};
use crate::run::{cold_and_warm, plan};
use crate::{OFFLINE_RUNS, Result};

/// Cases (a) and (b) against the emulator, then the offline commands.
pub fn repository_cases(
    bin: &Path,
    root: &Path,
    sweep: bool,
    out: &mut impl std::io::Write,
) -> Result<()> {
    // (a) The repository's own policy against the fixture it matches.
    let flow = Emulator::from_fixture(root.join("tests/fixtures/live/flow-in-sync.json"));
    let flow_dir = tempfile::tempdir()?;
    std::fs::copy(
        root.join("policy.yaml"),
        flow_dir.path().join("policy.yaml"),
    )?;
    let (a_cold, a_warm) = cold_and_warm(bin, &flow, flow_dir.path())?;

    // (b) 50 branches, 20 environments.
    let (seed, policy) = large(50, 20)?;
    let large_emu = Emulator::start(seed);
    let large_dir = tempfile::tempdir()?;
    std::fs::write(large_dir.path().join("policy.yaml"), policy)?;
    let (b_cold, b_warm) = cold_and_warm(bin, &large_emu, large_dir.path())?;

    writeln!(
        out,
        "plan against the emulator (first run: empty cache; second run: the cache the first filled)"
    )?;
    writeln!(
        out,
        "{:<34} {:>4} {:>8} {:>9} {:>9} {:>7} {:>5} {:>10}  target",
        "scenario", "exit", "requests", "wall ms", "serial ms", "ratio", "304", "rate cost"
    )?;
    for (name, run, target) in [
        (
            "(a) policy.yaml, first run",
            &a_cold,
            // 12 for the configuration, 4 for the requirements (the repository's default
            // branch, then the effective rules of main, stage and dev).
            "≤ 16 requests, ratio ≤ 0.35",
        ),
        ("(a) policy.yaml, second run", &a_warm, "all 304, cost 0"),
        ("(b) 50 branches + 20 envs, first", &b_cold, "ratio ≤ 0.2"),
        (
            "(b) 50 branches + 20 envs, second",
            &b_warm,
            "all 304, cost 0",
        ),
    ] {
        writeln!(out, "{}  {target}", run.row(name))?;
    }

    if sweep {
        writeln!(out, "\nplan (b) without cache, by --concurrency")?;
        for n in [1_u16, 2, 4, 6, 8, 12, 16] {
            let run = plan(
                bin,
                &large_emu,
                large_dir.path(),
                None,
                &["--concurrency", &n.to_string()],
            )?;
            writeln!(out, "{}", run.row(&format!("(b) --concurrency {n}")))?;
        }
    }

    writeln!(
        out,
        "\noffline, 1000 branches (median of {OFFLINE_RUNS} runs; peak RSS is the largest seen)"
    )?;
    let offline_dir = tempfile::tempdir()?;
    let (policy, state) = thousand_branches(1000);
    let policy_path = offline_dir.path().join("policy.yaml");
    let state_path = offline_dir.path().join("state.yaml");
    std::fs::write(&policy_path, policy)?;
    std::fs::write(&state_path, state)?;
    writeln!(
        out,
        "{:<34} {:>4} {:>9} {:>12}  target",
        "command", "exit", "wall ms", "peak RSS MB"
    )?;
    let validate = offline(bin, offline_dir.path(), &["validate"])?;
    writeln!(out, "{}", validate.row("validate"))?;
    let planned = offline(
        bin,
        offline_dir.path(),
        &["plan", "--state", "state.yaml", "--format", "json"],
    )?;
    writeln!(
        out,
        "{}  < 100 ms, < 50 MB",
        planned.row("plan --state (100 branches drift)")
    )?;
    writeln!(out, "peak memory measured with: {}", validate.memory_source)?;
    Ok(())
}

/// Builds the seed and the matching policy of `branches` protected branches and
/// `environments` environments, each with a custom deployment pattern, 2 secrets, 2 variables.
pub fn large(branches: usize, environments: usize) -> Result<(Seed, String)> {
    let mut seed_branches = serde_json::Map::new();
    let mut policy = String::from("version: 1\nrepository: acme/large\n\nbranches:\n");
    for i in 0..branches {
        let name = if i == 0 {
            "main".to_owned()
        } else {
            format!("release/{i:02}")
        };
        let approvals = 1 + i % 3;
        seed_branches.insert(
            name.clone(),
            json!({ "protection": {
                "required_status_checks": { "strict": true, "checks": [{ "context": "ci" }] },
                "enforce_admins": i % 2 == 0,
                "required_pull_request_reviews": {
                    "required_approving_review_count": approvals,
                    "dismiss_stale_reviews": true
                },
                "restrictions": null,
                "required_conversation_resolution": true
            }}),
        );
        let _ = write!(
            policy,
            "  {name}:\n    pull_request:\n      required_approvals: {approvals}\n      dismiss_stale_reviews: true\n    status_checks:\n      strict: true\n      required: [ci]\n    enforce_admins: {}\n    required_conversation_resolution: true\n",
            i % 2 == 0
        );
    }
    let mut seed_envs = serde_json::Map::new();
    policy.push_str("\nenvironments:\n");
    for i in 0..environments {
        let name = format!("env-{i:02}");
        seed_envs.insert(
            name.clone(),
            json!({
                "wait_timer": i,
                "deployment_branch_policy": { "protected_branches": false, "custom_branch_policies": true },
                "branch_policies": [{ "name": "release/*", "type": "branch" }],
                "secrets": ["DEPLOY_KEY", "API_TOKEN"],
                "variables": { "URL": format!("https://{name}.example.com"), "REGION": "eu-west-1" }
            }),
        );
        let _ = write!(
            policy,
            "  {name}:\n    wait_timer: {i}\n    deployment_branches: [\"release/*\"]\n    secrets: [DEPLOY_KEY, API_TOKEN]\n    variables:\n      URL: https://{name}.example.com\n      REGION: eu-west-1\n"
        );
    }
    let seed = json!({
        "repo": { "owner": "acme", "name": "large" },
        "branches": Value::Object(seed_branches),
        "environments": Value::Object(seed_envs),
    });
    Ok((serde_json::from_value(seed)?, policy))
}
