//! Answers one HTTP request from the preview's state.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited, combinators::BoxBody};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use super::editor::{Draft, Edit, EditError, Editor, MessageRef};
use super::events::Hub;
use super::html;
use super::preview::Preview;
use super::route::{ASSETS, Post, Route, post_route, route};
use crate::l10n::Fallback;
use crate::project::Project;
use crate::publish::{WebFile, WebPath, web_file};
use crate::render::PageImage;

/// The most an editor request may carry: a message's text is far less.
const MAX_BODY: usize = 1 << 20;
/// The header every editor request carries the launch's token in.
pub const TOKEN_HEADER: &str = "x-pressroom-token";

/// Pages and data must never be served from a stale cache; pages by hash
/// never change.
const NO_CACHE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The preview loads nothing from anywhere else, and runs only its own
/// script.
const CSP: &str = "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; \
                   connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub struct Context {
    pub preview: Arc<RwLock<Preview>>,
    pub hub: Arc<Hub>,
    /// Which releases are wanted: shown in a tab or asked for lately.
    pub presence: Arc<super::Presence>,
    /// The port, for checking the Host header.
    pub port: u16,
    pub editor: Arc<Editor>,
    /// This launch's secret: in the URL `serve` prints, and in every
    /// editor request.
    pub token: String,
}

pub type Reply = Response<BoxBody<Bytes, Infallible>>;

/// A page's SVG as a response body, without copying it.
struct Svg(Arc<PageImage>);

impl AsRef<[u8]> for Svg {
    fn as_ref(&self) -> &[u8] {
        self.0.svg().as_bytes()
    }
}

fn reply(
    status: StatusCode,
    content_type: &'static str,
    cache: &'static str,
    body: Bytes,
) -> Reply {
    let mut response = Response::new(Full::new(body).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn html(body: String) -> Reply {
    reply(StatusCode::OK, "text/html; charset=utf-8", NO_CACHE, Bytes::from(body))
}

fn not_found(what: &str) -> Reply {
    let body = Bytes::from(html::not_found(what));
    reply(StatusCode::NOT_FOUND, "text/html; charset=utf-8", NO_CACHE, body)
}

fn plain(status: StatusCode, text: &'static str) -> Reply {
    reply(status, "text/plain; charset=utf-8", NO_CACHE, Bytes::from_static(text.as_bytes()))
}

/// Only requests naming this server as it is reached on this machine: a
/// page on another site that rebinds its own name to 127.0.0.1 gets
/// nothing, and neither does a request naming no host at all.
fn host_allowed<B>(request: &Request<B>, port: u16) -> bool {
    let Some(host) = request.headers().get(header::HOST) else { return false };
    let Ok(host) = host.to_str() else { return false };
    let port = port.to_string();
    ["127.0.0.1", "localhost"].iter().any(|name| {
        host == *name || host.strip_prefix(name).and_then(|r| r.strip_prefix(':')) == Some(&port)
    })
}

/// Whether another site's page made the browser send `request`. Browsers
/// say so in `Sec-Fetch-Site` (ports do not make a site: another server
/// on 127.0.0.1 is `same-site`) and in `Origin`. The Host header is right
/// in such a request, so it alone cannot tell.
fn from_another_site<B>(request: &Request<B>, port: u16) -> bool {
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").map(|v| v.as_bytes());
    if fetch_site.is_some_and(|site| site != b"same-origin" && site != b"none") {
        return true;
    }
    headers.get(header::ORIGIN).is_some_and(|origin| {
        let ours = [format!("http://127.0.0.1:{port}"), format!("http://localhost:{port}")];
        !ours.iter().any(|o| o.as_bytes() == origin.as_bytes())
    })
}

/// Whether the address holds this launch's token (`?token=…`).
fn carries_our_token(url: &str, context: &Context) -> bool {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("token="))
        .any(|token| same_secret(token.as_bytes(), context.token.as_bytes()))
}

/// Whether the browser opens the page itself (a link followed, an address
/// typed), not fetches it for another page (`<img>`, `<iframe>`, a script):
/// what another site may ask. A client that says neither is taken at its
/// word (curl, older browsers).
fn is_navigation<B>(request: &Request<B>) -> bool {
    let headers = request.headers();
    let mode = headers.get("sec-fetch-mode").map(HeaderValue::as_bytes);
    let dest = headers.get("sec-fetch-dest").map(HeaderValue::as_bytes);
    mode.is_none_or(|m| m == b"navigate") && dest.is_none_or(|d| d == b"document")
}

fn json_reply(status: StatusCode, value: &Value) -> Reply {
    reply(status, "application/json", NO_CACHE, Bytes::from(value.to_string()))
}

fn json_error(status: StatusCode, message: impl Into<String>) -> Reply {
    json_reply(status, &json!({ "error": message.into() }))
}

/// Answers a request: an editor action reads its body and acts; anything
/// else is answered from memory.
pub async fn respond(request: Request<Incoming>, context: Arc<Context>) -> Reply {
    let url = request.uri().path_and_query().map_or("/", |p| p.as_str());
    match post_route(url) {
        Some(post) if request.method() == Method::POST && host_allowed(&request, context.port) => {
            edit(post, request, context).await
        }
        _ if matches!(route(url), Some(Route::Web(_))) => {
            // Made from the sources on request: off the threads that answer.
            let (head, _) = request.into_parts();
            let request = Request::from_parts(head, ());
            tokio::task::spawn_blocking(move || handle(&request, &context))
                .await
                .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "the page failed\n"))
        }
        _ if matches!(route(url), Some(Route::Events(_))) && context.hub.is_full() => {
            // Tabs closed while all was quiet are found by writing to them:
            // write now and give their connections a moment to drop, so a
            // closed tab's place is free at once, not at the next beat.
            context.hub.keep_alive();
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            handle(&request, &context)
        }
        _ => handle(&request, &context),
    }
}

/// `/web/…`: made from the sources, with the preview read only for what
/// it holds (releases shown, PDF sizes), so a rebuild never waits on it.
fn web_route(path: &WebPath, context: &Context) -> Reply {
    let sizes: std::collections::HashMap<(String, String), u64> = {
        let preview = context.preview.read().unwrap_or_else(|e| e.into_inner());
        if let WebPath::Release { id, .. } = path
            && !preview.has_release(id)
        {
            return not_found(&format!("There is no release {id} in this preview."));
        }
        let mut sizes = std::collections::HashMap::new();
        for release in preview.releases() {
            for lang in &preview.languages {
                if let Some(pdf) = preview.output(release, lang).and_then(|o| o.pdf.as_ref()) {
                    sizes.insert((release.clone(), lang.clone()), pdf.len() as u64);
                }
            }
        }
        sizes
    };
    let pdf_size = |release: &str, lang: &str| sizes.get(&(release.into(), lang.into())).copied();
    web_page(&context.editor.project(), path, &pdf_size)
}

/// A file of the web edition; its HTML pages keep themselves live.
fn web_page(
    project: &Project,
    path: &WebPath,
    pdf_size: &dyn Fn(&str, &str) -> Option<u64>,
) -> Reply {
    match web_file(project, path, pdf_size) {
        Ok(Some(file)) => {
            let body = match path {
                WebPath::Home | WebPath::Archive { .. } | WebPath::Release { .. } => {
                    Bytes::from(live_page(project, &file, path))
                }
                _ => Bytes::from(file.body),
            };
            let mut answer = reply(StatusCode::OK, path.content_type(), NO_CACHE, body);
            if let WebPath::Asset(_) = path {
                // The layout's files are the office's, not the editor's: a
                // script among them never runs here (served as text), and
                // one opened by itself (an SVG's) runs sandboxed, without
                // this origin's storage or its editor's rights.
                answer.headers_mut().insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(
                        "sandbox; default-src 'none'; img-src 'self'; style-src 'self'; font-src 'self'",
                    ),
                );
            }
            answer
        }
        Ok(None) => not_found("The web edition has no such page."),
        Err(diagnostics) => {
            // What stops the page, as `publish` would say it.
            let text: String =
                diagnostics.iter().map(|d| d.to_plain_string() + "\n").collect::<Vec<_>>().concat();
            reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                "text/plain; charset=utf-8",
                NO_CACHE,
                Bytes::from(format!("The web edition cannot make this page:\n\n{text}")),
            )
        }
    }
}

/// A web page as a draft: a visible DRAFT mark naming what shows the
/// source text, and the script that reloads it when what it shows changes.
fn live_page(project: &Project, file: &WebFile, path: &WebPath) -> String {
    let mut page = String::from_utf8_lossy(&file.body).into_owned();
    let mut note = String::from(
        "<link rel=\"stylesheet\" href=\"/assets/web-draft.css\">\n\
         <aside class=\"pressroom-draft\" lang=\"en\" dir=\"ltr\" aria-label=\"Draft\">\
         <strong>DRAFT</strong> — pressroom's preview of the web edition, not published.",
    );
    if !file.untranslated.is_empty() {
        let source = project.source_language();
        let listed: Vec<String> = file
            .untranslated
            .iter()
            .map(|(msg, why)| {
                let why = match why {
                    Fallback::Missing => "missing",
                    Fallback::Stale => "stale: the source changed since",
                };
                format!("<code>{}</code> ({why})", html::escape(msg))
            })
            .collect();
        note.push_str(&format!(
            " Shown in the source language ({}) until translated: {}.",
            html::escape(&source),
            listed.join(", ")
        ));
    }
    note.push_str("</aside>\n");
    // Right after `<body …>`, so it is the first thing read and seen.
    let at = page.find("<body").and_then(|b| page[b..].find('>').map(|e| b + e + 1));
    page.insert_str(at.unwrap_or(0), &note);
    let release = match path {
        WebPath::Release { id, .. } => format!(" data-release=\"{}\"", html::escape(id)),
        _ => String::new(),
    };
    let script = format!("<script src=\"/assets/web-live.js\"{release} defer></script>\n");
    match page.rfind("</body>") {
        Some(at) => page.insert_str(at, &script),
        None => page.push_str(&script),
    }
    page
}

/// Whether two secrets are equal, taking as long whichever byte differs.
fn same_secret(given: &[u8], ours: &[u8]) -> bool {
    given.len() == ours.len() && given.iter().zip(ours).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
}

/// Why an editor request is refused before it is read, if it is: it must
/// carry the launch's token, come from this server's own page (the exact
/// `Origin`) and be JSON, which no other site's form or script can send
/// here without the browser asking first (and no CORS answer ever agrees).
fn refusal<B>(request: &Request<B>, context: &Context) -> Option<Reply> {
    let headers = request.headers();
    let token = headers.get(TOKEN_HEADER).map(HeaderValue::as_bytes);
    if !token.is_some_and(|t| same_secret(t, context.token.as_bytes())) {
        return Some(json_error(
            StatusCode::FORBIDDEN,
            "editing needs this launch's token: open the URL pressroom serve printed",
        ));
    }
    let ours = [
        format!("http://127.0.0.1:{}", context.port),
        format!("http://localhost:{}", context.port),
    ];
    let origin = headers.get(header::ORIGIN).map(HeaderValue::as_bytes);
    if !origin.is_some_and(|o| ours.iter().any(|ours| ours.as_bytes() == o))
        || from_another_site(request, context.port)
    {
        return Some(json_error(
            StatusCode::FORBIDDEN,
            format!("editing is answered only for pages of {}", ours[0]),
        ));
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let json = content_type.is_some_and(|t| {
        t.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    });
    if !json {
        return Some(json_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send application/json"));
    }
    None
}

fn edit_error(error: EditError) -> Reply {
    match error {
        EditError::NotFound(message) => json_error(StatusCode::NOT_FOUND, message),
        EditError::Forbidden(message) => json_error(StatusCode::FORBIDDEN, message),
        EditError::BadRequest(message) => json_error(StatusCode::BAD_REQUEST, message),
        EditError::Invalid(message) => json_error(StatusCode::UNPROCESSABLE_ENTITY, message),
        EditError::Conflict(conflict) => {
            json_reply(StatusCode::CONFLICT, &serde_json::to_value(conflict).unwrap_or_default())
        }
        EditError::Io(message) => json_error(StatusCode::INTERNAL_SERVER_ERROR, message),
    }
}

/// An editor action: draft, save or accept.
async fn edit(post: Post, request: Request<Incoming>, context: Arc<Context>) -> Reply {
    if let Some(refused) = refusal(&request, &context) {
        return refused;
    }
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            return json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request is over 1 MiB or broke off",
            );
        }
    };
    // Rendering and writing files block: off the threads that answer.
    let done = tokio::task::spawn_blocking(move || act(post, &body, &context)).await;
    match done {
        Ok(Ok(value)) => json_reply(StatusCode::OK, &value),
        Ok(Err(error)) => edit_error(error),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "the editor failed"),
    }
}

/// A typed answer as the JSON the page reads.
fn as_json<T: serde::Serialize>(view: T) -> Result<Value, EditError> {
    serde_json::to_value(view).map_err(|err| EditError::Io(format!("cannot answer: {err}")))
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, EditError> {
    serde_json::from_slice(body).map_err(|err| EditError::BadRequest(format!("bad request: {err}")))
}

fn act(post: Post, body: &[u8], context: &Context) -> Result<Value, EditError> {
    match post {
        Post::Draft => {
            let edit: Edit = parse(body)?;
            let (entry, fields) = context.editor.entry(&edit)?;
            let Draft { findings, rendered, errors } = context.editor.draft(&edit)?;
            let pages = rendered.map(|rendered| {
                let mut preview = context.preview.write().unwrap_or_else(|e| e.into_inner());
                preview.draft(&edit.release, &edit.lang, rendered.images)
            });
            Ok(json!({
                "release": edit.release,
                "lang": edit.lang,
                "id": edit.id,
                "unsaved": true,
                "entry": entry,
                "fields": fields,
                "findings": findings,
                "errors": errors,
                "pages": pages,
            }))
        }
        Post::Save => context.editor.save(&parse::<Edit>(body)?).and_then(as_json),
        Post::Accept => context.editor.accept(&parse::<MessageRef>(body)?).and_then(as_json),
    }
}

/// Answers `request` from memory; an event stream stays open.
pub fn handle<B>(request: &Request<B>, context: &Context) -> Reply {
    if !host_allowed(request, context.port) {
        return plain(StatusCode::FORBIDDEN, "pressroom serves only http://127.0.0.1\n");
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut reply = plain(StatusCode::METHOD_NOT_ALLOWED, "pressroom's preview only reads\n");
        reply.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return reply;
    }
    let url = request.uri().path_and_query().map_or("/", |p| p.as_str());
    match route(url) {
        // A link from elsewhere may open a page; nothing else answers
        // another site: it could force renders or read the drafts.
        Some(route)
            if from_another_site(request, context.port)
                && !(matches!(route, Route::Index | Route::Release(_))
                    && is_navigation(request)) =>
        {
            plain(StatusCode::FORBIDDEN, "pressroom's preview answers only its own pages\n")
        }
        Some(route @ (Route::Index | Route::Release(_))) => {
            let mut page = answer(route, context);
            if carries_our_token(url, context) {
                // The page may keep the token it was opened with: this
                // server says it is this launch's. A link from anywhere
                // else with another token changes nothing.
                page.headers_mut().insert("x-pressroom-token-valid", HeaderValue::from_static("1"));
                let body = std::mem::replace(page.body_mut(), Full::new(Bytes::new()).boxed());
                *page.body_mut() = body
                    .map_frame(|frame| {
                        frame.map_data(|data| {
                            let text = String::from_utf8_lossy(&data).replacen(
                                "<body",
                                "<body data-token=\"valid\"",
                                1,
                            );
                            Bytes::from(text)
                        })
                    })
                    .boxed();
            }
            page
        }
        Some(route) => answer(route, context),
        None => not_found("No such page."),
    }
}

fn answer(route: Route, context: &Context) -> Reply {
    if let Route::Release(id)
    | Route::Pdf { release: id, .. }
    | Route::Web(WebPath::Release { id, .. } | WebPath::Pdf { id, .. }) = &route
    {
        // Rendered on demand: the watcher picks it up within a moment.
        context.presence.ask(id);
    }
    if let Route::Events(release) = route {
        if let Some(id) = &release {
            context.presence.ask(id);
        }
        return match context.hub.subscribe(release) {
            Some(events) => {
                let mut reply = Response::new(events.boxed());
                let headers = reply.headers_mut();
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/event-stream; charset=utf-8"),
                );
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
                reply
            }
            None => plain(StatusCode::SERVICE_UNAVAILABLE, "too many preview tabs are open\n"),
        };
    }
    if let Route::Web(path) = &route
        && !matches!(path, WebPath::Pdf { .. })
    {
        return web_route(path, context);
    }
    let preview = context.preview.read().unwrap_or_else(|e| e.into_inner());
    match route {
        Route::Index => html(html::index(&preview)),
        Route::Release(id) if preview.has_release(&id) => html(html::release(&preview, &id)),
        Route::ReleaseState(id) if preview.has_release(&id) => {
            let body = Bytes::from(preview.release_json(&id).to_string());
            reply(StatusCode::OK, "application/json", NO_CACHE, body)
        }
        Route::Release(id) | Route::ReleaseState(id) => {
            not_found(&format!("There is no release {id} in this preview."))
        }
        Route::Pdf { release, lang } | Route::Web(WebPath::Pdf { id: release, lang }) => {
            match preview.output(&release, &lang).and_then(|o| o.pdf.clone()) {
                Some(pdf) => {
                    let mut reply = reply(StatusCode::OK, "application/pdf", NO_CACHE, pdf);
                    // The release id and language are plain ASCII names.
                    if let Ok(value) =
                        HeaderValue::from_str(&format!("inline; filename=\"{release}.{lang}.pdf\""))
                    {
                        reply.headers_mut().insert(header::CONTENT_DISPOSITION, value);
                    }
                    reply
                }
                None => not_found(&format!("{release} has no {lang} PDF yet.")),
            }
        }
        Route::WebRoot => {
            let mut reply = plain(StatusCode::PERMANENT_REDIRECT, "the web edition is at /web/\n");
            reply.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/web/"));
            reply
        }
        Route::Web(_) => not_found("No such page."),
        Route::Page(hash) => match preview.page(&hash) {
            Some(page) => {
                reply(StatusCode::OK, "image/svg+xml", IMMUTABLE, Bytes::from_owner(Svg(page)))
            }
            None => not_found("No page has that hash (any more)."),
        },
        Route::Raster(hash) => match preview.page(&hash) {
            Some(page) => reply(StatusCode::OK, "image/bmp", IMMUTABLE, Bytes::from(page.bitmap())),
            None => not_found("No page has that hash (any more)."),
        },
        Route::Asset(name) => match ASSETS.iter().find(|(n, _, _)| *n == name) {
            Some((_, content_type, body)) => {
                reply(StatusCode::OK, content_type, NO_CACHE, Bytes::from_static(body.as_bytes()))
            }
            None => not_found("No such asset."),
        },
        Route::UiWords => reply(
            StatusCode::OK,
            "application/json; charset=utf-8",
            NO_CACHE,
            Bytes::from_static(super::ui::words_json().as_bytes()),
        ),
        Route::Events(_) => not_found("No such page."),
        Route::ApiReleases => json_reply(
            StatusCode::OK,
            &json!({
                "releases": preview.releases(),
                "languages": preview.languages,
                "source_language": preview.source_language,
                "status": preview.status_json(),
                "editing": context.editor.options.editing(),
            }),
        ),
        Route::ApiMessages { release, lang } => {
            drop(preview);
            match context.editor.messages(&release, &lang).and_then(as_json) {
                Ok(value) => json_reply(StatusCode::OK, &value),
                Err(error) => edit_error(error),
            }
        }
        Route::ApiMessage { release, lang, id } => {
            drop(preview);
            match context.editor.message(&release, &lang, &id).and_then(as_json) {
                Ok(value) => json_reply(StatusCode::OK, &value),
                Err(error) => edit_error(error),
            }
        }
    }
}
