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
