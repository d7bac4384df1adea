//! `gh-policy export`: print the live settings as a policy file.

use std::io::Write;

use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::{Context, remote};
use crate::error::{Error, ExitStatus};
use crate::github::{ReadApi, read};

/// The first lines of an exported YAML policy: editors find the schema next to it (write it
/// with `gh-policy schema > schema/policy.schema.json`).
const MODELINE: &str = "# yaml-language-server: $schema=./schema/policy.schema.json\n";

/// Runs `export`.
pub fn run(args: &ExportArgs, ctx: &Context, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let remote::Remote {
        repo,
        config,
        runtime,
    } = remote::connect(&args.remote, None, ctx)?;
    let settings = runtime.block_on(async {
        let api = ReadApi::new(config)?;
        let step = format!("reading {repo} from GitHub…");
        remote::with_spinner(step, ctx.verbose, read::read_all(&api, &repo)).await
    })?;
    let text = match args.format {
        ExportFormat::Json => {
            let mut text = serde_json::to_string_pretty(&settings).map_err(|err| {
                Error::new("failed to write the policy as JSON").caused_by(err.to_string())
            })?;
            text.push('\n');
            text
        }
        ExportFormat::Yaml => {
            let yaml = serde_saphyr::to_string(&settings).map_err(|err| {
                Error::new("failed to write the policy as YAML").caused_by(err.to_string())
            })?;
            format!(
                "{MODELINE}# Exported from {repo} by gh-policy {}.\n{yaml}",
                env!("CARGO_PKG_VERSION")
            )
        }
    };
    out.write_all(text.as_bytes())?;
    Ok(ExitStatus::Success)
}
