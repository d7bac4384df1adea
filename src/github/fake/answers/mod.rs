//! The fake's answers: each operation as GitHub performs it, on the in-memory state.
//! Reads in `read.rs`, writes in `write.rs` (what they change in `changes.rs`), rulesets in
//! `rulesets.rs`.

mod changes;
mod read;
mod rulesets;
pub(super) mod switches;
mod write;

pub use switches::FakeSwitches;

use super::*;

pub(super) fn find<'a>(state: &'a State, name: &str) -> Option<&'a FakeEnvironment> {
    state
        .environments
        .iter()
        .find(|e| e.wire.name.eq_ignore_ascii_case(name))
}

pub(super) fn find_mut<'a>(state: &'a mut State, name: &str) -> Option<&'a mut FakeEnvironment> {
    state
        .environments
        .iter_mut()
        .find(|e| e.wire.name.eq_ignore_ascii_case(name))
}
