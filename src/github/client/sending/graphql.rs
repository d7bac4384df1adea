//! A GraphQL query: a POST that only reads, so it goes through the one retry engine
//! (`repeatable`) like a GET — a 5xx, a timeout, a dropped connection or an answer cut
//! short is tried again, a rate limit waited out, an expired token renewed once — and is
//! never cached (GitHub gives GraphQL answers no `ETag`).

use http::Method;

use super::super::points::GRAPHQL;
use super::super::transport::HttpResponse;
use super::repeatable::Repeatable;
use super::{Sender, To};
use crate::github::error::{ApiError, Call};

impl Sender {
    /// Sends one query (`{query, variables}` as JSON) and returns the answer whatever its
    /// status.
    pub(in super::super) async fn post_query(
        &self,
        body: Vec<u8>,
    ) -> Result<HttpResponse, ApiError> {
        let call = Call::new(Method::POST, GRAPHQL);
        let request = Repeatable {
            method: Method::POST,
            to: To::Graphql,
            template: GRAPHQL,
            body: Some(body),
            call: &call,
        };
        self.fetch(&request).await
    }
}
