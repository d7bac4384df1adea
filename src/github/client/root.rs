//! The API root: which server requests go to, and the one rule about it — a token never
//! travels in clear text, so plain `http://` is accepted for loopback addresses only.

use std::fmt;

use crate::Error;
use crate::output::untrusted::quote;

/// A checked API root such as `https://api.github.com` or `https://ghe.example.com/api/v3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRoot {
    /// `scheme://authority`, lower-case scheme.
    origin: String,
    /// The path prefix without a trailing slash (`/api/v3` on GHES, empty on github.com).
    prefix: String,
}

impl ApiRoot {
    /// Checks and parses an API root URL.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let trimmed = url.trim().trim_end_matches('/');
        let hint = "give --api-url like https://api.github.com or https://HOST/api/v3";
        let Some((scheme, rest)) = trimmed.split_once("://") else {
            return Err(
                Error::new(format!("the API URL {} is not a URL", quote(url))).with_hint(hint),
            );
        };
        let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        if authority.is_empty() || authority.contains('@') {
            return Err(Error::new(format!(
                "the API URL {} has no host (or carries credentials)",
                quote(url)
            ))
            .with_hint(hint));
        }
        if path.contains(['?', '#']) {
            return Err(Error::new(format!(
                "the API URL {} has a query or fragment",
                quote(url)
            ))
            .with_hint(hint));
        }
        let scheme = scheme.to_ascii_lowercase();
        match scheme.as_str() {
            "https" => {}
            "http" if is_loopback(authority) => {}
            "http" => {
                return Err(Error::new(format!(
                    "refusing plain http to {}: the token would travel in clear text",
                    quote(authority)
                ))
                .with_hint(
                    "use https, or plain http only to a loopback address (127.0.0.1, localhost, [::1])",
                ));
            }
            other => {
                return Err(Error::new(format!(
                    "the API URL {} has the unsupported scheme {}",
                    quote(url),
                    quote(other)
                ))
                .with_hint(hint));
            }
        }
        Ok(Self {
            origin: format!("{scheme}://{}", authority.to_ascii_lowercase()),
            prefix: path.to_owned(),
        })
    }

    /// Returns the absolute URL of an API path (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}{path}", self.origin, self.prefix)
    }

    /// Returns the URL of the GraphQL endpoint: `/graphql` beside github.com's REST root,
    /// `/api/graphql` beside a GHES `/api/v3`.
    pub fn graphql_url(&self) -> String {
        match self.prefix.strip_suffix("/v3") {
            Some(api) => format!("{}{api}/graphql", self.origin),
            None => format!("{}{}/graphql", self.origin, self.prefix),
        }
    }

    /// Returns the API path of an absolute URL of this API (a pagination link), or `None`
    /// when the URL points anywhere else.
    pub fn path_of<'a>(&self, url: &'a str) -> Option<&'a str> {
        let rest = strip_prefix_ignore_case(url, &self.origin)?;
        let rest = rest.strip_prefix(self.prefix.as_str())?;
        rest.starts_with('/').then_some(rest)
    }

    /// Returns `host[:port]`, for messages.
    pub fn host(&self) -> &str {
        self.origin
            .split_once("://")
            .map_or(self.origin.as_str(), |(_, host)| host)
    }

    /// Returns true for a plain-http root (a loopback address: an emulator or a test).
    pub fn is_plain_http(&self) -> bool {
        self.origin.starts_with("http://")
    }

    /// Returns true for github.com's API (as opposed to a GitHub Enterprise Server).
    pub fn is_github_com(&self) -> bool {
        self.origin == "https://api.github.com"
    }
}

impl fmt::Display for ApiRoot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.prefix)
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Returns true when the authority (`host[:port]`) is a loopback address.
fn is_loopback(authority: &str) -> bool {
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        assert!(is_loopback("127.0.0.1:8080"));
        assert!(is_loopback("localhost"));
        assert!(is_loopback("[::1]:99"));
        assert!(!is_loopback("10.0.0.1:80"));
        assert!(!is_loopback("example.com"));
    }

    /// Only a plain-http root lets the transport skip the system's root certificates.
    #[test]
    fn only_a_loopback_root_is_plain_http() {
        let plain = |url: &str| ApiRoot::parse(url).unwrap().is_plain_http();
        assert!(plain("http://127.0.0.1:9/api/v3"));
        assert!(plain("HTTP://localhost:8080"));
        assert!(!plain("https://api.github.com"));
        assert!(!plain("HTTPS://ghe.example.com/api/v3"));
    }

    #[test]
    fn graphql_sits_beside_the_rest_root() {
        let at = |url: &str| ApiRoot::parse(url).unwrap().graphql_url();
        assert_eq!(
            at("https://api.github.com"),
            "https://api.github.com/graphql"
        );
        assert_eq!(
            at("https://ghe.example.com/api/v3"),
            "https://ghe.example.com/api/graphql"
        );
        assert_eq!(
            at("http://127.0.0.1:9/prefix"),
            "http://127.0.0.1:9/prefix/graphql"
        );
    }

    #[test]
    fn roots_are_checked() {
        let ok = |url: &str| ApiRoot::parse(url).unwrap().to_string();
        assert_eq!(ok("https://api.github.com/"), "https://api.github.com");
        assert_eq!(
            ok("HTTPS://GHE.example.com/api/v3"),
            "https://ghe.example.com/api/v3"
        );
        assert_eq!(ok("http://127.0.0.1:9/api/v3"), "http://127.0.0.1:9/api/v3");
        let refused = |url: &str| ApiRoot::parse(url).unwrap_err().message().to_owned();
        assert!(refused("http://example.com").contains("clear text"));
        assert!(refused("ftp://x").contains("unsupported scheme"));
        assert!(refused("api.github.com").contains("is not a URL"));
        assert!(refused("https://user:pw@x").contains("credentials"));
    }

    #[test]
    fn pagination_links_map_back_to_paths_of_this_api_only() {
        let root = ApiRoot::parse("https://ghe.example.com/api/v3").unwrap();
        assert_eq!(
            root.path_of("https://ghe.example.com/api/v3/repos/a/b?page=2"),
            Some("/repos/a/b?page=2")
        );
        assert_eq!(
            root.path_of("https://evil.example.com/api/v3/repos/a/b"),
            None
        );
        assert_eq!(root.path_of("https://ghe.example.com/other/x"), None);
    }
}
