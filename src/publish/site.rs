//! The web edition's files: a page per release and language, each
//! language's archive (newest first, a page at a time) and Atom feed, the
//! front door, the sitemap with hreflang alternates, and the layout's
//! style sheet. Links between pages are relative, so the site works from
//! any folder; canonical and alternate URLs are absolute, from `base-url`.

use std::collections::BTreeMap;

use super::ser::{
    ArchiveContext, ArchiveItem, ArchivePage, ArticleContext, LangContext, PageContext, PageLinks,
    PdfContext, ReleaseContext, ReleasePage, Sitemap, SitemapLink, SitemapUrl,
};
use serde::Serialize;

use sha2::{Digest, Sha256};

use super::files::Folder;
use super::newsroom::ninjs_file;
use super::register::{Record, Register, save_model, slot};
use super::templates::Templates;
use super::{Edition, Fate};
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{Document, FooterItem};
use crate::freshness::hex;
use crate::project::Project;

pub struct Site<'a> {
    pub project: &'a Project,
    /// Ends in `/`.
    pub base_url: &'a str,
    /// The languages published, in the office's order.
    pub languages: &'a [String],
    pub editions: &'a [Edition],
    pub templates: &'a BTreeMap<String, Templates>,
    pub default_layout: &'a str,
    /// Release id -> its layout.
    pub layouts: &'a BTreeMap<String, String>,
    pub per_page: usize,
}

/// A language version of a page, for the switcher and `<link hreflang>`.
#[derive(Debug, Serialize)]
pub struct Alternate {
    tag: String,
    dir: String,
    /// The language's name in itself.
    name: String,
    /// Relative to the page that links it.
    url: String,
    canonical: String,
    current: bool,
    /// The language's word for its archive.
    archive: String,
    /// As Open Graph writes a locale: `ru_RU`.
    locale: String,
}

#[derive(Debug, Serialize)]
pub struct OfficeView {
    pub emblem: String,
    pub name: String,
    pub address: String,
    pub footer: Vec<FooterItem>,
}

pub fn office_of(doc: &Document) -> OfficeView {
    OfficeView {
        emblem: doc.office.emblem.value.clone(),
        name: doc.office.name.value.clone(),
        address: doc.office.address.value.clone(),
        footer: doc.office.footer.clone(),
    }
}

/// The web words as plain strings: `words.archive`.
pub fn words_of(doc: &Document) -> BTreeMap<String, String> {
    let Some(web) = &doc.web else { return BTreeMap::new() };
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(web) else {
        return BTreeMap::new();
    };
    map.into_iter()
        .filter_map(|(key, word)| Some((key, word["value"].as_str()?.to_owned())))
        .collect()
}

pub fn release_page(edition: &Edition) -> String {
    format!("{}/{}.html", edition.lang, edition.id)
}

pub fn pdf_name(edition: &Edition) -> String {
    format!("{}.{}.pdf", edition.id, edition.lang)
}

/// SI kilobytes, rounded up: never `0 kB`.
fn kilobytes(bytes: u64) -> u64 {
    bytes.div_ceil(1000)
}

pub fn archive_page(lang: &str, page: usize) -> String {
    if page <= 1 { format!("{lang}/index.html") } else { format!("{lang}/page-{page}.html") }
}

/// The pages that list releases.
#[derive(Clone, Copy)]
enum Index<'l> {
    Archive(&'l str),
    Feed(&'l str),
    Home,
}

impl<'a> Site<'a> {
    /// The site of `editions`, with the office's default layout and page
    /// size from `pressroom.toml`.
    pub fn new(
        project: &'a Project,
        base_url: &'a str,
        languages: &'a [String],
        editions: &'a [Edition],
        templates: &'a BTreeMap<String, Templates>,
        layouts: &'a BTreeMap<String, String>,
    ) -> Self {
        Site {
            project,
            base_url,
            languages,
            editions,
            templates,
            default_layout: project.config.layout.get_ref(),
            layouts,
            per_page: project.config.publish.per_page.unwrap_or(20).max(1) as usize,
        }
    }

    /// `412 kB`, `1 234 кБ`, `۴۱۲ کیلوبایت`: the size in the language's
    /// unit (`web-kilobytes`) and digits and grouping (CLDR).
    fn size_words(&self, doc: &Document, lang: &str, bytes: u64) -> String {
        let number =
            crate::l10n::cldr::format_number(&self.project.date_locale(lang), kilobytes(bytes));
        match doc.web.as_ref().map(|w| &w.kilobytes.value) {
            Some(pattern) if pattern.contains(crate::document::SIZE_SLOT) => {
                pattern.replace(crate::document::SIZE_SLOT, &number)
            }
            _ => format!("{number} kB"),
        }
    }

    pub fn canonical(&self, rel: &str) -> String {
        // The archive's first page is the language's folder itself.
        let rel = rel.strip_suffix("index.html").unwrap_or(rel);
        format!("{}{rel}", self.base_url)
    }

    /// The editions of `lang`, newest first.
    pub fn of_language(&self, lang: &str) -> Vec<&'a Edition> {
        let mut editions: Vec<&Edition> = self.editions.iter().filter(|e| e.lang == lang).collect();
        editions.sort_by(|a, b| {
            (b.date.year, b.date.month, b.date.day, b.id.as_str()).cmp(&(
                a.date.year,
                a.date.month,
                a.date.day,
                a.id.as_str(),
            ))
        });
        editions
    }

    /// Each language's newest edition: its office words and web words.
    fn representative(&self, lang: &str) -> Option<&'a Edition> {
        self.of_language(lang).into_iter().next()
    }

    pub fn templates_for(&self, id: &str) -> &'a Templates {
        let layout = self.layouts.get(id).map_or(self.default_layout, String::as_str);
        self.templates
            .get(layout)
            .or_else(|| self.templates.get(self.default_layout))
            .unwrap_or_else(|| {
                unreachable!("the default layout's templates are loaded before any page")
            })
    }

    fn default_templates(&self) -> &'a Templates {
        self.templates_for("")
    }

    /// The languages with something published, in the office's order.
    fn published_languages(&self) -> Vec<&'a String> {
        self.languages.iter().filter(|l| self.editions.iter().any(|e| &e.lang == *l)).collect()
    }

    fn alternate(
        &self,
        edition: &Edition,
        rel: String,
        from_root: bool,
        current: bool,
    ) -> Alternate {
        let listing = &edition.listing;
        Alternate {
            tag: edition.lang.clone(),
            dir: listing.dir.clone(),
            name: if listing.language.is_empty() { &edition.lang } else { &listing.language }
                .clone(),
            url: if from_root { rel.clone() } else { format!("../{rel}") },
            canonical: self.canonical(&rel),
            current,
            archive: listing.archive.clone(),
            locale: crate::l10n::cldr::underscored_locale(&self.project.date_locale(&edition.lang)),
        }
    }

    /// The fingerprint of `edition`'s page: its own sources and the
    /// language versions its switcher lists.
    fn page_key(&self, edition: &Edition, versions: &[&Edition]) -> String {
        let mut hasher = Sha256::new();
        hasher.update(edition.key.as_bytes());
        for other in versions {
            for part in [&other.lang, &other.listing.language, &other.listing.dir] {
                hasher.update(part.as_bytes());
                hasher.update([0]);
            }
        }
        hex(&hasher.finalize())
    }

    /// The fingerprint of the files beside the pages: the layout's web
    /// assets, the languages and fonts the web fonts are made from.
    fn assets_key(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(super::webfonts::cache_key(self.languages, &self.project.fonts_dir()));
        for (name, bytes) in &self.default_templates().assets {
            hasher.update(name.as_bytes());
            hasher.update(Sha256::digest(bytes));
        }
        hex(&hasher.finalize())
    }

    /// The fingerprint of the whole site: every edition's sources and
    /// fate, the languages, the page size and the assets.
    fn site_key(&self, assets_key: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(assets_key.as_bytes());
        hasher.update(self.per_page.to_le_bytes());
        hasher.update(self.base_url.as_bytes());
        for lang in self.languages {
            hasher.update(format!("{lang}\0").as_bytes());
        }
        for edition in self.editions {
            let held = edition.fate == Fate::HeldBack;
            hasher.update(
                format!("{}\0{}\0{}\0{held}\0", edition.id, edition.lang, edition.key).as_bytes(),
            );
        }
        hex(&hasher.finalize())
    }

    /// The fingerprint of what an index page lists: a language's archive
    /// (its releases' titles, kinds, datelines), its feed (its newest
    /// releases, their text) or the front door; each with the languages
    /// and the newest release of each, whose words they print.
    fn index_key(&self, index: Index<'_>) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.per_page.to_le_bytes());
        for other in self.published_languages() {
            let listing = self.representative(other).map(|e| (&e.key, &e.listing.language));
            hasher.update(format!("{other}\0{listing:?}\0").as_bytes());
        }
        match index {
            Index::Archive(lang) => {
                for e in self.of_language(lang) {
                    let l = &e.listing;
                    hasher.update(
                        format!(
                            "{}\0{:?}\0{}\0{}\0{}\0{}\0",
                            e.id, e.date, l.title, l.kind, l.dateline, l.place
                        )
                        .as_bytes(),
                    );
                }
            }
            Index::Feed(lang) => {
                for e in self.of_language(lang).into_iter().take(super::feed::ENTRIES) {
                    hasher.update(format!("{}\0{}\0{}\0", e.id, e.key, e.pdf_size).as_bytes());
                }
            }
            Index::Home => {}
        }
        hex(&hasher.finalize())
    }

    /// Writes every file of the site into `folder`, beside what `old` says
    /// was published: an edition held back keeps its files byte for byte,
    /// an unchanged one is not rendered again. Returns the problems of
    /// templates that did not render (their pages keep what was there) and
    /// the register of what the folder now holds.
    pub fn write(
        &self,
        folder: &mut Folder,
        old: &Register,
    ) -> std::io::Result<(Diagnostics, Register)> {
        let mut diags = Diagnostics::default();
        // Nothing the site is made from changed and every file is there:
        // all of it stays as it is (a publish with nothing to do is quick).
        let assets_key = self.assets_key();
        let site_key = self.site_key(&assets_key);
        if old.indexes.get("@site") == Some(&site_key) && folder.keep_all() {
            return Ok((diags, old.clone()));
        }
        let mut register = Register::default();
        register.indexes.insert("@site".to_owned(), site_key);
        // What each page needs: kept as it is, or rendered (on every core,
        // a chunk at a time, written in order).
        let mut to_render = Vec::new();
        let mut by_release: std::collections::HashMap<&str, Vec<&Edition>> =
            std::collections::HashMap::new();
        for edition in self.editions {
            by_release.entry(edition.id.as_str()).or_default().push(edition);
        }
        for edition in self.editions {
            let page = release_page(edition);
            let pdf = format!("{}/{}", edition.lang, pdf_name(edition));
            let ninjs = ninjs_file(edition);
            let previous = old.get(&edition.lang, edition.id.as_str());
            let page_key = self.page_key(edition, &by_release[edition.id.as_str()]);
            let record = |page_key: String| Record {
                key: edition.key.clone(),
                page_key,
                date: edition.date,
                listing: edition.listing.clone(),
                pdf_size: edition.pdf_size,
                signature: edition.signature.clone(),
                published: edition.published,
                embargo: edition.embargo,
            };
            match edition.fate {
                Fate::HeldBack => {
                    folder.keep(&page);
                    folder.keep(&pdf);
                    folder.keep(&ninjs);
                    if let Some(previous) = previous {
                        register
                            .editions
                            .insert(slot(&edition.lang, edition.id.as_str()), previous.clone());
                    }
                    continue;
                }
                Fate::Unchanged
                    if previous.is_some_and(|p| p.page_key == page_key)
                        && folder.is_current(&page)
                        && folder.is_current(&ninjs) =>
                {
                    folder.kept(&page);
                    folder.kept(&ninjs);
                }
                _ => to_render.push(edition),
            }
            if edition.fate == Fate::New || !folder.kept(&pdf) {
                folder.copy(&pdf, &edition.pdf)?;
            }
            if let Some(doc) = edition.made() {
                save_model(folder.root(), &edition.lang, edition.id.as_str(), doc)?;
            }
            register.editions.insert(slot(&edition.lang, edition.id.as_str()), record(page_key));
        }
        for chunk in to_render.chunks(256) {
            use rayon::prelude::*;
            let pages: Vec<_> = chunk.par_iter().map(|e| self.release_files(e)).collect();
            for (edition, page) in chunk.iter().zip(pages) {
                match page {
                    Ok((html, ninjs)) => {
                        folder.put(&release_page(edition), html.as_bytes())?;
                        folder.put(&ninjs_file(edition), ninjs.as_bytes())?;
                    }
                    Err(diag) => {
                        folder.keep(&release_page(edition));
                        folder.keep(&ninjs_file(edition));
                        diags.push(diag.language(&edition.lang).release(edition.id.as_str()));
                    }
                }
            }
        }
        for lang in self.published_languages() {
            // Each index as written last time, when what it lists is the
            // same and its files are there; else made again.
            let pages: Vec<String> =
                (1..=self.archive_pages(lang)).map(|page| archive_page(lang, page)).collect();
            let feed = format!("{lang}/feed.xml");
            for (index, files, slot) in [
                (Index::Archive(lang), pages.clone(), lang.clone()),
                (Index::Feed(lang), vec![feed.clone()], feed.clone()),
            ] {
                let key = self.index_key(index);
                register.indexes.insert(slot.clone(), key.clone());
                if old.indexes.get(&slot) == Some(&key)
                    && files.iter().all(|f| folder.is_current(f))
                {
                    files.iter().for_each(|file| _ = folder.kept(file));
                    continue;
                }
                let made = match index {
                    Index::Feed(_) => vec![(feed.clone(), self.feed_file(lang))],
                    _ => (1..=pages.len())
                        .map(|page| (archive_page(lang, page), self.archive_file(lang, page)))
                        .collect(),
                };
                for (file, made) in made {
                    match made {
                        Some(Ok(bytes)) => folder.put(&file, &bytes)?,
                        Some(Err(diag)) => {
                            folder.keep(&file);
                            diags.push(diag.language(lang.as_str()));
                        }
                        None => {}
                    }
                }
            }
        }
        let home_key = self.index_key(Index::Home);
        register.indexes.insert(String::new(), home_key.clone());
        if old.indexes.get("") == Some(&home_key) && folder.is_current("index.html") {
            folder.kept("index.html");
        } else if let Some(home) = self.home_html() {
            match home {
                Ok(html) => folder.put("index.html", html.as_bytes())?,
                Err(diag) => {
                    folder.keep("index.html");
                    diags.push(diag);
                }
            }
        }
        folder.put("sitemap.xml", self.sitemap().as_bytes())?;
        // The fonts take a moment to make: only when what they are made
        // from changed, or a file of them is not as written.
        let key = assets_key;
        let (old_key, names) = &old.assets;
        if *old_key == key && !names.is_empty() && names.iter().all(|n| folder.is_current(n)) {
            names.iter().for_each(|name| _ = folder.kept(name));
            register.assets = old.assets.clone();
        } else {
            let assets = self.assets();
            for (name, bytes) in &assets {
                folder.put(name, bytes)?;
            }
            register.assets = (key, assets.into_keys().collect());
        }
        Ok((diags, register))
    }

    /// The files copied beside the pages: the layout's web folder's, and
    /// the emblem drawn as the letterhead draws it (unless the layout
    /// brings its own).
    pub fn assets(&self) -> BTreeMap<String, Vec<u8>> {
        let mut assets = self.default_templates().assets.clone();
        assets.entry("emblem.svg".to_owned()).or_insert_with(|| super::emblem::svg().into_bytes());
        let (fonts, css) = super::webfonts::web_fonts(self.languages, &self.project.fonts_dir());
        for font in fonts {
            assets.entry(font.file).or_insert(font.woff2);
        }
        assets.entry("fonts.css".to_owned()).or_insert_with(|| css.into_bytes());
        assets
    }

    /// How many pages `lang`'s archive has.
    fn archive_pages(&self, lang: &str) -> usize {
        self.of_language(lang).len().div_ceil(self.per_page).max(1)
    }

    /// Page `page` of `lang`'s archive; `None` when there is no such page.
    pub fn archive_file(&self, lang: &str, page: usize) -> Option<Result<Vec<u8>, Diagnostic>> {
        let editions = self.of_language(lang);
        let pages = self.archive_pages(lang);
        if editions.is_empty() || page == 0 || page > pages {
            return None;
        }
        Some(self.archive_html(lang, &editions, page, pages).map(String::into_bytes))
    }

    /// `lang`'s Atom feed; `None` when nothing is published in it.
    pub fn feed_file(&self, lang: &str) -> Option<Result<Vec<u8>, Diagnostic>> {
        let editions = self.of_language(lang);
        if editions.is_empty() {
            return None;
        }
        Some(super::feed::atom(self, lang, &editions).map(String::into_bytes))
    }

    /// The links of page `rel` in a language's folder: to itself (absolute)
    /// and, relative, to the style sheet, feed, archive and front door.
    fn language_page(&self, rel: &str) -> PageLinks {
        PageLinks {
            canonical: self.canonical(rel),
            css: "../style.css".into(),
            feed: "feed.xml".into(),
            archive: "index.html".into(),
            home: "../index.html".into(),
            emblem: "../emblem.svg".into(),
            fonts: "../fonts.css".into(),
        }
    }

    /// What every page is given, for a page in `lang` shown from `doc`.
    fn page_context(
        &self,
        lang: &str,
        doc: &Document,
        alternates: Vec<Alternate>,
        page: PageLinks,
    ) -> PageContext {
        PageContext {
            lang: LangContext { tag: lang.to_owned(), dir: doc.dir.clone() },
            office: office_of(doc),
            words: words_of(doc),
            alternates,
            page,
        }
    }

    /// A release's page and its ninjs document.
    fn release_files(&self, edition: &Edition) -> Result<(String, String), Diagnostic> {
        let page = self.release_html(edition)?;
        let context = ArticleContext { doc: edition.doc()? };
        let article = self.templates_for(edition.id.as_str()).render("article.html", &context)?;
        Ok((page, self.ninjs(edition, article)?))
    }

    pub fn release_html(&self, edition: &Edition) -> Result<String, Diagnostic> {
        let doc = edition.doc()?;
        let rel = release_page(edition);
        let alternates: Vec<Alternate> = self
            .editions
            .iter()
            .filter(|e| e.id == edition.id)
            .map(|e| self.alternate(e, release_page(e), false, e.lang == edition.lang))
            .collect();
        let context = ReleasePage {
            page: self.page_context(&edition.lang, doc, alternates, self.language_page(&rel)),
            doc,
            article: self.news_article(edition)?,
            release: ReleaseContext {
                id: edition.id.to_string(),
                date: edition.date.iso(),
                url: self.canonical(&rel),
                pdf: PdfContext {
                    url: pdf_name(edition),
                    bytes: edition.pdf_size,
                    size: self.size_words(doc, &edition.lang, edition.pdf_size),
                    signature: edition.signature.clone(),
                },
            },
        };
        self.templates_for(edition.id.as_str()).render("release.html", &context)
    }

    fn archive_html(
        &self,
        lang: &str,
        editions: &[&Edition],
        page: usize,
        pages: usize,
    ) -> Result<String, Diagnostic> {
        let Some(first) = editions.first() else { return Ok(String::new()) };
        let first = first.doc()?;
        let rel = archive_page(lang, page);
        let alternates: Vec<Alternate> = self
            .published_languages()
            .into_iter()
            .filter_map(|l| self.representative(l))
            .map(|e| self.alternate(e, archive_page(&e.lang, 1), false, e.lang == lang))
            .collect();
        let start = (page - 1) * self.per_page;
        let items: Vec<ArchiveItem> = editions
            .iter()
            .skip(start)
            .take(self.per_page)
            .map(|e| ArchiveItem {
                url: format!("{}.html", e.id),
                title: e.listing.title.clone(),
                kind: e.listing.kind.clone(),
                date: e.date.iso(),
                dateline: e.listing.dateline.clone(),
                place: e.listing.place.clone(),
            })
            .collect();
        let link = |page: usize| {
            let rel = archive_page(lang, page);
            rel.strip_prefix(&format!("{lang}/")).unwrap_or(&rel).to_owned()
        };
        let context = ArchivePage {
            page: self.page_context(lang, first, alternates, self.language_page(&rel)),
            archive: ArchiveContext {
                page,
                pages,
                releases: items,
                newer: (page > 1).then(|| link(page - 1)),
                older: (page < pages).then(|| link(page + 1)),
            },
        };
        self.default_templates().render("archive.html", &context)
    }

    /// The front door, in the source language (or the first published).
    pub fn home_html(&self) -> Option<Result<String, Diagnostic>> {
        let languages = self.published_languages();
        let source = self.project.source_language();
        let lang = languages.iter().find(|l| ***l == source).or(languages.first())?;
        let first = match self.representative(lang)?.doc() {
            Ok(doc) => doc,
            Err(diag) => return Some(Err(diag)),
        };
        let alternates: Vec<Alternate> = languages
            .iter()
            .filter_map(|l| self.representative(l))
            .map(|e| self.alternate(e, archive_page(&e.lang, 1), true, false))
            .collect();
        let links = PageLinks {
            canonical: self.base_url.to_owned(),
            css: "style.css".into(),
            feed: format!("{lang}/feed.xml"),
            archive: format!("{lang}/index.html"),
            home: "index.html".into(),
            emblem: "emblem.svg".into(),
            fonts: "fonts.css".into(),
        };
        let context = self.page_context(lang, first, alternates, links);
        Some(self.default_templates().render("home.html", &context))
    }

    /// `sitemap.xml`: every page, each with its language versions.
    pub fn sitemap(&self) -> String {
        let url = |loc: &str, lastmod: Option<String>, versions: &[(String, String)]| SitemapUrl {
            loc: loc.to_owned(),
            lastmod,
            alternates: if versions.len() > 1 {
                versions
                    .iter()
                    .map(|(tag, href)| SitemapLink { hreflang: tag.clone(), href: href.clone() })
                    .collect()
            } else {
                Vec::new()
            },
        };
        let mut urls = Vec::new();
        let languages = self.published_languages();
        let archives: Vec<(String, String)> =
            languages.iter().map(|l| ((*l).clone(), self.canonical(&archive_page(l, 1)))).collect();
        for (_, loc) in &archives {
            urls.push(url(loc, None, &archives));
        }
        let mut by_release: BTreeMap<&str, Vec<&Edition>> = BTreeMap::new();
        for edition in self.editions {
            by_release.entry(edition.id.as_str()).or_default().push(edition);
        }
        for editions in by_release.values() {
            let versions: Vec<(String, String)> = editions
                .iter()
                .map(|e| (e.lang.clone(), self.canonical(&release_page(e))))
                .collect();
            for (edition, (_, loc)) in editions.iter().zip(&versions) {
                urls.push(url(loc, Some(edition.date.iso()), &versions));
            }
        }
        static TEMPLATE: std::sync::OnceLock<minijinja::Environment<'static>> =
            std::sync::OnceLock::new();
        let env = TEMPLATE.get_or_init(|| {
            let mut env = super::templates::environment();
            env.set_keep_trailing_newline(true);
            let _ = env.add_template("sitemap.xml", include_str!("sitemap.xml"));
            env
        });
        // The template ships in the binary and its context is ours: it
        // renders (a test reads every sitemap back).
        env.get_template("sitemap.xml").and_then(|t| t.render(Sitemap { urls })).unwrap_or_default()
    }
}
