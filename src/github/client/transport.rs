//! One HTTP exchange: a request out, a whole response (or a typed failure) back.
//!
//! [`Transport`] is the seam below the client: the real one ([`HttpTransport`], hyper with
//! rustls) and the scripted one of the client's tests implement it. Everything above — the
//! token, retries, rate limits, timeouts, pagination, the cache — is the client's and is the
//! same for both. A failure is classified here by the type of the error (hyper's
//! `is_timeout`/`is_connect`, `io::ErrorKind`, a `rustls::Error` in the chain), never by
//! the words of its message.

use std::error::Error as StdError;
use std::fmt;
use std::io;

use async_trait::async_trait;
use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;

use super::ApiRoot;
use super::proxy::{Connector, ProxyError};
use hyper_util::rt::TokioExecutor;

/// The largest answer read: GitHub's largest (a page of 100 repositories) is well under a
/// megabyte; anything near this is not GitHub's.
pub const MAX_BODY_BYTES: usize = 32 << 20;

/// A request as the client sends it: the URL is absolute (the client joins the API root and
/// the path), the headers include the token.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// The headers, `Authorization` included.
    pub headers: HeaderMap,
    /// The JSON body of a write.
    pub body: Option<Vec<u8>>,
}

/// A whole response.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// Returns a header's value as text, if present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Sends one request and reads its whole answer. Implementations do not retry.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends the request; an error means no complete answer came back.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Why an exchange gave no complete answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The host name did not resolve.
    Resolve,
    /// No connection could be made (refused, unreachable).
    Connect,
    /// The connection was reset or closed before the whole answer arrived.
    Closed,
    /// The transport's own timeout fired.
    Timeout,
    /// The TLS handshake failed.
    Tls,
    /// The request could not be built (an invalid URL or header).
    Request,
    /// The answer is larger than [`MAX_BODY_BYTES`]: not GitHub's, and not read whole.
    TooLarge,
    /// The proxy did not open a tunnel (it refused, asked for credentials, or is not an
    /// http:// proxy).
    Proxy,
}

/// A failed exchange, with the host it was for and the underlying error.
#[derive(Debug)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// The host (and port) that was tried.
    pub host: String,
    /// The underlying error.
    pub source: Box<dyn StdError + Send + Sync>,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Resolve => "cannot resolve the host name",
            TransportErrorKind::Connect => "cannot connect",
            TransportErrorKind::Closed => "the connection closed before a complete answer",
            TransportErrorKind::Timeout => "no answer in time",
            TransportErrorKind::Tls => "the TLS handshake failed",
            TransportErrorKind::Request => "the request could not be built",
            TransportErrorKind::Proxy => "the proxy did not open a tunnel",
            TransportErrorKind::TooLarge => {
                return write!(
                    f,
                    "the answer from {} is larger than {} MiB, more than GitHub ever sends; it was not read",
                    self.host,
                    MAX_BODY_BYTES >> 20
                );
            }
        };
        // A socket error on the way to the proxy is the proxy's, not GitHub's: say so.
        let via = proxy_in(&*self.source).map_or_else(String::new, |proxy| {
            format!(
                " through the proxy {}",
                crate::output::untrusted::quote(proxy)
            )
        });
        write!(
            f,
            "{what} ({}{via}): {}",
            self.host,
            root_cause(&*self.source)
        )
    }
}

/// Returns the proxy a failed tunnel went through, if the chain holds one.
fn proxy_in<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a str> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(proxy) = e.downcast_ref::<ProxyError>() {
            return Some(proxy.proxy());
        }
        current = e.source();
    }
    None
}

impl StdError for TransportError {}

/// Returns the innermost error's message: where the real cause is said.
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

impl TransportError {
    /// Classifies an error of the HTTP stack by the types in its chain.
    pub fn classify(host: &str, err: Box<dyn StdError + Send + Sync>) -> Self {
        let kind = kind_of(&*err);
        Self {
            kind,
            host: host.to_owned(),
            source: err,
        }
    }
}

fn kind_of(err: &(dyn StdError + 'static)) -> TransportErrorKind {
    let mut connect = false;
    let mut via_proxy = false;
    let mut io_kind = None;
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if e.downcast_ref::<rustls::Error>().is_some() {
            return TransportErrorKind::Tls;
        }
        // A tunnel that failed on a socket error is classified by that error below.
        via_proxy |= e.downcast_ref::<ProxyError>().is_some();
        if let Some(client) = e.downcast_ref::<hyper_util::client::legacy::Error>() {
            connect |= client.is_connect();
        }
        if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
            if hyper.is_timeout() {
                return TransportErrorKind::Timeout;
            }
            if hyper.is_incomplete_message() || hyper.is_canceled() || hyper.is_closed() {
                return TransportErrorKind::Closed;
            }
        }
        if let Some(io) = e.downcast_ref::<io::Error>() {
            io_kind = Some(io.kind());
            // An `io::Error` wrapping another error reports that error's source, not the
            // error itself: look inside, through every `io::Error` layer.
            let mut inner = io.get_ref();
            while let Some(wrapped) = inner {
                if wrapped.downcast_ref::<rustls::Error>().is_some() {
                    return TransportErrorKind::Tls;
                }
                if let Some(hyper) = wrapped.downcast_ref::<hyper::Error>()
                    && hyper.is_timeout()
                {
                    return TransportErrorKind::Timeout;
                }
                let wrapped_io = wrapped.downcast_ref::<io::Error>();
                // The innermost socket error says what happened (a TLS handshake cut off
                // is an `UnexpectedEof` inside an `Other`).
                if let Some(inner_io) = wrapped_io {
                    io_kind = Some(inner_io.kind());
                }
                inner = wrapped_io.and_then(io::Error::get_ref);
            }
        }
        if e.downcast_ref::<http::Error>().is_some() {
            return TransportErrorKind::Request;
        }
        current = e.source();
    }
    match io_kind {
        Some(io::ErrorKind::TimedOut) => TransportErrorKind::Timeout,
        Some(
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkDown,
        ) => TransportErrorKind::Connect,
        Some(
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof,
        ) => TransportErrorKind::Closed,
        // The proxy answered, but not with a tunnel (it refused, wanted credentials, or
        // is not an http:// proxy).
        None if via_proxy => TransportErrorKind::Proxy,
        // A connect failure that is none of the socket errors above is the resolver's: the
        // connector reports a name that does not resolve as a connect error around an
        // uncategorised `io::Error`.
        _ if connect => TransportErrorKind::Resolve,
        _ => TransportErrorKind::Closed,
    }
}

/// The real transport: hyper's pooled HTTP/1.1 client, TLS by rustls with the system's
/// root certificates, through the environment's proxy (`proxy`) where it names one.
pub struct HttpTransport {
    client: Client<hyper_rustls::HttpsConnector<Connector>, Full<Bytes>>,
}

impl HttpTransport {
    /// Builds the client, with the proxies of the environment. Without system root
    /// certificates only plain http works (which the client allows for loopback addresses
    /// alone).
    pub fn new() -> Self {
        Self::with_connector(Connector::from_env())
    }

    /// Builds the client for requests to `root` alone. A plain-http root (loopback only)
    /// never opens a TLS connection, so the system's root certificates, whose loading is
    /// most of a short run's start, are not read.
    pub fn for_root(root: &ApiRoot) -> Self {
        Self::build(Connector::from_env(), !root.is_plain_http())
    }

    /// Builds the client over a connector (the proxies a test chooses).
    pub fn with_connector(connector: Connector) -> Self {
        Self::build(connector, true)
    }

    fn build(connector: Connector, system_roots: bool) -> Self {
        let provider = || rustls::crypto::ring::default_provider();
        let no_roots = || {
            // Every certificate is refused with a TLS error that names the cause; plain
            // http (to loopback only) still works.
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(
                rustls::ClientConfig::builder()
                    .with_root_certificates(rustls::RootCertStore::empty())
                    .with_no_client_auth(),
            )
        };
        let tls = if system_roots {
            hyper_rustls::HttpsConnectorBuilder::new()
                .with_provider_and_native_roots(provider())
                .unwrap_or_else(|_| no_roots())
        } else {
            no_roots()
        };
        let connector = tls.https_or_http().enable_http1().wrap_connector(connector);
        Self {
            client: Client::builder(TokioExecutor::new()).build(connector),
        }
    }
}

impl Default for HttpTransport {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl Transport for HttpTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let host = host_of(&request.url);
        let fail = |err: Box<dyn StdError + Send + Sync>| TransportError::classify(&host, err);
        let mut builder = http::Request::builder()
            .method(request.method)
            .uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let body = Full::new(Bytes::from(request.body.unwrap_or_default()));
        let http_request = builder.body(body).map_err(|e| fail(Box::new(e)))?;
        let response = self
            .client
            .request(http_request)
            .await
            .map_err(|e| fail(Box::new(e)))?;
        let (parts, body) = response.into_parts();
        let too_large = || TransportError {
            kind: TransportErrorKind::TooLarge,
            host: host.clone(),
            source: Box::new(io::Error::other("answer too large")),
        };
        let declared = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
            return Err(too_large());
        }
        let bytes = http_body_util::Limited::new(body, MAX_BODY_BYTES)
            .collect()
            .await
            .map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    too_large()
                } else {
                    fail(e)
                }
            })?
            .to_bytes();
        Ok(HttpResponse {
            status: parts.status,
            headers: parts.headers,
            body: bytes.to_vec(),
        })
    }
}

/// Returns `host[:port]` of an absolute URL, for messages.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_owned()
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
