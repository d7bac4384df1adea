//! One repository's plan from its showing to its verification, as `apply` and
//! `apply --plan` do it: shown, stopped at its errors, confirmed, executed and read back.

use std::io::Write;

use crate::cli::ApplyArgs;
use crate::commands::confirm::{confirm, confirm_weakening, guard_weakening};
use crate::commands::execute::{Reviewed, execute_and_verify, refuse_missing_secret_values};
use crate::commands::interrupt::Interrupt;
use crate::commands::process::ProcessSecrets;
use crate::commands::{Context, guard};
use crate::error::{Error, ExitStatus};
use crate::github::RestWriter;
use crate::policy::Located;
use crate::render;

/// Shows one repository's plan, stops at its errors (a contradiction, a refused weakening,
/// a missing secret value), asks unless `--yes`, then executes and verifies it.
pub(crate) async fn review_and_apply(
    args: &ApplyArgs,
    reviewed: &Reviewed<'_>,
    located: &Located,
    github: &RestWriter,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let plan = reviewed.plan;
    render::render(plan, render::Format::Text, ctx.color, out)?;
    for warning in &plan.warnings {
        writeln!(err, "warning: {warning}")?;
    }
    if let Some(error) = guard::error(guard::lines(plan, &[Vec::new()], located, false)) {
        return Err(error);
    }
    if plan.in_sync() {
        return Ok(ExitStatus::Success);
    }
    let applicable = plan
        .changes
        .iter()
        .filter(|c| c.applicable && !c.excepted)
        .count();
    if applicable == 0 {
        writeln!(
            out,
            "\nNothing apply can change: the drift above needs a person."
        )?;
        return Ok(ExitStatus::Drift);
    }
    if args.require_secret_values {
        refuse_missing_secret_values(plan)?;
    }
    let weakening = guard_weakening(args, [plan], false)?;
    // Read once, before any write: what the plan will upload.
    let values = ProcessSecrets::of_plans(&[plan]);
    if !args.yes {
        out.flush()?;
        confirm(&reviewed.repo.to_string(), applicable, err)?;
        confirm_weakening(&weakening, err)?;
        github.restart_deadline();
    }
    let interrupt = Interrupt::listen();
    let result = execute_and_verify(reviewed, github, &values, &interrupt, ctx, out, err).await?;
    writeln!(out, "\n{}", result.message)?;
    Ok(result.status)
}
