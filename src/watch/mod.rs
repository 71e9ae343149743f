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

pub use changes::{Affected, affected_by, is_temporary};

use crate::atomic::Durability;
use crate::build::{self, Output};
use crate::diag::{Diagnostic, Diagnostics};
use crate::freshness::{Fingerprints, Kind, Manifest};
use crate::l10n::Catalog;
use crate::l10n::state::STATE_FILE;
use crate::names::ReleaseId;
use crate::pipeline::{Mode, Renderer, Settings};
use crate::project::Project;
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
    pub releases: Vec<String>,
    pub languages: Vec<String>,
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
    /// Watching; the outputs currently followed, and how many of them were
    /// already up to date.
    Watching { outputs: usize, up_to_date: usize },
    /// A batch of changes is fully handled.
    /// A release nobody wants any more: its pages may go.
    Dropped(String),
    /// A batch of changes is fully handled; the project as it now stands
    /// (its configuration reloaded if it changed).
    Settled(Box<Project>),
}

/// The watcher's state between batches.
pub struct Session {
    root: PathBuf,
    options: WatchOptions,
    project: Project,
    renderer: Renderer,
    out_dir: PathBuf,
    /// Why `pressroom.toml` does not load, while it does not: reported again
    /// after every batch (the last good configuration builds meanwhile).
    config_problems: Option<Diagnostics>,
    /// What the drafts folder holds: a draft built from the same sources is
    /// not rebuilt when watching starts.
    manifest: Manifest,
    /// With a demand: the releases rendered now, and what was wanted last.
    shown: BTreeSet<ReleaseId>,
    last_wanted: Option<BTreeSet<String>>,
}

impl Session {
    pub fn new(project: Project, options: WatchOptions) -> Result<Self, Diagnostics> {
        project.select_releases(&options.releases)?;
        project.select_languages(&options.languages)?;
        // Drafts go to their own folder, never over a final.
        let out_dir = build::output_dir(&project, options.out.as_deref(), Mode::Draft);
        let renderer = Renderer::new(&project);
        let manifest = Manifest::load(&out_dir);
        Ok(Self {
            root: project.root().to_path_buf(),
            options,
            project,
            renderer,
            out_dir,
            config_problems: None,
            manifest,
            shown: BTreeSet::new(),
            last_wanted: None,
        })
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The releases followed now: the named ones, or every release (new
    /// files start being built, deleted ones stop); with a demand, only the
    /// wanted ones among them.
    fn releases(&self) -> Result<Vec<ReleaseId>, Diagnostics> {
        let all = if self.options.releases.is_empty() {
            self.project.release_ids()?
        } else {
            self.project.select_releases(&self.options.releases)?
        };
        Ok(match &self.options.demand {
            Some(demand) => {
                let wanted = demand.wanted();
                all.into_iter().filter(|id| wanted.contains(id.as_str())).collect()
            }
            None => all,
        })
    }

    /// Renders the releases newly wanted and lets go of those no longer
    /// wanted (their worlds and pages). Does nothing without a demand.
    pub fn follow_demand(&mut self, report: &mut impl FnMut(Report)) {
        let Some(demand) = &self.options.demand else { return };
        let wanted = demand.wanted();
        if self.last_wanted.as_ref() == Some(&wanted) {
            return;
        }
        self.last_wanted = Some(wanted);
        let Ok(ids) = self.releases() else { return };
        let now: BTreeSet<ReleaseId> = ids.into_iter().collect();
        let newly: Vec<ReleaseId> = now.difference(&self.shown).cloned().collect();
        for gone in self.shown.difference(&now) {
            self.renderer.forget(gone);
            report(Report::Dropped(gone.to_string()));
        }
        self.shown = now;
        if !newly.is_empty() {
            self.rebuild(&newly, |_, _| true, false, report);
        }
    }

    fn language_wanted(&self, lang: &str) -> bool {
        self.options.languages.is_empty() || self.options.languages.iter().any(|l| l == lang)
    }

    /// Builds every followed output whose draft is not up to date (the
    /// first build, or after a config, layout or font change).
    pub fn build_all(&mut self, report: &mut impl FnMut(Report)) {
        match self.releases() {
            Ok(ids) => {
                self.shown = ids.iter().cloned().collect();
                // A preview needs the pages in memory: a draft on disk will
                // not do.
                let skip_current = !self.options.images;
                let (followed, up_to_date) = self.rebuild(&ids, |_, _| true, skip_current, report);
                report(Report::Watching { outputs: followed, up_to_date });
            }
            Err(diags) => report(Report::Problems(diags)),
        }
    }

    /// Rebuilds what the changed paths touch, then reports [`Report::Settled`]
    /// if anything was touched.
    pub fn apply(&mut self, paths: &BTreeSet<PathBuf>, report: &mut impl FnMut(Report)) {
        if self.apply_batch(paths, report) {
            if let Some(problems) = &self.config_problems {
                report(Report::Problems(problems.clone()));
            }
            report(Report::Settled(Box::new(self.project.clone())));
        }
    }

    /// Returns whether the paths touched anything.
    fn apply_batch(&mut self, paths: &BTreeSet<PathBuf>, report: &mut impl FnMut(Report)) -> bool {
        let source_lang = self.project.source_language();
        let mut total = Affected::default();
        for path in paths {
            let Ok(rel) = path.strip_prefix(&self.root) else { continue };
            if path.starts_with(&self.out_dir) || rel.file_name().is_some_and(|n| n == STATE_FILE) {
                continue;
            }
            let one = affected_by(rel, &source_lang);
            total.all |= one.all;
            total.config |= one.config;
            total.fonts |= one.fonts;
            total.outputs.extend(one.outputs);
            total.languages.extend(one.languages);
        }
        if total.is_empty() {
            return false;
        }
        if total.config || total.fonts {
            match Project::open(&self.root) {
                Ok(project) => {
                    self.renderer = Renderer::new(&project);
                    self.project = project;
                    self.config_problems = None;
                }
                Err(diags) => {
                    // Reported once the batch is done, and after every batch
                    // until pressroom.toml loads again.
                    self.config_problems = Some(diags);
                    return true;
                }
            }
            self.build_all(report);
            return true;
        }
        let ids = match self.releases() {
            Ok(ids) => ids,
            Err(diags) => {
                report(Report::Problems(diags));
                return true;
            }
        };
        if total.all {
            self.rebuild(&ids, |_, _| true, false, report);
            return true;
        }
        for (id, _) in &total.outputs {
            if let Ok(id) = ReleaseId::new(id)
                && !ids.contains(&id)
            {
                // Deleted (or not followed): stop building it.
                self.renderer.forget(&id);
            }
        }
        let touched: Vec<ReleaseId> = ids
            .into_iter()
            .filter(|id| {
                !total.languages.is_empty() || total.outputs.iter().any(|(r, _)| r == id.as_str())
            })
            .collect();
        let outputs = &total.outputs;
        let languages = &total.languages;
        self.rebuild(
            &touched,
            |id, lang| {
                languages.contains(lang)
                    || outputs
                        .iter()
                        .any(|(r, l)| r == id.as_str() && l.as_deref().is_none_or(|l| l == lang))
            },
            false,
            report,
        );
        true
    }

    /// Renders and writes the chosen outputs as drafts (only those not up
    /// to date when `skip_current`); returns how many outputs are followed
    /// and how many of them were up to date.
    fn rebuild(
        &mut self,
        ids: &[ReleaseId],
        wanted: impl Fn(&ReleaseId, &str) -> bool,
        skip_current: bool,
        report: &mut impl FnMut(Report),
    ) -> (usize, usize) {
        let mode = Mode::Preview { images: self.options.images };
        let out_root = build::output_root(&self.project, self.options.out.as_deref());
        let settings = Settings { mode, out_dir: Some(out_root.clone()), ..Settings::default() };
        let out_dir = self.out_dir.clone();
        // The translation state is reconciled in memory only: a draft
        // session leaves the committed state file to the next build.
        let (catalog, problems) = Catalog::load(&self.project, ids, false);
        let languages: Vec<String> =
            self.project.languages().into_iter().filter(|l| self.language_wanted(l)).collect();
        // Each output's fingerprint, as `build --draft` computes it: a draft
        // either of them wrote from the same sources is current for both.
        let flags = crate::freshness::flags(Kind::Draft, None, None, false);
        let mut fingerprints = Fingerprints::new(&self.project, &flags, &out_root);
        let plan = build::plan(
            &self.project,
            &catalog,
            ids,
            |id, lang| languages.iter().any(|l| l == lang) && wanted(id, lang),
            &mut fingerprints,
            skip_current.then_some((&self.manifest, Kind::Draft)),
            |id, lang| build::output_file(&out_dir, id, lang, mode),
        );
        let (planned, up_to_date) = (plan.to_render, plan.up_to_date.len());
        let manifest = &mut self.manifest;
        let mut started = Instant::now();
        let shared = self.renderer.render(
            &self.project,
            &catalog,
            problems,
            ids,
            |id, lang| planned.contains_key(&(id.clone(), lang.to_owned())),
            &settings,
            |release, lang, outcome| {
                let file = build::output_file(&out_dir, &release.id, lang, mode);
                let result = outcome.and_then(|rendered| {
                    build::write_output(&file, &release.id, lang, &rendered, Durability::Unsynced)
                        .map(|output| (output, rendered))
                        .map_err(Diagnostics::from)
                });
                if let (Ok((_, rendered)), Some(fingerprint)) =
                    (&result, planned.get(&(release.id.clone(), lang.to_owned())))
                {
                    manifest.record(&file, fingerprint.clone(), Kind::Draft, &rendered.pdf);
                }
                match result {
                    Ok((output, rendered)) => report(Report::Built {
                        output,
                        took: started.elapsed(),
                        rendered: Box::new(rendered),
                    }),
                    Err(diagnostics) => report(Report::Failed {
                        release: release.id.to_string(),
                        lang: lang.to_owned(),
                        took: started.elapsed(),
                        diagnostics,
                    }),
                }
                started = Instant::now();
                Ok(())
            },
        );
        if !shared.is_empty() {
            report(Report::Problems(shared));
        }
        // Rewritten at every save: whole, but not synced (drafts are not).
        let _ = self.manifest.save(Durability::Unsynced);
        (planned.len() + up_to_date, up_to_date)
    }
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
    let root = session.root.clone();

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
    report(Report::Settled(Box::new(session.project.clone())));
    loop {
        if stop.try_recv().is_ok() {
            return Ok(());
        }
        let first = match events.recv_timeout(Duration::from_millis(50)) {
            Ok(paths) => paths,
            Err(RecvTimeoutError::Timeout) => {
                session.follow_demand(&mut report);
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
