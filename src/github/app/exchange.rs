//! The app's two calls, made with a fresh JWT each: `GET /orgs/{org}/installation` (which
//! installation is on the organisation) and `POST /app/installations/{id}/access_tokens`
//! (a token for it).
//!
//! They go through a client of their own, whose credentials are the app's key (a JWT per
//! request), over the same transport and with the same retry engine, timeouts, rate-limit
//! waits and overall deadline as every other request of the run (its `run` is shared). The
//! answer's secret (the token) is never in an error or a log.

use std::time::{Duration, SystemTime};

use http::{Method, StatusCode};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::jwt::AppKey;
use crate::github::client::rate_limit;
use crate::github::client::{HttpResponse, WriteClient};
use crate::github::error::{ApiError, ApiErrorKind, Cause};
use crate::github::path::ApiPath;

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
    /// The app's own client: its credentials are the app's key.
    pub client: WriteClient,
    pub organization: String,
    /// For a command about one repository: that repository of `organization` (the account,
    /// an organisation or a user), whose installation is looked up instead.
    pub repository: Option<String>,
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
        let call = path.call(http::Method::GET);
        let response = self.client.reader().get(&path).await?;
        match response.status {
            StatusCode::OK => serde_json::from_slice::<Installation>(&response.body)
                .map(|installation| installation.id)
                .map_err(|err| {
                    ApiError::new(ApiErrorKind::Malformed, call).because(Cause::Malformed(err))
                }),
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
        let call = path.call(http::Method::POST);
        let failed = |error| Failed {
            error,
            forget_installation: false,
        };
        let response = self
            .client
            .send_repeatable(Method::POST, &path, &serde_json::json!({}))
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
        let now = rate_limit::server_time(&response).unwrap_or_else(|| SystemTime::now().into());
        let life = Duration::try_from(expires - now).unwrap_or(Duration::ZERO);
        Ok(Minted {
            token: answer.token,
            life,
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
        crate::output::redact::hold(&answer.token);
    }
}
