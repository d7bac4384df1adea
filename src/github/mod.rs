//! The GitHub layer: the only code that knows endpoints and wire shapes.
//!
//! - `api`: the seam, `GithubRead` and `GithubWrite`, one method per REST operation;
//!   `content`: `GithubContent`, issues, comments and labels, within GitHub's content limit.
//! - `rest`: the seam over HTTP (paths, statuses, permissions); `client`: HTTP itself
//!   (token, retries, rate limits, timeouts, pacing, pagination, cache); `path`: request
//!   paths no value can reshape.
//! - `wire`: GitHub's request and response shapes; `convert`: wire ↔ model and plan
//!   targets, the one place that knows GitHub's quirks.
//! - `graphql`: an organisation's repositories and classic protection read in bulk through
//!   GraphQL, behind the read seam (DESIGN §16).
//! - `read`: builds a `LiveState` through the seam; `write`: turns a plan target into its
//!   requests.
//! - `auth`: where the token comes from; `app`: GitHub App installation tokens;
//!   `error`: `ApiError`.
//! - `fake` (tests only): the seam in memory.

pub mod api;
pub mod app;
pub mod auth;
pub mod client;
pub mod content;
pub mod convert;
pub mod error;
#[cfg(test)]
pub mod fake;
pub mod graphql;
pub mod path;
pub mod read;
pub mod rest;
pub mod wire;
pub mod write;

pub use api::{GithubRead, GithubWrite, ProtectionRead};
pub use content::GithubContent;
pub use error::{ApiError, ApiErrorKind, Call, Cause, Permission};
pub use rest::{RestContent, RestReader, RestWriter};
