//! `pressroom build`: every (release, language) output from sources to a PDF
//! written atomically, skipping what is up to date. Finals go to `out/`,
//! drafts to `out/drafts/` under a `.draft.pdf` name: a draft never lands
//! where a final is expected.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use crate::atomic::{Durability, write_atomic, write_atomic_with};
use crate::diag::{Diagnostic, Diagnostics};
use crate::freshness::{Fingerprints, Kind, Manifest};
use crate::l10n::Catalog;
use crate::names::ReleaseId;
use crate::pipeline::{Mode, Renderer, Settings};
use crate::project::{Project, Selection};
use crate::release::Release;
use crate::render::{Engine, Rendered};
use crate::sign::Signing;

/// The folder, under the output folder, that drafts are written to.
pub const DRAFTS_DIR: &str = "drafts";

/// What to build.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Which releases, in which languages (none named: each release's own).
    pub selection: Selection,
    /// Output folder; `out/` under the root by default.
    pub out: Option<PathBuf>,
    /// Also write each output's document model as JSON beside its PDF.
    pub emit_model: bool,
    /// Rebuild even what is up to date.
    pub force: bool,
    /// Final or draft.
    pub settings: Settings,
    /// Sign each PDF (finals only).
    pub signing: Option<Signing>,
}

/// One PDF written.
#[derive(Debug, Clone)]
pub struct Output {
    pub release: ReleaseId,
    pub lang: String,
    pub path: PathBuf,
    pub pages: usize,
    /// How long it took to lay out and export.
    pub took: std::time::Duration,
}

/// What a build did: the PDFs it wrote and everything it found. A build
/// with errors still writes the outputs that had none.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub outputs: Vec<Output>,
    pub diagnostics: Diagnostics,
    /// Outputs already built from the same inputs.
    pub skipped: usize,
    /// (release, language) -> the fingerprint of the sources its PDF on
    /// disk is now made from: each output up to date or written by this run.
    pub current: HashMap<(ReleaseId, String), String>,
}

/// What a build tells its user as it goes.
pub trait BuildEvents {
    /// How many outputs will be rendered, and how many are up to date.
    fn planned(&mut self, _to_build: usize, _up_to_date: usize) {}
    /// An output is up to date: built from the same sources, and on disk
    /// byte for byte as it was written.
    fn skipped(&mut self, _file: &Path) {}
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
    build_loaded(project, options, events, None)
}

/// [`build`], with the selected releases already read (`publish` reads
/// them first for their templates): each is read once.
pub fn build_loaded(
    project: &Project,
    options: &BuildOptions,
    events: &mut dyn BuildEvents,
    loaded: Option<crate::pipeline::Loaded>,
) -> Result<BuildReport, Diagnostics> {
    let settings = &Settings {
        out_dir: Some(output_root(project, options.out.as_deref())),
        ..options.settings.clone()
    };
    let mode = settings.mode;
    let out_dir = output_dir(project, options.out.as_deref(), mode);
    // Parsing the fonts takes a few milliseconds: do it while the sources
    // are fingerprinted.
    let fonts_dir = project.fonts_dir();
    let engine = std::thread::spawn(move || Engine::new(Some(&fonts_dir)));
    let ids = options.selection.release_ids(project)?;
    let languages = options.selection.checked_languages(project)?;
    let wanted = |lang: &str| languages.is_empty() || languages.iter().any(|l| l == lang);

    // The translation state is the build's own bookkeeping: bring it up to
    // date first, so that fingerprints see which messages are stale, never
    // the state file a previous build rewrote.
    let (catalog, file_problems) = Catalog::load_and_record(project, &ids);
    // Each release is read once: planned and rendered from the same model.
    let releases = match loaded {
        Some(loaded) if loaded.iter().map(|(id, _)| id).eq(ids.iter()) => loaded,
        _ => crate::pipeline::load_releases(project, &ids),
    };

    // What is already built from the same inputs, and is on disk as it was
    // written, is skipped.
    let kind = match (mode, &options.signing) {
        (Mode::Final, None) => Kind::Final,
        (Mode::Final, Some(_)) => Kind::Signed,
        _ => Kind::Draft,
    };
    // Who signs and at which level: a signed PDF at another level (or by
    // another signer) is not the one asked for.
    let signer = options
        .signing
        .as_ref()
        .map(|s| format!("{} {}", s.signer.subject(), s.signer.level.name()));
    let flags = crate::freshness::flags(
        kind,
        signer.as_deref(),
        settings.source_date_epoch,
        options.emit_model,
    );
    let mut fingerprints =
        Fingerprints::new(project, &flags, &output_root(project, options.out.as_deref()));
    let mut manifest = Manifest::load(&out_dir);
    let plan = plan(
        &catalog,
        &releases,
        |_, lang| wanted(lang),
        &mut fingerprints,
        (!options.force).then_some((&manifest, kind)),
        |id, lang| output_file(&out_dir, id, lang, mode),
    );
    let skipped = plan.up_to_date.len();
    let mut current: HashMap<(ReleaseId, String), String> = plan.current;
    for file in &plan.up_to_date {
        events.skipped(file);
    }
    let pending = plan.to_render;
    // A release that does not load is rendered whole, to report why.
    let unreadable = plan.unreadable;
    let todo: crate::pipeline::Loaded = releases
        .into_iter()
        .filter(|(id, _)| unreadable.contains(id) || pending.keys().any(|(r, _)| r == id))
        .collect();
    events.planned(pending.len() + unreadable.len(), skipped);

    let mut outputs = Vec::new();
    // A panic while loading fonts is a bug: it ends the run like any other.
    let engine = engine.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let mut renderer = Renderer::with_engine(engine);
    let stale = |id: &ReleaseId, lang: &str| {
        unreadable.contains(id) || pending.contains_key(&(id.clone(), lang.to_owned()))
    };
    let mut diagnostics = renderer.render(
        project,
        &catalog,
        file_problems,
        &todo,
        stale,
        settings,
        |release, lang, outcome| {
            let file = output_file(&out_dir, &release.id, lang, mode);
            let mut rendered = match outcome {
                Ok(rendered) => rendered,
                Err(diags) => {
                    manifest.forget(&file);
                    return Err(diags);
                }
            };
            if let Some(signing) = &options.signing {
                let line = rendered.signature_line.as_deref();
                let empty = rendered.empty_signature_field.as_deref().or(line).unwrap_or_default();
                let tooltips = signing.tooltips(line, empty);
                rendered.pdf =
                    crate::sign::sign_pdf(&rendered.pdf, &signing.signer, &signing.time, &tooltips)
                        .map_err(|e| e.to_diagnostic())?;
            }
            let output = write_output(&file, &release.id, lang, &rendered, Durability::Synced)?;
            if options.emit_model {
                let path = output.path.with_extension("json");
                write_atomic(&path, &rendered.model).map_err(|err| {
                    Diagnostic::error("write", format!("cannot write {}: {err}", path.display()))
                })?;
            }
            let key = (release.id.clone(), lang.to_owned());
            if let Some(fingerprint) = pending.get(&key) {
                manifest.record(&file, fingerprint.clone(), kind, &rendered.pdf);
                current.insert(key, fingerprint.clone());
            }
            events.wrote(&output);
            outputs.push(output);
            Ok(())
        },
    );
    for warning in fingerprints.warnings() {
        diagnostics.push(warning);
    }
    if let Err(err) = manifest.save(Durability::Synced) {
        diagnostics.push(Diagnostic::warning(
            "write",
            format!("cannot record what was built (the next build redoes it): {err}"),
        ));
    }
    Ok(BuildReport { outputs, diagnostics, skipped, current })
}

/// What a build or a watcher has to render.
pub struct Plan {
    /// (release, language) -> the fingerprint of its inputs.
    pub to_render: HashMap<(ReleaseId, String), String>,
    /// The files already built from the same inputs and unchanged on disk.
    pub up_to_date: Vec<PathBuf>,
    /// (release, language) -> the fingerprint of each output up to date.
    pub current: HashMap<(ReleaseId, String), String>,
    /// Releases whose TOML does not load.
    pub unreadable: Vec<ReleaseId>,
}

/// Fingerprints each `wanted` output of `releases` and sorts it: to render, or
/// up to date when `current` (the manifest of the output folder and the
/// kind asked for) says its file (`file`) was built from the same inputs.
pub fn plan(
    catalog: &Catalog,
    releases: &[(ReleaseId, Result<std::sync::Arc<Release>, Diagnostics>)],
    wanted: impl Fn(&ReleaseId, &str) -> bool,
    fingerprints: &mut Fingerprints,
    current: Option<(&Manifest, Kind)>,
    file: impl Fn(&ReleaseId, &str) -> PathBuf,
) -> Plan {
    let mut plan = Plan {
        to_render: HashMap::new(),
        up_to_date: Vec::new(),
        current: HashMap::new(),
        unreadable: Vec::new(),
    };
    for (id, loaded) in releases {
        let Ok(release) = loaded else {
            plan.unreadable.push(id.clone());
            continue;
        };
        for lang in release.languages.iter().filter(|l| wanted(id, l)) {
            let stale = catalog.stale_for(lang, id);
            let fingerprint = fingerprints.output(id, lang, &release.layout, &stale);
            let path = file(id, lang);
            match current {
                Some((manifest, kind)) if manifest.is_current(&path, &fingerprint, kind) => {
                    plan.up_to_date.push(path);
                    plan.current.insert((id.clone(), lang.clone()), fingerprint);
                }
                _ => {
                    plan.to_render.insert((id.clone(), lang.clone()), fingerprint);
                }
            }
        }
    }
    plan
}

/// Where outputs of `mode` go: `--out` (or `out/` under the root) for
/// finals, its `drafts/` folder for drafts.
pub fn output_dir(project: &Project, out: Option<&Path>, mode: Mode) -> PathBuf {
    let out = output_root(project, out);
    if mode.is_draft() { out.join(DRAFTS_DIR) } else { out }
}

/// The output folder a command writes under: `--out`, else `out/`.
pub fn output_root(project: &Project, out: Option<&Path>) -> PathBuf {
    out.map(Path::to_path_buf).unwrap_or_else(|| project.root().join("out"))
}

/// `<id>.<lang>.pdf` for a final, `<id>.<lang>.draft.pdf` for a draft, so a
/// draft copied elsewhere still says what it is.
pub fn output_file(dir: &Path, id: &ReleaseId, lang: &str, mode: Mode) -> PathBuf {
    let suffix = if mode.is_draft() { ".draft" } else { "" };
    dir.join(format!("{id}.{lang}{suffix}.pdf"))
}

/// Writes one rendered output atomically to `path`.
pub fn write_output(
    path: &Path,
    id: &ReleaseId,
    lang: &str,
    rendered: &Rendered,
    durability: Durability,
) -> Result<Output, Diagnostic> {
    write_atomic_with(path, &rendered.pdf, durability).map_err(|err| {
        Diagnostic::error("write", format!("cannot write {}: {err}", path.display()))
    })?;
    Ok(Output {
        release: id.clone(),
        lang: lang.to_owned(),
        path: path.to_path_buf(),
        pages: rendered.pages,
        took: rendered.took,
    })
}
