//! The GitHub layer: the only code that knows endpoints and wire shapes.
//!
//! - `api`: every REST operation gh-policy uses, declared once as data (method, path,
//!   success statuses, what a 404 means, permission, body and answer types).
//! - `rest`: the seam, `RestReader` (reads only) and `RestWriter`, sending a declared
//!   operation and judging its answer; `client`: HTTP itself (token, retries, rate limits,
//!   timeouts, pacing, pagination, cache); `path`: request paths no value can reshape.
//! - `content`: `RestContent`, which sends only the issue, comment and label operations,
//!   within GitHub's content limit: what `issue` and `comment` hold.
//! - `wire`: GitHub's request and response shapes; `convert`: wire ↔ model and plan
//!   targets, the one place that knows GitHub's quirks.
//! - `graphql`: an organisation's repositories and classic protection read in bulk through
//!   GraphQL, behind the read seam (DESIGN §16).
//! - `read`: builds a `LiveState` through the seam; `write`: turns a plan target into its
//!   requests.
//! - `auth`: where the token comes from; `app`: GitHub App installation tokens;
//!   `error`: `ApiError`.

pub mod api;
pub mod app;
pub mod auth;
pub mod client;
pub mod content;
pub mod convert;
pub mod error;
pub mod graphql;
pub mod path;
pub mod read;
pub mod rest;
pub mod wire;
pub mod write;

pub use api::ProtectionRead;
pub use content::RestContent;
pub use error::{ApiError, ApiErrorKind, Call, Cause, Permission};
pub use rest::{RestReader, RestWriter};
