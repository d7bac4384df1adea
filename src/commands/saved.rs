//! Saved plans (DESIGN §15): `plan --out FILE` saves the plan with what it was made from,
//! and `apply --plan FILE` applies exactly that plan — or refuses, before any write, naming
//! what changed since: the gh-policy version, the policy file, anything read from GitHub,
//! a secret value the plan would upload, or the plan itself (an edited file, an exception
//! that expired since).

use std::path::Path;
use std::time::Duration;

use crate::cli::{ApplyArgs, PlanArgs};
use crate::commands::console::Console;
use crate::commands::execute::Reviewed;
use crate::commands::policy_file::{self, Mode};
use crate::commands::process::ProcessSecrets;
use crate::commands::remote;
use crate::commands::review::review_and_apply;
use crate::error::{Error, ExitStatus};
use crate::github::RestWriter;
use crate::github::client::WriteClient;
use crate::github::read::{self, OrgRulesets};
use crate::github::write::SecretValues;
use crate::model::RepoSettings;
use crate::model::live::LiveState;
use crate::model::names::RepoName;
use crate::output::untrusted::quote;
use crate::plan::diff::{self, SecretSources};
use crate::plan::saved::{self, MadeFrom, PolicyDigest, SavedPlan, reads};
use crate::plan::{Plan, SecretWrite, Target};

/// This gh-policy's version: a saved plan is applied only by the version that made it.
const VERSION: &str = env!("CARGO_PKG_VERSION");

const PLAN_AGAIN: &str =
    "make the plan again (`gh-policy plan --out FILE`), review it, and apply that one";

/// `plan --out` with an organisation: refused before anything is read.
pub fn refuse_organization(args: &PlanArgs) -> Result<(), Error> {
    if args.out.is_some() {
        return Err(Error::new(
            "--out saves the plan of one repository; this run plans an organisation",
        )
        .with_hint("pass --repo NAME with an organisation policy, or --out without --org"));
    }
    Ok(())
}

/// `plan --out FILE`: writes the plan, whole or not at all, with what it was made from.
pub fn save(
    path: &Path,
    policy: &Path,
    plan: &Plan,
    desired: &RepoSettings,
    live: &LiveState,
    context: &diff::Context,
) -> Result<(), Error> {
    let bytes = std::fs::read(policy).map_err(|err| {
        Error::new(format!("cannot read the policy {}", policy.display())).caused_by(err)
    })?;
    let made_from = MadeFrom {
        format: saved::FORMAT,
        gh_policy: VERSION.to_owned(),
        made_at: context
            .now
            .replace_nanosecond(0)
            .unwrap_or(context.now)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        policy: PolicyDigest::of(policy, &bytes),
        secret_values: secret_values(desired, &context.sources),
        reads: reads::fingerprints(live),
    };
    saved::write(path, plan, &made_from).map_err(|err| {
        Error::new(format!("cannot write the saved plan {}", path.display())).caused_by(err)
    })
}

/// The variables the policy names as secrets' sources that hold a value here.
fn secret_values(desired: &RepoSettings, sources: &SecretSources) -> Vec<String> {
    let mut names: Vec<String> = desired
        .environments
        .values()
        .flat_map(|environment| &environment.secrets)
        .filter_map(|secret| secret.from_env.as_deref())
        .filter(|var| sources.has(var))
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `apply --plan FILE`: checks that nothing the plan was made from changed, then applies
/// it as `apply` does (shown, confirmed unless `--yes`, weakening guarded, verified).
pub fn apply(
    args: &ApplyArgs,
    path: &Path,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    let saved = saved::read(path).map_err(|error| {
        Error::new(error.to_string())
            .with_hint("apply --plan takes the file `plan --out FILE` wrote")
    })?;
    if saved.made_from.gh_policy != VERSION {
        return Err(Error::new(format!(
            "the saved plan {} was made by gh-policy {}, and this is gh-policy {VERSION}; nothing was written",
            path.display(),
            quote(&saved.made_from.gh_policy)
        ))
        .with_hint(PLAN_AGAIN));
    }
    let (desired, located) = match policy_file::load(&args.policy.policy, None)? {
        Mode::Repository(settings, located) => (*settings, located),
        Mode::Organization(policy, _) => {
            return Err(Error::new(format!(
                "{} is the policy of the organisation {}; `apply --plan` applies the saved plan of one repository",
                args.policy.policy.display(),
                quote(&policy.organization)
            )));
        }
    };
    refuse_changed_policy(&saved, &args.policy.policy)?;
    let repo = planned_repository(&saved, args.remote.repo.as_deref())?;
    let remote::Remote {
        repo,
        mut config,
        runtime,
    } = remote::connect_to(&args.remote, repo, console)?;
    config.write_pace = Duration::from_millis(args.pace.write_delay_ms);
    let context = diff::Context {
        sources: SecretSources::of(saved.made_from.secret_values.iter().cloned()),
        now: crate::plan::exceptions::now().map_err(Error::new)?,
    };
    runtime.block_on(async {
        let github = RestWriter::new(WriteClient::new(config));
        let live = console
            .spinner(
                format!("reading {repo} from GitHub…"),
                read::read_live(github.reader(), &repo, &desired),
            )
            .await
            .map_err(|err| err.located(&desired, &[Vec::new()], &located))?;
        refuse_changed_reads(&saved, &live)?;
        let plan = diff::plan(&repo.to_string(), &desired, &live, &context);
        refuse_other_plan(&saved, &plan)?;
        refuse_unset_values(&plan)?;
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

/// The policy file must be the one the plan was made from, byte for byte.
fn refuse_changed_policy(saved: &SavedPlan, policy: &Path) -> Result<(), Error> {
    let bytes = std::fs::read(policy).map_err(|err| {
        Error::new(format!("cannot read the policy {}", policy.display())).caused_by(err)
    })?;
    let now = PolicyDigest::of(policy, &bytes);
    if now.sha256 == saved.made_from.policy.sha256 {
        return Ok(());
    }
    Err(Error::new(format!(
        "the policy file {} changed since the plan was made; nothing was written",
        policy.display()
    ))
    .detail(format!(
        "the saved plan {} was made from {} with SHA-256 {}; it has SHA-256 {} now",
        saved.display,
        quote(&saved.made_from.policy.path),
        saved.made_from.policy.sha256,
        now.sha256
    ))
    .with_hint(PLAN_AGAIN))
}

/// The plan's repository; `--repo`, when given, must name it.
fn planned_repository(saved: &SavedPlan, flag: Option<&str>) -> Result<RepoName, Error> {
    let planned = RepoName::parse(&saved.plan.repository).map_err(|reason| {
        Error::new(format!(
            "{}: the saved plan's `repository` is invalid: {reason}",
            saved.display
        ))
    })?;
    if let Some(flag) = flag
        && !flag.eq_ignore_ascii_case(&planned.to_string())
    {
        return Err(Error::new(format!(
            "--repo {} is not the repository of the saved plan {}, {}; nothing was written",
            quote(flag),
            saved.display,
            quote(&planned.to_string())
        )));
    }
    Ok(planned)
}

/// Everything read from GitHub must be as it was when the plan was made.
fn refuse_changed_reads(saved: &SavedPlan, live: &LiveState) -> Result<(), Error> {
    let changed = reads::compare(&saved.made_from.reads, &reads::fingerprints(live));
    if changed.is_empty() {
        return Ok(());
    }
    let mut error = Error::new(format!(
        "{} changed since the plan {} was made (at {}); nothing was written",
        saved.plan.repository, saved.display, saved.made_from.made_at
    ));
    for changed in changed {
        error = error.detail(changed.to_string());
    }
    Err(error.with_hint(PLAN_AGAIN))
}

/// The plan made now from the same policy and reads must be the saved plan, change for
/// change: otherwise the file was edited, or an exception expired since.
fn refuse_other_plan(saved: &SavedPlan, plan: &Plan) -> Result<(), Error> {
    let differences = saved.differences(plan);
    if differences.is_empty() {
        return Ok(());
    }
    let mut error = Error::new(format!(
        "the saved plan {} is not the plan its policy and reads give now; nothing was written",
        saved.display
    ));
    for differs in differences {
        error = error.detail(format!(
            "{}: {} {}",
            differs.at,
            quote(&differs.address),
            differs.how
        ));
    }
    Err(error
        .detail("the file was edited after `plan --out` wrote it, or an exception expired since")
        .with_hint(PLAN_AGAIN))
}

/// Every secret the plan creates needs its value here, as where the plan was made.
fn refuse_unset_values(plan: &Plan) -> Result<(), Error> {
    let values = ProcessSecrets::of_plans(&[plan]);
    let unset: Vec<String> = plan
        .changes
        .iter()
        .filter_map(|change| match change.target() {
            Some(Target::Secret {
                write: SecretWrite::Create { from_env },
                ..
            }) if values.value(from_env).is_none() => Some(format!(
                "{}: ${from_env} held its value where the plan was made and is not set here",
                change.address
            )),
            _ => None,
        })
        .collect();
    if unset.is_empty() {
        return Ok(());
    }
    let mut error = Error::new(
        "the saved plan creates secrets whose values are not set here; nothing was written",
    );
    for line in unset {
        error = error.detail(line);
    }
    Err(error.with_hint("set the variables to the secrets' values and run apply --plan again"))
}
