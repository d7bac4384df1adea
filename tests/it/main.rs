//! Integration tests: the real `gh-policy` binary against the GitHub emulator.
#![allow(clippy::unwrap_used, reason = "test code")]

mod action;
mod action_report;
mod agreement;
mod apply;
mod cli;
mod comment;
mod common;
mod effective;
mod errors;
mod exceptions;
mod export;
mod faults;
mod fuzz;
mod install;
mod issues;
mod live;
mod org;
mod org_graphql;
mod org_guard;
mod perf;
mod plan;
mod props;
mod readme;
mod reports;
mod requirements;
mod rulesets;
mod schema;
mod state;
mod terminal;
mod unknown;
mod validate;
mod weakening;
mod wording;
mod workflows;
