//! `gh-policy apply`: show the plan, confirm, execute it, then read back and verify.

use std::io::Write;
use std::time::Duration;

use crate::cli::ApplyArgs;
use crate::commands::confirm::{confirm, confirm_weakening, guard_weakening};
use crate::commands::execute::{Reviewed, execute_and_verify, refuse_missing_secret_values};
use crate::commands::policy_file::{self, Mode};
use crate::commands::process::{self, ProcessSecrets};
use crate::commands::{Context, guard, org, remote};
use crate::diff;
use crate::error::{Error, ExitStatus};
use crate::github::RestWriter;
use crate::github::client::WriteClient;
use crate::github::read::{self, OrgRulesets};
use crate::progress::with_spinner;
use crate::render;

/// Runs `apply`: exit 0 when the repository matches, 2 when only drift apply cannot fix
/// remains, 1 on any error (a partial apply included).
pub fn run(
    args: &ApplyArgs,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let (desired, located) = match policy_file::load(&args.policy.policy, args.org.org.as_deref())?
    {
        Mode::Organization(policy, located) => {
            return org::apply(args, &policy, &located, ctx, out, err);
        }
        Mode::Repository(settings, located) => (*settings, located),
    };
    policy_file::refuse_org_flags(&args.org)?;
    let remote::Remote {
        repo,
        mut config,
        runtime,
    } = remote::connect(&args.remote, desired.repository.as_deref(), ctx)?;
    config.write_pace = Duration::from_millis(args.pace.write_delay_ms);
    let context = process::context(&desired)?;
    runtime.block_on(async {
        let github = RestWriter::new(WriteClient::new(config));
        let live = with_spinner(
            format!("reading {repo} from GitHub…"),
            ctx.verbose,
            read::read_live(&github, &repo, &desired),
        )
        .await
        .map_err(|err| err.located(&desired, &[Vec::new()], &located))?;
        let plan = diff::plan(&repo.to_string(), &desired, &live, &context);
        render::render(&plan, render::Format::Text, ctx.color, out)?;
        for warning in &plan.warnings {
            writeln!(err, "warning: {warning}")?;
        }
        if let Some(error) = guard::error(guard::lines(&plan, &[Vec::new()], &located, false)) {
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
            refuse_missing_secret_values(&plan)?;
        }
        let weakening = guard_weakening(args, [&plan], false)?;
        // Read once, before any write: what the plan will upload.
        let values = ProcessSecrets::of_plans(&[&plan]);
        if !args.yes {
            out.flush()?;
            confirm(&repo.to_string(), applicable, err)?;
            confirm_weakening(&weakening, err)?;
            github.restart_deadline();
        }
        let org_rulesets = OrgRulesets::default();
        let reviewed = Reviewed {
            repo: &repo,
            desired: &desired,
            plan: &plan,
            context: &context,
            org_rulesets: &org_rulesets,
        };
        let result = execute_and_verify(&reviewed, &github, &values, ctx, out, err).await?;
        writeln!(out, "\n{}", result.message)?;
        Ok(result.status)
    })
}
