//! Calls to reusable workflows (`uses: ./.github/workflows/x.yml`): the check names of a
//! called local workflow, worked out once and remembered, with cycles and depth cut as GitHub
//! cuts them. A remote workflow or an expression is a wildcard.

use std::collections::HashSet;
use std::path::Path;
use std::rc::Rc;

use super::Indexer;
use crate::ci::workflows::file_name;
use crate::ci::workflows::limits::{Exhausted, MAX_CALL_DEPTH};
use crate::ci::workflows::name_pattern::NamePattern;
use crate::ci::workflows::scan::{self, Source};
use crate::ci::workflows::yaml::{Entry, Yaml};
use crate::output::untrusted::quote;

impl Indexer<'_> {
    /// Returns the check names of the jobs of a called reusable workflow, without the
    /// caller's prefix: the jobs of a local workflow that can be read, or a wildcard.
    pub(super) fn called_names(
        &mut self,
        file: &Path,
        caller: &str,
        uses: &str,
        line: usize,
    ) -> Result<Rc<Vec<NamePattern>>, Exhausted> {
        let unknown = || Ok(Rc::new(vec![NamePattern::any()]));
        let path = uses.split('@').next().unwrap_or_default();
        let Some(local) = path.strip_prefix("./.github/workflows/") else {
            // A workflow in another repository (`org/repo/.github/workflows/x.yml@v1`), or an
            // expression: its jobs cannot be known here.
            return unknown();
        };
        if local.contains('/') || uses.contains("${{") {
            return unknown();
        }
        let calls = format!(
            "workflow {} job {} calls {}",
            file_name(file),
            quote(caller),
            quote(uses)
        );
        if self.stack.iter().any(|name| name == local) {
            let chain = self.stack.join(" → ");
            self.located(
                file,
                line,
                format!(
                    "{calls}, which is already being called ({}): GitHub refuses a cycle of calls, so its check names were treated as unknown",
                    crate::output::untrusted::escape(&format!("{chain} → {local}"))
                ),
            );
            return unknown();
        }
        if self.stack.len() >= MAX_CALL_DEPTH {
            self.located(
                file,
                line,
                format!(
                    "{calls}, more than {MAX_CALL_DEPTH} levels of workflows deep (deeper than GitHub allows), so its check names were treated as unknown"
                ),
            );
            return unknown();
        }
        match self.called.get(local) {
            Some(Some(names)) => return Ok(Rc::clone(names)),
            // It ran out of budget before, and would again: the work does not depend on
            // the caller.
            Some(None) => return Err(Exhausted::Job),
            None => {}
        }
        let listing = self.listing;
        let Some(source) = listing.get(local) else {
            self.located(file, line, format!("{calls}, which does not exist"));
            return unknown();
        };
        // The names of a called workflow do not depend on the caller: they are worked out
        // once, on a job budget of their own, and remembered, even when they could not be
        // (a file that cannot be read or parsed is reported when the scan reaches it).
        let saved = self.meter.start_scope();
        self.stack.push(local.to_owned());
        let names = self.expand_called(source);
        self.stack.pop();
        self.meter.end_scope(saved);
        match names {
            Ok(names) => {
                let names = Rc::new(names);
                self.called
                    .insert(local.to_owned(), Some(Rc::clone(&names)));
                Ok(names)
            }
            Err(exhausted) => {
                if exhausted == Exhausted::Job {
                    self.called.insert(local.to_owned(), None);
                }
                Err(exhausted)
            }
        }
    }

    /// Returns the check names of the jobs of a called workflow; a wildcard when it cannot
    /// be read, parsed or has no jobs.
    fn expand_called(&mut self, source: &Source) -> Result<Vec<NamePattern>, Exhausted> {
        let Some(text) = source.text.as_deref() else {
            return Ok(vec![NamePattern::any()]);
        };
        self.meter.charge(text.len())?;
        let Ok(workflow) = scan::parse(&source.path, text) else {
            return Ok(vec![NamePattern::any()]);
        };
        match workflow.get("jobs").and_then(Yaml::as_map) {
            Some(jobs) => self.all_job_names(&source.path, jobs),
            None => Ok(vec![NamePattern::any()]),
        }
    }

    /// Returns the check names of every job of a called workflow, without duplicates.
    fn all_job_names(
        &mut self,
        file: &Path,
        jobs: &[Entry],
    ) -> Result<Vec<NamePattern>, Exhausted> {
        let mut names = Vec::new();
        let mut seen = HashSet::new();
        for entry in jobs {
            for name in self.job_names(file, &entry.key, &entry.value)? {
                if seen.insert(name.clone()) {
                    names.push(name);
                }
            }
        }
        Ok(names)
    }
}
