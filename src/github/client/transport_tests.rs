//! The transport against real sockets: how failures are classified.

mod classify {
    use super::super::*;

    #[test]
    fn io_errors_are_classified_by_kind() {
        let classify = |kind: io::ErrorKind| {
            TransportError::classify("h", Box::new(io::Error::from(kind))).kind
        };
        assert_eq!(
            classify(io::ErrorKind::ConnectionRefused),
            TransportErrorKind::Connect
        );
        assert_eq!(
            classify(io::ErrorKind::ConnectionReset),
            TransportErrorKind::Closed
        );
        assert_eq!(
            classify(io::ErrorKind::TimedOut),
            TransportErrorKind::Timeout
        );
    }

    #[test]
    fn a_tls_error_anywhere_in_the_chain_is_tls() {
        let err = io::Error::other(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ));
        assert_eq!(
            TransportError::classify("h", Box::new(err)).kind,
            TransportErrorKind::Tls
        );
    }

    #[tokio::test]
    async fn a_name_that_does_not_resolve_is_a_resolve_error_naming_the_host() {
        let transport = HttpTransport::new();
        let err = transport
            .send(HttpRequest {
                method: Method::GET,
                url: "http://gh-policy-test.invalid/x".to_owned(),
                headers: HeaderMap::new(),
                body: None,
            })
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::Resolve, "{err}");
        assert!(err.to_string().contains("gh-policy-test.invalid"), "{err}");
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_connect_error() {
        // Bind and drop a listener to find a port nothing listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = HttpTransport::new()
            .send(HttpRequest {
                method: Method::GET,
                url: format!("http://127.0.0.1:{port}/x"),
                headers: HeaderMap::new(),
                body: None,
            })
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::Connect, "{err}");
    }
}

mod tls {
    use super::super::*;

    #[tokio::test]
    async fn https_to_a_plain_http_server_is_a_tls_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            use std::io::{Read, Write};
            if let Ok((mut stream, _)) = listener.accept() {
                let mut buf = [0u8; 512];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
            }
        });
        let err = HttpTransport::new()
            .send(HttpRequest {
                method: Method::GET,
                url: format!("https://127.0.0.1:{port}/x"),
                headers: HeaderMap::new(),
                body: None,
            })
            .await
            .unwrap_err();
        let mut chain = Vec::new();
        let mut current: Option<&(dyn StdError + 'static)> = Some(&*err.source);
        while let Some(e) = current {
            chain.push(format!("{e:?}"));
            current = e.source();
        }
        assert_eq!(err.kind, TransportErrorKind::Tls, "{err}: {chain:#?}");
    }
}

mod proxy {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use hyper_util::client::proxy::matcher::Matcher;

    use super::super::*;

    /// What a local proxy received: each connection's request head, and the bytes the
    /// client sent into the tunnel after it.
    #[derive(Default)]
    struct Seen {
        heads: Vec<String>,
        tunnelled: Vec<Vec<u8>>,
    }

    /// Starts a proxy that answers every CONNECT with `answer`, then reads what comes
    /// through the tunnel and hangs up; returns its port.
    fn local_proxy(answer: &'static str) -> (u16, Arc<Mutex<Seen>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let record = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                record
                    .lock()
                    .unwrap()
                    .heads
                    .push(String::from_utf8_lossy(&head).into_owned());
                let _ = stream.write_all(answer.as_bytes());
                let mut tunnelled = [0u8; 4096];
                let n = stream.read(&mut tunnelled).unwrap_or(0);
                record
                    .lock()
                    .unwrap()
                    .tunnelled
                    .push(tunnelled[..n].to_vec());
            }
        });
        (port, seen)
    }

    fn request(url: &str) -> HttpRequest {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_static("Bearer ghp_never_in_clear_0123456789"),
        );
        HttpRequest {
            method: Method::GET,
            url: url.to_owned(),
            headers,
            body: None,
        }
    }

    fn through(proxy: &str, no_proxy: &str) -> HttpTransport {
        let matcher = Matcher::builder().https(proxy).no(no_proxy).build();
        HttpTransport::with_connector(super::super::super::proxy::Connector::new(matcher))
    }

    #[tokio::test]
    async fn https_goes_through_a_connect_tunnel_with_the_proxys_credentials() {
        let (port, seen) = local_proxy("HTTP/1.1 200 Connection established\r\n\r\n");
        let transport = through(&format!("http://user:secret@127.0.0.1:{port}"), "");
        // The local proxy hangs up after the TLS hello: no answer, but the tunnel was made.
        transport
            .send(request("https://api.github.test/repos/acme/api"))
            .await
            .unwrap_err();
        let seen = seen.lock().unwrap();
        assert_eq!(seen.heads.len(), 1);
        let head = seen.heads[0].to_lowercase();
        assert!(
            head.starts_with("connect api.github.test:443 http/1.1\r\n"),
            "{head}"
        );
        // "user:secret" in base64.
        assert!(
            head.contains("proxy-authorization: basic dxnlcjpzzwnyzxq="),
            "{head}"
        );
        assert!(
            !head.contains("ghp_"),
            "the token reached the proxy: {head}"
        );
        // Through the tunnel: a TLS ClientHello naming GitHub's host, nothing in clear.
        let tunnelled = &seen.tunnelled[0];
        assert_eq!(tunnelled.first(), Some(&0x16), "{tunnelled:?}");
        let text = String::from_utf8_lossy(tunnelled);
        assert!(text.contains("api.github.test"));
        assert!(!text.contains("ghp_"));
    }

    #[tokio::test]
    async fn no_proxy_and_loopback_go_direct() {
        let (port, seen) = local_proxy("HTTP/1.1 200 Connection established\r\n\r\n");
        let transport = through(&format!("http://127.0.0.1:{port}"), "api.github.test");
        let err = transport
            .send(request("https://api.github.test/x"))
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::Resolve, "{err}");
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = transport
            .send(request(&format!("https://127.0.0.1:{closed}/x")))
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::Connect, "{err}");
        assert!(seen.lock().unwrap().heads.is_empty());
    }

    #[tokio::test]
    async fn a_proxy_that_refuses_the_tunnel_is_a_proxy_error() {
        let (port, _) = local_proxy("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
        let err = through(&format!("http://127.0.0.1:{port}"), "")
            .send(request("https://api.github.test/x"))
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::Proxy, "{err}");
        let err = through("socks5://127.0.0.1:1080", "")
            .send(request("https://api.github.test/x"))
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::Proxy, "{err}");
        assert!(err.to_string().contains("not an http:// proxy"), "{err}");
    }

    #[tokio::test]
    async fn a_proxy_that_cannot_be_reached_is_named_without_its_credentials() {
        // A port nothing listens on: the proxy refuses the connection.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = through(&format!("http://user:secret@127.0.0.1:{port}"), "")
            .send(request("https://api.github.test/x"))
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::Connect, "{err}");
        let text = err.to_string();
        assert!(
            text.contains(&format!(
                "cannot connect (api.github.test through the proxy `http://127.0.0.1:{port}`)"
            )),
            "{text}"
        );
        assert!(!text.contains("secret"), "{text}");
    }
}
