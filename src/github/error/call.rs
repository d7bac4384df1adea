//! Which call failed, as data: a method and a path.

use std::fmt;

/// An API call as errors name it: its method and its path (without the query string), kept
/// as data, so that what an error means (a write or a read) is never read back from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The method.
    pub method: http::Method,
    /// The path, e.g. `/repos/acme/api/branches/main/protection`, or a description where no
    /// single request is meant (`…/branches/{branch}/protection`).
    pub path: String,
}

impl Call {
    /// Returns the call `method path`.
    pub fn new(method: http::Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
        }
    }

    /// Returns the call `GET path`.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(http::Method::GET, path)
    }

    /// Returns true for a write (anything but a GET).
    pub fn is_write(&self) -> bool {
        self.method != http::Method::GET
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

impl From<&Call> for Call {
    fn from(call: &Call) -> Self {
        call.clone()
    }
}
