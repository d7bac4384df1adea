//! `gh-policy apply`: show the plan, confirm, execute it, then read back and verify.

use std::time::Duration;

use crate::cli::ApplyArgs;
use crate::commands::console::Console;
use crate::commands::execute::Reviewed;
use crate::commands::policy_file::{self, Mode};
use crate::commands::review::review_and_apply;
use crate::commands::{Context, org, process, remote, saved};
use crate::error::{Error, ExitStatus};
use crate::github::RestWriter;
use crate::github::client::WriteClient;
use crate::github::read::{self, OrgRulesets};
use crate::plan::diff;

/// Runs `apply`: exit 0 when the repository matches, 2 when only drift apply cannot fix
/// remains, 1 on any error (a partial apply included).
pub fn run(
    args: &ApplyArgs,
    ctx: &Context,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    if let Some(path) = &args.plan {
        return saved::apply(args, path, console);
    }
    let (desired, located) = match policy_file::load(&args.policy.policy, args.org.org.as_deref())?
    {
        Mode::Organization(policy, located) => {
            return org::apply(args, &policy, &located, console);
        }
        Mode::Repository(settings, located) => (*settings, located),
    };
    policy_file::refuse_org_flags(&args.org)?;
    let remote::Remote {
        repo,
        mut config,
        runtime,
    } = remote::connect(&args.remote, desired.repository.as_deref(), ctx, console)?;
    config.write_pace = Duration::from_millis(args.pace.write_delay_ms);
    let context = process::context(&desired)?;
    runtime.block_on(async {
        let github = RestWriter::new(WriteClient::new(config));
        let live = console
            .spinner(
                format!("reading {repo} from GitHub…"),
                read::read_live(github.reader(), &repo, &desired),
            )
            .await
            .map_err(|err| err.located(&desired, &[Vec::new()], &located))?;
        let plan = diff::plan(&repo.to_string(), &desired, &live, &context);
        let org_rulesets = OrgRulesets::default();
        let reviewed = Reviewed {
            repo: &repo,
            desired: &desired,
            plan: &plan,
            context: &context,
            org_rulesets: &org_rulesets,
        };
        review_and_apply(args, &reviewed, &located, &github, console).await
    })
}
