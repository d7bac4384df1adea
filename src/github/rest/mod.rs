//! The seam over HTTP: the one place that sends a declared operation (`api`) through the
//! client and judges GitHub's answer by the declaration — its statuses, what a 404 means,
//! the permission a 403 names.
//!
//! [`RestReader`] can only read, so `plan`, `explain` and `export`, which hold one, have no
//! way to write; [`RestWriter`] adds the writes, and only `apply` builds one.

#[cfg(test)]
mod tests;

use http::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::api::{Owner, Read, Shape, Write};
use super::client::{ReadClient, WriteClient};
use super::error::{ApiError, ApiErrorKind, Cause, Permission};
use super::path::ApiPath;
use crate::untrusted;

/// Reads GitHub: what `plan`, `explain` and `export` hold.
#[derive(Clone)]
pub struct RestReader {
    client: ReadClient,
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
        Self { client }
    }

    /// Returns true when the cache can answer a GET of `path` without spending rate limit
    /// (a conditional request, answered `304`).
    pub fn is_cached(&self, path: &ApiPath) -> bool {
        self.client.is_cached(path)
    }

    /// Sends a read and returns what its declaration makes of the answer.
    pub async fn read<W: DeserializeOwned, T>(&self, read: Read<W, T>) -> Result<T, ApiError> {
        let call = format!("GET {}", read.path);
        // The client's futures are boxed: one state machine for every read, however many
        // reads a caller runs at once.
        let failed = match read.shape {
            Shape::One => {
                let response = Box::pin(self.client.get(&read.path)).await?;
                if response.status == StatusCode::OK {
                    return parse(serde_json::from_slice(&response.body), &call).map(read.answer);
                }
                ApiError::from_status(&response, call)
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
        let call = format!("{} {}", write.method, write.path);
        let response = match write.body {
            Some(body) => Box::pin(self.client.send(write.method, &write.path, body)).await?,
            None => Box::pin(self.client.send_empty(write.method, &write.path)).await?,
        };
        if !write.ok.contains(&response.status) {
            return Err(ApiError::from_status(&response, call).needing(write.needs));
        }
        parse((write.answer)(&response.body), &call)
    }

    /// Starts the overall timeout afresh (after a person confirmed).
    pub fn restart_deadline(&self) {
        self.client.restart_deadline();
    }
}

/// Turns an answer that is not the documented shape into an error naming the call.
fn parse<T>(parsed: serde_json::Result<T>, call: &str) -> Result<T, ApiError> {
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
