//! Integration tests: the real `gh-policy` binary against the GitHub emulator.
#![allow(clippy::unwrap_used, reason = "test code")]

mod action;
mod apply;
mod cli;
mod common;
mod errors;
mod exceptions;
mod export;
mod faults;
mod fuzz;
mod hostile;
mod install;
mod live;
mod org;
mod perf;
mod plan;
mod props;
mod proxy;
mod readme;
mod requirements;
mod rulesets;
mod schema;
mod state;
mod terminal;
mod validate;
mod wording;
mod workflows;
