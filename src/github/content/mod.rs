//! What `issue` and `comment` read and write: issues, pull request comments and labels
//! (declared in `api::content`), through [`RestContent`].
//!
//! It is apart from `RestReader` and `RestWriter`: only `issue` and `comment` hold a
//! `RestContent`, which sends nothing but the content operations, so it cannot touch a
//! repository's settings, and nothing else can write an issue or a comment. Every write
//! goes through [`pace::ContentPace`], within GitHub's limit on creating content.

pub mod pace;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::api::content::Content;
use super::api::{Read, Write};
use super::client::WriteClient;
use super::error::{ApiError, ApiErrorKind};
use super::rest::RestWriter;
use pace::{ContentPace, PER_HOUR};

/// Issues, comments and labels over HTTP, paced within GitHub's content limit. It reads and
/// writes nothing else.
pub struct RestContent {
    rest: RestWriter,
    pace: ContentPace,
}

impl RestContent {
    /// Wraps a client; writes are paced by it (one at a time, `write_pace` apart) and by
    /// GitHub's content limit.
    pub fn new(client: WriteClient) -> Self {
        Self {
            rest: RestWriter::new(client),
            pace: ContentPace::default(),
        }
    }

    /// Sends a read of issues, comments or labels.
    pub async fn read<W: DeserializeOwned, T>(
        &self,
        read: Content<Read<W, T>>,
    ) -> Result<T, ApiError> {
        self.rest.read(read.0).await
    }

    /// Sends one content-creating write, once the content limit lets it through.
    pub async fn write<B: Serialize + Sync, T>(
        &self,
        write: Content<Write<'_, B, T>>,
    ) -> Result<T, ApiError> {
        let write = write.0;
        if let Err(spent) = self.pace.admit().await {
            let call = write.path.call(write.method.clone());
            return Err(ApiError::new(ApiErrorKind::RateLimited, call).with_detail(format!(
                "GitHub allows about {PER_HOUR} issues, comments and labels an hour, and this run has written as many; one more fits in {} minutes",
                spent.wait.as_secs().div_ceil(60)
            )));
        }
        self.rest.write(write).await
    }
}
