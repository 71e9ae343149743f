//! One output from sources to PDF bytes: the release and its localizers ->
//! the document model -> a sandboxed Typst world -> PDF (and SVG pages for
//! the preview) -> the glyph audit. `build`, `watch`, `serve` and `fonts`
//! all render through [`Renderer`]; none of them writes here.

mod glyphs;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{self, Sources};
use crate::l10n::{Catalog, DateFormat, Localizer};
use crate::names::ReleaseId;
use crate::project::Project;
use crate::release::Release;
use crate::render::{self, Engine, GlyphAudit, LayoutWorld, Rendered, Sandbox};
use glyphs::glyph_diagnostics;

/// What an output is for: this decides the DRAFT mark, where it is
/// written and how hard the build tries to keep state between rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// A PDF to publish: every translation present and current.
    #[default]
    Final,
    /// `build --draft`: missing text falls back to the source, marked,
    /// under a DRAFT mark on every page.
    Draft,
    /// A draft rebuilt live (watch, serve): one Typst world per output is
    /// kept between rebuilds, the translation state stays in memory, and
    /// with `images` the pages are drawn as SVG for the browser.
    Preview { images: bool },
}

impl Mode {
    /// Whether the output carries the DRAFT mark (and may lack text).
    pub fn is_draft(self) -> bool {
        self != Mode::Final
    }

    /// Whether outputs are rebuilt live, over and over.
    pub fn is_live(self) -> bool {
        matches!(self, Mode::Preview { .. })
    }

    fn images(self) -> bool {
        matches!(self, Mode::Preview { images: true })
    }
}

/// The visible line of a signed PDF: who signs (a contact id) and when.
#[derive(Debug, Clone)]
pub struct SignatureLine {
    pub signatory: String,
    pub date: Date,
}

/// How outputs are rendered.
#[derive(Clone, Default)]
pub struct Settings {
    pub mode: Mode,
    /// `SOURCE_DATE_EPOCH`: the PDFs' creation date, instead of the release's.
    pub source_date_epoch: Option<i64>,
    /// Printed on each page when the PDFs are to be signed.
    pub signature_line: Option<SignatureLine>,
    /// The output folder in use (`out/` or `--out`): a layout may never
    /// read it, wherever it is.
    pub out_dir: Option<PathBuf>,
}

/// What a layout may read: its own folder and the fonts; never the
/// repository's history (any `.git`, see [`Sandbox`]), the outputs (`out/`
/// and the folder `out` names, even inside the layout) or a signing file.
pub fn sandbox(project: &Project, layout: &str, out: Option<&Path>) -> Sandbox {
    let root = project.root();
    let canonical = |path: PathBuf| canonical_even_if_missing(&path);
    let readable = vec![
        (canonical(project.layout_dir(layout)), format!("layouts/{layout}/")),
        (canonical(project.fonts_dir()), "fonts/".to_owned()),
    ];
    let mut refused = vec![
        (root.join(".git"), "the repository's own data".to_owned()),
        (root.join("out"), "in the output folder".to_owned()),
    ];
    if let Some(out) = out {
        refused.push((canonical(out.to_path_buf()), "in the output folder".to_owned()));
    }
    for path in project.signing_paths() {
        refused.push((path, "a signing file named in [signing]".to_owned()));
    }
    // A refused path reached through a symbolic link is refused too.
    let resolved: Vec<_> = refused
        .iter()
        .filter_map(|(path, why)| Some((std::fs::canonicalize(path).ok()?, why.clone())))
        .collect();
    refused.extend(resolved);
    Sandbox { readable, refused }
}

/// `path` absolute and resolved through symbolic links as far as it
/// exists: an output folder is refused before it is first made.
fn canonical_even_if_missing(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while let Some(parent) = existing.parent() {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p: PathBuf, part| p.join(part));
        }
        rest.extend(existing.file_name());
        existing = parent;
    }
    absolute
}

/// Renders each selected (release, language) output in memory and hands the
/// good ones to `each`, without recording translation state. Returns every
/// finding; `Err` only when nothing could start (an unknown release or
/// language named).
pub fn render_each(
    project: &Project,
    releases: &[String],
    languages: &[String],
    settings: &Settings,
    mut each: impl FnMut(&Release, &str, Rendered) -> Result<(), Diagnostic>,
) -> Result<Diagnostics, Diagnostics> {
    let ids = project.select_releases(releases)?;
    let languages = project.select_languages(languages)?;
    let mut renderer = Renderer::new(project);
    let (catalog, problems) = Catalog::load(project, &ids);
    let wanted =
        |_: &ReleaseId, lang: &str| languages.is_empty() || languages.iter().any(|l| l == lang);
    Ok(renderer.render(
        project,
        &catalog,
        problems,
        &load_releases(project, &ids),
        wanted,
        settings,
        |release, lang, outcome| match outcome {
            Ok(rendered) => each(release, lang, rendered).map_err(Diagnostics::from),
            Err(diags) => Err(diags),
        },
    ))
}

/// Renders outputs. A build renders them in parallel on all cores, a fresh
/// Typst world each; watch mode keeps one world per output between calls so
/// a rebuild after a small change reuses Typst's work.
pub struct Renderer {
    engine: Engine,
    worlds: HashMap<(ReleaseId, String, String), LayoutWorld>,
}

/// One output to render, with the findings about its sources so far.
struct Job {
    release: Arc<Release>,
    lang: String,
    inputs: Diagnostics,
}

/// Releases as loaded once for a run: planned and rendered from the same
/// model, each with why it does not load when it does not.
pub type Loaded = Vec<(ReleaseId, Result<Arc<Release>, Diagnostics>)>;

/// Loads each of `ids`.
pub fn load_releases(project: &Project, ids: &[ReleaseId]) -> Loaded {
    ids.iter().map(|id| (id.clone(), Release::load(project, id).map(Arc::new))).collect()
}

/// How many outputs are rendered before their PDFs are handed on: bounds
/// memory (finished PDFs waiting) while keeping every core busy.
const CHUNK: usize = 32;

impl Renderer {
    pub fn new(project: &Project) -> Self {
        Self::with_engine(Engine::new(Some(&project.fonts_dir())))
    }

    pub fn with_engine(engine: Engine) -> Self {
        Self { engine, worlds: HashMap::new() }
    }

    /// Renders the outputs of `releases` for which `wanted(id, lang)` holds, in
    /// each release's languages. `each` gets every output's outcome (its
    /// own errors included) in order and may fail it; the findings of every
    /// output and of the sources shared between them come back.
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &mut self,
        project: &Project,
        catalog: &Catalog,
        file_problems: Diagnostics,
        releases: &[(ReleaseId, Result<Arc<Release>, Diagnostics>)],
        wanted: impl Fn(&ReleaseId, &str) -> bool,
        settings: &Settings,
        mut each: impl FnMut(&Release, &str, Result<Rendered, Diagnostics>) -> Result<(), Diagnostics>,
    ) -> Diagnostics {
        let source_lang = project.source_language();
        // Problems in the Fluent files (`file_problems`, found when the
        // catalog was loaded) fail the outputs built from them: a broken
        // file never yields a PDF that silently lacks its text.
        let mut diagnostics = Diagnostics::default();
        let mut used = vec![false; file_problems.0.len()];
        let mut jobs = Vec::new();
        for (id, loaded) in releases {
            let release = match loaded {
                Ok(release) => release.clone(),
                Err(diags) => {
                    // Tagged, so a preview shows them on that release's page.
                    diagnostics.extend(diags.clone().map(|d| d.release(id.as_str())));
                    continue;
                }
            };
            for lang in release.languages.iter().filter(|l| wanted(id, l)) {
                let files = [
                    project.relative(&project.office_ftl(&source_lang)),
                    project.relative(&project.release_ftl(&source_lang, id)),
                    project.relative(&project.office_ftl(lang)),
                    project.relative(&project.release_ftl(lang, id)),
                ];
                let mut inputs = Diagnostics::default();
                for (i, problem) in file_problems.iter().enumerate() {
                    if problem.file_path().is_some_and(|f| files.iter().any(|p| p == f)) {
                        inputs.push(problem.clone());
                        used[i] = true;
                    }
                }
                jobs.push(Job { release: release.clone(), lang: lang.clone(), inputs });
            }
        }
        for (problem, used) in file_problems.into_iter().zip(used) {
            if !used {
                diagnostics.push(problem);
            }
        }

        // Each layout's sandbox, worked out once per render.
        let sandboxes: HashMap<&str, Arc<Sandbox>> = jobs
            .iter()
            .map(|job| {
                let layout = job.release.layout.as_str();
                (layout, Arc::new(sandbox(project, layout, settings.out_dir.as_deref())))
            })
            .collect();
        let new_world = |layout: &str| {
            let sandbox = sandboxes.get(layout).cloned().unwrap_or_default();
            self.engine.world(project.root(), &project.layout_main(layout), sandbox)
        };

        // Renders one job: its localizers, then the document, then Typst.
        let render_job = |job: &Job, world: Option<&mut LayoutWorld>| {
            // A deliberate bug on a worker thread, so tests can prove that
            // it ends the run as an internal error.
            if cfg!(debug_assertions)
                && std::env::var_os("PRESSROOM_TEST_PANIC").is_some_and(|v| v == "render")
            {
                panic!("PRESSROOM_TEST_PANIC=render");
            }
            let release = &job.release;
            let (localizers, mut inputs) = catalog.localizers(&job.lang, &release.id);
            let (source, target) = (&localizers.source, localizers.target());
            inputs.extend(job.inputs.clone());
            let tag = |d: Diagnostic| d.language(&job.lang).release(release.id.as_str());
            if inputs.has_errors() {
                return (Err(inputs.map(tag)), Diagnostics::default());
            }
            let mut fresh;
            let world = match world {
                Some(world) => world,
                None => match new_world(&release.layout) {
                    Ok(world) => {
                        fresh = world;
                        &mut fresh
                    }
                    Err(diag) => return (Err(tag(diag).into()), inputs),
                },
            };
            match render_one(project, world, release, target, source, settings) {
                Ok((rendered, warnings)) => {
                    inputs.extend(warnings);
                    (Ok(rendered), inputs)
                }
                Err(errors) => (Err(errors), inputs),
            }
        };

        let mut hand_on = |job: &Job,
                           outcome: Result<Rendered, Diagnostics>,
                           found: Diagnostics| {
            diagnostics.extend(found);
            if let Err(diags) = each(&job.release, &job.lang, outcome) {
                let tag = |d: Diagnostic| d.language(&job.lang).release(job.release.id.as_str());
                diagnostics.extend(diags.map(tag));
            }
        };
        if settings.mode.is_live() {
            for job in &jobs {
                let key = (job.release.id.clone(), job.lang.clone(), job.release.layout.clone());
                let world = match self.worlds.entry(key) {
                    std::collections::hash_map::Entry::Occupied(e) => Some(e.into_mut()),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        new_world(&job.release.layout).ok().map(|world| e.insert(world))
                    }
                };
                let (outcome, found) = render_job(job, world);
                hand_on(job, outcome, found);
            }
        } else {
            use rayon::prelude::*;
            for chunk in jobs.chunks(CHUNK) {
                let results: Vec<_> = chunk.par_iter().map(|job| render_job(job, None)).collect();
                for (job, (outcome, found)) in chunk.iter().zip(results) {
                    hand_on(job, outcome, found);
                }
            }
        }
        diagnostics
    }

    /// Forgets the worlds of a release (deleted, or its layout changed).
    pub fn forget(&mut self, id: &ReleaseId) {
        self.worlds.retain(|(release, _, _), _| release != id);
    }
}

/// One release in one language: the document model, then Typst, then the
/// glyph audit. All findings come back tagged with language and release.
fn render_one(
    project: &Project,
    world: &mut LayoutWorld,
    release: &Release,
    target: &Localizer,
    source: &Localizer,
    settings: &Settings,
) -> Result<(Rendered, Diagnostics), Diagnostics> {
    let lang = &target.lang;
    let tag_all = |diags: Diagnostics| diags.map(|d| d.language(lang).release(release.id.as_str()));
    let dates = DateFormat::new(&project.date_locale(lang)).map_err(|msg| {
        tag_all(Diagnostic::error("cldr", msg).in_file(crate::project::CONFIG_FILE).into())
    })?;
    let signed = settings.signature_line.as_ref().map(|s| (s.signatory.as_str(), s.date));
    let draft = settings.mode.is_draft();
    let marks = settings.mode.images();
    let sources = Sources { project, release, target, source, draft, signed, marks, web: false };
    let (document, mut warnings) = document::build(&sources, &dates)?;
    let data = serde_json::to_vec(&document).map_err(|err| {
        tag_all(Diagnostic::error("internal", format!("document model: {err}")).into())
    })?;

    let ident = format!("{}.{lang}", release.id);
    let mut rendered = render::render(
        world,
        data,
        release.date,
        &ident,
        settings.source_date_epoch,
        settings.mode.images(),
    )
    .map_err(|diags| {
        // Typst refuses to export a letter no font has (PDF/A); say
        // where the letter is in the text, not only in the layout.
        let mut located = GlyphAudit::default();
        for d in diags.iter() {
            if let Some(text) =
                d.message.split("the text `\"").nth(1).and_then(|rest| rest.split("\"`").next())
            {
                located.missing.extend(text.chars().filter(|c| !c.is_whitespace()));
            }
        }
        let mut all = glyph_diagnostics(&located, target, source, false);
        all.extend(diags);
        tag_all(all)
    })?;
    warnings.extend(tag_all(rendered.warnings.clone()));
    let glyph_problems = tag_all(glyph_diagnostics(&rendered.glyphs, target, source, draft));
    let failed = glyph_problems.has_errors();
    warnings.extend(glyph_problems);
    if failed {
        return Err(warnings);
    }
    rendered.signature_line = document.signature.map(|line| line.value);
    if settings.signature_line.is_some() {
        rendered.empty_signature_field = document::empty_signature_field(target, source);
    }
    Ok((rendered, warnings))
}
