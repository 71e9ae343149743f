//! The web edition made on request, for `serve`: the pages, feeds, sitemap
//! and style sheet `publish` writes, from the sources as they are now, at
//! the same paths, so the site's own relative links work as they will
//! once published. They are drafts: a missing or stale translation shows
//! the source text, as the preview's PDFs do, and nothing is signed.

use std::path::PathBuf;

use super::site::{Site, archive_page};
use super::{Job, Made, base_url, load_templates};
use crate::diag::Diagnostics;
use crate::l10n::{Catalog, Fallback};
use crate::names::{ReleaseId, is_language_tag, is_name};
use crate::pipeline::load_releases;
use crate::project::Project;

/// A file of the web edition, by its path in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebPath {
    /// `index.html`: the front door.
    Home,
    /// `sitemap.xml`.
    Sitemap,
    /// A file of the layout's web folder that is not a template.
    Asset(String),
    /// `<lang>/index.html`, `<lang>/page-<n>.html`.
    Archive { lang: String, page: usize },
    /// `<lang>/feed.xml`.
    Feed { lang: String },
    /// `<lang>/<id>.html`.
    Release { lang: String, id: String },
    /// `<lang>/<id>.<lang>.pdf`: the PDF a release's page links.
    Pdf { lang: String, id: String },
}

/// A name a web folder's file may have in a URL: no folders, no dot
/// files, nothing to escape.
fn is_asset_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

impl WebPath {
    /// The file a path in the site names (its segments, `/`-split), if
    /// any: checked character by character, never a file system path.
    pub fn parse(segments: &[&str]) -> Option<Self> {
        match segments {
            [""] | ["index.html"] => Some(Self::Home),
            ["sitemap.xml"] => Some(Self::Sitemap),
            [name] if is_asset_name(name) && !name.ends_with(".html") => {
                Some(Self::Asset((*name).to_owned()))
            }
            [lang, file] if is_language_tag(lang) => {
                let lang = (*lang).to_owned();
                if matches!(*file, "" | "index.html") {
                    return Some(Self::Archive { lang, page: 1 });
                }
                if *file == "feed.xml" {
                    return Some(Self::Feed { lang });
                }
                let page = file.strip_prefix("page-").and_then(|f| f.strip_suffix(".html"));
                if let Some(page) = page.and_then(|p| p.parse::<usize>().ok()) {
                    return (page >= 2 && archive_page(&lang, page) == format!("{lang}/{file}"))
                        .then_some(Self::Archive { lang, page });
                }
                if let Some(id) = file.strip_suffix(&format!(".{lang}.pdf")) {
                    return is_name(id).then(|| Self::Pdf { id: id.to_owned(), lang });
                }
                let id = file.strip_suffix(".html")?;
                is_name(id).then(|| Self::Release { id: id.to_owned(), lang })
            }
            _ => None,
        }
    }

    pub fn content_type(&self) -> &'static str {
        match self {
            Self::Home | Self::Archive { .. } | Self::Release { .. } => "text/html; charset=utf-8",
            Self::Sitemap => "application/xml; charset=utf-8",
            Self::Feed { .. } => "application/atom+xml; charset=utf-8",
            Self::Pdf { .. } => "application/pdf",
            Self::Asset(name) => match name.rsplit('.').next().unwrap_or_default() {
                "css" => "text/css; charset=utf-8",
                "svg" => "image/svg+xml",
                "woff2" => "font/woff2",
                "png" => "image/png",
                "jpg" | "jpeg" => "image/jpeg",
                // A layout's script is never run by the editor's origin.
                "js" | "mjs" => "text/plain; charset=utf-8",
                "txt" => "text/plain; charset=utf-8",
                _ => "application/octet-stream",
            },
        }
    }
}

/// A file of the web edition, made for the preview.
pub struct WebFile {
    pub body: Vec<u8>,
    /// The messages a release's page shows in the source language, and why
    /// (a draft's passages standing in for a translation), in page order.
    pub untranslated: Vec<(String, Fallback)>,
}

/// The messages of `doc` whose text is the source language's.
fn untranslated(doc: &crate::document::Document) -> Vec<(String, Fallback)> {
    fn walk(value: &serde_json::Value, found: &mut Vec<(String, Fallback)>) {
        match value {
            serde_json::Value::Object(map) => {
                let fallback = match map.get("fallback").and_then(|f| f.as_str()) {
                    Some("missing") => Some(Fallback::Missing),
                    Some("stale") => Some(Fallback::Stale),
                    Some("unreviewed") => Some(Fallback::Unreviewed),
                    _ => None,
                };
                let msg = map.get("msg").and_then(|m| m.as_str());
                if let (Some(fallback), Some(msg)) = (fallback, msg)
                    && !found.iter().any(|(m, _)| m == msg)
                {
                    found.push((msg.to_owned(), fallback));
                }
                map.values().for_each(|v| walk(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(&serde_json::to_value(doc).unwrap_or_default(), &mut found);
    found
}

/// The site's address: `[publish] base-url` when the office has set it
/// (a previewed page says where it will live), else the preview's own.
fn preview_base(project: &Project) -> String {
    base_url(project).unwrap_or_else(|_| "/web/".to_owned())
}

/// The file `path` names, made from the sources as they are now; `None`
/// when there is no such file (an unknown release or language). A PDF is
/// not made here (the preview has its own): `pdf_size` says how large a
/// release's PDF is, when known, for the page that links it.
pub fn web_file(
    project: &Project,
    path: &WebPath,
    pdf_size: &dyn Fn(&str, &str) -> Option<u64>,
) -> Result<Option<WebFile>, Diagnostics> {
    let languages = project.languages();
    let lang = match path {
        WebPath::Archive { lang, .. }
        | WebPath::Feed { lang }
        | WebPath::Release { lang, .. }
        | WebPath::Pdf { lang, .. } => Some(lang),
        _ => None,
    };
    if lang.is_some_and(|lang| !languages.contains(lang)) {
        return Ok(None);
    }
    // A release's page needs that release's versions (for the language
    // switcher); every other file lists them all.
    let all = project.release_ids()?;
    let ids: Vec<ReleaseId> = match path {
        WebPath::Release { id, .. } | WebPath::Pdf { id, .. } => {
            match all.into_iter().find(|r| r.as_str() == id) {
                Some(id) => vec![id],
                None => return Ok(None),
            }
        }
        _ => all,
    };
    let loaded = load_releases(project, &ids);
    let (templates, layouts, mut diagnostics) = load_templates(project, &loaded)?;
    if let WebPath::Asset(name) = path {
        let site = Site::new(project, "", &languages, &[], &templates, &layouts);
        let body = site.assets().remove(name.as_str());
        return Ok(body.map(|body| WebFile { body, untranslated: Vec::new() }));
    }
    let (catalog, _) = Catalog::load(project, &ids);
    // Each language's newest release names the language in the switcher
    // and gives the front door its words; an archive or feed needs its own
    // language's releases besides; only the sitemap needs every version.
    let mut newest: std::collections::BTreeMap<&str, (i32, u8, u8, &str)> =
        std::collections::BTreeMap::new();
    for release in loaded.iter().filter_map(|(_, r)| r.as_ref().ok()) {
        let d = release.date;
        let key = (d.year, d.month, d.day, release.id.as_str());
        for lang in &release.languages {
            let entry = newest.entry(lang.as_str()).or_insert(key);
            *entry = (*entry).max(key);
        }
    }
    let wanted = |id: &str, of: &str| match path {
        WebPath::Archive { lang, .. } | WebPath::Feed { lang } => {
            of == lang || newest.get(of).is_some_and(|n| n.3 == id)
        }
        WebPath::Home => newest.get(of).is_some_and(|n| n.3 == id),
        _ => true,
    };
    let mut jobs = Vec::new();
    for (id, release) in &loaded {
        match release {
            Ok(release) if templates.contains_key(&release.layout) => {
                for lang in release.languages.iter().filter(|l| languages.contains(l)) {
                    if !wanted(id.as_str(), lang) {
                        continue;
                    }
                    jobs.push(Job {
                        release: release.clone(),
                        lang: lang.clone(),
                        pdf: PathBuf::new(),
                        pdf_size: pdf_size(id.as_str(), lang).unwrap_or(0),
                        key: String::new(),
                        under_embargo: None,
                    });
                }
            }
            Ok(_) => {}
            Err(diags) => diagnostics.extend(diags.clone()),
        }
    }
    let now = crate::date::Timestamp::clock();
    let made = Made { project, catalog: &catalog, draft: true, signed: None, signature: None, now };
    let (editions, problems) = made.editions(jobs);
    diagnostics.extend(problems);
    let base_url = preview_base(project);
    let site = Site::new(project, &base_url, &languages, &editions, &templates, &layouts);
    let mut shown = Vec::new();
    let made = match path {
        WebPath::Release { lang, id } => {
            let Some(edition) = editions.iter().find(|e| e.id.as_str() == id && &e.lang == lang)
            else {
                // Not in that language, or its model did not build.
                return if diagnostics.has_errors() { Err(diagnostics) } else { Ok(None) };
            };
            shown = edition.doc().map(untranslated).unwrap_or_default();
            Some(site.release_html(edition).map(String::into_bytes))
        }
        WebPath::Archive { lang, page } => site.archive_file(lang, *page),
        WebPath::Feed { lang } => site.feed_file(lang),
        WebPath::Home => site.home_html().map(|home| home.map(String::into_bytes)),
        WebPath::Sitemap => Some(Ok(site.sitemap().into_bytes())),
        WebPath::Asset(_) | WebPath::Pdf { .. } => None,
    };
    match made {
        Some(Ok(body)) => Ok(Some(WebFile { body, untranslated: shown })),
        Some(Err(diag)) => Err(Diagnostics::from(diag)),
        None if diagnostics.has_errors() => Err(diagnostics),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_name_files() {
        let id = "2015-03-11-eu-central-asia-security-dialogue";
        let path = |p: &str| WebPath::parse(&p.split('/').collect::<Vec<_>>());
        assert_eq!(path(""), Some(WebPath::Home));
        assert_eq!(path("index.html"), Some(WebPath::Home));
        assert_eq!(path("style.css"), Some(WebPath::Asset("style.css".into())));
        assert_eq!(path("tg/"), Some(WebPath::Archive { lang: "tg".into(), page: 1 }));
        assert_eq!(path("tg/page-3.html"), Some(WebPath::Archive { lang: "tg".into(), page: 3 }));
        assert_eq!(path("fa-AF/feed.xml"), Some(WebPath::Feed { lang: "fa-AF".into() }));
        assert_eq!(
            path(&format!("tg/{id}.html")),
            Some(WebPath::Release { lang: "tg".into(), id: id.into() })
        );
        assert_eq!(
            path(&format!("tg/{id}.tg.pdf")),
            Some(WebPath::Pdf { lang: "tg".into(), id: id.into() })
        );
        for bad in [
            "..",
            ".hidden",
            "a/b/c",
            "tg/page-1.html",
            "tg/page-02.html",
            "tg/../style.css",
            "tg/x.ru.pdf",
            "tg/X.html",
            "e n/index.html",
            "base.html",
            "style.css/",
        ] {
            assert_eq!(path(bad), None, "{bad}");
        }
    }
}
