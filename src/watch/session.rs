//! The watcher's state between batches: what is followed, the worlds kept
//! for rebuilding, and the drafts still being caught up in the background.

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use super::{Affected, Report, WatchOptions, affected_by};
use crate::atomic::Durability;
use crate::build::{self, Plan};
use crate::diag::Diagnostics;
use crate::freshness::{Fingerprints, Kind, Manifest};
use crate::l10n::Catalog;
use crate::names::ReleaseId;
use crate::pipeline::{Loaded, Mode, Renderer, Settings};
use crate::project::Project;

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
    /// Drafts not up to date when watching began (or after a configuration
    /// or font change), the most recently edited release first: brought up
    /// to date one at a time between batches.
    backlog: VecDeque<(ReleaseId, String)>,
    /// When the catch-up began, and how many drafts it had.
    catch_up: Option<(Instant, usize)>,
}

impl Session {
    pub fn new(project: Project, options: WatchOptions) -> Result<Self, Diagnostics> {
        options.selection.check(&project)?;
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
            backlog: VecDeque::new(),
            catch_up: None,
        })
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether drafts are still being brought up to date in the background.
    pub fn catching_up(&self) -> bool {
        !self.backlog.is_empty()
    }

    /// Brings the next drafts of the backlog up to date (those a save has
    /// not), four per core, rendered as `build --draft` renders (in
    /// parallel, the same bytes, no world kept), then says when the backlog
    /// is done. A save waits for at most this one step: on 300 releases,
    /// save -> PDF stayed 50 ms median, 117 ms at worst, and the catch-up
    /// took 11.5 s against 9.2 s for `build` (scripts/bench-scale.py).
    pub fn catch_up_one(&mut self, report: &mut impl FnMut(Report)) {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let step: Vec<(ReleaseId, String)> =
            (0..4 * cores).map_while(|_| self.backlog.pop_front()).collect();
        let mut ids: Vec<ReleaseId> = step
            .iter()
            .map(|(id, _)| id.clone())
            .filter(|id| self.project.release_file(id).exists())
            .collect();
        ids.dedup();
        if !ids.is_empty() {
            let wanted =
                |id: &ReleaseId, lang: &str| step.iter().any(|(i, l)| i == id && l == lang);
            self.render(&ids, wanted, true, false, report);
        }
        if self.backlog.is_empty()
            && let Some((started, drafts)) = self.catch_up.take()
        {
            report(Report::CaughtUp { drafts, took: started.elapsed() });
        }
    }

    /// The releases followed now: the named ones, or every release (new
    /// files start being built, deleted ones stop); with a demand, only the
    /// wanted ones among them.
    fn releases(&self) -> Result<Vec<ReleaseId>, Diagnostics> {
        let all = if self.options.selection.releases.is_empty() {
            self.project.release_ids()?
        } else {
            self.options.selection.release_ids(&self.project)?
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
        self.options.selection.wants_language(lang)
    }

    /// Follows every output whose draft is not up to date (the first
    /// build, or after a config or font change). `watch` says it is
    /// watching at once and catches up in the background; the preview
    /// renders what its tabs show now (it needs their pages in memory: a
    /// draft on disk will not do).
    pub fn build_all(&mut self, report: &mut impl FnMut(Report)) {
        let ids = match self.releases() {
            Ok(ids) => ids,
            Err(diags) => return report(Report::Problems(diags)),
        };
        self.shown = ids.iter().cloned().collect();
        if self.options.images {
            let (outputs, up_to_date) = self.rebuild(&ids, |_, _| true, false, report);
            return report(Report::Watching { outputs, up_to_date, catching_up: 0 });
        }
        let (_, _, _, plan) = self.plan(&ids, |_, _| true, true);
        let outputs = plan.to_render.len() + plan.up_to_date.len();
        let mut stale: Vec<(ReleaseId, String)> = plan.to_render.into_keys().collect();
        // A release that does not load: each language, to say why.
        for id in plan.unreadable {
            stale.retain(|(r, _)| *r != id);
            stale.extend(self.followed_languages().into_iter().map(|lang| (id.clone(), lang)));
        }
        // The most recently edited first: what someone works on now.
        let edited = |(id, lang): &(ReleaseId, String)| {
            [self.project.release_file(id), self.project.release_ftl(lang, id)]
                .iter()
                .filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
                .max()
                .unwrap_or(SystemTime::UNIX_EPOCH)
        };
        stale.sort_by_cached_key(|output| (std::cmp::Reverse(edited(output)), output.clone()));
        let up_to_date = outputs - stale.len().min(outputs);
        self.catch_up = (!stale.is_empty()).then(|| (Instant::now(), stale.len()));
        self.backlog = stale.into();
        report(Report::Watching { outputs, up_to_date, catching_up: self.backlog.len() });
    }

    fn followed_languages(&self) -> Vec<String> {
        self.project.languages().into_iter().filter(|l| self.language_wanted(l)).collect()
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
            if path.starts_with(&self.out_dir) {
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

    /// The chosen outputs, fingerprinted as `build --draft` does (a draft
    /// either of them wrote from the same sources is current for both):
    /// those to render, and those up to date when `skip_current`. The
    /// translation state is reconciled in memory only: a draft session
    /// leaves the committed state file to the next build.
    fn plan(
        &self,
        ids: &[ReleaseId],
        wanted: impl Fn(&ReleaseId, &str) -> bool,
        skip_current: bool,
    ) -> (Catalog, Diagnostics, Loaded, Plan) {
        let mode = Mode::Preview { images: self.options.images };
        let out_root = build::output_root(&self.project, self.options.out.as_deref());
        let (catalog, problems) = Catalog::load(&self.project, ids);
        let languages = self.followed_languages();
        let flags = crate::freshness::flags(Kind::Draft, None, None, false);
        let mut fingerprints = Fingerprints::new(&self.project, &flags, &out_root);
        let releases = crate::pipeline::load_releases(&self.project, ids);
        let plan = build::plan(
            &catalog,
            &releases,
            |id, lang| languages.iter().any(|l| l == lang) && wanted(id, lang),
            &mut fingerprints,
            skip_current.then_some((&self.manifest, Kind::Draft)),
            |id, lang| build::output_file(&self.out_dir, id, lang, mode),
        );
        (catalog, problems, releases, plan)
    }

    /// Renders and writes the chosen outputs as drafts (only those not up
    /// to date when `skip_current`), keeping their worlds for the next
    /// save; returns how many outputs are followed and how many of them
    /// were up to date.
    fn rebuild(
        &mut self,
        ids: &[ReleaseId],
        wanted: impl Fn(&ReleaseId, &str) -> bool,
        skip_current: bool,
        report: &mut impl FnMut(Report),
    ) -> (usize, usize) {
        self.render(ids, wanted, skip_current, true, report)
    }

    /// [`Session::rebuild`], or when not `live` as `build --draft` renders:
    /// on every core, a fresh world each.
    fn render(
        &mut self,
        ids: &[ReleaseId],
        wanted: impl Fn(&ReleaseId, &str) -> bool,
        skip_current: bool,
        live: bool,
        report: &mut impl FnMut(Report),
    ) -> (usize, usize) {
        let mode = if live { Mode::Preview { images: self.options.images } } else { Mode::Draft };
        let out_root = build::output_root(&self.project, self.options.out.as_deref());
        let settings = Settings { mode, out_dir: Some(out_root.clone()), ..Settings::default() };
        let out_dir = self.out_dir.clone();
        let (catalog, problems, releases, plan) = self.plan(ids, wanted, skip_current);
        let (planned, up_to_date) = (plan.to_render, plan.up_to_date.len());
        let manifest = &mut self.manifest;
        let mut started = Instant::now();
        let shared = self.renderer.render(
            &self.project,
            &catalog,
            problems,
            &releases,
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
