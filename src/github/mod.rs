//! The GitHub layer: the only code that knows endpoints and wire shapes.
//!
//! - `client`: HTTP, headers, retries, rate limits, pagination; `ReadApi` and `WriteApi`.
//! - `wire`: GitHub's response shapes and their conversion into the model.
//! - `read`: builds a `LiveState` from the repository.
//! - `write`: turns plan changes into requests.
//! - `auth`: where the token comes from.
//! - `cache`: `ETags` for conditional requests.

pub mod auth;
pub mod cache;
pub mod client;
pub mod error;
pub mod read;
pub mod wire;
pub mod write;

use std::fmt::{self, Write as _};

pub use client::{ClientConfig, ReadApi, WriteApi};
pub use error::{ApiError, ApiErrorKind};

/// A repository, `OWNER/NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoId {
    /// The user or organisation.
    pub owner: String,
    /// The repository name.
    pub name: String,
}

impl RepoId {
    /// Parses `OWNER/NAME`; returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (owner, name) = text.trim().split_once('/')?;
        let valid = |part: &str| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        (valid(owner) && valid(name)).then(|| Self {
            owner: owner.to_owned(),
            name: name.trim_end_matches(".git").to_owned(),
        })
    }

    /// Returns the API path of the repository, `/repos/OWNER/NAME`.
    pub fn path(&self) -> String {
        format!("/repos/{}/{}", encode(&self.owner), encode(&self.name))
    }
}

impl fmt::Display for RepoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// Percent-encodes one path segment (a `/` in a branch name becomes `%2F`, QUIRKS 3).
pub fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encode("release/1.0"), "release%2F1.0");
        assert_eq!(encode("dev - lint"), "dev%20-%20lint");
        assert_eq!(encode("ünï"), "%C3%BCn%C3%AF");
    }

    #[test]
    fn repository_names_parse() {
        assert_eq!(
            RepoId::parse("acme/katz-backend").unwrap().to_string(),
            "acme/katz-backend"
        );
        assert!(RepoId::parse("acme").is_none());
        assert!(RepoId::parse("a/b/c").is_none());
        assert!(RepoId::parse("/x").is_none());
    }
}
