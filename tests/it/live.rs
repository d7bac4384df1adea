//! Against real GitHub: export, plan and apply on a disposable repository.
//!
//! Ignored unless asked for (`cargo test --test it live -- --ignored`); then it needs
//! `GH_POLICY_LIVE_REPO` (OWNER/NAME) and a token (`GITHUB_TOKEN` or `GH_TOKEN`), and fails
//! when they are not set rather than passing without doing anything. The repository should
//! exist only for this test: the test changes the default branch's protection and creates an
//! environment, then restores what `export` saw at the start (pruning what it added).
//! `GH_POLICY_LIVE_API_URL` points it at GitHub Enterprise Server; `GH_POLICY_LIVE_BRANCH`
//! names the branch to protect (default `main`, which must exist).

use std::process::Output;

use assert_cmd::Command;
use gh_policy::model::{Branch, Environment, PullRequestRules, RepoSettings};

struct Live {
    repo: String,
    api_url: String,
    token: String,
    dir: tempfile::TempDir,
}

impl Live {
    fn from_env() -> Option<Self> {
        let repo = std::env::var("GH_POLICY_LIVE_REPO").ok()?;
        let token = ["GITHUB_TOKEN", "GH_TOKEN"]
            .into_iter()
            .find_map(|var| std::env::var(var).ok().filter(|t| !t.trim().is_empty()))?;
        Some(Self {
            repo,
            api_url: std::env::var("GH_POLICY_LIVE_API_URL")
                .unwrap_or_else(|_| "https://api.github.com".to_owned()),
            token,
            dir: tempfile::tempdir().unwrap(),
        })
    }

    fn run(&self, args: &[&str]) -> Output {
        let output = Command::cargo_bin("gh-policy")
            .unwrap()
            .current_dir(self.dir.path())
            .env("GITHUB_TOKEN", &self.token)
            .env("GITHUB_API_URL", &self.api_url)
            .env_remove("GITHUB_REPOSITORY")
            .env_remove("GITHUB_STEP_SUMMARY")
            .args(args)
            .args(["--repo", &self.repo, "--no-cache"])
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!all.contains(&self.token), "the token was printed");
        output
    }

    fn write_policy(&self, settings: &RepoSettings) -> String {
        let text = serde_saphyr::to_string(settings).unwrap();
        std::fs::write(self.dir.path().join("policy.yaml"), &text).unwrap();
        text
    }

    /// Applies `settings`, then checks that a fresh plan finds no drift.
    fn converge(&self, settings: &RepoSettings, step: &str) {
        let text = self.write_policy(settings);
        // The steps lower protection on purpose, one after another.
        let apply = self.run(&["apply", "--yes", "--allow-weakening"]);
        assert_eq!(
            apply.status.code(),
            Some(0),
            "{step}: apply of\n{text}\n{}",
            show(&apply)
        );
        let plan = self.run(&["plan"]);
        assert_eq!(
            plan.status.code(),
            Some(0),
            "{step}: plan after apply\n{}",
            show(&plan)
        );
    }
}

fn show(output: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
#[ignore = "talks to real GitHub: set GH_POLICY_LIVE_REPO and GITHUB_TOKEN, then `cargo test --test it live -- --ignored`"]
fn export_plan_and_apply_against_real_github() {
    // Asked for by name (`--ignored`) but not configured: that is a mistake to report, not
    // a pass.
    let live = Live::from_env().expect(
        "the live test needs GH_POLICY_LIVE_REPO=OWNER/NAME (a disposable repository) and a token in GITHUB_TOKEN or GH_TOKEN",
    );
    let branch = std::env::var("GH_POLICY_LIVE_BRANCH").unwrap_or_else(|_| "main".to_owned());
    exercise(&live, &branch);
}

/// The live test's steps, run against the emulator, so that they are known to work.
#[test]
fn the_live_steps_pass_against_the_emulator() {
    let emu = gh_policy_emulator::Emulator::from_fixture(crate::common::fixture(
        "live/flow-in-sync.json",
    ));
    let live = Live {
        repo: "acme/katz-backend".to_owned(),
        api_url: emu.url(),
        token: emu.token().to_owned(),
        dir: tempfile::tempdir().unwrap(),
    };
    let before = emu.state();
    exercise(&live, "dev");
    assert!(!emu.writes().is_empty());
    assert_eq!(emu.state(), before, "the repository was not restored");
}

fn exercise(live: &Live, branch: &str) {
    // export: the live settings as a policy, which loads and is in sync.
    let export = live.run(&["export"]);
    assert_eq!(export.status.code(), Some(0), "{}", show(&export));
    let exported = String::from_utf8(export.stdout).unwrap();
    let original = gh_policy::policy::parse("export.yaml", &exported).unwrap_or_else(|err| {
        panic!("export wrote a policy that does not load: {err}\n{exported}")
    });
    live.write_policy(&original);
    let plan = live.run(&["plan"]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "export → plan drifts:\n{}",
        show(&plan)
    );

    // apply: protect the branch and add an environment with a variable.
    let mut changed = original.clone();
    changed.branches.insert(
        crate::common::policy::name(branch),
        Branch {
            pull_request: Some(PullRequestRules {
                required_approvals: 1,
                dismiss_stale_reviews: true,
                ..PullRequestRules::default()
            }),
            enforce_admins: false,
            ..Branch::default()
        },
    );
    changed.environments.insert(
        crate::common::policy::name("gh-policy-live-test"),
        Environment {
            wait_timer: 1,
            can_admins_bypass: false,
            variables: [(
                crate::common::policy::name("GH_POLICY_LIVE"),
                "yes: it works".to_owned(),
            )]
            .into(),
            ..Environment::default()
        },
    );
    let plan = {
        live.write_policy(&changed);
        live.run(&["plan", "--format", "json"])
    };
    assert_eq!(plan.status.code(), Some(2), "{}", show(&plan));
    live.converge(&changed, "change");

    // restore: what export saw, pruning the environment and protection the test added.
    let mut restore = original.clone();
    restore.prune.environments = true;
    restore.prune.branch_protection = true;
    if !original.branches.contains_key(branch) {
        restore
            .branches
            .insert(crate::common::policy::name(branch), Branch::unprotected());
    }
    live.converge(&restore, "restore");
    live.write_policy(&original);
    let plan = live.run(&["plan"]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "not restored:\n{}",
        show(&plan)
    );
}
