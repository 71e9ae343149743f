//! What the web and e-mail templates are given: one named type per
//! template context (as Zola's `SerializingPage`), so a field the office's
//! templates read is defined once, documented, and renamed for all.
//!
//! Every page has [`PageContext`]'s fields at its top: `lang`, `office`,
//! `words`, `alternates`, `page`; a release page adds `doc`, `article` and
//! `release`, an archive page `archive`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::newsroom::NewsArticle;
use super::site::{Alternate, OfficeView};
use crate::document::Document;

/// `lang`: the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct LangContext {
    /// The BCP 47 tag (`tg`, `fa-AF`).
    pub tag: String,
    /// `ltr` or `rtl`.
    pub dir: String,
}

/// `page`: links from a page, relative to it (`canonical` absolute).
#[derive(Debug, Clone, Serialize)]
pub struct PageLinks {
    pub canonical: String,
    pub css: String,
    pub feed: String,
    pub archive: String,
    pub home: String,
    pub emblem: String,
    pub fonts: String,
}

/// What every page of the site is given.
#[derive(Debug, Serialize)]
pub struct PageContext {
    pub lang: LangContext,
    pub office: OfficeView,
    /// The web words of `office.ftl` (`words.archive`, `words.newer`, …).
    pub words: BTreeMap<String, String>,
    /// The page in each language, for the switcher and `hreflang`.
    pub alternates: Vec<Alternate>,
    pub page: PageLinks,
}

/// `release.pdf`: the release's PDF beside its page.
#[derive(Debug, Clone, Serialize)]
pub struct PdfContext {
    pub url: String,
    pub bytes: u64,
    /// Its size in words and the reader's digits (`412 kB`, `412 КБ`).
    pub size: String,
    /// `PAdES B-T`, when signed.
    pub signature: Option<String>,
}

/// `release` on a release's page.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseContext {
    pub id: String,
    /// ISO 8601 (`2015-03-11`).
    pub date: String,
    pub url: String,
    pub pdf: PdfContext,
}

/// `release.html`.
#[derive(Debug, Serialize)]
pub struct ReleasePage<'a> {
    #[serde(flatten)]
    pub page: PageContext,
    pub doc: &'a Document,
    /// schema.org's NewsArticle, for the page's JSON-LD.
    pub article: NewsArticle,
    pub release: ReleaseContext,
}

/// `article.html` (the release's body, in its page, feed entry and ninjs):
/// the document alone.
#[derive(Debug, Serialize)]
pub struct ArticleContext<'a> {
    pub doc: &'a Document,
}

/// A release as an archive page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveItem {
    /// Relative to the archive page.
    pub url: String,
    pub title: String,
    pub kind: String,
    /// ISO 8601.
    pub date: String,
    /// The date as the dateline prints it (`11 марта 2015 г.`).
    pub dateline: String,
    pub place: String,
}

/// `archive` on an archive page.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveContext {
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    pub releases: Vec<ArchiveItem>,
    /// The neighbouring pages, relative; `None` at either end.
    pub newer: Option<String>,
    pub older: Option<String>,
}

/// `archive.html`.
#[derive(Debug, Serialize)]
pub struct ArchivePage {
    #[serde(flatten)]
    pub page: PageContext,
    pub archive: ArchiveContext,
}

/// `release` in the e-mail.
#[derive(Debug, Clone, Serialize)]
pub struct EmailRelease {
    /// The site's faces, for mail clients that load web fonts.
    pub fonts: String,
    pub id: String,
    pub date: String,
    /// The release's page; `None` under embargo (it is not online yet).
    pub url: Option<String>,
    /// The embargo line, under embargo.
    pub embargo: Option<String>,
}

/// `email.html` and `email.txt`.
#[derive(Debug, Serialize)]
pub struct EmailContext<'a> {
    pub lang: LangContext,
    pub doc: &'a Document,
    pub office: OfficeView,
    pub words: BTreeMap<String, String>,
    pub release: EmailRelease,
}

/// `sitemap.xml` (pressroom's own template, the same for every office).
#[derive(Debug, Serialize)]
pub struct Sitemap {
    pub urls: Vec<SitemapUrl>,
}

/// A page of the site, with its language versions (none when it has one).
#[derive(Debug, Serialize)]
pub struct SitemapUrl {
    pub loc: String,
    /// ISO 8601 date, for a release's page.
    pub lastmod: Option<String>,
    pub alternates: Vec<SitemapLink>,
}

#[derive(Debug, Serialize)]
pub struct SitemapLink {
    pub hreflang: String,
    pub href: String,
}
