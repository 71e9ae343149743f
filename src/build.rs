//! `pressroom build`: every (release, language) output from sources to a PDF
//! written atomically.

use std::path::PathBuf;

pub use crate::atomic::write_atomic;
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{self, Sources};
use crate::l10n::{Catalog, DateFormat, Localizer};
use crate::project::Project;
use crate::release::{Release, ReleaseId};
use crate::render::{self, Engine, GlyphAudit, Rendered};

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
    let out_dir = options.out.clone().unwrap_or_else(|| project.root().join("out"));
    let mut outputs = Vec::new();
    let diagnostics = render_each(project, options, |release, lang, rendered| {
        let path = out_dir.join(format!("{}.{lang}.pdf", release.id));
        write_atomic(&path, &rendered.pdf).map_err(|err| {
            Diagnostic::error("write", format!("cannot write {}: {err}", path.display()))
        })?;
        let output = Output {
            release: release.id.clone(),
            lang: lang.to_owned(),
            path,
            pages: rendered.pages,
        };
        on_output(&output);
        outputs.push(output);
        Ok(())
    })?;
    Ok(BuildReport { outputs, diagnostics })
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
    let engine = Engine::new(Some(&project.fonts_dir()));
    let source_lang = project.source_language();

    let (catalog, mut diagnostics) = Catalog::load(project, &ids);
    for id in ids {
        let release = match Release::load(project, &id) {
            Ok(release) => release,
            Err(diags) => {
                diagnostics.extend(diags);
                continue;
            }
        };
        let (source, source_diags) = catalog.localizer(&source_lang, &id);
        diagnostics.extend(source_diags);
        for lang in &release.languages {
            if !languages.is_empty() && !languages.contains(lang) {
                continue;
            }
            let loaded;
            let target = if *lang == source_lang {
                &source
            } else {
                let (target, diags) = catalog.localizer(lang, &id);
                diagnostics.extend(diags);
                loaded = target;
                &loaded
            };
            let tag = |d: Diagnostic| d.language(lang).release(id.as_str());
            match render_one(project, &engine, &release, target, &source, options) {
                Ok((rendered, warnings)) => {
                    diagnostics.extend(warnings);
                    if let Err(diag) = each(&release, lang, rendered) {
                        diagnostics.push(tag(diag));
                    }
                }
                Err(diags) => diagnostics.extend(diags),
            }
        }
    }
    Ok(diagnostics)
}

/// One release in one language: the document model, then Typst, then the
/// glyph audit. All findings come back tagged with language and release.
fn render_one(
    project: &Project,
    engine: &Engine,
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

    let mut world = engine
        .world(project.root(), &project.layout_main(&release.layout))
        .map_err(|d| tag_all(d.into()))?;
    let ident = format!("{}.{lang}", release.id);
    let rendered =
        render::render(&mut world, data, release.date, &ident, options.source_date_epoch).map_err(
            |diags| {
                // Typst refuses to export a letter no font has (PDF/A); say
                // where the letter is in the text, not only in the layout.
                let mut located = GlyphAudit::default();
                for d in diags.iter() {
                    if let Some(text) = d
                        .message
                        .split("the text `\"")
                        .nth(1)
                        .and_then(|rest| rest.split("\"`").next())
                    {
                        located.missing.extend(text.chars().filter(|c| !c.is_whitespace()));
                    }
                }
                let mut all = glyph_diagnostics(&located, target, source, false);
                all.extend(diags);
                tag_all(all)
            },
        )?;
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
