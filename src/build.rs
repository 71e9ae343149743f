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
    /// Rebuilding live (watch): outputs are not synced to disk and the
    /// translation state is kept in memory, so a save costs no fsync.
    pub live: bool,
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

/// Builds the selected outputs. `on_output` is called as each PDF lands.
pub fn build(
    project: &Project,
    options: &BuildOptions,
    mut on_output: impl FnMut(&Output),
) -> Result<BuildReport, Diagnostics> {
    let out_dir = output_dir(project, options);
    let mut outputs = Vec::new();
    let diagnostics = render_each(project, options, |release, lang, mut rendered| {
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
        on_output(&output);
        outputs.push(output);
        Ok(())
    })?;
    Ok(BuildReport { outputs, diagnostics })
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

/// Renders outputs, keeping one Typst world per output between calls so a
/// rebuild after a small change reuses Typst's work (watch mode).
pub struct Renderer {
    engine: Engine,
    worlds: HashMap<(ReleaseId, String, String), LayoutWorld>,
}

impl Renderer {
    pub fn new(project: &Project) -> Self {
        Self { engine: Engine::new(Some(&project.fonts_dir())), worlds: HashMap::new() }
    }

    /// Renders the outputs of `ids` for which `wanted(id, lang)` holds, in
    /// each release's languages. `each` gets every output's outcome (its
    /// own errors included) and may fail it; the findings of every output
    /// and of the sources shared between them come back.
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
        for id in ids {
            let release = match Release::load(project, id) {
                Ok(release) => release,
                Err(diags) => {
                    diagnostics.extend(diags);
                    continue;
                }
            };
            let (source, source_diags) = catalog.localizer(&source_lang, id);
            for lang in release.languages.iter().filter(|l| wanted(id, l)) {
                let mut inputs = source_diags.clone();
                let loaded;
                let target = if *lang == source_lang {
                    &source
                } else {
                    let (target, diags) = catalog.localizer(lang, id);
                    inputs.extend(diags);
                    loaded = target;
                    &loaded
                };
                let files = [
                    project.relative(&project.office_ftl(&source_lang)),
                    project.relative(&project.release_ftl(&source_lang, id)),
                    project.relative(&project.office_ftl(lang)),
                    project.relative(&project.release_ftl(lang, id)),
                ];
                for (i, problem) in file_problems.iter().enumerate() {
                    if problem.file_path().is_some_and(|f| files.iter().any(|p| p == f)) {
                        inputs.push(problem.clone());
                        used[i] = true;
                    }
                }
                if inputs.has_errors() {
                    let tag = |d: Diagnostic| d.release(id.as_str());
                    if let Err(diags) = each(
                        &release,
                        lang,
                        Err(Diagnostics(inputs.into_iter().map(tag).collect())),
                    ) {
                        diagnostics.extend(diags);
                    }
                    continue;
                }
                diagnostics.extend(inputs);
                let key = (id.clone(), lang.clone(), release.layout.clone());
                let world = match self.worlds.entry(key) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        let main = project.layout_main(&release.layout);
                        match self.engine.world(project.root(), &main) {
                            Ok(world) => e.insert(world),
                            Err(diag) => {
                                diagnostics.push(diag.language(lang).release(id.as_str()));
                                continue;
                            }
                        }
                    }
                };
                let outcome = render_one(project, world, &release, target, &source, options);
                let outcome = match outcome {
                    Ok((rendered, warnings)) => {
                        diagnostics.extend(warnings);
                        Ok(rendered)
                    }
                    Err(diags) => Err(diags),
                };
                if let Err(diags) = each(&release, lang, outcome) {
                    let tag = |d: Diagnostic| d.language(lang).release(id.as_str());
                    diagnostics.extend(Diagnostics(diags.into_iter().map(tag).collect()));
                }
            }
        }
        for (problem, used) in file_problems.into_iter().zip(used) {
            if !used {
                diagnostics.push(problem);
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
    let sources = Sources { project, release, target, source, draft: options.draft };
    let (document, mut warnings) = document::build(&sources, &dates)?;
    let data = serde_json::to_vec(&document).map_err(|err| {
        tag_all(Diagnostic::error("internal", format!("document model: {err}")).into())
    })?;

    let ident = format!("{}.{lang}", release.id);
    let rendered = render::render(world, data, release.date, &ident, options.source_date_epoch)
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
