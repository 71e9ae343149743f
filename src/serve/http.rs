//! The preview's and editor's answers, from the preview's state: what a
//! route gives once a guard (the local launch's in [`super::local`], the
//! team service's sign-in and roles in `crate::team`) let the request in.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited, combinators::BoxBody};
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};

use super::editor::{Draft, Edit, EditError, Editor, MessageRef};
use super::events::Hub;
use super::html;
use super::preview::Preview;
use super::route::{ASSETS, MessagePart, Post, Route};
use super::views::{DraftView, ReleasesView};
use crate::l10n::Fallback;
use crate::project::Project;
use crate::publish::{WebFile, WebPath, web_file};
use crate::render::PageImage;

/// The most an editor request may carry: a message's text is far less.
const MAX_BODY: usize = 1 << 20;

/// Pages and data must never be served from a stale cache; pages by hash
/// never change.
const NO_CACHE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The preview loads nothing from anywhere else, and runs only its own
/// script.
const CSP: &str = "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; \
                   connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// What the answers read: the preview's drafts, the event streams, the
/// editor.
pub struct Context {
    pub preview: Arc<RwLock<Preview>>,
    pub hub: Arc<Hub>,
    /// Which releases are wanted: shown in a tab or asked for lately.
    pub presence: Arc<super::Presence>,
    pub editor: Arc<Editor>,
}

pub type Reply = Response<BoxBody<Bytes, Infallible>>;

/// A page's SVG as a response body, without copying it.
struct Svg(Arc<PageImage>);

impl AsRef<[u8]> for Svg {
    fn as_ref(&self) -> &[u8] {
        self.0.svg().as_bytes()
    }
}

pub fn reply(
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

pub fn html(body: String) -> Reply {
    reply(StatusCode::OK, "text/html; charset=utf-8", NO_CACHE, Bytes::from(body))
}

pub fn not_found(what: &str) -> Reply {
    let body = Bytes::from(html::not_found(what));
    reply(StatusCode::NOT_FOUND, "text/html; charset=utf-8", NO_CACHE, body)
}

pub fn plain(status: StatusCode, text: &'static str) -> Reply {
    reply(status, "text/plain; charset=utf-8", NO_CACHE, Bytes::from_static(text.as_bytes()))
}

pub fn json_reply(status: StatusCode, value: &impl serde::Serialize) -> Reply {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec());
    reply(status, "application/json", NO_CACHE, Bytes::from(body))
}

pub fn json_error(status: StatusCode, message: impl Into<String>) -> Reply {
    json_reply(status, &super::views::ErrorView { error: message.into(), code: None })
}

/// `/web/…`: made from the sources, with the preview read only for what
/// it holds (releases shown, PDF sizes), so a rebuild never waits on it.
fn web_route(path: &WebPath, context: &Context) -> Reply {
    let sizes: std::collections::HashMap<(String, String), u64> = {
        let preview = crate::locks::read(&context.preview);
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
    let source = project.source_language();
    let untranslated = file
        .untranslated
        .iter()
        .map(|(msg, why)| html::Untranslated {
            message: msg.clone(),
            why: match why {
                Fallback::Missing => "missing",
                Fallback::Stale => "stale: the source changed since",
                Fallback::Unreviewed => "not approved yet",
            },
        })
        .collect();
    let note = html::draft_note(&html::DraftNote { source: &source, untranslated });
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

pub fn edit_error(error: EditError) -> Reply {
    match error {
        EditError::NotFound(message) => json_error(StatusCode::NOT_FOUND, message),
        EditError::Forbidden(message) => json_error(StatusCode::FORBIDDEN, message),
        EditError::BadRequest(message) => json_error(StatusCode::BAD_REQUEST, message),
        EditError::Invalid(message) => json_error(StatusCode::UNPROCESSABLE_ENTITY, message),
        EditError::Conflict(conflict) => json_reply(StatusCode::CONFLICT, &conflict),
        EditError::Io(message) => json_error(StatusCode::INTERNAL_SERVER_ERROR, message),
    }
}

/// A request's body, up to [`MAX_BODY`].
pub async fn read_body<B>(body: B) -> Result<Bytes, Reply>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(body) => Ok(body.to_bytes()),
        Err(_) => {
            Err(json_error(StatusCode::PAYLOAD_TOO_LARGE, "the request is over 1 MiB or broke off"))
        }
    }
}

/// An editor action (draft, save or accept) on a body a guard let in.
pub async fn post(post: Post, body: Bytes, context: Arc<Context>) -> Reply {
    // Rendering and writing files block: off the threads that answer.
    tokio::task::spawn_blocking(move || act(post, &body, &context))
        .await
        .unwrap_or_else(|_| json_error(StatusCode::INTERNAL_SERVER_ERROR, "the editor failed"))
}

/// A read a guard let in.
pub async fn get(route: Route, context: Arc<Context>) -> Reply {
    match route {
        Route::Web(_) => {
            // Made from the sources on request: off the threads that answer.
            tokio::task::spawn_blocking(move || answer(route, &context))
                .await
                .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "the page failed\n"))
        }
        Route::Events(_) if context.hub.is_full() => {
            // Tabs closed while all was quiet are found by writing to them:
            // write now and give their connections a moment to drop, so a
            // closed tab's place is free at once, not at the next beat.
            context.hub.keep_alive();
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            answer(route, &context)
        }
        _ => answer(route, &context),
    }
}

/// A page with `attributes` added to its `<body>` (what the guard vouches
/// for: a valid launch token, a session's CSRF token).
pub fn mark_page(mut page: Reply, attributes: String) -> Reply {
    let body = std::mem::replace(page.body_mut(), Full::new(Bytes::new()).boxed());
    *page.body_mut() = body
        .map_frame(move |frame| {
            frame.map_data(|data| {
                let text = String::from_utf8_lossy(&data).replacen(
                    "<body",
                    &format!("<body {attributes}"),
                    1,
                );
                Bytes::from(text)
            })
        })
        .boxed();
    page
}

/// A typed answer as the JSON the page reads, or why not.
fn answered<T: serde::Serialize>(answer: Result<T, EditError>) -> Reply {
    match answer {
        Ok(view) => json_reply(StatusCode::OK, &view),
        Err(error) => edit_error(error),
    }
}

pub fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, EditError> {
    serde_json::from_slice(body).map_err(|err| EditError::BadRequest(format!("bad request: {err}")))
}

fn act(post: Post, body: &[u8], context: &Context) -> Reply {
    match post {
        Post::Draft => answered(parse::<Edit>(body).and_then(|edit| draft(&edit, context))),
        Post::Save => {
            let author = context.editor.local_person();
            answered(parse::<Edit>(body).and_then(|edit| context.editor.save(&edit, author.as_deref())))
        }
        Post::Approve => answered(parse::<MessageRef>(body).and_then(|target| {
            // The local launch approves as the person at this machine.
            let by = context.editor.local_person().ok_or_else(|| {
                EditError::Invalid(
                    "who is approving? git has no user.name here: git config user.name \"Your Name\""
                        .into(),
                )
            })?;
            context.editor.approve(&target, &by)
        })),
        Post::Accept => {
            answered(parse::<MessageRef>(body).and_then(|target| context.editor.accept(&target)))
        }
    }
}

/// Unsaved text drawn as a save would draw it, with its findings.
fn draft(edit: &Edit, context: &Context) -> Result<DraftView, EditError> {
    let (entry, fields) = context.editor.entry(edit)?;
    let Draft { findings, rendered, errors } = context.editor.draft(edit)?;
    let pages = rendered.map(|rendered| {
        let mut preview = crate::locks::write(&context.preview);
        preview.draft(&edit.release, &edit.lang, rendered.images)
    });
    Ok(DraftView {
        release: edit.release.clone(),
        lang: edit.lang.clone(),
        id: edit.id.clone(),
        unsaved: true,
        entry,
        fields,
        findings,
        errors,
        pages,
    })
}

pub fn answer(route: Route, context: &Context) -> Reply {
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
    let preview = crate::locks::read(&context.preview);
    match route {
        Route::Index => html(html::index(&preview)),
        Route::Release(id) if preview.has_release(&id) => html(html::release(&preview, &id)),
        Route::ReleaseState(id) if preview.has_release(&id) => {
            let body =
                Bytes::from(serde_json::to_vec(&preview.release_state(&id)).unwrap_or_default());
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
            &ReleasesView {
                releases: preview.releases().to_vec(),
                languages: preview.languages.clone(),
                source_language: preview.source_language.clone(),
                status: preview.status_views(),
                editing: context.editor.options.editing(),
            },
        ),
        Route::ApiMessages { release, lang } => {
            drop(preview);
            answered(context.editor.messages(&release, &lang))
        }
        Route::ApiMessage { release, lang, id, part } => {
            drop(preview);
            let editor = &context.editor;
            match part {
                MessagePart::Entry => answered(editor.message(&release, &lang, &id)),
                MessagePart::Suggestions => answered(editor.suggest(&release, &lang, &id)),
                MessagePart::History => answered(editor.history(&release, &lang, &id)),
            }
        }
    }
}
