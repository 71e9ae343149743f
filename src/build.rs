//! `pressroom build`: every (release, language) output from sources to a PDF
//! written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{self, Sources};
use crate::l10n::{DateFormat, Localizer};
use crate::project::Project;
use crate::release::{Release, ReleaseId};
use crate::render::{self, Engine};

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
                            all.iter()
                                .map(ReleaseId::as_str)
                                .collect::<Vec<_>>()
                                .join(", ")
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
    let ids = select_releases(project, &options.releases)?;
    let languages = select_languages(project, &options.languages)?;
    let out_dir = options
        .out
        .clone()
        .unwrap_or_else(|| project.root().join("out"));
    let engine = Engine::new(Some(&project.fonts_dir()));
    let source_lang = project.source_language();

    let mut report = BuildReport::default();
    for id in ids {
        let release = match Release::load(project, &id) {
            Ok(release) => release,
            Err(diags) => {
                report.diagnostics.extend(diags);
                continue;
            }
        };
        let (source, source_diags) = Localizer::load(project, &source_lang, &id);
        report.diagnostics.extend(source_diags);
        for lang in &release.languages {
            if !languages.is_empty() && !languages.contains(lang) {
                continue;
            }
            let result = if *lang == source_lang {
                build_one(
                    project, &engine, &release, &source, &source, options, &out_dir,
                )
            } else {
                let (target, diags) = Localizer::load(project, lang, &id);
                report.diagnostics.extend(diags);
                build_one(
                    project, &engine, &release, &target, &source, options, &out_dir,
                )
            };
            match result {
                Ok((output, warnings)) => {
                    report.diagnostics.extend(warnings);
                    on_output(&output);
                    report.outputs.push(output);
                }
                Err(diags) => report.diagnostics.extend(diags),
            }
        }
    }
    Ok(report)
}

fn build_one(
    project: &Project,
    engine: &Engine,
    release: &Release,
    target: &Localizer,
    source: &Localizer,
    options: &BuildOptions,
    out_dir: &Path,
) -> Result<(Output, Diagnostics), Diagnostics> {
    let draft = options.draft;
    let lang = &target.lang;
    let tag = |d: Diagnostic| d.language(lang).release(release.id.as_str());
    let dates = DateFormat::new(&project.date_locale(lang))
        .map_err(|msg| tag(Diagnostic::error("cldr", msg).in_file(crate::project::CONFIG_FILE)))?;
    let sources = Sources {
        project,
        release,
        target,
        source,
        draft,
    };
    let (document, mut warnings) = document::build(&sources, &dates)?;
    let data = serde_json::to_vec(&document).map_err(|err| {
        tag(Diagnostic::error(
            "internal",
            format!("document model: {err}"),
        ))
    })?;

    let mut world = engine
        .world(project.root(), &project.layout_main(&release.layout))
        .map_err(tag)?;
    let ident = format!("{}.{lang}", release.id);
    let rendered = render::render(
        &mut world,
        data,
        release.date,
        &ident,
        options.source_date_epoch,
    )
    .map_err(|diags| Diagnostics(diags.into_iter().map(tag).collect()))?;
    warnings.extend(Diagnostics(
        rendered.warnings.into_iter().map(tag).collect(),
    ));

    let path = out_dir.join(format!("{}.{lang}.pdf", release.id));
    write_atomic(&path, &rendered.pdf).map_err(|err| {
        tag(Diagnostic::error(
            "write",
            format!("cannot write {}: {err}", path.display()),
        ))
    })?;
    Ok((
        Output {
            release: release.id.clone(),
            lang: lang.clone(),
            path,
            pages: rendered.pages,
        },
        warnings,
    ))
}

/// Writes `bytes` to a temporary file beside `path` and renames it into
/// place: readers see the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}
