//! Integration tests.
#![allow(clippy::unwrap_used, reason = "test code")]

mod schema;
mod validate;
