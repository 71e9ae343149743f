//! `pressroom build`: every (release, language) output from sources to a PDF
//! written atomically.

use std::collections::HashMap;
use std::path::PathBuf;

pub use crate::atomic::{Durability, write_atomic, write_atomic_with};
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{self, Sources};
use crate::l10n::{Catalog, DateFormat, Localizer};
use crate::project::Project;
use crate::release::{Release, ReleaseId};
use crate::render::{self, Engine, GlyphAudit, LayoutWorld, Rendered};

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Release ids; empty means all.
    pub releases: Vec<String>,
    /// Languages; empty means each release's own.
    pub languages: Vec<String>,
    pub draft: bool,
    /// Output folder; `out/` under the root by default.
    pub out: Option<PathBuf>,
    /// `SOURCE_DATE_EPOCH`: the PDFs' creation date, instead of the release's.
    pub source_date_epoch: Option<i64>,
    /// Also write each output's document model as `<id>.<lang>.json`.
    pub emit_model: bool,
    /// Sign each PDF with this signer, /M set to `signing_time`.
    pub signer: Option<std::sync::Arc<crate::sign::Signer>>,
    pub signing_time: String,
    /// The date shown in the visible signature line.
    pub signing_date: crate::release::Date,
    /// Rebuild even what is up to date.
    pub force: bool,
    /// Rebuilding live (watch): outputs are not synced to disk and the
    /// translation state is kept in memory, so a save costs no fsync.
    pub live: bool,
    /// Also draw each output's pages as SVG (the browser preview).
    pub images: bool,
}

/// One PDF written.
#[derive(Debug, Clone)]
pub struct Output {
    pub release: ReleaseId,
    pub lang: String,
    pub path: PathBuf,
    pub pages: usize,
}

/// What a build did: the PDFs it wrote and everything it found. A build
/// with errors still writes the outputs that had none.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub outputs: Vec<Output>,
    pub diagnostics: Diagnostics,
    /// Outputs already built from the same inputs.
    pub skipped: usize,
}

/// The releases a command names (all when `names` is empty), each checked
/// to be a valid id of an existing release before anything is read.
pub fn select_releases(project: &Project, names: &[String]) -> Result<Vec<ReleaseId>, Diagnostics> {
    let all = project.release_ids()?;
    if names.is_empty() {
        return Ok(all);
    }
    let mut diags = Diagnostics::default();
    let mut ids = Vec::new();
    for name in names {
        match ReleaseId::new(name) {
            Ok(id) if all.contains(&id) => ids.push(id),
            Ok(id) => diags.push(
                Diagnostic::error("release-missing", format!("there is no release `{id}`"))
                    .in_file(project.relative(&project.release_file(&id)))
                    .hint(match all.len() {
                        0 => "releases/ is empty; `pressroom new <slug>` scaffolds one".to_owned(),
                        _ => format!(
                            "known releases: {}",
                            all.iter().map(ReleaseId::as_str).collect::<Vec<_>>().join(", ")
                        ),
                    }),
            ),
            Err(diag) => diags.push(diag),
        }
    }
    diags.into_result(ids)
}

/// Checks `--lang` values against the office's languages.
pub fn select_languages(project: &Project, names: &[String]) -> Result<Vec<String>, Diagnostics> {
    let known = project.languages();
    let mut diags = Diagnostics::default();
    for name in names {
        if !known.contains(name) {
            diags.push(
                Diagnostic::error(
                    "language",
                    format!("`{name}` is not one of the office's languages"),
                )
                .in_file(crate::project::CONFIG_FILE)
                .hint(format!("pressroom.toml lists: {}", known.join(", "))),
            );
        }
    }
    diags.into_result(names.to_vec())
}

/// What a build tells its user as it goes.
pub trait BuildEvents {
    /// How many outputs will be rendered, and how many are up to date.
    fn planned(&mut self, _to_build: usize, _up_to_date: usize) {}
    /// A PDF landed.
    fn wrote(&mut self, output: &Output);
}

impl<F: FnMut(&Output)> BuildEvents for F {
    fn wrote(&mut self, output: &Output) {
        self(output)
    }
}

/// Builds the selected outputs, skipping those already built from the same
/// inputs (unless `force`), rendering the rest in parallel.
pub fn build(
    project: &Project,
    options: &BuildOptions,
    events: &mut dyn BuildEvents,
) -> Result<BuildReport, Diagnostics> {
    let out_dir = output_dir(project, options);
    // Parsing the fonts takes a few milliseconds: do it while the sources
    // are fingerprinted.
    let fonts_dir = project.fonts_dir();
    let engine = std::thread::spawn(move || Engine::new(Some(&fonts_dir)));
    let ids = select_releases(project, &options.releases)?;
    let languages = select_languages(project, &options.languages)?;
    let wanted = |lang: &str| languages.is_empty() || languages.iter().any(|l| l == lang);

    // What is already built from the same inputs is skipped.
    let flags = format!(
        "draft={} sign={} epoch={:?} model={}",
        options.draft,
        options.signer.as_ref().map(|s| s.subject()).unwrap_or_default(),
        options.source_date_epoch,
        options.emit_model
    );
    let mut fingerprints = crate::freshness::Fingerprints::new(project, &flags);
    let mut manifest = crate::freshness::Manifest::load(&out_dir);
    let mut pending: HashMap<(ReleaseId, String), String> = HashMap::new();
    let mut skipped = 0;
    for id in &ids {
        // A release that does not load is rendered, to report why.
        let Ok(release) = Release::load(project, id) else {
            pending.insert((id.clone(), String::new()), String::new());
            continue;
        };
        for lang in release.languages.iter().filter(|l| wanted(l)) {
            let fingerprint = fingerprints.output(id, lang, &release.layout);
            let file = out_dir.join(format!("{id}.{lang}.pdf"));
            if !options.force && manifest.is_current(&file, &fingerprint) {
                skipped += 1;
            } else {
                pending.insert((id.clone(), lang.clone()), fingerprint);
            }
        }
    }
    let todo: Vec<ReleaseId> =
        ids.iter().filter(|id| pending.keys().any(|(r, _)| r == *id)).cloned().collect();

    let mut outputs = Vec::new();
    let engine = match engine.join() {
        Ok(engine) => engine,
        Err(_) => Engine::new(Some(&project.fonts_dir())),
    };
    let mut renderer = Renderer::with_engine(engine);
    let stale = |id: &ReleaseId, lang: &str| {
        pending.contains_key(&(id.clone(), lang.to_owned()))
            || pending.contains_key(&(id.clone(), String::new()))
    };
    let diagnostics = renderer.render(project, &todo, stale, options, |release, lang, outcome| {
        let file = out_dir.join(format!("{}.{lang}.pdf", release.id));
        let mut rendered = match outcome {
            Ok(rendered) => rendered,
            Err(diags) => {
                manifest.forget(&file);
                return Err(diags);
            }
        };
        if let Some(signer) = &options.signer {
            rendered.pdf = crate::sign::sign_pdf(&rendered.pdf, signer, &options.signing_time)
                .map_err(|e| e.to_diagnostic())?;
        }
        let output = write_output(&out_dir, &release.id, lang, &rendered, Durability::Synced)?;
        if options.emit_model {
            let path = output.path.with_extension("json");
            write_atomic(&path, &rendered.model).map_err(|err| {
                Diagnostic::error("write", format!("cannot write {}: {err}", path.display()))
            })?;
        }
        let key = (release.id.clone(), lang.to_owned());
        if let Some(fingerprint) = pending.get(&key) {
            manifest.record(&file, fingerprint.clone());
        }
        events.wrote(&output);
        outputs.push(output);
        Ok(())
    });
    let mut diagnostics = diagnostics;
    if let Err(err) = manifest.save() {
        diagnostics.push(Diagnostic::warning(
            "write",
            format!("cannot record what was built (the next build redoes it): {err}"),
        ));
    }
    Ok(BuildReport { outputs, diagnostics, skipped })
}

/// Where PDFs go: `--out`, or `out/` under the root.
pub fn output_dir(project: &Project, options: &BuildOptions) -> PathBuf {
    options.out.clone().unwrap_or_else(|| project.root().join("out"))
}

/// Writes one rendered output atomically as `<out>/<id>.<lang>.pdf`.
pub fn write_output(
    out_dir: &std::path::Path,
    id: &ReleaseId,
    lang: &str,
    rendered: &Rendered,
    durability: Durability,
) -> Result<Output, Diagnostic> {
    let path = out_dir.join(format!("{id}.{lang}.pdf"));
    write_atomic_with(&path, &rendered.pdf, durability).map_err(|err| {
        Diagnostic::error("write", format!("cannot write {}: {err}", path.display()))
    })?;
    Ok(Output { release: id.clone(), lang: lang.to_owned(), path, pages: rendered.pages })
}

/// Renders each selected (release, language) output and hands the good ones
/// to `each`. Returns every finding; `Err` only when nothing could start
/// (an unknown release or language named).
pub fn render_each(
    project: &Project,
    options: &BuildOptions,
    mut each: impl FnMut(&Release, &str, Rendered) -> Result<(), Diagnostic>,
) -> Result<Diagnostics, Diagnostics> {
    let ids = select_releases(project, &options.releases)?;
    let languages = select_languages(project, &options.languages)?;
    let mut renderer = Renderer::new(project);
    let wanted =
        |_: &ReleaseId, lang: &str| languages.is_empty() || languages.iter().any(|l| l == lang);
    Ok(renderer.render(project, &ids, wanted, options, |release, lang, outcome| match outcome {
        Ok(rendered) => each(release, lang, rendered).map_err(Diagnostics::from),
        Err(diags) => Err(diags),
    }))
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
    release: std::sync::Arc<Release>,
    lang: String,
    inputs: Diagnostics,
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

    /// Renders the outputs of `ids` for which `wanted(id, lang)` holds, in
    /// each release's languages. `each` gets every output's outcome (its
    /// own errors included) in order and may fail it; the findings of every
    /// output and of the sources shared between them come back.
    pub fn render(
        &mut self,
        project: &Project,
        ids: &[ReleaseId],
        wanted: impl Fn(&ReleaseId, &str) -> bool,
        options: &BuildOptions,
        mut each: impl FnMut(&Release, &str, Result<Rendered, Diagnostics>) -> Result<(), Diagnostics>,
    ) -> Diagnostics {
        let source_lang = project.source_language();
        // Problems in the Fluent files fail the outputs built from them (a
        // broken file never yields a PDF that silently lacks its text).
        let (catalog, file_problems) = Catalog::load(project, ids, !options.live);
        let mut diagnostics = Diagnostics::default();
        let mut used = vec![false; file_problems.0.len()];
        let mut jobs = Vec::new();
        for id in ids {
            let release = match Release::load(project, id) {
                Ok(release) => std::sync::Arc::new(release),
                Err(diags) => {
                    // Tagged, so a preview shows them on that release's page.
                    diagnostics.extend(Diagnostics(
                        diags.into_iter().map(|d| d.release(id.as_str())).collect(),
                    ));
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

        // Renders one job: its localizers, then the document, then Typst.
        let engine = &self.engine;
        let render_job = |job: &Job, world: Option<&mut LayoutWorld>| {
            let release = &job.release;
            let (source, mut inputs) = catalog.localizer(&source_lang, &release.id);
            let own;
            let target = if job.lang == source_lang {
                &source
            } else {
                let (target, found) = catalog.localizer(&job.lang, &release.id);
                inputs.extend(found);
                own = target;
                &own
            };
            inputs.extend(job.inputs.clone());
            let tag = |d: Diagnostic| d.language(&job.lang).release(release.id.as_str());
            if inputs.has_errors() {
                return (
                    Err(Diagnostics(inputs.into_iter().map(tag).collect())),
                    Diagnostics::default(),
                );
            }
            let mut fresh;
            let world = match world {
                Some(world) => world,
                None => match engine.world(project.root(), &project.layout_main(&release.layout)) {
                    Ok(world) => {
                        fresh = world;
                        &mut fresh
                    }
                    Err(diag) => return (Err(tag(diag).into()), inputs),
                },
            };
            match render_one(project, world, release, target, &source, options) {
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
                diagnostics.extend(Diagnostics(diags.into_iter().map(tag).collect()));
            }
        };
        if options.live {
            for job in &jobs {
                let key = (job.release.id.clone(), job.lang.clone(), job.release.layout.clone());
                let world = match self.worlds.entry(key) {
                    std::collections::hash_map::Entry::Occupied(e) => Some(e.into_mut()),
                    std::collections::hash_map::Entry::Vacant(e) => engine
                        .world(project.root(), &project.layout_main(&job.release.layout))
                        .ok()
                        .map(|world| e.insert(world)),
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
    options: &BuildOptions,
) -> Result<(Rendered, Diagnostics), Diagnostics> {
    let lang = &target.lang;
    let tag_all = |diags: Diagnostics| {
        Diagnostics(
            diags.into_iter().map(|d| d.language(lang).release(release.id.as_str())).collect(),
        )
    };
    let dates = DateFormat::new(&project.date_locale(lang)).map_err(|msg| {
        tag_all(Diagnostic::error("cldr", msg).in_file(crate::project::CONFIG_FILE).into())
    })?;
    let signed = options
        .signer
        .as_ref()
        .and_then(|s| s.signatory.as_deref())
        .map(|who| (who, options.signing_date));
    let sources = Sources { project, release, target, source, draft: options.draft, signed };
    let (document, mut warnings) = document::build(&sources, &dates)?;
    let data = serde_json::to_vec(&document).map_err(|err| {
        tag_all(Diagnostic::error("internal", format!("document model: {err}")).into())
    })?;

    let ident = format!("{}.{lang}", release.id);
    let rendered = render::render(
        world,
        data,
        release.date,
        &ident,
        options.source_date_epoch,
        options.images,
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
    let glyph_problems =
        tag_all(glyph_diagnostics(&rendered.glyphs, target, source, options.draft));
    let failed = glyph_problems.has_errors();
    warnings.extend(glyph_problems);
    if failed {
        return Err(warnings);
    }
    Ok((rendered, warnings))
}

/// Letters printed as a blank box (an error in a final build) or set in a
/// fallback face (a warning), each named with its language and, where it can
/// be found, the message it is in.
fn glyph_diagnostics(
    audit: &GlyphAudit,
    target: &Localizer,
    source: &Localizer,
    draft: bool,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for &letter in &audit.missing {
        let message = format!(
            "no font has `{letter}` (U+{:04X}): it would print as a blank box",
            letter as u32
        );
        let mut d = if draft {
            Diagnostic::warning("glyph-missing", message)
        } else {
            Diagnostic::error("glyph-missing", message)
        };
        if let Some((file, span, entry)) =
            target.find_char(letter).or_else(|| source.find_char(letter))
        {
            d.message = format!("{} (in `{entry}`)", d.message);
            d = d.at(&file.source, span);
        }
        diags.push(d.hint("use another character, or put a font that has it in fonts/"));
    }
    // One warning per pair of faces, naming every letter concerned.
    let mut by_faces: std::collections::BTreeMap<(&str, &str), String> = Default::default();
    for fallback in &audit.fallbacks {
        let letters = by_faces.entry((&fallback.used, &fallback.wanted)).or_default();
        letters.push_str(&format!(
            "{}`{}`",
            if letters.is_empty() { "" } else { ", " },
            fallback.letter
        ));
    }
    for ((used, wanted), letters) in by_faces {
        diags.push(
            Diagnostic::warning(
                "glyph-fallback",
                format!("{letters} set in {used}: {wanted} lacks them"),
            )
            .hint("avoid that style in this language (bold inside italic, say), or put a font with that face in fonts/"),
        );
    }
    diags
}
