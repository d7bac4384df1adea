//! `gh-policy migrate`: a new policy in which classic branch protection is rulesets, with the
//! proof that GitHub will enforce the same (DESIGN §14). It reads the policy — and, when
//! asked, what protects the repository today (`today`) — never writes to GitHub, and writes
//! the new policy whole or not at all: the old text edited in place, comments and order
//! kept, or, where the YAML does not allow that, rewritten whole (and it says so).

mod today;

use std::io::Write;

use crate::cli::{MigrateArgs, MigrateFormat};
use crate::commands::Context;
use crate::commands::console::Console;
use crate::commands::export::write_file;
use crate::commands::policy_file::invalid_policy;
use crate::error::{Error, ExitStatus};
use crate::migrate::edit::{self, Edit, Unsupported};
use crate::migrate::{self, Migration, Request, layer, org, rewrite};
use crate::model::{OrgPolicy, RepoSettings};
use crate::output::untrusted::quote;
use crate::policy::{self, PolicyFile, SourceMap};
use crate::render;

/// Runs `migrate`: exit 0 when every branch asked for moved, 2 when some were left as they
/// were, 1 on an error (nothing written).
pub fn run(
    args: &MigrateArgs,
    ctx: &Context,
    console: &mut Console<'_>,
) -> Result<ExitStatus, Error> {
    let path = &args.policy.policy;
    let (display, text) = policy::read_text(path).map_err(|e| invalid_policy(path, &e))?;
    let (file, map) = policy::parse_any(&display, &text).map_err(|e| invalid_policy(path, &e))?;
    let document = policy::to_json(&display, &text).map_err(|e| invalid_policy(path, &e))?;
    let request = Request {
        branches: args.branches.clone(),
        evaluate: args.evaluate,
    };
    let now = crate::plan::exceptions::now().map_err(Error::new)?;
    let migrated = match file {
        PolicyFile::Repository(settings) => {
            repository(args, &settings, &document, &request, now, ctx, console)?
        }
        PolicyFile::Organization(policy) => organization(args, &policy, &document, &request, now)?,
    };
    let (new_text, rewritten) = new_text(&display, &text, &map, &migrated)?;
    if let Some(why) = &rewritten {
        console.warn(format_args!(
            "the policy could not be edited in place ({why}); it is written whole, in the same order, with its opening comments only"
        ))?;
    }
    if let Some(file) = &args.output {
        write_file(file, &new_text)?;
    }
    match args.format {
        MigrateFormat::Json => {
            let written = args.output.as_ref().map(|f| f.display().to_string());
            let account = render::migrate::Account {
                proven_against: &migrated.source,
                written: written.as_deref(),
                policy: args.output.is_none().then_some(new_text.as_str()),
                rewritten: rewritten.as_deref(),
            };
            render::migrate::json(&account, &migrated.sections, console.out())?;
        }
        MigrateFormat::Text => {
            // With -o the account goes to stdout; without, the policy does and the account
            // follows on stderr.
            let account: &mut dyn Write = if args.output.is_some() {
                console.out()
            } else {
                console.out().write_all(new_text.as_bytes())?;
                console.out().flush()?;
                console.err()
            };
            text_account(&migrated, args, account)?;
        }
    }
    let left = migrated.sections.iter().any(|(_, m)| !m.stopped.is_empty());
    Ok(if left {
        ExitStatus::Drift
    } else {
        ExitStatus::Success
    })
}

/// Writes the account as text: where the proof came from, each layer, the closing line.
fn text_account(
    migrated: &Migrated,
    args: &MigrateArgs,
    account: &mut dyn Write,
) -> Result<(), Error> {
    writeln!(
        account,
        "Classic protection to rulesets, proven against {}:",
        migrated.source
    )?;
    for (layer, migration) in &migrated.sections {
        writeln!(account)?;
        render::migrate::text(migration, layer.as_deref(), account)?;
    }
    writeln!(account, "\n{}", closing(migrated, args))?;
    Ok(())
}

/// A migration done, ready to write: the policy it must read back as, the account of each
/// layer, the edits to the text, and what the proof was made against.
struct Migrated {
    expected: PolicyFile,
    sections: Vec<(Option<String>, Migration)>,
    edits: Vec<Edit>,
    source: String,
}

/// Migrates a repository policy, against what protects the repository today.
fn repository(
    args: &MigrateArgs,
    settings: &RepoSettings,
    document: &serde_json::Value,
    request: &Request,
    now: time::OffsetDateTime,
    ctx: &Context,
    console: &Console<'_>,
) -> Result<Migrated, Error> {
    if let (Some(org), Some(repository)) = (&args.org, &settings.repository) {
        return Err(Error::new(format!(
            "the policy {} is for the repository {}, not an organisation policy of {}",
            args.policy.policy.display(),
            quote(repository),
            quote(org)
        ))
        .with_hint("leave --org out for a repository policy"));
    }
    if let Some(org) = &args.org
        && (args.live || args.state.is_some())
    {
        return Err(Error::new(format!(
            "--org {} applies the policy to every repository of the organisation, and the proof is against one repository",
            quote(org)
        ))
        .with_hint("leave --org out and name the repository with --repo"));
    }
    let today = today::read(args, settings, ctx, console)?;
    let migration = migrate::migrate(
        settings,
        &layer::branch_order(document, &[]),
        &migrate::Today {
            live: &today.live,
            read: today.read,
            taken: today.taken.clone(),
            now,
        },
        request,
    );
    Ok(Migrated {
        edits: layer::edits(&migration, &[]).map_err(Error::new)?,
        expected: PolicyFile::Repository(migration.settings.clone()),
        sections: vec![(None, migration)],
        source: today.source,
    })
}

/// Migrates an organisation policy, layer by layer, offline.
fn organization(
    args: &MigrateArgs,
    policy: &OrgPolicy,
    document: &serde_json::Value,
    request: &Request,
    now: time::OffsetDateTime,
) -> Result<Migrated, Error> {
    if let Some(org) = &args.org
        && !policy.organization.eq_ignore_ascii_case(org)
    {
        return Err(Error::new(format!(
            "--org {} does not match the policy's organization {}",
            quote(org),
            quote(&policy.organization)
        ))
        .with_hint("leave --org out: an organisation policy names its organisation"));
    }
    if args.live || args.state.is_some() || args.remote.repo.is_some() {
        return Err(Error::new(
            "an organisation policy migrates offline, layer by layer: --live, --state and --repo are for a repository policy",
        )
        .with_hint("run migrate on a repository's policy to prove it against GitHub"));
    }
    let (new_policy, layers, unknown) = org::migrate_org(policy, document, request, now);
    let mut edits = Vec::new();
    let mut sections = Vec::new();
    for layer in layers {
        edits.extend(layer::edits(&layer.migration, &layer.path).map_err(Error::new)?);
        sections.push((Some(layer.label), layer.migration));
    }
    if !unknown.is_empty() {
        let mut none = Migration::nothing(RepoSettings::empty(), request.evaluate);
        none.stopped = unknown;
        sections.push((None, none));
    }
    Ok(Migrated {
        expected: PolicyFile::Organization(Box::new(new_policy)),
        sections,
        edits,
        source: format!(
            "each layer of the organisation policy of {} (offline)",
            policy.organization
        ),
    })
}

/// The last line: what was written, and what to do next.
fn closing(migrated: &Migrated, args: &MigrateArgs) -> String {
    let sections = &migrated.sections;
    let written = match &args.output {
        Some(file) => format!("Wrote {}", file.display()),
        None => "The new policy is on stdout".to_owned(),
    };
    if migrated.edits.is_empty() {
        let why = if sections.iter().any(|(_, m)| !m.rulesets.is_empty()) {
            "the trial is in the policy already"
        } else if sections.iter().any(|(_, m)| !m.stopped.is_empty()) {
            "no branch could be moved"
        } else {
            "there was no classic protection to move"
        };
        return format!("{written}, unchanged: {why}.");
    }
    let rulesets: usize = sections
        .iter()
        .map(|(_, m)| m.rulesets.iter().filter(|r| !r.trial).count())
        .sum();
    let branches: usize = sections.iter().map(|(_, m)| m.unprotected.len()).sum();
    let next = if args.evaluate {
        "apply it to try the rulesets beside the classic protection, then run migrate again to finish"
    } else {
        "review it, then `gh-policy plan` shows the rulesets created first and the classic protection removed only once GitHub enforces them, and `gh-policy apply` does it"
    };
    format!(
        "{written}: {rulesets} new ruleset(s), {branches} branch(es) `protected: false`; {next}."
    )
}

/// The new text: the old one edited in place, or rewritten whole when that cannot be done
/// (with the reason). Either way it must read back as the expected policy.
fn new_text(
    display: &str,
    text: &str,
    map: &SourceMap,
    migrated: &Migrated,
) -> Result<(String, Option<String>), Error> {
    let (edits, expected) = (&migrated.edits, &migrated.expected);
    if edits.is_empty() {
        return Ok((text.to_owned(), None));
    }
    let reads_back = |candidate: &str| {
        policy::parse_any(display, candidate)
            .map(|(file, _)| comparable(file) == comparable(expected.clone()))
    };
    let why = match edit::apply(text, map, edits) {
        Ok(edited) if reads_back(&edited).unwrap_or(false) => return Ok((edited, None)),
        Ok(_) => "the edited text does not read back as the new policy".to_owned(),
        Err(Unsupported(why)) => why,
    };
    let rewritten = rewrite::rewrite(text, edits)
        .map_err(|e| Error::new("failed to write the new policy").detail(e))?;
    match reads_back(&rewritten) {
        Ok(true) => Ok((rewritten, Some(why))),
        Ok(false) => Err(Error::new(
            "the new policy does not read back as migrated; nothing was written",
        )
        .with_hint("this is a bug in gh-policy: please report it with the policy file")),
        Err(problems) => {
            let mut error = Error::new("the new policy would not be valid; nothing was written");
            for diagnostic in &problems.diagnostics {
                error = error.detail(diagnostic.to_string());
            }
            Err(error
                .with_hint("this is a bug in gh-policy: please report it with the policy file"))
        }
    }
}

/// The document without what only records how it was written.
fn comparable(file: PolicyFile) -> PolicyFile {
    match file {
        PolicyFile::Organization(mut policy) => {
            policy.written = serde_json::Value::Null;
            PolicyFile::Organization(policy)
        }
        repository @ PolicyFile::Repository(_) => repository,
    }
}
