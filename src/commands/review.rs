//! One repository's plan from its showing to its verification, as `apply` and
//! `apply --plan` do it: shown, stopped at its errors, confirmed, executed and read back.

use crate::cli::ApplyArgs;
use crate::commands::confirm::{confirm, confirm_weakening, guard_weakening};
use crate::commands::console::Console;
use crate::commands::execute::{Reviewed, execute_and_verify, refuse_missing_secret_values};
use crate::commands::guard;
use crate::commands::interrupt::Interrupt;
use crate::commands::process::ProcessSecrets;
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
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    let plan = reviewed.plan;
    render::render(plan, render::Format::Text, console.color(), console.out())?;
    for warning in &plan.warnings {
        console.warn(warning)?;
    }
    if let Some(error) = guard::error(guard::lines(plan, &[Vec::new()], located, false)) {
        return Err(error);
    }
    if plan.in_sync() {
        return Ok(ExitStatus::Success);
    }
    let applicable = plan.changes.iter().filter(|c| c.applies()).count();
    if applicable == 0 {
        writeln!(
            console.out(),
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
        console.out().flush()?;
        confirm(&reviewed.repo.to_string(), applicable, console)?;
        confirm_weakening(&weakening, console)?;
        github.restart_deadline();
    }
    let interrupt = Interrupt::listen();
    let result = execute_and_verify(reviewed, github, &values, &interrupt, console).await?;
    writeln!(console.out(), "\n{}", result.message)?;
    Ok(result.status)
}
