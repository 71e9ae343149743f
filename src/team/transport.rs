//! The team service on the wire: TCP, or TLS by rustls from PEM files;
//! HTTP/1.1 by hyper; each request told its client's address. Nothing here
//! decides who is let in (that is `guard`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use super::listen::Tls;
use crate::diag::Diagnostic;

/// How long a client may take to send a request's head, or to finish the
/// TLS handshake.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// rustls from the PEM files `[server] cert` and `key` name.
pub fn acceptor(tls: &Tls) -> Result<TlsAcceptor, Diagnostic> {
    let cannot = |what: &std::path::Path, why: String| {
        Diagnostic::error("server", format!("cannot use {} for TLS: {why}", what.display()))
            .hint("cert is the certificate chain in PEM (leaf first), key its private key in PEM")
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&tls.cert)
        .map_err(|err| cannot(&tls.cert, err.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|err| cannot(&tls.cert, err.to_string()))?;
    if certs.is_empty() {
        return Err(cannot(&tls.cert, "it holds no certificate".into()));
    }
    let key =
        PrivateKeyDer::from_pem_file(&tls.key).map_err(|err| cannot(&tls.key, err.to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| cannot(&tls.cert, err.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|err| cannot(&tls.key, err.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Serves `app` on `listener` until the runtime stops; each connection on
/// its own task.
pub async fn serve(listener: tokio::net::TcpListener, tls: Option<TlsAcceptor>, app: Router) {
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            // Out of file descriptors, say: breathe, then go on.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let (app, tls) = (app.clone(), tls.clone());
        tokio::spawn(async move {
            let app = app.map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                request
            });
            let service = TowerToHyperService::new(app);
            let builder = {
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
                builder
            };
            // A connection that breaks concerns only that connection.
            match tls {
                Some(tls) => {
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(HEADER_TIMEOUT, tls.accept(stream)).await
                    {
                        let _ = builder.serve_connection(TokioIo::new(stream), service).await;
                    }
                }
                None => {
                    let _ = builder.serve_connection(TokioIo::new(stream), service).await;
                }
            }
        });
    }
}
