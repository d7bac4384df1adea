//! The app's two calls, made with a fresh JWT each: `GET /orgs/{org}/installation` (which
//! installation is on the organisation) and `POST /app/installations/{id}/access_tokens`
//! (a token for it).
//!
//! They go through the client's transport and API root but not its sender: the sender asks
//! the credentials for a token, and these calls are how the credentials get one. So they
//! carry their own small policy: three attempts after a dropped connection, a timeout or a
//! 5xx; a rate limit waited out when it resets within a minute; the answer's secrets (the
//! token) never in an error or a log.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::{HeaderValue, Method, StatusCode, header};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::jwt::AppKey;
use crate::github::client::rate_limit::{self, parse_http_date};
use crate::github::client::transport::TransportErrorKind;
use crate::github::client::{ApiRoot, HttpRequest, HttpResponse, Transport, github_headers};
use crate::github::error::{ApiError, ApiErrorKind, Cause};
use crate::github::path::ApiPath;
use crate::progress::Log;

/// How many times a token request is tried.
pub const ATTEMPTS: u32 = 3;
/// How long one attempt may take.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest rate-limit wait a token request sits out.
pub const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);
/// The first pause before another attempt; it doubles.
const RETRY_PAUSE: Duration = Duration::from_secs(1);

/// A minted installation token.
pub struct Minted {
    /// The token. A secret: never logged.
    pub token: String,
    /// How long it lives from its answer: `expires_at` less GitHub's clock (`Date`), so
    /// the machine's clock does not matter.
    pub life: Duration,
}

/// A token request that failed, and whether the installation should be looked up again.
pub struct Failed {
    /// The error for the caller.
    pub error: ApiError,
    /// The installation is gone (404): look it up again next time.
    pub forget_installation: bool,
}

/// Where the app's calls go, and for which organisation.
pub struct Exchange {
    pub root: ApiRoot,
    pub transport: Arc<dyn Transport>,
    pub organization: String,
    /// For a command about one repository: that repository of `organization` (the account,
    /// an organisation or a user), whose installation is looked up instead.
    pub repository: Option<String>,
    /// Where each call is logged under `-v` (method, path, status, time; never the JWT or
    /// the token).
    pub log: Option<Arc<dyn Log>>,
}

impl Exchange {
    /// Finds the app's installation on the organisation.
    pub async fn installation(&self, key: &AppKey) -> Result<u64, ApiError> {
        #[derive(Deserialize)]
        struct Installation {
            id: u64,
        }
        // A repository's installation is found whoever owns it (a user has no
        // `/orgs/…/installation`); an organisation's, for a run over its repositories.
        let (path, installed_on) = match &self.repository {
            Some(name) => (
                ApiPath::new("repos")
                    .value(&self.organization)
                    .value(name)
                    .lit("installation"),
                format!("the repository `{}/{name}`", self.organization),
            ),
            None => (
                ApiPath::new("orgs")
                    .value(&self.organization)
                    .lit("installation"),
                format!("the organisation `{}`", self.organization),
            ),
        };
        let call = format!("GET {path}");
        let response = self.send(key, Method::GET, &path, &call).await?;
        match response.status {
            StatusCode::OK => serde_json::from_slice::<Installation>(&response.body)
                .map(|installation| installation.id)
                .map_err(|err| {
                    ApiError::new(ApiErrorKind::Malformed, call).because(Cause::Malformed(err))
                }),
            StatusCode::UNAUTHORIZED => Err(jwt_refused(&response, call, key)),
            StatusCode::NOT_FOUND => Err(ApiError::from_status(&response, call).with_hint(format!(
                "the GitHub App {} is not installed on {installed_on} (or it does not exist): install the app on it (the account's settings, \"GitHub Apps\"), or check --org, --repo and --app-id",
                key.app_id(),
            ))),
            _ => Err(ApiError::from_status(&response, call)),
        }
    }

    /// Mints a token for the installation.
    pub async fn mint(&self, key: &AppKey, installation: u64) -> Result<Minted, Failed> {
        #[derive(Deserialize)]
        struct Answer {
            token: String,
            expires_at: String,
        }
        let path = ApiPath::new("app")
            .lit("installations")
            .id(installation)
            .lit("access_tokens");
        let call = format!("POST {path}");
        let failed = |error| Failed {
            error,
            forget_installation: false,
        };
        let response = self
            .send(key, Method::POST, &path, &call)
            .await
            .map_err(failed)?;
        hold_token(&response);
        match response.status {
            StatusCode::CREATED => {}
            // GitHub answers 201; another success may carry a token all the same, so its
            // body is never quoted.
            status if status.is_success() => {
                return Err(failed(
                    ApiError::new(ApiErrorKind::Malformed, call).with_detail(format!(
                        "GitHub answered {status} where it answers 201 Created; the answer is not shown, as it may hold a token"
                    )),
                ));
            }
            StatusCode::UNAUTHORIZED => return Err(failed(jwt_refused(&response, call, key))),
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => {
                let gone = response.status == StatusCode::NOT_FOUND;
                let error = ApiError::from_status(&response, call).with_hint(format!(
                    "the installation {installation} of the GitHub App {} on `{}` may be suspended or removed: check it in the organisation's settings (\"GitHub Apps\")",
                    key.app_id(),
                    self.organization
                ));
                return Err(Failed {
                    error: ApiError {
                        kind: ApiErrorKind::Auth,
                        ..error
                    },
                    forget_installation: gone,
                });
            }
            _ => return Err(failed(ApiError::from_status(&response, call))),
        }
        // The body holds the token: a parse error must not quote it.
        let malformed = |what: &str| {
            failed(
                ApiError::new(ApiErrorKind::Malformed, call.clone())
                    .with_detail(format!("the answer has no {what}")),
            )
        };
        let answer: Answer = serde_json::from_slice(&response.body)
            .map_err(|_| malformed("token and expires_at"))?;
        let expires = OffsetDateTime::parse(&answer.expires_at, &Rfc3339)
            .map_err(|_| malformed("readable expires_at"))?;
        let now = server_time(&response).unwrap_or_else(|| SystemTime::now().into());
        let life = Duration::try_from(expires - now).unwrap_or(Duration::ZERO);
        Ok(Minted {
            token: answer.token,
            life,
        })
    }

    /// Sends one app call with a fresh JWT: retried after a dropped connection, a timeout
    /// or a 5xx (three attempts), and after a rate limit that resets within a minute.
    async fn send(
        &self,
        key: &AppKey,
        method: Method,
        path: &ApiPath,
        call: &str,
    ) -> Result<HttpResponse, ApiError> {
        let mut attempt = 0;
        let mut rate_limited = 0;
        loop {
            attempt += 1;
            let jwt = key.sign(SystemTime::now()).map_err(|err| {
                ApiError::new(ApiErrorKind::Auth, call)
                    .with_detail(format!("the app's JWT could not be signed: {err}"))
            })?;
            let request = self.request(&method, path, &jwt, call)?;
            let started = std::time::Instant::now();
            let outcome = tokio::time::timeout(ATTEMPT_TIMEOUT, self.transport.send(request)).await;
            if let Some(log) = &self.log {
                let status = match &outcome {
                    Ok(Ok(response)) => response.status.as_u16().to_string(),
                    Ok(Err(_)) => "failed (connection)".to_owned(),
                    Err(_) => "failed (timeout)".to_owned(),
                };
                log.line(&format!(
                    "{method} {} → {status} ({} ms, as the app)",
                    path.path(),
                    started.elapsed().as_millis()
                ));
            }
            let (error, retry) = match outcome {
                Ok(Ok(response)) if response.status.is_server_error() => {
                    (ApiError::from_status(&response, call), true)
                }
                Ok(Ok(response)) => match rate_limit::classify(&response) {
                    Some(limited)
                        if limited.wait <= MAX_RATE_LIMIT_WAIT && rate_limited < ATTEMPTS =>
                    {
                        rate_limited += 1;
                        attempt -= 1;
                        tokio::time::sleep(limited.wait).await;
                        continue;
                    }
                    Some(limited) => (
                        ApiError::from_status(&response, call).with_hint(format!(
                            "GitHub's rate limit for the app resets in {} s; try again then",
                            limited.wait.as_secs()
                        )),
                        false,
                    ),
                    None => return Ok(response),
                },
                Ok(Err(err)) => {
                    let retry = matches!(
                        err.kind,
                        TransportErrorKind::Connect
                            | TransportErrorKind::Closed
                            | TransportErrorKind::Timeout
                    );
                    let kind = match err.kind {
                        TransportErrorKind::Resolve => ApiErrorKind::Resolve,
                        TransportErrorKind::Tls => ApiErrorKind::Tls,
                        TransportErrorKind::Timeout => ApiErrorKind::Timeout,
                        TransportErrorKind::Request => ApiErrorKind::Malformed,
                        _ => ApiErrorKind::Connection,
                    };
                    (
                        ApiError::new(kind, call).because(Cause::Transport(err)),
                        retry,
                    )
                }
                Err(_) => (
                    ApiError::new(ApiErrorKind::Timeout, call).with_detail(format!(
                        "no complete answer within {} s",
                        ATTEMPT_TIMEOUT.as_secs()
                    )),
                    true,
                ),
            };
            if !retry || attempt >= ATTEMPTS {
                return Err(error.after_attempts(attempt));
            }
            tokio::time::sleep(RETRY_PAUSE * 2u32.pow(attempt - 1)).await;
        }
    }

    fn request(
        &self,
        method: &Method,
        path: &ApiPath,
        jwt: &str,
        call: &str,
    ) -> Result<HttpRequest, ApiError> {
        let mut headers = github_headers(&format!("Bearer {jwt}"), call)?;
        let body = (*method == Method::POST).then(|| {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            b"{}".to_vec()
        });
        Ok(HttpRequest {
            method: method.clone(),
            url: self.root.url(&path.with_query()),
            headers,
            body,
        })
    }
}

/// Holds the token of a token answer, whatever its status, so that no message quoting the
/// answer can show it.
fn hold_token(response: &HttpResponse) {
    #[derive(Deserialize)]
    struct WithToken {
        token: String,
    }
    if let Ok(answer) = serde_json::from_slice::<WithToken>(&response.body) {
        crate::redact::hold(&answer.token);
    }
}

/// GitHub refused the app's JWT: the app id, the key or the machine's clock is wrong.
fn jwt_refused(response: &HttpResponse, call: String, key: &AppKey) -> ApiError {
    let skew = server_time(response)
        .and_then(|github| {
            let ours = OffsetDateTime::from(SystemTime::now());
            let ahead = (ours - github).whole_seconds();
            (ahead.abs() >= 30).then(|| {
                let side = if ahead > 0 { "ahead of" } else { "behind" };
                format!(" (it is {} s {side} GitHub's)", ahead.abs())
            })
        })
        .unwrap_or_default();
    ApiError::from_status(response, call).with_hint(format!(
        "GitHub refused the JWT of the GitHub App {}: check that {} is the app's numeric App ID, that the private key is one of this app's (not revoked), and that this machine's clock is right{skew}",
        key.app_id(),
        key.app_id()
    ))
}

/// Returns GitHub's time from the answer's `Date` header, if it has a readable one.
pub fn server_time(response: &HttpResponse) -> Option<OffsetDateTime> {
    parse_http_date(response.header("date")?)
}
