//! `gh-policy export`: print the live settings as a policy file.

use std::io::Write;
use std::path::Path;

use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::{Context, plan::load_policy, remote};
use crate::error::{Error, ExitStatus};
use crate::github::client::ReadClient;
use crate::github::{RestReader, read};
use crate::live::LiveState;
use crate::model::RepoSettings;
use crate::progress::with_spinner;

/// Where editors find the schema of an exported file: the schema of this very version, as
/// the release publishes it.
const SCHEMA_URL: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/releases/download/v",
    env!("CARGO_PKG_VERSION"),
    "/policy.schema.json"
);

/// Runs `export`.
pub fn run(args: &ExportArgs, ctx: &Context, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    // The policy, when there is one, says which repository (like every other command) and
    // which apps its checks are pinned to, so that the export can name them.
    let policy = args
        .policy
        .exists()
        .then(|| load_policy(&args.policy))
        .transpose()?;
    let policy_repo = policy.as_ref().and_then(|p| p.repository.as_deref());
    let remote::Remote {
        repo,
        config,
        runtime,
    } = remote::connect(&args.remote, policy_repo, ctx)?;
    let github = RestReader::new(ReadClient::new(config));
    let live = runtime.block_on(with_spinner(
        format!("reading {repo} from GitHub…"),
        ctx.verbose,
        read::read_all(&github, &repo, policy.as_ref()),
    ))?;
    let settings = named(live);
    let text = match args.format {
        ExportFormat::Json => {
            let mut text = serde_json::to_string_pretty(&settings)
                .map_err(|err| Error::new("failed to write the policy as JSON").caused_by(err))?;
            text.push('\n');
            text
        }
        ExportFormat::Yaml => {
            let yaml = serde_saphyr::to_string(&settings)
                .map_err(|err| Error::new("failed to write the policy as YAML").caused_by(err))?;
            format!(
                "# yaml-language-server: $schema={SCHEMA_URL}\n# Exported from {repo} by gh-policy {}.\n{yaml}",
                env!("CARGO_PKG_VERSION")
            )
        }
    };
    match &args.output {
        Some(path) => write_file(path, &text)?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(ExitStatus::Success)
}

/// Returns the live settings with every pinned check's app named by slug where its id is
/// known: the policy format promises names, and a state file must compare like live.
fn named(live: LiveState) -> RepoSettings {
    let mut settings = live.settings;
    for branch in settings.branches.values_mut() {
        for check in branch
            .status_checks
            .iter_mut()
            .flat_map(|s| &mut s.required)
        {
            let slug = check
                .app_id
                .and_then(|id| u64::try_from(id).ok())
                .and_then(|id| live.ids.app_slug(id));
            if let Some(slug) = slug {
                check.app = Some(slug.to_owned());
                check.app_id = None;
            }
        }
    }
    settings
}

/// Writes the file whole or not at all: a temporary file beside it, then a rename.
fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    let fail = |err: std::io::Error| {
        Error::new(format!("failed to write {}", path.display())).caused_by(err)
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, text).map_err(fail)?;
    std::fs::rename(&temp, path).map_err(|err| {
        let _ = std::fs::remove_file(&temp);
        fail(err)
    })
}
