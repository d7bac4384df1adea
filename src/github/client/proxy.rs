//! Proxies from the environment: `HTTPS_PROXY` (or `ALL_PROXY`) and `NO_PROXY`, read as curl
//! reads them (hyper-util's `Matcher`, lower-case names too). A request to GitHub through a
//! proxy goes through an HTTP `CONNECT` tunnel, so the proxy sees the host and port, never
//! the request or its token; the proxy's own credentials (`http://user:pass@proxy:3128`)
//! go in `Proxy-Authorization`. Loopback addresses are never proxied: plain http goes only
//! there, and a proxy's loopback is another machine's.

use std::error::Error as StdError;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::{HeaderValue, Uri};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

type BoxError = Box<dyn StdError + Send + Sync>;

/// Connects to a host directly, or through the proxy the environment names for it.
#[derive(Clone)]
pub struct Connector {
    direct: HttpConnector,
    proxies: Arc<Matcher>,
}

impl Connector {
    /// Returns a connector that uses the proxies of the environment.
    pub fn from_env() -> Self {
        Self::new(Matcher::from_env())
    }

    /// Returns a connector that uses these proxies.
    pub fn new(proxies: Matcher) -> Self {
        let mut direct = HttpConnector::new();
        // TLS is the layer above's; this one makes the TCP connection for https too.
        direct.enforce_http(false);
        Self {
            direct,
            proxies: Arc::new(proxies),
        }
    }

    /// Returns the proxy to tunnel through to `dst`, with its credentials, if any.
    fn proxy_for(&self, dst: &Uri) -> Option<(Uri, Option<HeaderValue>)> {
        if dst.scheme_str() != Some("https") || is_loopback(dst) {
            return None;
        }
        let intercept = self.proxies.intercept(dst)?;
        Some((intercept.uri().clone(), intercept.basic_auth().cloned()))
    }
}

/// Returns true for `localhost` and loopback addresses.
fn is_loopback(uri: &Uri) -> bool {
    let host = uri.host().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A tunnel through a proxy that failed, and why: the transport tells a proxy's refusal
/// (no cause of its own, or a proxy gh-policy cannot use) from a socket error on the way.
#[derive(Debug)]
pub struct ProxyError {
    proxy: String,
    cause: Option<BoxError>,
}

impl ProxyError {
    /// Returns the proxy, without its credentials.
    pub fn proxy(&self) -> &str {
        &self.proxy
    }
}

impl std::fmt::Display for ProxyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let proxy = crate::output::untrusted::quote(&self.proxy);
        match &self.cause {
            Some(_) => write!(f, "through the proxy {proxy}"),
            None => write!(
                f,
                "the proxy {proxy} is not an http:// proxy; gh-policy tunnels through http:// proxies only"
            ),
        }
    }
}

impl StdError for ProxyError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.cause
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// Returns the proxy's address without its credentials, for messages.
fn shown(proxy: &Uri) -> String {
    let authority = proxy.authority().map_or("", |a| a.as_str());
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{}://{host}", proxy.scheme_str().unwrap_or("http"))
}

impl Service<Uri> for Connector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.direct.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let via = self.proxy_for(&dst);
        let mut direct = self.direct.clone();
        Box::pin(async move {
            let Some((proxy, auth)) = via else {
                return direct.call(dst).await.map_err(Into::into);
            };
            let failed = |cause: Option<BoxError>| -> BoxError {
                Box::new(ProxyError {
                    proxy: shown(&proxy),
                    cause,
                })
            };
            if proxy.scheme_str() != Some("http") {
                return Err(failed(None));
            }
            let mut tunnel = Tunnel::new(proxy.clone(), direct);
            if let Some(auth) = auth {
                tunnel = tunnel.with_auth(auth);
            }
            std::future::poll_fn(|cx| tunnel.poll_ready(cx))
                .await
                .map_err(|e| failed(Some(e.into())))?;
            tunnel.call(dst).await.map_err(|e| failed(Some(e.into())))
        })
    }
}
