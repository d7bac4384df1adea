//! What protection a branch really has, and what would change it.
//!
//! - `effective`: the protection GitHub enforces on a branch, from classic protection and
//!   every ruleset that applies, as GitHub computes it; requirements judged on it.
//! - `findings`: rules that can never be met, or protect nothing.
//! - `weakening`: which changes lower protection, which `apply` refuses unless asked.

pub mod effective;
pub mod findings;
pub mod weakening;
