//! `explain` against `rules/branches/{branch}`: the same rulesets provide the same
//! settings, enforced and (once switched to active) evaluate-only.

use std::collections::BTreeSet;

use gh_policy_emulator::Emulator;
use serde_json::{Value, json};

use super::PROBES;
use crate::common::TestRepo;
use crate::common::http::get_json;

/// What `rules/branches/{branch}` says each ruleset provides, as the tool names sources.
fn provided_by_github(
    emu: &Emulator,
    repository: &str,
    branch: &str,
) -> BTreeSet<(String, String)> {
    let rules = get_json(
        emu,
        &format!("/repos/{repository}/rules/branches/{branch}?per_page=100"),
    );
    let mut provided = BTreeSet::new();
    for rule in rules.as_array().unwrap() {
        let id = rule["ruleset_id"].as_u64().unwrap();
        let ruleset = get_json(emu, &format!("/repos/{repository}/rulesets/{id}"));
        let name = ruleset["name"].as_str().unwrap();
        let source = if ruleset["source_type"] == "Organization" {
            format!(
                "ruleset \"{name}\" (organization {})",
                ruleset["source"].as_str().unwrap()
            )
        } else {
            format!("ruleset \"{name}\"")
        };
        let parameters = &rule["parameters"];
        let on = |key: &str| parameters[key] == json!(true);
        let mut settings: Vec<&str> = match rule["type"].as_str().unwrap() {
            "non_fast_forward" => vec!["block_force_pushes"],
            "deletion" => vec!["restrict_deletions"],
            "required_linear_history" => vec!["required_linear_history"],
            "required_signatures" => vec!["required_signatures"],
            "pull_request" => {
                let count = parameters["required_approving_review_count"]
                    .as_u64()
                    .unwrap();
                if count > 0 {
                    provided.insert((format!("required_approvals={count}"), source.clone()));
                }
                [
                    ("dismiss_stale_reviews_on_push", "dismiss_stale_reviews"),
                    ("require_code_owner_review", "require_code_owner_reviews"),
                    ("require_last_push_approval", "require_last_push_approval"),
                    (
                        "required_review_thread_resolution",
                        "required_conversation_resolution",
                    ),
                ]
                .into_iter()
                .filter(|(key, _)| on(key))
                .map(|(_, setting)| setting)
                .collect()
            }
            "required_status_checks" => {
                let mut settings = Vec::new();
                if on("strict_required_status_checks_policy") {
                    settings.push("strict");
                }
                if parameters["required_status_checks"]
                    .as_array()
                    .is_some_and(|checks| !checks.is_empty())
                {
                    settings.push("required_checks");
                }
                settings
            }
            _ => Vec::new(),
        };
        for setting in settings.drain(..) {
            provided.insert((setting.to_owned(), source.clone()));
        }
    }
    provided
}

/// What `explain` names: each (setting, ruleset source) pair, the approval count written
/// into the setting (`required_approvals=N`, its sources being those at that count).
fn provided_by_explain(settings: &Value) -> BTreeSet<(String, String)> {
    settings
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["setting"] != "no_bypass")
        .flat_map(|s| {
            let setting = match s["setting"].as_str().unwrap() {
                "required_approvals" => format!("required_approvals={}", s["value"]),
                setting => setting.to_owned(),
            };
            s["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|source| source.as_str().unwrap().to_owned())
                .filter(|source| source.starts_with("ruleset "))
                .map(move |source| (setting.clone(), source))
        })
        .collect()
}

/// Keeps of GitHub's approval counts those at the count `explain` shows: the others are no
/// source of it (and none may be higher).
fn at_count(mut github: BTreeSet<(String, String)>, shown: &Value) -> BTreeSet<(String, String)> {
    let count = shown
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["setting"] == "required_approvals")
        .map_or(0, |s| s["value"].as_u64().unwrap());
    github.retain(|(setting, source)| {
        let Some(n) = setting.strip_prefix("required_approvals=") else {
            return true;
        };
        let n: u64 = n.parse().unwrap();
        assert!(
            n <= count,
            "{source} requires {n} approvals, more than {count}"
        );
        n == count
    });
    github
}

/// Returns `explain --format json` of every probe branch.
fn explain(repo: &TestRepo, repository: &str) -> Value {
    let output = repo
        .cmd()
        .args([
            "explain",
            "--no-cache",
            "--format",
            "json",
            "--repo",
            repository,
        ])
        .args(PROBES)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Holds `explain` of every probe branch to GitHub's effective rules.
pub fn agrees(repo: &TestRepo, repository: &str) {
    let report = explain(repo, repository);
    // The world as it is now, its evaluate rulesets switched to active.
    let mut activated = serde_json::to_value(repo.emu.state()).unwrap();
    let mut evaluate: BTreeSet<String> = BTreeSet::new();
    activate(&mut activated, &mut evaluate);
    let activated = Emulator::start(serde_json::from_value(activated).unwrap());
    let branches = report["branches"].as_array().unwrap();
    assert_eq!(branches.len(), PROBES.len());
    // How many (setting, ruleset) pairs were compared, enforced and evaluate-only.
    let mut compared = (0, 0);
    for branch in branches {
        let probe = branch["branch"].as_str().unwrap();
        let shown = &branch["settings"];
        let github = at_count(provided_by_github(&repo.emu, repository, probe), shown);
        compared.0 += github.len();
        assert_eq!(
            provided_by_explain(shown),
            github,
            "{repository} {probe}: {branch:#}"
        );
        let evaluate_only: BTreeSet<(String, String)> =
            provided_by_github(&activated, repository, probe)
                .into_iter()
                .filter(|(_, source)| evaluate.contains(source))
                .collect();
        let evaluate_only = at_count(evaluate_only, &branch["evaluate_only"]);
        compared.1 += evaluate_only.len();
        assert_eq!(
            provided_by_explain(&branch["evaluate_only"]),
            evaluate_only,
            "{repository} {probe} (evaluate): {branch:#}"
        );
    }
    assert!(compared.0 > 10 && compared.1 > 10, "{compared:?}");
}

/// Switches every evaluate ruleset of a world's state to active, noting them as sources.
fn activate(state: &mut Value, evaluate: &mut BTreeSet<String>) {
    let mut flip = |holder: Option<&mut Value>, organization: Option<&str>| {
        let rulesets = holder.and_then(|h| h.get_mut("rulesets"));
        for ruleset in rulesets.and_then(Value::as_array_mut).into_iter().flatten() {
            if ruleset["enforcement"] == "evaluate" {
                ruleset["enforcement"] = json!("active");
                let name = ruleset["name"].as_str().unwrap();
                evaluate.insert(match organization {
                    Some(org) => format!("ruleset \"{name}\" (organization {org})"),
                    None => format!("ruleset \"{name}\""),
                });
            }
        }
    };
    let org = state["org"]["login"].as_str().map(str::to_owned);
    flip(state.get_mut("org"), org.as_deref());
    flip(Some(state), None);
    if let Some(repositories) = state.get_mut("repositories").and_then(Value::as_array_mut) {
        for repository in repositories {
            flip(Some(repository), None);
        }
    }
}
