//! `pressroom publish`: the web edition (a page per release and language,
//! an archive, an Atom feed per language, a sitemap with hreflang
//! alternates) and, with `--email`, an `.eml` per release and language.
//!
//! Every edition of a release in a language comes from the document model
//! its PDF is made from ([`crate::document::build`], with the web words
//! besides); none re-reads the sources its own way. The PDFs are the final
//! ones `build` writes (signed when `[signing]` is configured), built first
//! as `build` would: up-to-date ones are not rebuilt. Files are written
//! only when their bytes change, so publishing again after one change
//! rewrites that release's files and the indexes that list it.

mod email;
mod feed;
mod files;
mod live;
mod site;
mod templates;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::build::{self, BuildEvents, BuildOptions, BuildReport};
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{self, Document, Sources};
use crate::l10n::{Catalog, DateFormat};
use crate::names::ReleaseId;
use crate::pipeline::{Loaded, Mode, Settings, SignatureLine, load_releases};
use crate::project::Project;
use crate::release::Release;
use crate::sign::Signing;

pub use files::Written;
pub use live::{WebFile, WebPath, web_file};
pub use templates::Templates;

/// What to publish.
#[derive(Default)]
pub struct PublishOptions {
    /// Release ids; empty means all.
    pub releases: Vec<String>,
    /// Languages; empty means every one.
    pub languages: Vec<String>,
    /// The site's folder; `out/site/` by default.
    pub out: Option<PathBuf>,
    /// Also the e-mail edition, in `out/email/`.
    pub email: bool,
    /// `SOURCE_DATE_EPOCH`, as for `build`.
    pub source_date_epoch: Option<i64>,
    /// Signs the PDFs (when `[signing]` is configured).
    pub signing: Option<Signing>,
}

/// What a publish did.
#[derive(Debug, Default)]
pub struct PublishReport {
    /// The build of the PDFs it publishes.
    pub build: BuildReport,
    pub site: Written,
    pub site_dir: PathBuf,
    pub email: Option<Written>,
    pub email_dir: PathBuf,
    /// Outputs published: (release, language).
    pub published: Vec<(String, String)>,
    pub diagnostics: Diagnostics,
}

/// One release in one language, ready for every edition.
pub struct Edition {
    pub id: ReleaseId,
    pub lang: String,
    pub date: Date,
    pub doc: Document,
    /// The final PDF `build` wrote.
    pub pdf: PathBuf,
    pub pdf_size: u64,
    /// `PAdES B-T`, when signed.
    pub signature: Option<String>,
}

/// The site's folder: `out/site/`, or the one given.
pub fn site_dir(project: &Project, out: Option<&std::path::Path>) -> PathBuf {
    out.map(PathBuf::from).unwrap_or_else(|| build::output_root(project, None).join("site"))
}

/// Publishes the selected releases in the selected languages.
pub fn publish(
    project: &Project,
    options: PublishOptions,
    events: &mut dyn BuildEvents,
) -> Result<PublishReport, Diagnostics> {
    let base_url = base_url(project)?;
    let ids = project.select_releases(&options.releases)?;
    let languages = match project.select_languages(&options.languages)? {
        chosen if chosen.is_empty() => project.languages(),
        chosen => chosen,
    };
    // Templates first: a broken one is said before anything is built.
    let loaded = load_releases(project, &ids);
    let (templates, layouts, mut diagnostics) = load_templates(project, &loaded)?;

    // The PDFs, as `build` makes them.
    let signature = options.signing.as_ref().map(|s| format!("PAdES {}", s.signer.level.name()));
    let build_options = BuildOptions {
        releases: options.releases.clone(),
        languages: options.languages.clone(),
        out: None,
        emit_model: false,
        force: false,
        settings: Settings {
            mode: Mode::Final,
            source_date_epoch: options.source_date_epoch,
            signature_line: options.signing.as_ref().and_then(Signing::line),
            out_dir: None,
        },
        signing: options.signing,
    };
    let built = build::build(project, &build_options, events)?;
    let failed = |id: &ReleaseId, lang: &str| {
        built.diagnostics.iter().any(|d| {
            d.is_error()
                && d.release.as_deref().is_none_or(|r| r == id.as_str())
                && d.language.as_deref().is_none_or(|l| l == lang)
        })
    };

    // The document model of each output that built, with the web words.
    let (catalog, _) = Catalog::load(project, &ids, false);
    let pdf_dir = build::output_dir(project, None, Mode::Final);
    let mut jobs = Vec::new();
    for (id, loaded) in loaded {
        let Ok(release) = loaded else { continue };
        if !templates.contains_key(&release.layout) {
            continue;
        }
        for lang in release.languages.iter().filter(|l| languages.contains(l)) {
            if failed(&id, lang) {
                continue;
            }
            let pdf = build::output_file(&pdf_dir, &id, lang, Mode::Final);
            let Ok(meta) = std::fs::metadata(&pdf) else { continue };
            jobs.push(Job {
                release: release.clone(),
                lang: lang.clone(),
                pdf,
                pdf_size: meta.len(),
            });
        }
    }
    let signed = build_options.settings.signature_line.as_ref();
    let made = Made { project, catalog: &catalog, draft: false, signed, signature };
    let (editions, problems) = made.editions(jobs);
    diagnostics.extend(problems);

    let site = site::Site::new(project, &base_url, &languages, &editions, &templates, &layouts);
    let site_dir = site_dir(project, options.out.as_deref());
    let io = |dir: &std::path::Path| {
        let shown = project.relative(dir).display().to_string();
        move |err: std::io::Error| {
            Diagnostics::from(Diagnostic::error("publish", format!("cannot write {shown}: {err}")))
        }
    };
    let mut folder = files::Folder::open(&site_dir);
    diagnostics.extend(site.write(&mut folder).map_err(io(&site_dir))?);
    let site_written = folder.finish().map_err(io(&site_dir))?;

    let email_dir = build::output_root(project, None).join("email");
    let email = if options.email {
        let mut folder = files::Folder::open(&email_dir);
        diagnostics.extend(email::write(&site, &mut folder).map_err(io(&email_dir))?);
        Some(folder.finish().map_err(io(&email_dir))?)
    } else {
        None
    };
    let published = editions.iter().map(|e| (e.id.to_string(), e.lang.clone())).collect();
    Ok(PublishReport {
        build: built,
        site: site_written,
        site_dir,
        email,
        email_dir,
        published,
        diagnostics,
    })
}

/// An output to make editions of.
pub(crate) struct Job {
    pub release: Arc<Release>,
    pub lang: String,
    /// Its PDF, and how large it is.
    pub pdf: PathBuf,
    pub pdf_size: u64,
}

/// What the document models of editions are made with.
pub(crate) struct Made<'a> {
    pub project: &'a Project,
    pub catalog: &'a Catalog,
    /// Drafts fall back to the source text for missing translations.
    pub draft: bool,
    pub signed: Option<&'a SignatureLine>,
    /// `PAdES B-T`, when the PDFs are signed.
    pub signature: Option<String>,
}

impl Made<'_> {
    /// Each output's document model, with the web words, on every core.
    pub fn editions(&self, jobs: Vec<Job>) -> (Vec<Edition>, Diagnostics) {
        use rayon::prelude::*;
        let made: Vec<Result<Edition, Diagnostics>> =
            jobs.into_par_iter().map(|job| self.edition(job)).collect();
        let mut editions = Vec::new();
        let mut diagnostics = Diagnostics::default();
        for edition in made {
            match edition {
                Ok(edition) => editions.push(edition),
                Err(diags) => diagnostics.extend(diags),
            }
        }
        (editions, diagnostics)
    }

    fn edition(&self, Job { release, lang, pdf, pdf_size }: Job) -> Result<Edition, Diagnostics> {
        let tag = |d: Diagnostic| d.language(lang.as_str()).release(release.id.as_str());
        let (localizers, _) = self.catalog.localizers(&lang, &release.id);
        let dates = DateFormat::new(&self.project.date_locale(&lang))
            .map_err(|msg| Diagnostics::from(tag(Diagnostic::error("cldr", msg))))?;
        let sources = Sources {
            project: self.project,
            release: &release,
            target: localizers.target(),
            source: &localizers.source,
            draft: self.draft,
            signed: self.signed.map(|s| (s.signatory.as_str(), s.date)),
            // A draft names each text's message: the preview lists those
            // that show the source text.
            marks: self.draft,
            web: true,
        };
        let (doc, _) = document::build(&sources, &dates).map_err(|d| d.map(tag))?;
        Ok(Edition {
            id: release.id.clone(),
            lang,
            date: release.date,
            doc,
            pdf,
            pdf_size,
            signature: self.signature.clone(),
        })
    }
}

/// Layout name -> its web templates.
pub(crate) type TemplateSets = BTreeMap<String, Templates>;

/// The web templates of the default layout and of every layout a release
/// uses; each release's layout (release id -> layout name). A release
/// whose layout's templates do not load is left out, with the problem said.
pub(crate) fn load_templates(
    project: &Project,
    releases: &Loaded,
) -> Result<(TemplateSets, BTreeMap<String, String>, Diagnostics), Diagnostics> {
    let default_layout = project.config.layout.get_ref().clone();
    let mut templates = TemplateSets::new();
    templates.insert(default_layout.clone(), Templates::load(project, &default_layout)?);
    let mut layouts = BTreeMap::new();
    let mut diagnostics = Diagnostics::default();
    for (id, loaded) in releases {
        let Ok(release) = loaded else { continue };
        layouts.insert(id.to_string(), release.layout.clone());
        if !templates.contains_key(&release.layout) {
            match Templates::load(project, &release.layout) {
                Ok(loaded) => {
                    templates.insert(release.layout.clone(), loaded);
                }
                Err(diags) => diagnostics.extend(diags),
            }
        }
    }
    Ok((templates, layouts, diagnostics))
}

/// `[publish] base-url`, ending in `/`.
fn base_url(project: &Project) -> Result<String, Diagnostic> {
    match &project.config.publish.base_url {
        Some(url) => {
            let url = url.get_ref();
            Ok(if url.ends_with('/') { url.clone() } else { format!("{url}/") })
        }
        None => Err(Diagnostic::error(
            "publish",
            "publishing needs the address the site will be served from",
        )
        .in_file(crate::project::CONFIG_FILE)
        .hint("add to pressroom.toml:\n[publish]\nbase-url = \"https://www.example.eu/press/\"")),
    }
}
