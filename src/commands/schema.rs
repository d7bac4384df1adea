//! `gh-policy schema`: print the policy JSON Schema.

use crate::cli::SchemaArgs;
use crate::commands::console::Console;
use crate::error::{Error, ExitStatus};

/// Writes the schema, the same bytes as `schema/policy.schema.json` (with `--org`,
/// `schema/org-policy.schema.json`).
pub fn run(args: &SchemaArgs, console: &mut Console<'_>) -> Result<ExitStatus, Error> {
    let out = console.out();
    let schema = if args.org {
        crate::policy::org_json_schema()
    } else {
        crate::policy::json_schema()
    };
    out.write_all(schema.as_bytes())?;
    Ok(ExitStatus::Success)
}
