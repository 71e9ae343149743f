//! `pressroom watch`: build drafts, then rebuild exactly the outputs a saved
//! change touches, until stopped.
//!
//! Events are batched by hand rather than by notify's debouncers: a batch
//! closes once the file system has been quiet for `QUIET` (a few
//! milliseconds), so one editor save — often a burst of create, write,
//! rename events — gives one rebuild without adding the 100 ms or more a
//! timer-based debouncer waits.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

mod changes;
mod session;

pub use changes::{Affected, affected_by, is_temporary};
pub use session::Session;

use crate::build::Output;
use crate::diag::{Diagnostic, Diagnostics};
use crate::project::{Project, Selection};
use crate::render::Rendered;

/// How long the file system must stay quiet before a batch is rebuilt.
const QUIET: Duration = Duration::from_millis(8);
/// How long to wait for a deleted file to be written again.
const DELETED_QUIET: Duration = Duration::from_millis(100);
/// The longest a batch may grow while events keep coming.
const MAX_BATCH: Duration = Duration::from_millis(300);

/// Which releases to render when not every one is wanted: `serve` renders
/// only what some tab shows (and a few asked for lately).
pub trait Demand: Send + Sync + std::fmt::Debug {
    /// The ids of the releases wanted now.
    fn wanted(&self) -> BTreeSet<String>;
}

#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    /// Which releases (none named: all, those added later too), in which
    /// languages.
    pub selection: Selection,
    pub out: Option<PathBuf>,
    /// Poll the file system instead of relying on native events.
    pub poll: bool,
    /// Also draw the pages as SVG, handed on in [`Report::Built`].
    pub images: bool,
    /// Render only the releases this wants (all when `None`).
    pub demand: Option<std::sync::Arc<dyn Demand>>,
}

/// What the watcher tells its user, one line each.
#[derive(Debug)]
pub enum Report {
    /// A PDF was rebuilt (and written); `rendered` holds its bytes and,
    /// when asked for, its pages as SVG.
    Built { output: Output, took: Duration, rendered: Box<Rendered> },
    /// An output failed; its previous PDF is untouched.
    Failed { release: String, lang: String, took: Duration, diagnostics: Diagnostics },
    /// Problems not tied to one output (a broken pressroom.toml, say).
    Problems(Diagnostics),
    /// Watching; the outputs currently followed, how many of them were
    /// already up to date, and how many are being brought up to date in
    /// the background (a save is always served first).
    Watching { outputs: usize, up_to_date: usize, catching_up: usize },
    /// The background catch-up is done: every followed draft is current.
    CaughtUp { drafts: usize, took: Duration },
    /// A batch of changes is fully handled.
    /// A release nobody wants any more: its pages may go.
    Dropped(String),
    /// A batch of changes is fully handled; the project as it now stands
    /// (its configuration reloaded if it changed).
    Settled(Box<Project>),
}

/// Watches the project until `stop` receives (Ctrl-C), rebuilding drafts.
pub fn run(
    project: Project,
    options: WatchOptions,
    stop: Receiver<()>,
    mut report: impl FnMut(Report),
) -> Result<(), Diagnostics> {
    let poll = options.poll;
    let mut session = Session::new(project, options)?;
    let root = session.root().to_path_buf();

    let (tx, events) = mpsc::channel();
    let forward = move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            // Reads and metadata changes build nothing.
            if matches!(
                event.kind,
                EventKind::Access(_) | EventKind::Modify(notify::event::ModifyKind::Metadata(_))
            ) {
                return;
            }
            let _ = tx.send(event.paths);
        }
    };
    let watch_error = |err: notify::Error| {
        Diagnostics::from(
            Diagnostic::error("watch", format!("cannot watch {}: {err}", root.display()))
                .hint("try --poll on file systems without change notifications"),
        )
    };
    // Links are not followed: one out of the project, or a loop, would
    // watch what no build reads, or for ever.
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher: Box<dyn Watcher> = if poll {
        let config = config.with_poll_interval(Duration::from_millis(100));
        Box::new(notify::PollWatcher::new(forward, config).map_err(watch_error)?)
    } else {
        Box::new(notify::RecommendedWatcher::new(forward, config).map_err(watch_error)?)
    };
    // The whole root, recursively: the output folder's events are dropped
    // by path. A recursive inotify watch follows renames and new folders.
    watcher.watch(&root, RecursiveMode::Recursive).map_err(watch_error)?;

    session.build_all(&mut report);
    report(Report::Settled(Box::new(session.project().clone())));
    loop {
        if stop.try_recv().is_ok() {
            return Ok(());
        }
        // While drafts are being caught up, look for a save between any
        // two of them: a save never waits for more than one draft.
        let idle = if session.catching_up() { Duration::ZERO } else { Duration::from_millis(50) };
        let first = match events.recv_timeout(idle) {
            Ok(paths) => paths,
            Err(RecvTimeoutError::Timeout) => {
                session.follow_demand(&mut report);
                session.catch_up_one(&mut report);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let mut batch: BTreeSet<PathBuf> = first.into_iter().collect();
        let opened = Instant::now();
        while opened.elapsed() < MAX_BATCH {
            // A batch of files that are all gone is often an editor's
            // delete-then-write save: give the new file time to appear.
            let quiet = if batch.iter().all(|p| !p.exists()) { DELETED_QUIET } else { QUIET };
            match events.recv_timeout(quiet) {
                Ok(paths) => batch.extend(paths),
                Err(_) => break,
            }
        }
        session.apply(&batch, &mut report);
    }
}
