//! Repository, security and Actions settings as code (DESIGN §12), against the emulator:
//! each section created, updated, in sync, refused by GitHub, and read only when the policy
//! has it.

mod actions;
mod org;
mod security;
mod settings;

use gh_policy_emulator::{Emulator, LoggedRequest, Seed};
use serde_json::{Value, json};

use crate::common::{TestRepo, assert_exit};

/// A world of one repository, `acme/katz-backend` (an organisation's), with these
/// repository settings (`SettingsSeed` keys; GitHub's defaults for the rest).
pub fn world(settings: &Value) -> TestRepo {
    let seed: Seed = serde_json::from_value(json!({
        "repo": {
            "owner": "acme", "name": "katz-backend", "owner_type": "Organization",
            "settings": settings,
        },
        "branches": { "main": {} },
    }))
    .unwrap();
    TestRepo::with(Emulator::start(seed))
}

/// The seed's `settings` now (GitHub's defaults for what is not written back).
pub fn settings_now(repo: &TestRepo) -> Value {
    let state = serde_json::to_value(repo.emu.state()).unwrap();
    let mut now = serde_json::to_value(gh_policy_emulator::SettingsSeed::default()).unwrap();
    if let Some(Value::Object(written)) = state["repo"].get("settings") {
        for (key, value) in written {
            now[key] = value.clone();
        }
    }
    now
}

/// `METHOD PATH` of each write, with its body.
pub fn writes(repo: &TestRepo) -> Vec<(String, Option<Value>)> {
    repo.writes()
        .iter()
        .map(|w: &LoggedRequest| (format!("{} {}", w.method, w.path), w.body.clone()))
        .collect()
}

/// The paths of the GETs the emulator answered.
pub fn reads(repo: &TestRepo) -> Vec<String> {
    repo.emu
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.path.clone())
        .collect()
}

/// A repository with GitHub's default settings and `policy`: its plan, which must show
/// drift, and the one change at `address`.
pub fn one_change(policy: &str, address: &str) -> (TestRepo, Value, Value) {
    let repo = world(&json!({}));
    repo.policy(policy);
    let (code, plan) = repo.plan_json();
    assert_eq!(code, 2, "{plan:#}");
    let found = change(&plan, address);
    assert_eq!(found.len(), 1, "{plan:#}");
    let found = found[0].clone();
    (repo, plan, found)
}

/// The one change at `address`, or none.
pub fn change<'a>(plan: &'a Value, address: &str) -> Vec<&'a Value> {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["address"] == address)
        .collect()
}

/// Runs `apply --yes` (and `--allow-weakening` when asked) and checks its exit code,
/// showing its output when it differs.
pub fn applied(repo: &TestRepo, weakening: bool, code: i32) -> std::process::Output {
    let output = apply(repo, weakening);
    assert_exit(&output, code);
    output
}

/// Runs `apply --yes` (and `--allow-weakening` when asked).
pub fn apply(repo: &TestRepo, weakening: bool) -> std::process::Output {
    let mut cmd = repo.cmd();
    cmd.args(["apply", "--yes", "--no-cache"]);
    if weakening {
        cmd.arg("--allow-weakening");
    }
    cmd.output().unwrap()
}
