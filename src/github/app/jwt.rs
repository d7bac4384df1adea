//! The app's own credential: a JSON Web Token signed RS256 with its private key, which
//! GitHub accepts only on the app endpoints (finding an installation, minting its token).
//!
//! The key is parsed and a JWT test-signed when the credentials are built, so a key that
//! cannot sign fails before any repository is read. Neither the key nor a JWT is ever
//! shown: this module's types print as `…`.

use std::fmt;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ring::signature::RsaKeyPair;
use serde::Serialize;
use sha2::Digest as _;

use crate::Error;
use crate::github::client::{Credentials, HttpResponse, rate_limit};
use crate::github::error::{ApiError, ApiErrorKind};

/// How far back `iat` is set, for a clock a little ahead of GitHub's (GitHub's advice).
pub const BACKDATE: Duration = Duration::from_secs(60);
/// How long a JWT is valid after its `iat`: GitHub's most, 10 minutes.
pub const LIFETIME: Duration = Duration::from_secs(600);

/// The claims GitHub reads: issued at, expires at (Unix seconds) and the app id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Claims {
    /// Issued at: a minute before now.
    pub iat: u64,
    /// Expires at: ten minutes after `iat`.
    pub exp: u64,
    /// The app id, as a number.
    pub iss: u64,
}

impl Claims {
    /// Returns the claims of a JWT for `app_id` made at `now`.
    pub fn at(app_id: u64, now: SystemTime) -> Self {
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let iat = now.saturating_sub(BACKDATE.as_secs());
        Self {
            iat,
            exp: iat + LIFETIME.as_secs(),
            iss: app_id,
        }
    }
}

/// The app's signing key.
pub struct AppKey {
    app_id: u64,
    key: RsaKeyPair,
    /// A SHA-256 of the key's PEM text: secret as the key is, stable across runs.
    fingerprint: String,
}

impl fmt::Debug for AppKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AppKey {{ app_id: {}, key: … }}", self.app_id)
    }
}

impl AppKey {
    /// Reads a PEM private key (PKCS#1 as GitHub hands them out, or PKCS#8) and signs a
    /// test JWT with it. A key pasted into an environment variable with its line breaks
    /// written as `\n` is accepted.
    pub fn new(app_id: u64, private_key_pem: &str) -> Result<Self, Error> {
        let pem = normalise(private_key_pem);
        let unusable = |why: &str| {
            Error::new(format!(
                "the private key of the GitHub App {app_id} cannot be used: {why}"
            ))
            .with_hint(
                "give the .pem file generated in the app's settings (\"Private keys\"), which \
                 starts with -----BEGIN RSA PRIVATE KEY-----",
            )
        };
        if pem.contains("PUBLIC KEY-----") {
            return Err(unusable("it is a public key, not the private key"));
        }
        let key = super::rs256::key_pair(&pem).map_err(|why| unusable(&why))?;
        let fingerprint =
            sha2::Sha256::digest(pem.as_bytes())
                .iter()
                .fold(String::new(), |mut text, byte| {
                    let _ = write!(text, "{byte:02x}");
                    text
                });
        let app = Self {
            app_id,
            key,
            fingerprint,
        };
        app.sign(SystemTime::now())
            .map_err(|err| unusable(&format!("signing a token with it failed ({err})")))?;
        Ok(app)
    }

    /// Returns the app id.
    pub fn app_id(&self) -> u64 {
        self.app_id
    }

    /// Returns a digest of the key: secret, so it keys what only the key's holder may
    /// write (the cache).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Returns a JWT made at `now`. A secret: redacted from everything printed.
    pub fn sign(&self, now: SystemTime) -> Result<String, String> {
        let jwt = super::rs256::sign_jwt(&self.key, &Claims::at(self.app_id, now))?;
        crate::output::redact::hold(&jwt);
        Ok(jwt)
    }
}

/// The app's key is the credential of the app's own calls: a fresh JWT each.
#[async_trait::async_trait]
impl Credentials for AppKey {
    async fn authorization(&self) -> Result<String, ApiError> {
        self.sign(SystemTime::now())
            .map(|jwt| format!("Bearer {jwt}"))
            .map_err(|err| {
                ApiError::new(
                    ApiErrorKind::Auth,
                    crate::github::Call::get(format!(
                        "(signing the JWT of the GitHub App {})",
                        self.app_id
                    )),
                )
                .with_detail(format!("the app's JWT could not be signed: {err}"))
            })
    }

    /// A JWT GitHub refuses is not helped by another: the key, the app id or the clock is
    /// wrong.
    fn renew(&self) -> bool {
        false
    }

    fn refused_hint(&self, response: &HttpResponse) -> Option<String> {
        let skew = rate_limit::server_time(response)
            .and_then(|github| {
                let ours = time::OffsetDateTime::from(SystemTime::now());
                let ahead = (ours - github).whole_seconds();
                (ahead.abs() >= 30).then(|| {
                    let side = if ahead > 0 { "ahead of" } else { "behind" };
                    format!(" (it is {} s {side} GitHub's)", ahead.abs())
                })
            })
            .unwrap_or_default();
        Some(format!(
            "GitHub refused the JWT of the GitHub App {id}: check that {id} is the app's numeric App ID, that the private key is one of this app's (not revoked), and that this machine's clock is right{skew}",
            id = self.app_id
        ))
    }

    fn cache_identity(&self) -> String {
        format!("app-key:{}", self.fingerprint)
    }
}

/// Returns the PEM text with literal `\n` turned into line breaks (a key pasted into one
/// line of an environment variable or a CI secret), and without surrounding blanks.
pub fn normalise(pem: &str) -> String {
    let pem = pem.trim();
    if !pem.contains('\n') && pem.contains("\\n") {
        pem.replace("\\r\\n", "\n").replace("\\n", "\n")
    } else {
        pem.to_owned()
    }
}
