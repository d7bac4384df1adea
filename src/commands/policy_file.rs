//! The policy file a command is given: which mode it asks for (one repository, or an
//! organisation), and the one repository `explain` and `export` take from it.

use std::path::Path;

use crate::cli::{OrgArgs, RemoteArgs};
use crate::commands::console::Console;
use crate::commands::remote;
use crate::error::Error;
use crate::model::names::RepoName;
use crate::model::{OrgPolicy, PolicyBody, RepoSettings};
use crate::output::untrusted::quote;
use crate::policy::{self, Located, PolicyFile, Segment};

/// What a command works on, decided by the policy file and `--org`; each with where its
/// settings are written, for messages about them.
pub enum Mode {
    /// One repository's policy.
    Repository(Box<RepoSettings>, Located),
    /// Every selected repository of an organisation, and where the policy file's keys are
    /// written. A repository policy applied with `--org` becomes the `defaults` of a policy
    /// built in code (`written` is `Null`), whose keys are still written at the top level.
    Organization(Box<OrgPolicy>, Located),
}

/// Loads the policy file and decides the mode: an organisation policy (`organization:`), or
/// `--org`, which applies a repository policy to every repository of the organisation.
pub fn load(path: &Path, org_flag: Option<&str>) -> Result<Mode, Error> {
    if let Some(org) = org_flag {
        crate::model::names::check_login(org).map_err(|reason| {
            Error::new(format!(
                "--org {} is not an organisation's login: {reason}",
                quote(org)
            ))
        })?;
    }
    let (file, map) = policy::load_any(path).map_err(|err| invalid_policy(path, &err))?;
    let located = |defaults: Vec<Segment>| Located {
        display: policy::display_name(path),
        map: map.clone(),
        defaults,
    };
    match (file, org_flag) {
        (PolicyFile::Repository(settings), None) => {
            Ok(Mode::Repository(Box::new(settings), located(Vec::new())))
        }
        (PolicyFile::Repository(settings), Some(org)) => {
            if let Some(repository) = &settings.repository {
                return Err(Error::new(format!(
                    "the policy {} is for the repository {}, and --org asks for every repository of {}",
                    path.display(),
                    quote(repository),
                    quote(org)
                ))
                .with_hint("remove `repository:` to apply the policy to every repository, or write an organisation policy (`organization:`)"));
            }
            // The repository policy is the `defaults` of every repository.
            Ok(Mode::Organization(
                Box::new(OrgPolicy {
                    version: settings.version,
                    organization: org.to_owned(),
                    defaults: PolicyBody::from(settings),
                    groups: indexmap::IndexMap::default(),
                    repositories: std::collections::BTreeMap::default(),
                    exclude: Vec::new(),
                    written: serde_json::Value::Null,
                }),
                located(Vec::new()),
            ))
        }
        (PolicyFile::Organization(policy), Some(org))
            if !policy.organization.eq_ignore_ascii_case(org) =>
        {
            Err(Error::new(format!(
                "--org {} does not match the policy's organization {}",
                quote(org),
                quote(&policy.organization)
            ))
            .with_hint("leave --org out: an organisation policy names its organisation"))
        }
        (PolicyFile::Organization(policy), _) => Ok(Mode::Organization(
            policy,
            located(vec![Segment::from("defaults")]),
        )),
    }
}

/// The policy a command about one repository (`explain`, `export`) takes from the policy
/// file, when there is one: a repository policy as it is; from an organisation policy, the
/// policy `--repo` (NAME, or OWNER/NAME of the organisation) gets, its `repository` set.
/// Groups that select by custom properties are left out: their branches matter here only
/// as names to explain, and export only learns app names from it.
pub fn one_repository(
    path: &Path,
    repo_flag: Option<&str>,
) -> Result<Option<(RepoSettings, bool)>, Error> {
    if !path.exists() {
        return Ok(None);
    }
    let policy = match load(path, None)? {
        Mode::Repository(settings, _) => return Ok(Some((*settings, false))),
        Mode::Organization(policy, _) => policy,
    };
    let Some(flag) = repo_flag else {
        return Err(Error::new(format!(
            "{} is an organisation policy: it does not name one repository",
            path.display()
        ))
        .with_hint("pass --repo NAME (a repository of the organisation)"));
    };
    let name = match flag.split_once('/') {
        None => flag,
        Some((owner, name)) if owner.eq_ignore_ascii_case(&policy.organization) => name,
        Some(_) => {
            return Err(Error::new(format!(
                "--repo {} is not a repository of the organisation {}",
                quote(flag),
                quote(&policy.organization)
            )));
        }
    };
    let settings = crate::org::merge::policy_for(
        &policy,
        &policy.organization,
        name,
        &std::collections::BTreeMap::new(),
    )
    .map_err(Error::new)?;
    Ok(Some((settings, true)))
}

/// Connects a command about one repository: to the one `one_repository` took from an
/// organisation policy, else as usual (`--repo`, the policy's `repository`, …).
pub fn connect(
    args: &RemoteArgs,
    policy: Option<&(RepoSettings, bool)>,
    ctx: &crate::commands::Context,
    console: &Console<'_>,
) -> Result<remote::Remote, Error> {
    match policy {
        Some((settings, true)) => {
            let text = settings.repository.as_deref().unwrap_or_default();
            let repo = RepoName::parse(text).map_err(|reason| {
                Error::new(format!(
                    "{} does not name a repository: {reason}",
                    quote(text)
                ))
            })?;
            remote::connect_to(args, repo, console)
        }
        _ => remote::connect(
            args,
            policy.and_then(|(settings, _)| settings.repository.as_deref()),
            ctx,
            console,
        ),
    }
}

/// Refuses the organisation flags where there is no organisation.
pub fn refuse_org_flags(args: &OrgArgs) -> Result<(), Error> {
    if args.shard.is_some() {
        return Err(Error::new("--shard shares out the repositories of an organisation; this policy is for one repository")
            .with_hint("pass --org ORG, or use an organisation policy (`organization:`)"));
    }
    Ok(())
}

/// The error of a policy file with problems: every diagnostic, and where to see them.
pub fn invalid_policy(path: &Path, err: &policy::PolicyError) -> Error {
    let mut error = Error::new(format!("invalid policy {}", path.display()));
    for diagnostic in &err.diagnostics {
        error = error.detail(diagnostic.to_string());
    }
    error.with_hint(format!(
        "run `gh-policy validate -p {}` for details",
        path.display()
    ))
}
