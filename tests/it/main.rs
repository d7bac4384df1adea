//! Integration tests: the real `gh-policy` binary against the GitHub emulator.
#![allow(clippy::unwrap_used, reason = "test code")]

mod common;
mod perf;
mod plan;
mod schema;
mod validate;
