//! Who the local launch lets in (`pressroom serve` on 127.0.0.1, no
//! accounts): requests naming this machine, from its own pages, editing
//! with the launch's token. The checks on a request's headers that the team
//! service's guard shares are here too; the answers are in [`super::http`].

use std::sync::Arc;

use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, StatusCode};

use super::http::{self, Context, Reply, json_error, not_found, plain};
use super::route::{Route, post_route, route};
use crate::secret::same_secret;

/// The header every editor request carries its token in: the launch's,
/// or a signed-in session's CSRF token.
pub const TOKEN_HEADER: &str = "x-pressroom-token";

/// This launch: its port and its secret (in the URL `serve` prints, and
/// in every editor request).
#[derive(Debug, Clone)]
pub struct Local {
    pub port: u16,
    pub token: String,
}

impl Local {
    fn origins(&self) -> [String; 2] {
        [format!("http://127.0.0.1:{}", self.port), format!("http://localhost:{}", self.port)]
    }

    /// Only requests naming this server as it is reached on this machine:
    /// a page on another site that rebinds its own name to 127.0.0.1 gets
    /// nothing, and neither does a request naming no host at all.
    fn host_allowed(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(header::HOST) else { return false };
        let Ok(host) = host.to_str() else { return false };
        let port = self.port.to_string();
        ["127.0.0.1", "localhost"].iter().any(|name| {
            host == *name
                || host.strip_prefix(name).and_then(|r| r.strip_prefix(':')) == Some(&port)
        })
    }

    /// Whether another site's page made the browser send the request.
    fn sent_by_another_site(&self, headers: &HeaderMap) -> bool {
        let origins = self.origins();
        from_another_site(headers, &[&origins[0], &origins[1]])
    }

    /// Whether the address holds this launch's token (`?token=…`).
    fn carried_in(&self, url: &str) -> bool {
        let query = url.split_once('?').map_or("", |(_, q)| q);
        query
            .split('&')
            .filter_map(|pair| pair.strip_prefix("token="))
            .any(|token| same_secret(token.as_bytes(), self.token.as_bytes()))
    }

    /// Why an editor request is refused before it is read, if it is: it
    /// must carry the launch's token, come from this server's own page (the
    /// exact `Origin`) and be JSON, which no other site's form or script
    /// can send here without the browser asking first (and no CORS answer
    /// ever agrees).
    fn refusal(&self, headers: &HeaderMap) -> Option<Reply> {
        let token = headers.get(TOKEN_HEADER).map(HeaderValue::as_bytes);
        if !token.is_some_and(|t| same_secret(t, self.token.as_bytes())) {
            return Some(json_error(
                StatusCode::FORBIDDEN,
                "editing needs this launch's token: open the URL pressroom serve printed",
            ));
        }
        let origins = self.origins();
        let origin = headers.get(header::ORIGIN).map(HeaderValue::as_bytes);
        if !origin.is_some_and(|o| origins.iter().any(|ours| ours.as_bytes() == o))
            || self.sent_by_another_site(headers)
        {
            return Some(json_error(
                StatusCode::FORBIDDEN,
                format!("editing is answered only for pages of {}", origins[0]),
            ));
        }
        if !is_json(headers) {
            return Some(json_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send application/json"));
        }
        None
    }
}

/// Whether another site's page made the browser send a request. Browsers
/// say so in `Sec-Fetch-Site` (ports do not make a site: another server
/// on 127.0.0.1 is `same-site`) and in `Origin`. The Host header is right
/// in such a request, so it alone cannot tell.
pub fn from_another_site(headers: &HeaderMap, ours: &[&str]) -> bool {
    let fetch_site = headers.get("sec-fetch-site").map(|v| v.as_bytes());
    if fetch_site.is_some_and(|site| site != b"same-origin" && site != b"none") {
        return true;
    }
    headers
        .get(header::ORIGIN)
        .is_some_and(|origin| !ours.iter().any(|o| o.as_bytes() == origin.as_bytes()))
}

/// Whether the browser opens the page itself (a link followed, an address
/// typed), not fetches it for another page (`<img>`, `<iframe>`, a script):
/// what another site may ask. A client that says neither is taken at its
/// word (curl, older browsers).
pub fn is_navigation(headers: &HeaderMap) -> bool {
    let mode = headers.get("sec-fetch-mode").map(HeaderValue::as_bytes);
    let dest = headers.get("sec-fetch-dest").map(HeaderValue::as_bytes);
    mode.is_none_or(|m| m == b"navigate") && dest.is_none_or(|d| d == b"document")
}

/// Whether the body is declared JSON: no form or plain `fetch` of another
/// site sends that without the browser asking first.
pub fn is_json(headers: &HeaderMap) -> bool {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    content_type.is_some_and(|t| {
        t.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    })
}

/// Answers a request to the local launch: an editor action once its checks
/// pass; anything else from memory, for this machine's own pages.
pub async fn respond(
    request: Request<Incoming>,
    context: Arc<Context>,
    local: Arc<Local>,
) -> Reply {
    let url = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let headers = request.headers();
    if !local.host_allowed(headers) {
        return plain(StatusCode::FORBIDDEN, "pressroom serves only http://127.0.0.1\n");
    }
    if let Some(post) = post_route(&url)
        && request.method() == Method::POST
    {
        if let Some(refused) = local.refusal(headers) {
            return refused;
        }
        return match http::read_body(request.into_body()).await {
            Ok(body) => http::post(post, body, context).await,
            Err(refused) => refused,
        };
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut reply = plain(StatusCode::METHOD_NOT_ALLOWED, "pressroom's preview only reads\n");
        reply.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return reply;
    }
    match route(&url) {
        // A link from elsewhere may open a page; nothing else answers
        // another site: it could force renders or read the drafts.
        Some(route)
            if local.sent_by_another_site(headers)
                && !(matches!(route, Route::Index | Route::Release(_))
                    && is_navigation(headers)) =>
        {
            plain(StatusCode::FORBIDDEN, "pressroom's preview answers only its own pages\n")
        }
        Some(route @ (Route::Index | Route::Release(_))) => {
            let mut page = http::get(route, context).await;
            if local.carried_in(&url) {
                // The page may keep the token it was opened with: this
                // server says it is this launch's. A link from anywhere
                // else with another token changes nothing.
                page.headers_mut().insert("x-pressroom-token-valid", HeaderValue::from_static("1"));
                page = http::mark_page(page, "data-token=\"valid\"".to_owned());
            }
            page
        }
        Some(route) => http::get(route, context).await,
        None => not_found("No such page."),
    }
}
