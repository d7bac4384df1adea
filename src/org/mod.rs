//! One policy for many repositories of an organisation (DESIGN §10).
//!
//! - `select`: which repositories a selection, an exclusion or a shard picks.
//! - `merge`: the policy a repository gets from the layers, and the entries that would
//!   loosen a requirement.
//! - `properties`: groups that select by custom property, held against what the
//!   organisation defines.
//! - `budget`: the requests a run makes, for the rate-budget check.
//! - `selection`: the repositories a run covers, and those it covers but cannot plan.
//! - `run`: plan and apply over the selected repositories, each failure isolated.
//! - `export`: an organisation policy from what the repositories have.

pub mod budget;
pub mod export;
pub mod merge;
pub mod properties;
pub mod run;
pub mod select;
pub mod selection;
