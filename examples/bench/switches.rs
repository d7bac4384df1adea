//! The organisation case with the repository-wide sections (DESIGN §12): the same
//! organisation and policy as `organisation_case`, plus `settings`, `security` and `actions`
//! in `defaults` (the README's example: squash only, delete branch on merge, push
//! protection on, Actions restricted to selected and SHA-pinned), every repository in sync
//! with them. Prints requests per repository with and without the sections.
//!
//! Target: at most 5 more requests per repository with the sections.

use std::path::Path;

use gh_policy_emulator::{Emulator, SettingsSeed};

use crate::Result;
use crate::org::{DEFAULT_CONCURRENCY, ORG_PRIMARY_LIMIT, OrgRun, organisation};
use crate::run::plan;

/// Repository counts of this case.
const SIZES: [usize; 2] = [30, 100];

/// The most requests per repository the sections may add.
const TARGET: f64 = 5.0;

/// The sections, as the README's example writes them, indented for `defaults`.
const SECTIONS: &str = r#"  settings:
    merge_methods: [squash]
    delete_branch_on_merge: true
  security:
    push_protection: true
  actions:
    allowed_actions: selected
    selected: { github_owned: true, patterns: ["docker/*"] }
    sha_pinning_required: true
"#;

/// What each repository has: the sections in sync.
fn in_sync() -> SettingsSeed {
    SettingsSeed {
        allow_merge_commit: false,
        allow_rebase_merge: false,
        delete_branch_on_merge: true,
        push_protection: true,
        allowed_actions: "selected".to_owned(),
        sha_pinning_required: true,
        github_owned_allowed: true,
        patterns_allowed: vec!["docker/*".to_owned()],
        ..SettingsSeed::default()
    }
}

/// Runs the case and prints its rows.
pub fn switches_case(bin: &Path, out: &mut impl std::io::Write) -> Result<()> {
    writeln!(
        out,
        "\nthe same organisation with `settings`, `security` and `actions` in `defaults` (README example), in sync; \
         --concurrency {DEFAULT_CONCURRENCY}, first run\ntarget: ≤ {TARGET} more requests/repo than without the sections\n"
    )?;
    writeln!(
        out,
        "{:<10} {:>12} {:>12} {:>8} {:>14} {:>14}  target",
        "repos", "req/repo w/o", "req/repo with", "added", "wall s w/o", "wall s with"
    )?;
    for n in SIZES {
        let (mut seed, policy) = organisation(n)?;
        let without = run(bin, &seed, &policy, n)?;
        for repository in &mut seed.repositories {
            repository.settings = in_sync();
        }
        let with_policy = policy.replacen("defaults:\n", &format!("defaults:\n{SECTIONS}"), 1);
        let with = run(bin, &seed, &with_policy, n)?;
        let added = with.requests_per_repository() - without.requests_per_repository();
        let verdict = if with.run.code != 0 || with.run.org != Some((n, 0)) {
            "missed: not every repository planned in sync"
        } else if added > TARGET {
            "missed"
        } else {
            "ok"
        };
        writeln!(
            out,
            "{n:<10} {:>12.2} {:>12.2} {added:>8.2} {:>14.1} {:>14.1}  {verdict}",
            without.requests_per_repository(),
            with.requests_per_repository(),
            without.run.wall.as_secs_f64(),
            with.run.wall.as_secs_f64(),
        )?;
    }
    Ok(())
}

fn run(bin: &Path, seed: &gh_policy_emulator::Seed, policy: &str, n: usize) -> Result<OrgRun> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("policy.yaml"), policy)?;
    let emu = Emulator::builder(seed.clone())
        .primary_rate_limit(ORG_PRIMARY_LIMIT)
        .start();
    let flag = DEFAULT_CONCURRENCY.to_string();
    Ok(OrgRun {
        repositories: n,
        concurrency: DEFAULT_CONCURRENCY,
        run: plan(
            bin,
            &emu,
            dir.path(),
            None,
            &["--concurrency", flag.as_str()],
        )?,
    })
}
