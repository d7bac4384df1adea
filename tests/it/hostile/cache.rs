//! The conditional-request cache someone else wrote (issue 28, finding 3): an entry whose
//! body was edited (its `ETag` kept) is not believed, a corrupt one is a miss rather than a
//! failure, and a cache directory other users may write is refused.

use serde_json::Value;

use super::{assert_code, printed, run};
use crate::common::{Policy, TestRepo};

/// `branches.main`'s live and policy approvals in a JSON plan, if it differs there.
fn main_approvals(plan: &Value) -> Option<(Value, Value)> {
    plan["changes"]
        .as_array()?
        .iter()
        .filter(|c| c["address"] == "branches.main")
        .flat_map(|c| c["diffs"].as_array().cloned().unwrap_or_default())
        .find(|d| d["path"] == "pull_request.required_approvals")
        .map(|d| (d["live"].clone(), d["policy"].clone()))
}

fn plan_json(repo: &TestRepo) -> (i32, Value, String) {
    let output = run(&mut repo.std_cmd(), &["plan", "--format", "json"]);
    let plan = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap(), plan, printed(&output))
}

/// The cache files, whatever their names.
fn entries(repo: &TestRepo) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(repo.dir.path().join(".cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "entry"))
        .collect()
}

/// A drifted repository (main has 1 approval, the policy 2) planned once, so the cache
/// holds every answer.
fn cached_drift() -> TestRepo {
    let repo = TestRepo::new("flow-drifted");
    repo.write(&Policy::flow());
    let (code, plan, all) = plan_json(&repo);
    assert_eq!(code, 2, "{all}");
    assert_eq!(
        main_approvals(&plan),
        Some((Value::from(1), Value::from(2)))
    );
    repo
}

#[test]
fn an_entry_whose_body_was_edited_is_not_believed() {
    let repo = cached_drift();
    let poisoned: Vec<_> = entries(&repo)
        .into_iter()
        .filter(|path| {
            let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
            if !text.contains("/branches/main/protection\"")
                || !text.contains("\"required_approving_review_count\":1")
            {
                return false;
            }
            // The attacker's edit: the body says 2, the ETag stays.
            let edited = text.replace(
                "\"required_approving_review_count\":1",
                "\"required_approving_review_count\":2",
            );
            std::fs::write(path, edited).unwrap();
            true
        })
        .collect();
    assert_eq!(poisoned.len(), 1, "main's protection is cached once");
    repo.emu.clear_log();
    let (code, plan, all) = plan_json(&repo);
    assert_eq!(code, 2, "{all}");
    assert_eq!(
        main_approvals(&plan),
        Some((Value::from(1), Value::from(2))),
        "the plan believed the edited cache: {plan:#}"
    );
    let read = repo
        .emu
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/branches/main/protection"))
        .unwrap();
    assert_eq!(read.if_none_match, None, "the edited entry was a miss");
    assert_eq!(read.status, 200);
}

#[test]
fn a_corrupt_entry_is_a_miss_not_a_failure() {
    let repo = cached_drift();
    for path in entries(&repo) {
        let bytes = std::fs::read(&path).unwrap();
        // The header kept, the body cut in half: as a full disk or a killed run leaves it.
        let newline = bytes.iter().position(|b| *b == b'\n').unwrap();
        let keep = newline + 1 + (bytes.len() - newline - 1) / 2;
        std::fs::write(&path, &bytes[..keep]).unwrap();
    }
    let (code, plan, all) = plan_json(&repo);
    assert_eq!(code, 2, "{all}");
    assert_eq!(
        main_approvals(&plan),
        Some((Value::from(1), Value::from(2)))
    );
    // And the entries are whole again for the next run.
    let (code, _, all) = plan_json(&repo);
    assert_eq!(code, 2, "{all}");
}

#[cfg(unix)]
#[test]
fn a_cache_directory_others_may_write_is_refused_before_any_request() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::new("flow-in-sync");
    repo.write(&Policy::flow());
    let dir = repo.dir.path().join(".cache");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let output = run(&mut repo.std_cmd(), &["plan"]);
    assert_code(&output, 1);
    let all = printed(&output);
    assert!(
        all.contains("cannot be used: other users may write to it"),
        "{all}"
    );
    assert!(all.contains("--no-cache"), "{all}");
    assert!(repo.emu.requests().is_empty());
}
