//! Where the service listens and the origin people reach it at. Beyond
//! this machine only over TLS (`cert` and `key`); behind a reverse proxy,
//! on loopback with the proxy's `https://` origin declared.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::project::Project;

/// The address used when `[server] listen` is not set.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// How the service is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    pub address: SocketAddr,
    /// The exact origin browsers send (`https://press.example.eu`).
    pub origin: String,
    /// Its host and port as the `Host` header names them.
    pub host: String,
    /// TLS here, from these PEM files.
    pub tls: Option<Tls>,
    /// Whether browsers reach it over https (here or at a proxy): cookies
    /// are `Secure` and HSTS is sent.
    pub https: bool,
    /// Behind a proxy on this machine: the client's address is the last
    /// one the proxy adds to `X-Forwarded-For`.
    pub proxied: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Listen {
    /// From `[server]`, or why not: listening beyond loopback without TLS,
    /// or without an origin to check requests against, is refused.
    pub fn plan(project: &Project) -> Result<Self, Diagnostic> {
        let config = &project.config.server;
        let file = &project.config_file;
        let address: SocketAddr = match &config.listen {
            Some(listen) => listen.get_ref().parse().map_err(|_| {
                Diagnostic::error("server", "`server.listen` is not an address")
                    .at(file, listen.span())
            })?,
            None => DEFAULT_LISTEN.parse().expect("a valid default"),
        };
        let tls = match (&config.cert, &config.key) {
            (Some(cert), Some(key)) => {
                Some(Tls { cert: project.root().join(cert), key: project.root().join(key) })
            }
            _ => None,
        };
        let origin = config.origin.as_ref().map(|o| o.get_ref().trim_end_matches('/').to_owned());
        let loopback = address.ip().is_loopback();
        let https_origin = origin.as_deref().is_some_and(|o| o.starts_with("https://"));
        let at = |d: Diagnostic| match &config.listen {
            Some(listen) => d.at(file, listen.span()),
            None => d.in_file(file.path.clone()),
        };
        if !loopback && tls.is_none() {
            return Err(at(Diagnostic::error(
                "server",
                format!(
                    "pressroom will not listen on {address}, beyond this machine, without TLS: passwords and drafts would cross the network in the clear"
                ),
            )
            .hint(
                "give it a certificate: cert = \"/etc/pressroom/tls/cert.pem\" and key = \"/etc/pressroom/tls/key.pem\";\nor put a reverse proxy in front: listen = \"127.0.0.1:8080\" and origin = \"https://press.example.eu\"",
            )));
        }
        if tls.is_some() && origin.as_deref().is_some_and(|o| !o.starts_with("https://")) {
            return Err(at(Diagnostic::error(
                "server",
                "`server.origin` must be an https:// address when pressroom serves TLS itself",
            )));
        }
        let origin = match origin {
            Some(origin) => origin,
            None if !loopback => {
                return Err(at(Diagnostic::error(
                    "server",
                    format!("listening on {address} needs `server.origin`: the address people open, which every change is checked against"),
                )
                .hint("for example: origin = \"https://press.example.eu\"")));
            }
            None => {
                let scheme = if tls.is_some() { "https" } else { "http" };
                format!("{scheme}://{address}")
            }
        };
        let host = origin.split_once("://").map_or(origin.as_str(), |(_, h)| h).to_owned();
        let https = tls.is_some() || https_origin;
        let proxied = loopback && tls.is_none() && https_origin;
        Ok(Self { address, origin, host, tls, https, proxied })
    }
}
