//! Who requests are made as: the value of the `Authorization` header.
//!
//! A personal access token is one fixed value ([`Token`]). A GitHub App's installation
//! token expires and is renewed (`github::app`); both look the same to the client.

use async_trait::async_trait;

use crate::github::ApiError;
use crate::github::client::HttpResponse;

/// A source of the `Authorization` header.
#[async_trait]
pub trait Credentials: Send + Sync {
    /// Returns the header's value, e.g. `Bearer ghp_…`. Never logged.
    async fn authorization(&self) -> Result<String, ApiError>;

    /// Called after GitHub answered 401: forgets the current token and returns true when a
    /// new one can be had (an expired installation token), false when asking again cannot
    /// help (a wrong personal token).
    fn renew(&self) -> bool;

    /// Called after GitHub answered 401 to a request sent with `rejected` (the exact
    /// `Authorization` value): forgets that token, unless it was renewed meanwhile, and
    /// returns true when sending again can help. Many requests refused together so renew
    /// once. By default, [`Credentials::renew`].
    fn renew_rejected(&self, rejected: &str) -> bool {
        let _ = rejected;
        self.renew()
    }

    /// Returns the hint for a 401 that renewing could not help, when these credentials know
    /// better than the default (a personal token's: set a valid `GITHUB_TOKEN`).
    fn refused_hint(&self, response: &HttpResponse) -> Option<String> {
        let _ = response;
        None
    }

    /// Returns who the requests are made as, for the cache's keys: stable across runs, and
    /// secret (it holds the credential itself, or a digest of the App's key), so that only
    /// its holder can write entries the cache accepts. Hashed before use, never written.
    fn cache_identity(&self) -> String;
}

/// A fixed token: a personal access token, or any token given from outside.
pub struct Token(String);

impl Token {
    /// Wraps a token, which from now on is redacted from everything printed.
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        crate::output::redact::hold(&token);
        Self(token)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

#[async_trait]
impl Credentials for Token {
    async fn authorization(&self) -> Result<String, ApiError> {
        Ok(format!("Bearer {}", self.0))
    }

    fn renew(&self) -> bool {
        false
    }

    fn cache_identity(&self) -> String {
        format!("token:{}", self.0)
    }
}
