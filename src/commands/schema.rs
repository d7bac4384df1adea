//! `gh-policy schema`: print the policy JSON Schema.

use std::io::Write;

use crate::error::{Error, ExitStatus};

/// Writes the schema, the same bytes as `schema/policy.schema.json`.
pub fn run(out: &mut dyn Write) -> Result<ExitStatus, Error> {
    out.write_all(crate::policy::json_schema().as_bytes())?;
    Ok(ExitStatus::Success)
}
