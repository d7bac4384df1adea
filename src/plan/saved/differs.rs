//! What differs between a saved plan and the plan made again, at `apply`, from the same
//! policy and reads: each change or requirement report changed, added or missing, located
//! at its line in the file, so that an edited file (or an exception that expired since) is
//! refused at the change it alters.

use super::file::{self, Plans};
use super::{SavedPlan, render_plan};
use crate::plan::{Change, Plan, RequirementReport};

/// One change that differs between a saved plan and the plan made now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Differs {
    /// The change's (or requirement's) address.
    pub address: String,
    /// Where the saved plan has it, `FILE:LINE:COLUMN`, or the file alone when it has not.
    pub at: String,
    /// What differs, in words.
    pub how: &'static str,
}

impl SavedPlan {
    /// Returns what differs between this saved plan and `now` (the plan made again from
    /// the same policy and reads): a change or a requirement changed, added or missing,
    /// each located in the file. Empty when `apply` would do what the plan says.
    pub fn differences(&self, now: &Plan) -> Vec<Differs> {
        // `now` as a file would hold it, so that both sides lack what a file does not carry
        // (the writes, the warnings).
        let Ok(file::PlanFile {
            plans: Plans::Repository(now),
            ..
        }) = file::parse("(the plan made now)", &render_plan(now))
        else {
            return vec![self.differs("repository", "cannot be compared with the plan made now")];
        };
        let mut found = Vec::new();
        if now.repository != self.plan.repository {
            found.push(self.differs("repository", "is another repository than the plan made now"));
        }
        self.compare(&self.plan.changes, &now.changes, "changes", &mut found);
        self.compare(
            &self.plan.requirements,
            &now.requirements,
            "requirements",
            &mut found,
        );
        if found.is_empty() && self.plan.changes != now.changes {
            found.push(self.differs("changes", "are in another order than the plan made now"));
        }
        found
    }

    /// Adds what differs between the saved entries of a list (`changes`, `requirements`)
    /// and those of the plan made now, matched by address.
    fn compare<T: Addressed + PartialEq>(
        &self,
        saved: &[T],
        now: &[T],
        list: &str,
        found: &mut Vec<Differs>,
    ) {
        for entry in saved {
            let address = entry.address();
            let how = match now.iter().find(|other| other.address() == address) {
                Some(other) if other == entry => continue,
                Some(_) => "differs from the plan made now",
                None => "is not in the plan made now",
            };
            found.push(Differs {
                at: self.locate(&address, list),
                address,
                how,
            });
        }
        for entry in now {
            if !saved.iter().any(|other| other.address() == entry.address()) {
                found.push(Differs {
                    address: entry.address(),
                    at: self.display.clone(),
                    how: "is in the plan made now, not in the saved plan",
                });
            }
        }
    }

    fn differs(&self, key: &str, how: &'static str) -> Differs {
        let needle = format!("\"{key}\":");
        Differs {
            address: key.to_owned(),
            at: self.find(&needle, 0),
            how,
        }
    }

    /// Returns `FILE:LINE:COLUMN` of an entry's address in a list of the file (`changes`,
    /// `requirements`); the file alone when it is not there.
    fn locate(&self, address: &str, list: &str) -> String {
        let quoted = serde_json::to_string(address).unwrap_or_default();
        let start = self
            .text
            .lines()
            .position(|line| line.starts_with(&format!("  \"{list}\":")))
            .unwrap_or(0);
        self.find(&format!("\"address\": {quoted}"), start)
    }

    /// Returns `FILE:LINE:COLUMN` of the first line from `start` (0-based) holding `needle`.
    fn find(&self, needle: &str, start: usize) -> String {
        self.text
            .lines()
            .enumerate()
            .skip(start)
            .find_map(|(index, line)| {
                let column = line.find(needle)?;
                Some(format!("{}:{}:{}", self.display, index + 1, column + 1))
            })
            .unwrap_or_else(|| self.display.clone())
    }
}

/// An entry of a plan's lists, known by its address.
trait Addressed {
    fn address(&self) -> String;
}

impl Addressed for Change {
    fn address(&self) -> String {
        self.address.to_string()
    }
}

impl Addressed for RequirementReport {
    fn address(&self) -> String {
        self.address.clone()
    }
}
