//! GitHub App authentication: requests made as the app's installation on an organisation.
//!
//! The app's private key signs a JWT (`jwt`); with it the installation on the organisation
//! is looked up and an installation token minted (`exchange`, through a client of the app's
//! own that shares the run's retry engine and deadline), which the client then sends like a
//! personal token. [`AppInstallation`] is the client's [`Credentials`]: it mints the
//! first token at the first request, renews it before it expires (`renewal`), and once
//! after GitHub refuses it with a 401. When a renewal fails while the token is still
//! valid, the token goes on serving and the renewal is tried again 30 s later. Renewals are one at a time, and only the token that
//! was refused is forgotten, so many requests refused together renew it once.
//!
//! The key, the JWTs and the tokens are secrets: no error, `-v` line or `Debug` output
//! shows them.

mod exchange;
mod jwt;
mod renewal;
mod rs256;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;

use self::exchange::Exchange;
use self::renewal::{Clock, Held, SystemClock};
use super::client::{ApiRoot, ClientConfig, Credentials, Transport, WriteClient};
use super::error::ApiError;
use crate::Error;
use crate::output::untrusted::quote;

/// How long before it expires an installation token is renewed (GitHub's tokens live an
/// hour). A token issued with less than twice this to live is renewed at half its life.
pub const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);

/// Returns credentials that act as the GitHub App `app_id`'s installation on
/// `organization`, through `transport` to `root`. The key is checked here; the
/// installation is looked up at the first request.
pub fn installation_credentials(
    root: &ApiRoot,
    transport: Arc<dyn Transport>,
    app_id: u64,
    private_key_pem: &str,
    organization: &str,
) -> Result<Arc<dyn Credentials>, Error> {
    let app = AppInstallation::new(root, transport, app_id, private_key_pem, organization)?;
    Ok(Arc::new(app.renew_before(RENEW_BEFORE)))
}

pub use jwt::AppKey;

/// Reads an App ID given by `source` (`--app-id` or `GH_POLICY_APP_ID`).
pub fn parse_app_id(text: &str, source: &str) -> Result<u64, Error> {
    let trimmed = text.trim();
    if let Ok(id) = trimmed.parse::<u64>()
        && id > 0
    {
        return Ok(id);
    }
    // A value that is long or spans lines may be a key pasted in the wrong place: not shown.
    let shown = if trimmed.chars().count() <= 40 && !trimmed.contains(['\n', '\r']) {
        quote(trimmed)
    } else {
        format!("a value of {} characters", trimmed.chars().count())
    };
    Err(Error::new(format!(
        "{source} must be the GitHub App's numeric App ID, not {shown}"
    ))
    .with_hint(
        "use the App ID, the number on the app's settings page (\"App ID: 123456\"), \
         not the client ID (`Iv1.…` or `Iv23…`)",
    ))
}

/// The largest private key file read: a 4096-bit RSA key in PEM is about 3.3 KB.
pub const MAX_KEY_BYTES: u64 = 64 * 1024;

/// Reads the PEM file of a GitHub App's private key (`--private-key`): a regular file (not a
/// device or a pipe, which could be endless or never end), at most [`MAX_KEY_BYTES`].
pub fn read_private_key(path: &Path) -> Result<String, Error> {
    use std::io::Read as _;
    let shown = quote(&path.display().to_string());
    let hint =
        "give --private-key the .pem file generated in the app's settings (\"Private keys\")";
    let not_a_key = |what: &str| {
        Error::new(format!("the GitHub App private key file {shown} {what}")).with_hint(hint)
    };
    if let Ok(metadata) = std::fs::metadata(path) {
        if metadata.is_dir() {
            return Err(not_a_key("is a directory"));
        }
        if !metadata.is_file() {
            return Err(not_a_key("is not a regular file (a device or a pipe)"));
        }
        if metadata.len() > MAX_KEY_BYTES {
            return Err(not_a_key(&format!(
                "is {} bytes, too large for a private key (at most {MAX_KEY_BYTES})",
                metadata.len()
            )));
        }
    }
    let read = std::fs::File::open(path).and_then(|file| {
        let mut bytes = Vec::new();
        file.take(MAX_KEY_BYTES + 1).read_to_end(&mut bytes)?;
        Ok(bytes)
    });
    let text = read.map_err(|err| {
        let what = match err.kind() {
            std::io::ErrorKind::NotFound => "does not exist",
            std::io::ErrorKind::PermissionDenied => "cannot be read (permission denied)",
            std::io::ErrorKind::IsADirectory => "is a directory",
            _ => "cannot be read",
        };
        Error::new(format!("the GitHub App private key file {shown} {what}"))
            .caused_by(err)
            .with_hint(hint)
    })?;
    if text.len() as u64 > MAX_KEY_BYTES {
        return Err(not_a_key(
            "grew past the size of a private key while it was read",
        ));
    }
    let text = String::from_utf8(text).map_err(|_| not_a_key("is not a PEM file (not text)"))?;
    if !text.contains("-----BEGIN") {
        return Err(not_a_key("is not a PEM file (no -----BEGIN line)"));
    }
    if text.contains("PUBLIC KEY-----") && !text.contains("PRIVATE KEY-----") {
        return Err(not_a_key("holds a public key, not the private key"));
    }
    Ok(text)
}

/// Credentials of a GitHub App's installation on one organisation: installation tokens,
/// minted and renewed as needed.
pub struct AppInstallation {
    key: Arc<AppKey>,
    exchange: Exchange,
    margin: Duration,
    clock: Arc<dyn Clock>,
    /// The token in use; `None` before the first and after one was refused.
    token: Mutex<Option<Held>>,
    /// The installation's id once looked up. Its lock is held while a token is minted, so
    /// renewals are one at a time.
    installation: tokio::sync::Mutex<Option<u64>>,
}

impl AppInstallation {
    /// Checks the key (it must sign a JWT) and returns the credentials, whose own calls use
    /// the client defaults; nothing is sent until the first request. Tokens are renewed
    /// [`RENEW_BEFORE`] they expire unless [`AppInstallation::renew_before`] says otherwise.
    pub fn new(
        root: &ApiRoot,
        transport: Arc<dyn Transport>,
        app_id: u64,
        private_key_pem: &str,
        organization: &str,
    ) -> Result<Self, Error> {
        let key = Arc::new(AppKey::new(app_id, private_key_pem)?);
        let calls = ClientConfig::new(root.clone(), Arc::clone(&key) as Arc<dyn Credentials>);
        Self::with_calls(calls, key, transport, organization)
    }

    /// Returns the credentials with `calls` for the app's own calls: its root, timeouts,
    /// retries, log and run (share the run of the client these credentials serve, so both
    /// keep one deadline). Its credentials become `key` and it keeps no cache.
    pub fn with_calls(
        mut calls: ClientConfig,
        key: Arc<AppKey>,
        transport: Arc<dyn Transport>,
        organization: &str,
    ) -> Result<Self, Error> {
        if organization.trim().is_empty() {
            return Err(Error::new(
                "GitHub App authentication needs the organisation the app is installed on",
            )
            .with_hint("give --org, or `organization:` in the policy"));
        }
        calls.credentials = Arc::clone(&key) as Arc<dyn Credentials>;
        calls.cache = None;
        calls.log_suffix = ", as the app";
        Ok(Self {
            key,
            exchange: Exchange {
                client: WriteClient::with_transport(calls, transport),
                organization: organization.trim().to_owned(),
                repository: None,
            },
            margin: RENEW_BEFORE,
            clock: Arc::new(SystemClock),
            token: Mutex::new(None),
            installation: tokio::sync::Mutex::new(None),
        })
    }

    /// Renews tokens when less than `margin` of their life remains (at half their life
    /// when they were issued with less than twice `margin` to live).
    #[must_use]
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Acts as the installation that reaches `repository` (a repository of the account given
    /// to `new`, which may be a user), for a command about that one repository.
    #[must_use]
    pub fn for_repository(mut self, repository: &str) -> Self {
        self.exchange.repository = Some(repository.to_owned());
        self
    }

    /// Uses another clock for renewal times (tests).
    #[cfg(test)]
    #[must_use]
    fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Returns the token in use unless it is due for renewal.
    fn fresh(&self) -> Option<String> {
        let now = self.clock.now();
        lock(&self.token)
            .as_ref()
            .filter(|held| held.fresh(now))
            .map(|held| held.authorization.clone())
    }
}

#[async_trait]
impl Credentials for AppInstallation {
    async fn authorization(&self) -> Result<String, ApiError> {
        if let Some(authorization) = self.fresh() {
            return Ok(authorization);
        }
        let mut installation = self.installation.lock().await;
        // Another request may have renewed it while this one waited its turn.
        if let Some(authorization) = self.fresh() {
            return Ok(authorization);
        }
        let id = match *installation {
            Some(id) => id,
            None => *installation.insert(self.exchange.installation(&self.key).await?),
        };
        match self.exchange.mint(&self.key, id).await {
            Ok(minted) => {
                let held = Held::new(&minted.token, self.clock.now(), minted.life, self.margin);
                let authorization = held.authorization.clone();
                *lock(&self.token) = Some(held);
                Ok(authorization)
            }
            Err(failed) => {
                if failed.forget_installation {
                    *installation = None;
                }
                // A token due for renewal but still valid (not refused) goes on serving.
                let now = self.clock.now();
                lock(&self.token)
                    .as_mut()
                    .and_then(|held| held.keep_after_failure(now))
                    .ok_or(failed.error)
            }
        }
    }

    fn renew(&self) -> bool {
        *lock(&self.token) = None;
        true
    }

    fn renew_rejected(&self, rejected: &str) -> bool {
        let mut token = lock(&self.token);
        if token
            .as_ref()
            .is_some_and(|held| held.authorization == rejected)
        {
            *token = None;
        }
        true
    }

    fn refused_hint(&self, _response: &super::client::HttpResponse) -> Option<String> {
        Some(format!(
            "GitHub refused the installation token of the GitHub App {} on `{}`, a freshly minted one too: the installation may be suspended or removed, or may not reach this repository; check it in the account's settings (\"GitHub Apps\")",
            self.key.app_id(),
            self.exchange.organization
        ))
    }

    fn cache_identity(&self) -> String {
        format!(
            "app:{}:installation:{}:key:{}",
            self.key.app_id(),
            self.exchange.organization.to_lowercase(),
            self.key.fingerprint()
        )
    }
}

impl fmt::Debug for AppInstallation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppInstallation")
            .field("app_id", &self.key.app_id())
            .field("organization", &self.exchange.organization)
            .field("root", &self.exchange.client.reader().root().to_string())
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
