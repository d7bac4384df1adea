//! What protects the repository today, for `migrate`'s proof: the policy file itself
//! (offline, as `validate` reads it: the repository is taken to be as the policy says), a
//! state file, or GitHub (`--live`: classic protection as read, every ruleset that applies,
//! the organisation's included).

use std::collections::BTreeSet;

use crate::cli::MigrateArgs;
use crate::commands::console::Console;
use crate::commands::plan::load_state;
use crate::commands::{Context, remote};
use crate::error::Error;
use crate::github::client::ReadClient;
use crate::github::{RestReader, read};
use crate::model::RepoSettings;
use crate::model::live::LiveState;
use crate::output::untrusted::quote;

/// Today's protection, and where it came from.
pub struct Today {
    /// The live side.
    pub live: LiveState,
    /// True when read (from GitHub or a state file), not taken from the policy.
    pub read: bool,
    /// The repository's ruleset names (lower-case), which new rulesets must not take.
    pub taken: BTreeSet<String>,
    /// Where it came from, for the account's first line.
    pub source: String,
}

/// Reads today's protection as the flags ask.
pub fn read(
    args: &MigrateArgs,
    policy: &RepoSettings,
    ctx: &Context,
    console: &Console<'_>,
) -> Result<Today, Error> {
    if let Some(path) = &args.state {
        let state = load_state(path)?;
        if let (Some(named), Some(described)) = (&policy.repository, &state.repository)
            && !named.eq_ignore_ascii_case(described)
        {
            return Err(Error::new(format!(
                "the state file {} describes {}, not {}",
                path.display(),
                quote(described),
                quote(named)
            ))
            .with_hint("export the state of the repository the policy is for"));
        }
        let taken = names(&state);
        return Ok(Today {
            live: LiveState::from_settings(state),
            read: true,
            taken,
            source: format!("the state file {}", path.display()),
        });
    }
    if !args.live {
        if args.remote.repo.is_some() {
            return Err(Error::new(
                "--repo names the repository to read, and migrate reads none without --live",
            )
            .with_hint("add --live to prove against what GitHub enforces today"));
        }
        return Ok(Today {
            live: LiveState::from_settings(policy.clone()),
            read: false,
            taken: BTreeSet::new(),
            source: "the policy file (offline: --live proves against GitHub)".to_owned(),
        });
    }
    let remote::Remote {
        repo,
        config,
        runtime,
    } = remote::connect(&args.remote, policy.repository.as_deref(), ctx, console)?;
    let github = RestReader::new(ReadClient::new(config));
    // Read as a plan would, and besides: what protects each protected branch (as a
    // requirement's branch is read), and every ruleset of the repository, for their names.
    let mut reading = policy.clone();
    reading.prune.rulesets = true;
    for (name, branch) in &policy.branches {
        if branch.protected {
            reading.requirements.entry(name.to_string()).or_default();
        }
    }
    let live = runtime.block_on(console.spinner(
        format!("reading {repo} from GitHub…"),
        read::read_live(&github, &repo, &reading),
    ))?;
    let taken = names(&live.settings);
    Ok(Today {
        live,
        read: true,
        taken,
        source: format!("GitHub, {repo}"),
    })
}

fn names(settings: &RepoSettings) -> BTreeSet<String> {
    settings
        .rulesets
        .keys()
        .map(|name| name.to_lowercase())
        .collect()
}
