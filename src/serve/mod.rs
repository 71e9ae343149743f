//! `pressroom serve`: the watcher's drafts in a browser, the languages of a
//! release side by side, updated live.
//!
//! The watcher (see [`crate::watch`]) rebuilds what a save touches, with
//! each output's pages drawn as SVG too. Each rebuilt output becomes one
//! server-sent event naming its pages by content hash, so a tab fetches only
//! the pages that changed. The HTTP side answers from memory, but for the
//! web edition under `/web/`, made from the sources by checked names: no
//! URL ever reaches the file system as a path.

mod editor;
mod events;
pub mod guard;
mod html;
pub mod http;
mod preview;
pub mod route;
mod ui;
pub mod views;

use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, RwLock};

pub use editor::{Edit, EditOptions, MessageRef};
pub use events::MAX_STREAMS;
pub use guard::TOKEN_HEADER;
pub use html::escape as html_escape;
pub use preview::Preview;
pub use route::{Route, route};
pub use ui::words as ui_words;

use crate::diag::{Diagnostic, Diagnostics};
use crate::project::{Project, Selection};
use crate::status::{self, StatusRow};
use crate::watch::{self, Report, WatchOptions};
use events::Hub;

/// The port tried first when none is named; the next few follow.
pub const DEFAULT_PORT: u16 = 3000;
const PORTS_TRIED: u16 = 10;
/// Threads answering requests: answers come from memory, so two suffice.
const WORKERS: usize = 2;
/// How long a client may take to send a request's head.
const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// A comment on the event streams this often finds tabs that went away.
const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(15);

#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Which releases (none named: all), and the languages to show beside
    /// the source language (none named: all).
    pub selection: Selection,
    /// `None`: the first free port from [`DEFAULT_PORT`]; `Some(0)`: any.
    pub port: Option<u16>,
    pub out: Option<PathBuf>,
    pub poll: bool,
    /// What the translators' editor may write.
    pub edit: EditOptions,
}

/// How many releases no tab shows stay rendered, the most recently asked
/// for first: a reload or a second look costs nothing, and memory stays
/// bounded however large the archive.
const KEPT: usize = 8;

/// Which releases the preview renders: those an open tab shows, and the
/// [`KEPT`] others asked for most recently (a page, its state, a PDF).
#[derive(Debug)]
pub struct Presence {
    hub: Arc<Hub>,
    recent: std::sync::Mutex<std::collections::VecDeque<String>>,
}

impl Presence {
    /// A request for a release's page, state or PDF.
    pub fn ask(&self, release: &str) {
        let mut recent = crate::locks::lock(&self.recent);
        recent.retain(|r| r != release);
        recent.push_front(release.to_owned());
        recent.truncate(KEPT + 64);
    }
}

impl watch::Demand for Presence {
    fn wanted(&self) -> std::collections::BTreeSet<String> {
        let viewed = self.hub.viewed();
        let mut recent = crate::locks::lock(&self.recent);
        for release in &viewed {
            recent.retain(|r| r != release);
            recent.push_front(release.clone());
        }
        recent.truncate(viewed.len() + KEPT);
        recent.iter().cloned().collect()
    }
}

/// A secret for this launch: 128 bits from the system, in hex.
fn launch_token() -> Result<String, Diagnostic> {
    crate::secret::random_hex(16)
        .map_err(|err| Diagnostic::error("serve", format!("no token for this launch: {err}")))
}

/// Listens on 127.0.0.1, never another address.
fn bind(port: Option<u16>) -> Result<(std::net::TcpListener, u16), Diagnostic> {
    let ports: Vec<u16> = match port {
        Some(port) => vec![port],
        None => (DEFAULT_PORT..DEFAULT_PORT + PORTS_TRIED).collect(),
    };
    let mut last_error = String::new();
    for port in &ports {
        let bound = std::net::TcpListener::bind(("127.0.0.1", *port)).and_then(|listener| {
            listener.set_nonblocking(true)?;
            let port = listener.local_addr()?.port();
            Ok((listener, port))
        });
        match bound {
            Ok(bound) => return Ok(bound),
            Err(err) => last_error = err.to_string(),
        }
    }
    let tried = match ports.as_slice() {
        [one] => format!("port {one}"),
        _ => format!("ports {}–{}", DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED - 1),
    };
    Err(Diagnostic::error("serve", format!("cannot listen on 127.0.0.1, {tried}: {last_error}"))
        .hint(
            "another program may be using it: name a free one with --port N, or --port 0 for any",
        ))
}

/// The languages shown: the source language first, then the chosen ones (or
/// all), in the office's order.
fn shown_languages(project: &Project, chosen: &[String]) -> Vec<String> {
    let source = project.source_language();
    project
        .languages()
        .into_iter()
        .filter(|l| *l == source || chosen.is_empty() || chosen.contains(l))
        .collect()
}

/// Translation status of the followed releases, without touching the
/// committed translation state (as watch keeps it in memory).
fn current_status(project: &Project, followed: &[String]) -> Option<(Vec<StatusRow>, Vec<String>)> {
    let (rows, _) = status::status(project).ok()?;
    let releases: Vec<String> = project
        .release_ids()
        .ok()?
        .into_iter()
        .map(|id| id.to_string())
        .filter(|id| followed.is_empty() || followed.contains(id))
        .collect();
    let rows = rows
        .into_iter()
        .filter(|row| row.release == status::OFFICE_ROW || releases.contains(&row.release))
        .collect();
    Some((rows, releases))
}

/// How people reach the server: it binds, starts answering on the
/// runtime with the answers' [`http::Context`], and gives the address to
/// open. The local launch is [`LocalFront`]; the team service has its own.
pub trait Front: Send {
    fn start(
        self: Box<Self>,
        runtime: &tokio::runtime::Runtime,
        context: Arc<http::Context>,
    ) -> Result<String, Diagnostics>;
}

/// `pressroom serve`: 127.0.0.1 only, this launch's token for editing.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalFront {
    /// `None`: the first free port from [`DEFAULT_PORT`]; `Some(0)`: any.
    pub port: Option<u16>,
}

impl Front for LocalFront {
    fn start(
        self: Box<Self>,
        runtime: &tokio::runtime::Runtime,
        context: Arc<http::Context>,
    ) -> Result<String, Diagnostics> {
        let (listener, port) = bind(self.port)?;
        let token = launch_token()?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(|err| {
                Diagnostic::error("serve", format!("cannot listen on 127.0.0.1:{port}: {err}"))
            })?
        };
        let local = Arc::new(guard::Local { port, token: token.clone() });
        runtime.spawn(accept(listener, context, local));
        Ok(format!("http://127.0.0.1:{port}/?token={token}"))
    }
}

/// Serves the preview until `stop` receives. `ready` gets the URL once the
/// server listens; `report` gets what the watcher reports.
pub fn run(
    project: Project,
    options: ServeOptions,
    stop: Receiver<()>,
    ready: impl FnOnce(&str),
    report: impl FnMut(Report),
) -> Result<(), Diagnostics> {
    let front = Box::new(LocalFront { port: options.port });
    run_with(project, options, front, stop, ready, report)
}

/// [`run`], reached through `front`.
pub fn run_with(
    project: Project,
    options: ServeOptions,
    front: Box<dyn Front>,
    stop: Receiver<()>,
    ready: impl FnOnce(&str),
    mut report: impl FnMut(Report),
) -> Result<(), Diagnostics> {
    options.selection.check(&project)?;
    let languages = shown_languages(&project, &options.selection.languages);

    let mut initial = Preview::new(languages.clone(), project.source_language());
    initial.settled(current_status(&project, &options.selection.releases));
    let preview = Arc::new(RwLock::new(initial));
    let hub = Arc::new(Hub::default());
    let editor = Arc::new(editor::Editor::new(project.clone(), options.edit));
    let presence = Arc::new(Presence { hub: hub.clone(), recent: Default::default() });
    let context = Arc::new(http::Context {
        preview: preview.clone(),
        hub: hub.clone(),
        presence: presence.clone(),
        editor: editor.clone(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .thread_name("pressroom-serve")
        .enable_all()
        .build()
        .map_err(|err| Diagnostic::error("serve", format!("cannot start the server: {err}")))?;
    let url = front.start(&runtime, context)?;
    let keep_alive = hub.clone();
    runtime.spawn(async move {
        let mut ticks = tokio::time::interval(KEEP_ALIVE);
        loop {
            ticks.tick().await;
            keep_alive.keep_alive();
        }
    });
    ready(&url);

    let watch_options = WatchOptions {
        selection: Selection { releases: options.selection.releases.clone(), languages },
        out: options.out,
        poll: options.poll,
        images: true,
        demand: Some(presence),
    };
    let write = || crate::locks::write(&preview);
    let result = watch::run(project, watch_options, stop, |mut event| {
        match &mut event {
            Report::Built { output, rendered, .. } => {
                let images = std::mem::take(&mut rendered.images);
                let pdf = std::mem::take(&mut rendered.pdf);
                let data = write().built(output.release.as_str(), &output.lang, images, pdf);
                hub.broadcast("output", &data);
            }
            Report::Failed { release, lang, diagnostics, .. } => {
                let data = write().failed(release, lang, diagnostics);
                hub.broadcast("output", &data);
            }
            Report::Problems(diagnostics) => write().problems(diagnostics),
            Report::Settled(project) => {
                editor.update(project);
                let status = current_status(project, &options.selection.releases);
                let data = write().settled(status);
                hub.broadcast("settled", &data);
            }
            Report::Dropped(release) => write().drop_release(release),
            Report::Watching { .. } | Report::CaughtUp { .. } => {}
        }
        report(event);
    });
    runtime.shutdown_background();
    result
}

/// Serves each connection on its own task, for as long as the browser
/// keeps it. hyper answers malformed requests with 400 and closes.
async fn accept(
    listener: tokio::net::TcpListener,
    context: Arc<http::Context>,
    local: Arc<guard::Local>,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, say: breathe, then go on.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        let context = context.clone();
        let local = local.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let (context, local) = (context.clone(), local.clone());
                async move {
                    Ok::<_, std::convert::Infallible>(guard::respond(request, context, local).await)
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                // A client that never finishes its request gets hung up on.
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            // A connection that breaks concerns only that connection.
            let _ = connection.await;
        });
    }
}
