//! Answers one HTTP request from the preview's state.

use std::sync::{Arc, RwLock};

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::events::{self, Hub};
use super::html;
use super::preview::Preview;
use super::route::{ASSETS, Route, route};

/// Pages and data must never be served from a stale cache; pages by hash
/// never change.
const NO_CACHE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The preview loads nothing from anywhere else, and runs only its own
/// script.
const CSP: &str = "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; \
                   connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub struct Context {
    pub preview: Arc<RwLock<Preview>>,
    pub hub: Arc<Hub>,
    /// The port, for checking the Host header.
    pub port: u16,
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

/// Adds a header. Names and values here are ASCII constants or checked ids,
/// which tiny_http always accepts.
fn with(reply: Reply, name: &str, value: &str) -> Reply {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => reply.with_header(header),
        Err(()) => reply,
    }
}

fn reply(status: u16, content_type: &str, cache: &str, body: impl Into<Vec<u8>>) -> Reply {
    let reply = Response::from_data(body.into()).with_status_code(StatusCode(status));
    let reply = with(reply, "Content-Type", content_type);
    let reply = with(reply, "Cache-Control", cache);
    let reply = with(reply, "Content-Security-Policy", CSP);
    let reply = with(reply, "X-Content-Type-Options", "nosniff");
    with(reply, "Referrer-Policy", "no-referrer")
}

fn html(status: u16, body: String) -> Reply {
    reply(status, "text/html; charset=utf-8", NO_CACHE, body)
}

fn not_found(what: &str) -> Reply {
    html(404, html::not_found(what))
}

fn plain(status: u16, text: &str) -> Reply {
    reply(status, "text/plain; charset=utf-8", NO_CACHE, text)
}

/// Only the names this server is reached by on this machine: a page on
/// another site that rebinds its own name to 127.0.0.1 gets nothing.
fn host_allowed(request: &Request, port: u16) -> bool {
    let Some(host) = request.headers().iter().find(|h| h.field.equiv("Host")) else {
        // HTTP/1.0 without a Host header: only a local program sends that.
        return true;
    };
    let host = host.value.as_str();
    ["127.0.0.1", "localhost"].iter().any(|name| {
        host == *name
            || host.strip_prefix(name).and_then(|r| r.strip_prefix(':')) == Some(&port.to_string())
    })
}

/// Answers `request`. Event streams keep their connection; everything else
/// is answered from memory at once.
pub fn handle(request: Request, context: &Context) {
    if !host_allowed(&request, context.port) {
        let _ = request.respond(plain(403, "pressroom serves only http://127.0.0.1\n"));
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let reply = with(plain(405, "pressroom's preview only reads\n"), "Allow", "GET, HEAD");
        let _ = request.respond(reply);
        return;
    }
    let Some(route) = route(request.url()) else {
        let _ = request.respond(not_found("No such page."));
        return;
    };
    if route == Route::Events {
        match context.hub.subscribe() {
            Some(events) => {
                let writer = request.into_writer();
                std::thread::spawn(move || events::stream(writer, events));
            }
            None => {
                let _ = request.respond(plain(503, "too many preview tabs are open\n"));
            }
        }
        return;
    }
    let reply = answer(route, context);
    let _ = request.respond(reply);
}

fn answer(route: Route, context: &Context) -> Reply {
    let preview = context.preview.read().unwrap_or_else(|e| e.into_inner());
    match route {
        Route::Index => html(200, html::index(&preview)),
        Route::Release(id) if preview.has_release(&id) => html(200, html::release(&preview, &id)),
        Route::ReleaseState(id) if preview.has_release(&id) => {
            reply(200, "application/json", NO_CACHE, preview.release_json(&id).to_string())
        }
        Route::Release(id) | Route::ReleaseState(id) => {
            not_found(&format!("There is no release {id} in this preview."))
        }
        Route::Pdf { release, lang } => {
            match preview.output(&release, &lang).and_then(|o| o.pdf.clone()) {
                Some(pdf) => with(
                    reply(200, "application/pdf", NO_CACHE, pdf.as_slice()),
                    "Content-Disposition",
                    &format!("inline; filename=\"{release}.{lang}.pdf\""),
                ),
                None => not_found(&format!("{release} has no {lang} PDF yet.")),
            }
        }
        Route::Page(hash) => match preview.page(&hash) {
            Some(page) => reply(200, "image/svg+xml", IMMUTABLE, page.svg.as_bytes()),
            None => not_found("No page has that hash (any more)."),
        },
        Route::Asset(name) => match ASSETS.iter().find(|(n, _, _)| *n == name) {
            Some((_, content_type, body)) => reply(200, content_type, NO_CACHE, *body),
            None => not_found("No such asset."),
        },
        Route::Events => plain(500, "events are streamed elsewhere\n"),
    }
}
