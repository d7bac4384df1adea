//! `gh-policy export`: print the live settings as a policy file.

use std::io::Write;
use std::path::Path;

use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::console::Console;
use crate::commands::policy_file;
use crate::commands::{Context, remote};
use crate::error::{Error, ExitStatus};
use crate::github::client::ReadClient;
use crate::github::{RestReader, read};
use crate::model::RepoSettings;
use crate::model::live::LiveState;
use crate::model::names::{RepoName, Slug};
use crate::org::export::organisation_policy;
use futures::stream::{self, StreamExt};
use std::collections::BTreeMap;

/// Where editors find the schema of an exported file: the schema of this very version, as
/// the release publishes it.
const SCHEMA_URL: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/releases/download/v",
    env!("CARGO_PKG_VERSION"),
    "/policy.schema.json"
);

/// The same for an organisation policy.
const ORG_SCHEMA_URL: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/releases/download/v",
    env!("CARGO_PKG_VERSION"),
    "/org-policy.schema.json"
);

/// Runs `export`.
pub fn run(
    args: &ExportArgs,
    ctx: &Context,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    if let Some(org) = &args.org {
        return run_org(args, org, console);
    }
    // The policy, when there is one, says which repository (like every other command) and
    // which apps its checks are pinned to, so that the export can name them.
    let policy = policy_file::one_repository(&args.policy, args.remote.repo.as_deref())?;
    let remote::Remote {
        repo,
        config,
        runtime,
    } = policy_file::connect(&args.remote, policy.as_ref(), ctx, console)?;
    let policy = policy.map(|(settings, _)| settings);
    let github = RestReader::new(ReadClient::new(config));
    let live = runtime.block_on(console.spinner(
        format!("reading {repo} from GitHub…"),
        read::read_all(&github, &repo, policy.as_ref()),
    ))?;
    let settings = named(live);
    let header = format!(
        "# yaml-language-server: $schema={SCHEMA_URL}\n# Exported from {repo} by gh-policy {}.\n",
        env!("CARGO_PKG_VERSION")
    );
    emit(&settings, &header, args, console.out())
}

/// Writes the exported document in the asked format, to `--output` (whole or not at all) or
/// stdout. `header` heads the YAML form.
fn emit<T: serde::Serialize>(
    document: &T,
    header: &str,
    args: &ExportArgs,
    out: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let text = match args.format {
        ExportFormat::Json => {
            let mut text = serde_json::to_string_pretty(document)
                .map_err(|err| Error::new("failed to write the policy as JSON").caused_by(err))?;
            text.push('\n');
            text
        }
        ExportFormat::Yaml => {
            let yaml = serde_saphyr::to_string(document)
                .map_err(|err| Error::new("failed to write the policy as YAML").caused_by(err))?;
            format!("{header}{yaml}")
        }
    };
    match &args.output {
        Some(path) => write_file(path, &text)?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(ExitStatus::Success)
}

/// Exports an organisation policy: every repository read (archived repositories and forks
/// left out), what they all share hoisted into `defaults`. The export is whole or nothing:
/// a repository that cannot be read fails it, naming every such repository.
fn run_org(args: &ExportArgs, org: &str, console: &mut Console<'_>) -> Result<ExitStatus, Error> {
    let (config, runtime) = remote::connect_org(&args.remote, org, console)?;
    let github = RestReader::new(ReadClient::new(config));
    let concurrency = args.remote.repositories_at_once();
    let results = runtime.block_on(console.spinner(
        format!("reading the repositories of {org}…"),
        async {
            let repositories = read::org_repositories(&github, org).await?;
            let names = repositories
                .into_iter()
                .filter(|r| !r.archived && !r.fork)
                .map(|r| r.name);
            let github = &github;
            Ok::<_, Error>(
                stream::iter(names)
                    .map(|name| async move {
                        let result = match RepoName::parse(&format!("{org}/{name}")) {
                            Ok(repo) => read::read_all(github, &repo, None)
                                .await
                                .map_err(Error::from),
                            Err(reason) => Err(Error::new(reason)),
                        };
                        (name, result.map(named))
                    })
                    .buffer_unordered(concurrency.max(1))
                    .collect::<Vec<_>>()
                    .await,
            )
        },
    ))?;
    let mut repositories = BTreeMap::new();
    let mut failed = Vec::new();
    for (name, result) in results {
        match result {
            Ok(mut settings) => {
                settings.repository = None;
                repositories.insert(name, settings);
            }
            Err(error) => failed.push(format!("{org}/{name}: {error}")),
        }
    }
    if !failed.is_empty() {
        failed.sort();
        let mut error = Error::new(format!(
            "export --org needs every repository, and {} could not be read; nothing was written",
            failed.len()
        ));
        for line in failed {
            error = error.detail(line);
        }
        return Err(error.with_hint("fix the causes above (often a permission) and export again"));
    }
    let policy = organisation_policy(org, repositories).map_err(Error::new)?;
    let header = format!(
        "# yaml-language-server: $schema={ORG_SCHEMA_URL}\n# Exported from the organisation {org} by gh-policy {}: what every repository shares is in `defaults`.\n",
        env!("CARGO_PKG_VERSION")
    );
    emit(&policy, &header, args, console.out())
}

/// Returns the live settings with every pinned check's app named by slug where its id is
/// known: the policy format promises names, and a state file must compare like live.
fn named(live: LiveState) -> RepoSettings {
    let mut settings = live.settings;
    let branch_checks = settings
        .branches
        .values_mut()
        .filter_map(|b| b.status_checks.as_mut())
        .flat_map(|s| &mut s.required);
    let ruleset_checks = settings
        .rulesets
        .values_mut()
        .filter_map(|r| r.rules.status_checks.as_mut())
        .flat_map(|s| &mut s.required);
    for check in branch_checks.chain(ruleset_checks) {
        let slug = check
            .app_id
            .and_then(|id| u64::try_from(id).ok())
            .and_then(|id| live.ids.app_slug(id));
        if let Some(slug) = slug {
            // The slug GitHub answered for the app, as GitHub wrote it.
            check.app = Some(Slug::from_github(slug));
            check.app_id = None;
        }
    }
    settings
}

/// Writes the file whole or not at all: a temporary file beside it, then a rename. A link
/// is followed (the file it names is replaced, the link stays), and what is not a file —
/// a device such as `/dev/stdout`, a pipe — is written to, never replaced.
pub fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    let fail = |err: std::io::Error| {
        Error::new(format!("failed to write {}", path.display())).caused_by(err)
    };
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if std::fs::metadata(&target).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::write(&target, text).map_err(fail);
    }
    let path = target.as_path();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, crate::output::redact::redact(text).as_bytes()).map_err(fail)?;
    std::fs::rename(&temp, path).map_err(|err| {
        let _ = std::fs::remove_file(&temp);
        fail(err)
    })
}
