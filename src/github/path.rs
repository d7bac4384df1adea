//! Request paths, built so that no value can change their shape.
//!
//! A path is made of literal segments, which are `&'static str` written in the code, and
//! value segments (an owner, a branch, an environment name), which always go through
//! [`ApiPath::value`]: every byte outside the unreserved set is percent-encoded (so a `/`,
//! `?`, `#` or `%` in a name stays inside its segment), and a segment that is all dots is
//! encoded too (so `.` and `..` can never be normalised away by a proxy). Query strings are
//! literal keys with numbers or encoded values.

use std::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An API path such as `/repos/acme/api/branches/release%2F1.0/protection`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiPath {
    path: String,
    /// The path with every value and id segment written `{}`: which endpoint it is.
    template: String,
    query: String,
    /// A value segment was empty: such a path is never sent (an empty segment could be
    /// collapsed into its neighbours by a proxy).
    empty_value: bool,
}

impl ApiPath {
    /// Starts a path with a literal segment, e.g. `ApiPath::new("repos")`.
    pub fn new(literal: &'static str) -> Self {
        Self {
            path: String::new(),
            template: String::new(),
            query: String::new(),
            empty_value: false,
        }
        .lit(literal)
    }

    /// Appends a literal segment (text written in the code, never from input).
    #[must_use]
    pub fn lit(mut self, literal: &'static str) -> Self {
        self.path.push('/');
        self.path.push_str(literal);
        self.template.push('/');
        self.template.push_str(literal);
        self
    }

    /// Appends one value segment, encoded.
    #[must_use]
    pub fn value(mut self, value: &str) -> Self {
        self.empty_value |= value.is_empty();
        self.path.push('/');
        self.path.push_str(&encode_segment(value));
        self.template.push_str("/{}");
        self
    }

    /// Appends a numeric id segment.
    #[must_use]
    pub fn id(mut self, id: u64) -> Self {
        let _ = write!(self.path, "/{id}");
        self.template.push_str("/{}");
        self
    }

    /// Adds a query parameter with a literal key; the value is encoded.
    #[must_use]
    pub fn query(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.query
            .push(if self.query.is_empty() { '?' } else { '&' });
        self.query.push_str(key);
        self.query.push('=');
        self.query.push_str(&encode_segment(&value.to_string()));
        self
    }

    /// Returns true when every value segment has a value; the client refuses to send a path
    /// that does not.
    pub fn is_complete(&self) -> bool {
        !self.empty_value
    }

    /// Returns the path without the query string (for messages and endpoint names).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Returns this path called with `method`, as errors name it.
    pub fn call(&self, method: http::Method) -> super::Call {
        super::Call::new(method, self.path.clone())
    }

    /// Returns the path with every value written `{}`, e.g.
    /// `/repos/{}/{}/branches/{}/protection`: which endpoint this is, whatever the names.
    /// GitHub's secondary limits count points per method and endpoint.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// Returns the path with its query string (what is requested).
    pub fn with_query(&self) -> String {
        format!("{}{}", self.path, self.query)
    }
}

impl fmt::Display for ApiPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)
    }
}

/// Percent-encodes one path segment; a segment of dots only is fully encoded.
pub fn encode_segment(value: &str) -> String {
    if !value.is_empty() && value.bytes().all(|b| b == b'.') {
        return "%2E".repeat(value.len());
    }
    utf8_percent_encode(value, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn values_are_encoded_literals_are_not() {
        let path = ApiPath::new("repos")
            .value("acme")
            .value("api")
            .lit("branches")
            .value("release/1.0")
            .lit("protection");
        assert_eq!(
            path.path(),
            "/repos/acme/api/branches/release%2F1.0/protection"
        );
        assert_eq!(path.template(), "/repos/{}/{}/branches/{}/protection");
        assert_eq!(
            ApiPath::new("orgs")
                .value("acme")
                .lit("rulesets")
                .id(7)
                .query("x", 1)
                .template(),
            "/orgs/{}/rulesets/{}"
        );
        assert_eq!(encode_segment("dev - lint"), "dev%20-%20lint");
        assert_eq!(encode_segment("ünï"), "%C3%BCn%C3%AF");
        assert_eq!(encode_segment(".."), "%2E%2E");
        assert_eq!(encode_segment("."), "%2E");
        assert_eq!(encode_segment("v1.2"), "v1.2");
        assert_eq!(
            ApiPath::new("x")
                .query("per_page", 100)
                .query("q", "a&b=c")
                .with_query(),
            "/x?per_page=100&q=a%26b%3Dc"
        );
    }

    proptest! {
        #[test]
        fn no_value_changes_the_shape_of_a_path(value in "\\PC*", other in ".{0,8}") {
            let path = ApiPath::new("repos").value(&value).value(&other).lit("environments");
            prop_assert_eq!(path.is_complete(), !value.is_empty() && !other.is_empty());
            prop_assume!(path.is_complete());
            let text = path.with_query();
            // Exactly the segments written, the literals where they were written.
            let segments: Vec<&str> = text.split('/').skip(1).collect();
            prop_assert_eq!(segments.len(), 4);
            prop_assert_eq!(segments[0], "repos");
            prop_assert_eq!(segments[3], "environments");
            for segment in &segments[1..3] {
                prop_assert!(*segment != "." && *segment != "..");
                prop_assert!(!segment.contains(['?', '#', '/', ' ', '\\']));
                prop_assert!(segment.bytes().all(|b| b.is_ascii_graphic()));
            }
        }
    }
}
