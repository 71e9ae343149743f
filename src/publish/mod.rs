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
mod emblem;
mod feed;
mod files;
mod live;
mod newsroom;
mod site;
mod templates;
mod webfonts;

mod register;
pub mod ser;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::build::{self, BuildEvents, BuildOptions, BuildReport};
use crate::date::{Date, Moment, Timestamp};
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{self, Document, Sources};
use crate::l10n::{Catalog, DateFormat};
use crate::names::ReleaseId;
use crate::pipeline::{Loaded, Mode, Settings, SignatureLine, load_releases};
use crate::project::{Project, Selection};
use crate::release::Release;
use crate::sign::Signing;

pub use files::Written;
pub use live::{WebFile, WebPath, web_file};
pub use register::Listing;
use register::{Record, Register};
pub use templates::{Templates, embedded as embedded_templates, render_embedded};

/// What to publish.
#[derive(Default)]
pub struct PublishOptions {
    /// Which releases, in which languages (none named: every one).
    pub selection: Selection,
    /// The site's folder; `out/site/` by default.
    pub out: Option<PathBuf>,
    /// Also the e-mail edition, in `out/email/`.
    pub email: bool,
    /// `SOURCE_DATE_EPOCH`, as for `build`.
    pub source_date_epoch: Option<i64>,
    /// Signs the PDFs (when `[signing]` is configured).
    pub signing: Option<Signing>,
    /// The moment of publication, which embargoes are kept against; the
    /// clock when `None`.
    pub now: Option<Timestamp>,
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
    /// Outputs published from today's sources: (release, language).
    pub published: Vec<(String, String)>,
    /// Editions the site holds now, new ones included.
    pub online: usize,
    /// Editions whose new version could not be made: online as last published.
    pub held_back: Vec<HeldBack>,
    /// Releases under embargo: on no page yet.
    pub embargoed: Vec<(String, Moment)>,
    /// Editions taken off the site because the sources say so.
    pub taken_down: Vec<TakenDown>,
    pub diagnostics: Diagnostics,
}

/// An edition that stays online at its earlier version.
#[derive(Debug, Clone)]
pub struct HeldBack {
    pub release: String,
    pub lang: String,
    /// When the version online was published.
    pub since: Timestamp,
    /// Why its new version could not be made: `file: message`, each once.
    pub reasons: Vec<String>,
}

/// An edition removed from the site, and why.
#[derive(Debug, Clone)]
pub struct TakenDown {
    pub release: String,
    pub lang: String,
    pub why: Removal,
}

/// Why the sources take an edition off the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// `releases/<id>.toml` is gone.
    ReleaseRemoved,
    /// The language is no longer in the office's or the release's `languages`.
    LanguageRemoved,
    /// An embargo now lies ahead of it.
    Embargoed,
}

/// One release in one language, ready for every edition.
pub struct Edition {
    pub id: ReleaseId,
    pub lang: String,
    pub date: Date,
    /// What the archive, feed and switcher show of it.
    pub listing: Listing,
    model: Model,
    /// Its final PDF (for one made now: the one `build` wrote).
    pub pdf: PathBuf,
    pub pdf_size: u64,
    /// `PAdES B-T`, when signed.
    pub signature: Option<String>,
    /// The fingerprint of the sources it is made from (empty in the preview).
    pub key: String,
    pub fate: Fate,
    /// When this version was first published.
    pub published: Timestamp,
    /// Its embargo, while it lies ahead (an e-mail for journalists only).
    pub under_embargo: Option<Moment>,
    /// The embargo its release states, past or not.
    pub embargo: Option<Moment>,
}

/// What becomes of an edition this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Made now from the sources: its files are written.
    New,
    /// Published before from the same sources: kept, or re-rendered only
    /// where what it links changed.
    Unchanged,
    /// Its new version cannot be made: its published files stay as they are.
    HeldBack,
}

/// An edition's document model: made now, or kept from when it was published.
enum Model {
    Made(Box<Document>),
    Kept { path: PathBuf, doc: Box<OnceLock<Option<Document>>> },
}

impl Edition {
    /// An edition made now from `doc`.
    fn made(&self) -> Option<&Document> {
        match &self.model {
            Model::Made(doc) => Some(doc),
            Model::Kept { .. } => None,
        }
    }

    /// Its document model; one kept from an earlier publish is read when
    /// first asked for.
    pub fn doc(&self) -> Result<&Document, Diagnostic> {
        match &self.model {
            Model::Made(doc) => Ok(doc),
            Model::Kept { path, doc } => doc.get_or_init(|| register::load_model(path)).as_ref().ok_or_else(|| {
                Diagnostic::error(
                    "publish",
                    format!(
                        "the published {} of {} has no readable record (publish it again once it builds)",
                        self.lang, self.id
                    ),
                )
                .in_file(path.clone())
            }),
        }
    }

    /// An edition as the register remembers it.
    fn kept(id: ReleaseId, lang: &str, record: &Record, folder: &Path, fate: Fate) -> Self {
        let model_path = register::model_file(folder, lang, id.as_str());
        Edition {
            pdf: folder.join(lang).join(format!("{id}.{lang}.pdf")),
            id,
            lang: lang.to_owned(),
            date: record.date,
            listing: record.listing.clone(),
            model: Model::Kept { path: model_path, doc: Box::default() },
            pdf_size: record.pdf_size,
            signature: record.signature.clone(),
            key: record.key.clone(),
            fate,
            published: record.published,
            under_embargo: None,
            embargo: record.embargo,
        }
    }
}

/// The site's folder: `out/site/`, or the one given.
pub fn site_dir(project: &Project, out: Option<&std::path::Path>) -> PathBuf {
    out.map(PathBuf::from).unwrap_or_else(|| build::output_root(project, None).join("site"))
}

/// Publishes the selected releases in the selected languages. What is
/// online and cannot be made anew stays as it was; what is not selected is
/// left as it is; only what the sources remove on purpose is taken down.
pub fn publish(
    project: &Project,
    options: PublishOptions,
    events: &mut dyn BuildEvents,
) -> Result<PublishReport, Diagnostics> {
    let base_url = base_url(project)?;
    let now = options.now.unwrap_or_else(Timestamp::clock);
    let ids = options.selection.release_ids(project)?;
    let on_disk = project.release_ids()?;
    let office_languages = project.languages();
    let languages = match options.selection.checked_languages(project)? {
        chosen if chosen.is_empty() => office_languages.clone(),
        chosen => chosen,
    };
    // Templates first: a broken one is said before anything is built.
    let loaded = load_releases(project, &ids);
    let (templates, layouts, mut diagnostics) = load_templates(project, &loaded)?;

    // The PDFs, as `build` makes them.
    let signature = options.signing.as_ref().map(|s| format!("PAdES {}", s.signer.level.name()));
    let build_options = BuildOptions {
        selection: options.selection.clone(),
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
    let built = build::build_loaded(project, &build_options, events, Some(loaded.clone()))?;

    // The fingerprint of each output built, by release and language.
    let mut current: std::collections::HashMap<&str, std::collections::HashMap<&str, &String>> =
        std::collections::HashMap::new();
    for ((id, lang), key) in &built.current {
        current.entry(id.as_str()).or_default().insert(lang.as_str(), key);
    }
    let site_dir = site_dir(project, options.out.as_deref());
    let old = Register::load(&site_dir);
    let mut plan = Sorting::default();
    let pdf_dir = build::output_dir(project, None, Mode::Final);
    for (id, loaded) in &loaded {
        let release = match loaded {
            Ok(release) if templates.contains_key(&release.layout) => release,
            // It does not load, or its templates do not: what is online stays.
            _ => {
                for lang in &languages {
                    plan.hold(&old, id, lang);
                }
                continue;
            }
        };
        let under_embargo = release.embargo.filter(|moment| moment.timestamp() > now);
        if let Some(moment) = under_embargo {
            plan.embargoed.push((id.to_string(), moment));
        }
        for lang in &languages {
            if !release.languages.contains(lang) {
                plan.take_down(&old, id, lang, Removal::LanguageRemoved);
                continue;
            }
            if under_embargo.is_some() {
                plan.take_down(&old, id, lang, Removal::Embargoed);
            }
            let key = current.get(id.as_str()).and_then(|langs| langs.get(lang.as_str())).copied();
            let Some(key) = key.filter(|_| !failed(&built.diagnostics, id, lang)) else {
                if under_embargo.is_none() {
                    plan.hold(&old, id, lang);
                }
                continue;
            };
            let record = old.get(lang, id.as_str());
            if under_embargo.is_none()
                && let Some(record) = record.filter(|r| &r.key == key)
            {
                plan.kept.push(Edition::kept(id.clone(), lang, record, &site_dir, Fate::Unchanged));
                continue;
            }
            let pdf = build::output_file(&pdf_dir, id, lang, Mode::Final);
            let Ok(meta) = std::fs::metadata(&pdf) else {
                plan.hold(&old, id, lang);
                continue;
            };
            plan.jobs.push(Job {
                release: release.clone(),
                lang: lang.clone(),
                pdf,
                pdf_size: meta.len(),
                key: key.clone(),
                under_embargo,
            });
        }
    }
    // What was published and is not in this run's selection: as it is,
    // unless the sources removed it.
    for (slot, record) in &old.editions {
        let Some((lang, id)) = slot.split_once('/') else { continue };
        let Ok(id) = ReleaseId::new(id) else { continue };
        if !on_disk.contains(&id) {
            plan.take_down(&old, &id, lang, Removal::ReleaseRemoved);
        } else if !office_languages.iter().any(|l| l == lang) {
            plan.take_down(&old, &id, lang, Removal::LanguageRemoved);
        } else if !ids.contains(&id) || !languages.iter().any(|l| l == lang) {
            plan.kept.push(Edition::kept(id, lang, record, &site_dir, Fate::Unchanged));
        }
    }

    // The document model of each output made anew, with the web words:
    // only their releases' files are read.
    let mut made_ids: Vec<ReleaseId> = plan.jobs.iter().map(|j| j.release.id.clone()).collect();
    made_ids.dedup();
    let (catalog, _) = Catalog::load(project, &made_ids);
    diagnostics.extend(web_words_missing(project, &catalog, &languages, &built.diagnostics));
    let signed = build_options.settings.signature_line.as_ref();
    let made = Made { project, catalog: &catalog, draft: false, signed, signature, now };
    let asked: Vec<(ReleaseId, String)> =
        plan.jobs.iter().map(|j| (j.release.id.clone(), j.lang.clone())).collect();
    let (fresh, problems) = made.editions(std::mem::take(&mut plan.jobs));
    for (id, lang) in asked {
        if !fresh.iter().any(|e| e.id == id && e.lang == lang) {
            plan.hold(&old, &id, &lang);
        }
    }
    diagnostics.extend(problems);
    let published: Vec<(String, String)> = fresh
        .iter()
        .filter(|e| e.under_embargo.is_none())
        .map(|e| (e.id.to_string(), e.lang.clone()))
        .collect();
    let (embargoed, mut editions): (Vec<Edition>, Vec<Edition>) =
        fresh.into_iter().partition(|e| e.under_embargo.is_some());
    let mut all_diagnostics = built.diagnostics.clone();
    all_diagnostics.extend(diagnostics.clone());
    let held_back = plan.held_back(&old, &all_diagnostics);
    editions.extend(plan.kept);
    editions.extend(plan.held.into_iter().map(|(id, lang)| {
        let record = old.get(&lang, id.as_str()).expect("held editions have a record");
        Edition::kept(id, &lang, record, &site_dir, Fate::HeldBack)
    }));
    editions.sort_by(|a, b| (a.id.as_str(), &a.lang).cmp(&(b.id.as_str(), &b.lang)));

    let site =
        site::Site::new(project, &base_url, &office_languages, &editions, &templates, &layouts);
    let io = |dir: &std::path::Path| {
        let shown = project.relative(dir).display().to_string();
        move |err: std::io::Error| {
            Diagnostics::from(Diagnostic::error("publish", format!("cannot write {shown}: {err}")))
        }
    };
    let mut folder = files::Folder::open(&site_dir);
    let (problems, register) = site.write(&mut folder, &old).map_err(io(&site_dir))?;
    diagnostics.extend(problems);
    let site_written = folder.finish().map_err(io(&site_dir))?;
    register.save(&site_dir, &old).map_err(io(&site_dir))?;
    for gone in &plan.taken_down {
        register::remove_model(&site_dir, &gone.lang, &gone.release);
    }

    let email_dir = build::output_root(project, None).join("email");
    let email = if options.email {
        let mut folder = files::Folder::open(&email_dir);
        let mail: Vec<&Edition> = editions.iter().chain(&embargoed).collect();
        diagnostics.extend(email::write(&site, &mail, &mut folder, now).map_err(io(&email_dir))?);
        Some(folder.finish().map_err(io(&email_dir))?)
    } else {
        None
    };
    Ok(PublishReport {
        build: built,
        site: site_written,
        site_dir,
        email,
        email_dir,
        published,
        online: editions.len(),
        held_back,
        embargoed: plan.embargoed,
        taken_down: plan.taken_down,
        diagnostics,
    })
}

/// A language in progress also lacks the web and e-mail words (`web-*`):
/// said with its missing PDF words, so the translator sees the whole list
/// at once rather than the web words only once the rest is done.
fn web_words_missing(
    project: &Project,
    catalog: &Catalog,
    languages: &[String],
    built: &Diagnostics,
) -> Diagnostics {
    let office = crate::l10n::catalog::FtlKey::Office;
    let source = project.source_language();
    let mut found = Diagnostics::default();
    let Some(words) = catalog.file(&source, &office) else { return found };
    for lang in languages.iter().filter(|l| **l != source) {
        let unfinished = built
            .iter()
            .any(|d| d.code == "missing-message" && d.language.as_deref() == Some(lang.as_str()));
        if !unfinished {
            continue;
        }
        let target = catalog.file(lang, &office);
        for id in words.entries.keys().filter(|id| id.starts_with("web-")) {
            if target.is_some_and(|t| t.has(id)) {
                continue;
            }
            found.push(
                Diagnostic::error("missing-message", format!("message `{id}` is missing"))
                    .in_file(project.relative(&project.office_ftl(lang)))
                    .language(lang.as_str())
                    .about_message(id.as_str()),
            );
        }
    }
    found
}

/// Whether `d` is an error that stops release `id`'s `lang` output (one
/// naming no release or no language stops every one).
fn stops(d: &Diagnostic, id: &ReleaseId, lang: &str) -> bool {
    d.is_error()
        && d.release.as_deref().is_none_or(|r| r == id.as_str())
        && d.language.as_deref().is_none_or(|l| l == lang)
}

/// Whether the build found an error in release `id`'s `lang` output.
fn failed(diagnostics: &Diagnostics, id: &ReleaseId, lang: &str) -> bool {
    diagnostics.iter().any(|d| stops(d, id, lang))
}

/// Each selected edition sorted by what becomes of it.
#[derive(Default)]
struct Sorting {
    /// To make anew.
    jobs: Vec<Job>,
    /// Online as they are.
    kept: Vec<Edition>,
    /// Online at their last version, which cannot be made anew.
    held: Vec<(ReleaseId, String)>,
    embargoed: Vec<(String, Moment)>,
    taken_down: Vec<TakenDown>,
}

impl Sorting {
    /// Holds `id`'s `lang` edition at its published version, if it has one.
    fn hold(&mut self, old: &Register, id: &ReleaseId, lang: &str) {
        let pair = (id.clone(), lang.to_owned());
        if old.get(lang, id.as_str()).is_some() && !self.held.contains(&pair) {
            self.held.push(pair);
        }
    }

    /// Takes `id`'s `lang` edition off the site, if it is on it.
    fn take_down(&mut self, old: &Register, id: &ReleaseId, lang: &str, why: Removal) {
        if old.get(lang, id.as_str()).is_some() {
            self.taken_down.push(TakenDown { release: id.to_string(), lang: lang.to_owned(), why });
        }
    }

    /// The editions held back, each with why: the errors said of it.
    fn held_back(&self, old: &Register, diagnostics: &Diagnostics) -> Vec<HeldBack> {
        self.held
            .iter()
            .map(|(id, lang)| {
                let mut reasons: Vec<String> = Vec::new();
                for d in diagnostics.iter().filter(|d| stops(d, id, lang)) {
                    let file = d.location.as_ref().map(|l| l.file.path.clone()).or(d.path.clone());
                    let reason = match file {
                        Some(file) => format!("{}: {}", file.display(), d.message),
                        None => d.message.clone(),
                    };
                    if !reasons.contains(&reason) {
                        reasons.push(reason);
                    }
                }
                HeldBack {
                    release: id.to_string(),
                    lang: lang.clone(),
                    since: old.get(lang, id.as_str()).map_or(Timestamp(0), |r| r.published),
                    reasons,
                }
            })
            .collect()
    }
}

/// An output to make editions of.
pub(crate) struct Job {
    pub release: Arc<Release>,
    pub lang: String,
    /// Its PDF, and how large it is.
    pub pdf: PathBuf,
    pub pdf_size: u64,
    /// The fingerprint of its sources.
    pub key: String,
    /// Its embargo, while it lies ahead: the e-mail only, marked.
    pub under_embargo: Option<Moment>,
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
    /// The moment of publication.
    pub now: Timestamp,
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

    fn edition(
        &self,
        Job { release, lang, pdf, pdf_size, key, under_embargo }: Job,
    ) -> Result<Edition, Diagnostics> {
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
            listing: Listing::of(&doc),
            model: Model::Made(Box::new(doc)),
            pdf,
            pdf_size,
            signature: self.signature.clone(),
            key,
            fate: Fate::New,
            published: self.now,
            under_embargo,
            embargo: release.embargo,
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
