//! The seam over HTTP: the one place that sends a declared operation (`api`) through the
//! client and judges GitHub's answer by the declaration — its statuses, what a 404 means,
//! the permission a 403 names.
//!
//! [`RestReader`] can only read, so `plan`, `explain` and `export`, which hold one, have no
//! way to write; [`RestWriter`] adds the writes, and only `apply` builds one.

#[cfg(test)]
mod tests;

use std::sync::Arc;

use http::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::api::{Owner, Read, Shape, Write};
use super::client::{ReadClient, WriteClient};
use super::error::{ApiError, ApiErrorKind, Call, Cause, Permission};
use super::graphql::Bulk;
use super::path::ApiPath;
use crate::output::untrusted;

/// Reads GitHub: what `plan`, `explain` and `export` hold.
#[derive(Clone)]
pub struct RestReader {
    client: ReadClient,
    /// What GraphQL read in bulk, which answers the reads declared answerable from it.
    bulk: Option<Arc<Bulk>>,
}

/// Reads and writes GitHub. Only `apply` builds one.
#[derive(Clone)]
pub struct RestWriter {
    reader: RestReader,
    client: WriteClient,
}

impl RestReader {
    /// Wraps a client.
    pub fn new(client: ReadClient) -> Self {
        Self { client, bulk: None }
    }

    /// Returns a reader that answers from `bulk` what it has whole (DESIGN §16), and reads
    /// the rest as this one does.
    #[must_use]
    pub fn with_bulk(&self, bulk: Arc<Bulk>) -> Self {
        Self {
            client: self.client.clone(),
            bulk: Some(bulk),
        }
    }

    /// Returns what was read in bulk, if anything.
    pub fn bulk(&self) -> Option<&Bulk> {
        self.bulk.as_deref()
    }

    /// Returns true when the cache can answer a GET of `path` without spending rate limit
    /// (a conditional request, answered `304`).
    pub fn is_cached(&self, path: &ApiPath) -> bool {
        self.client.is_cached(path)
    }

    /// Returns true when a read costs no rate limit: what was read in bulk has its answer,
    /// or the cache can answer it.
    pub fn is_free<W, T>(&self, read: &Read<W, T>) -> bool {
        let known = match (&self.bulk, &read.in_bulk) {
            (Some(bulk), Some(from)) => from(bulk).is_some(),
            _ => false,
        };
        known || self.is_cached(&read.path)
    }

    /// Sends a read and returns what its declaration makes of the answer.
    pub async fn read<W: DeserializeOwned, T>(&self, read: Read<W, T>) -> Result<T, ApiError> {
        if let (Some(bulk), Some(from)) = (&self.bulk, &read.in_bulk)
            && let Some(known) = from(bulk)
        {
            return Ok((read.answer)(known));
        }
        let call = read.path.call(Method::GET);
        // The client's futures are boxed: one state machine for every read, however many
        // reads a caller runs at once.
        let failed = match read.shape {
            Shape::One => {
                let response = Box::pin(self.client.get(&read.path)).await?;
                if response.status == StatusCode::OK {
                    return parse(serde_json::from_slice(&response.body), &call).map(read.answer);
                }
                let failed = ApiError::from_status(&response, call);
                if response.status != StatusCode::NOT_FOUND
                    && let Some(answer) = (read.otherwise)(response.status, github_message(&failed))
                {
                    return Ok(answer);
                }
                failed
            }
            Shape::List { field } => match Box::pin(self.client.get_all(&read.path, field)).await {
                Ok(items) => {
                    let items = serde_json::Value::Array(items);
                    return parse(serde_json::from_value(items), &call).map(read.answer);
                }
                Err(err) => err,
            },
        };
        if failed.kind == ApiErrorKind::NotFound
            && let Some(answer) = (read.absent)(github_message(&failed))
        {
            return Ok(answer);
        }
        Err(judge(failed, read.needs, read.owner))
    }

    /// Returns why the client stopped sending (a rate limit that asked for a longer wait
    /// than allowed), if it did.
    pub fn halted(&self) -> Option<super::client::rate_limit::Halt> {
        self.client.halted()
    }

    /// Says `line` in the `-v` log (nothing without `-v`).
    pub fn note(&self, line: &str) {
        self.client.note(line);
    }

    /// POST `/graphql` (`/api/graphql` on GHES): one query, whose answer (`data` and any
    /// `errors`) is returned whole; `None` when there is no GraphQL to ask (a server
    /// without it, or a proxy that passes only REST, answers 404).
    pub async fn graphql(
        &self,
        query: &str,
        variables: &serde_json::Value,
    ) -> Result<Option<serde_json::Value>, ApiError> {
        let call = Call::new(Method::POST, "/graphql");
        let body = serde_json::json!({ "query": query, "variables": variables });
        let response = Box::pin(self.client.graphql(&body)).await?;
        match response.status {
            StatusCode::OK => parse(serde_json::from_slice(&response.body), &call).map(Some),
            StatusCode::NOT_FOUND => Ok(None),
            _ => Err(ApiError::from_status(&response, call)),
        }
    }
}

impl RestWriter {
    /// Wraps a client.
    pub fn new(client: WriteClient) -> Self {
        Self {
            reader: RestReader::new(client.reader().clone()),
            client,
        }
    }

    /// Returns the reading half, for the code that only reads.
    pub fn reader(&self) -> &RestReader {
        &self.reader
    }

    /// Sends a read (see [`RestReader::read`]).
    pub async fn read<W: DeserializeOwned, T>(&self, read: Read<W, T>) -> Result<T, ApiError> {
        self.reader.read(read).await
    }

    /// Sends a write once and returns its answer, when the declaration reads one.
    pub async fn write<B: Serialize + Sync, T>(
        &self,
        write: Write<'_, B, T>,
    ) -> Result<T, ApiError> {
        let call = write.path.call(write.method.clone());
        let response = match write.body {
            Some(body) => Box::pin(self.client.send(write.method, &write.path, body)).await?,
            None => Box::pin(self.client.send_empty(write.method, &write.path)).await?,
        };
        if !write.ok.contains(&response.status) {
            return Err(ApiError::from_status(&response, call).needing(write.needs));
        }
        parse((write.answer)(&response.body), &call)
    }

    /// Returns why the client stopped sending (see [`RestReader::halted`]), if it did.
    pub fn halted(&self) -> Option<super::client::rate_limit::Halt> {
        self.reader.halted()
    }

    /// Starts the overall timeout afresh (after a person confirmed).
    pub fn restart_deadline(&self) {
        self.client.restart_deadline();
    }
}

/// Turns an answer that is not the documented shape into an error naming the call.
fn parse<T>(parsed: serde_json::Result<T>, call: &Call) -> Result<T, ApiError> {
    parsed
        .map_err(|err| ApiError::new(ApiErrorKind::Malformed, call).because(Cause::Malformed(err)))
}

/// Returns GitHub's message of a failed call ("Branch not protected"), or nothing.
fn github_message(err: &ApiError) -> &str {
    match err.cause.as_deref() {
        Some(Cause::Status { message, .. }) => message,
        _ => "",
    }
}

/// Adds what a read's declaration knows to its failure: the permission a 403 means the
/// token lacks, and what a 404 may mean is missing altogether.
fn judge(err: ApiError, needs: Option<Permission>, owner: Option<Owner>) -> ApiError {
    let err = match needs {
        Some(permission) => err.needing(permission),
        None => err,
    };
    if err.kind != ApiErrorKind::NotFound {
        return err;
    }
    match owner {
        Some(Owner::Repository(repo)) => err.or_hint(format!(
            "repository `{repo}` was not found, or the token cannot see it; check --repo and the token's repository access"
        )),
        Some(Owner::Organization(org)) => err.or_hint(format!(
            "organisation `{}` was not found, or the token cannot see it",
            untrusted::escape(&org)
        )),
        None => err,
    }
}
