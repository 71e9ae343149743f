//! The preview's two pages, complete at load (the script only keeps them
//! live): the index of releases, and a release's languages side by side.

use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

use super::preview::{Preview, page_url, pdf_url};
use crate::status::OFFICE_ROW;

/// Text for HTML content and attribute values (quick-xml's: `& < > " '`).
pub use quick_xml::escape::escape;

/// A status cell: its label, and `done`, `todo` or `unknown` for its look.
#[derive(Debug, Serialize)]
struct StatusCell {
    release: String,
    lang: String,
    label: String,
    class: &'static str,
}

/// A row of the index: a release (`None`: office.ftl) and its cells.
#[derive(Debug, Serialize)]
struct IndexRow {
    release: Option<String>,
    cells: Vec<StatusCell>,
}

/// `index.html`.
#[derive(Debug, Serialize)]
struct IndexPage<'a> {
    languages: &'a [String],
    rows: Vec<IndexRow>,
    empty: bool,
}

/// A language's column head on a release's page.
#[derive(Debug, Serialize)]
struct HeadView {
    cell: StatusCell,
    /// The last good PDF's URL.
    pdf: Option<String>,
}

/// One page of one language (`src` `None`: that language has fewer pages).
#[derive(Debug, Serialize)]
struct Figure {
    lang: String,
    src: Option<String>,
    width: String,
    height: String,
    alt: String,
}

/// `release.html`.
#[derive(Debug, Serialize)]
struct ReleasePage<'a> {
    id: &'a str,
    heads: Vec<HeadView>,
    rows: Vec<Vec<Figure>>,
    /// The page's data for its script, as JSON HTML cannot misread.
    state: String,
}

/// `not_found.html`.
#[derive(Debug, Serialize)]
struct NotFoundPage<'a> {
    what: &'a str,
}

/// A message shown in the source language on a draft web page.
#[derive(Debug, Serialize)]
pub struct Untranslated {
    pub message: String,
    /// `missing`, `stale: the source changed since`, `not approved yet`.
    pub why: &'static str,
}

/// `draft_note.html`: the mark every draft web page carries.
#[derive(Debug, Serialize)]
pub struct DraftNote<'a> {
    pub source: &'a str,
    pub untranslated: Vec<Untranslated>,
}

fn render(name: &str, context: impl Serialize) -> String {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    let env = ENV.get_or_init(|| {
        crate::publish::embedded_templates(&[
            ("page.html", include_str!("templates/page.html")),
            ("macros.html", include_str!("templates/macros.html")),
            ("index.html", include_str!("templates/index.html")),
            ("release.html", include_str!("templates/release.html")),
            ("not_found.html", include_str!("templates/not_found.html")),
            ("draft_note.html", include_str!("templates/draft_note.html")),
        ])
    });
    crate::publish::render_embedded(env, name, context)
}

fn status_cell(preview: &Preview, release: &str, lang: &str) -> StatusCell {
    let (label, class) = match preview.status_row(release, lang) {
        Some(row) => {
            let class = if row.is_done() { "done" } else { "todo" };
            (row.label(&preview.source_language), class)
        }
        None => ("…".to_owned(), "unknown"),
    };
    StatusCell { release: release.to_owned(), lang: lang.to_owned(), label, class }
}

/// `/`: a row per release, a column per language, each cell its status.
pub fn index(preview: &Preview) -> String {
    let rows = preview
        .releases()
        .iter()
        .map(|r| Some(r.as_str()))
        .chain([None])
        .map(|release| IndexRow {
            release: release.map(str::to_owned),
            cells: preview
                .languages
                .iter()
                .map(|lang| status_cell(preview, release.unwrap_or(OFFICE_ROW), lang))
                .collect(),
        })
        .collect();
    let page =
        IndexPage { languages: &preview.languages, rows, empty: preview.releases().is_empty() };
    render("index.html", page)
}

/// `/release/<id>`: a column per language, the source first, a row per page.
pub fn release(preview: &Preview, id: &str) -> String {
    let heads = preview
        .languages
        .iter()
        .map(|lang| HeadView {
            cell: status_cell(preview, id, lang),
            pdf: preview
                .output(id, lang)
                .and_then(|o| o.pdf.as_ref().map(|_| pdf_url(id, lang, o.pdf_version))),
        })
        .collect();
    let count =
        preview.languages.iter().filter_map(|l| preview.output(id, l)).map(|o| o.pages.len()).max();
    let rows = (0..count.unwrap_or(0))
        .map(|index| {
            preview
                .languages
                .iter()
                .map(|lang| match preview.output(id, lang).and_then(|o| o.pages.get(index)) {
                    Some(page) => Figure {
                        lang: lang.clone(),
                        src: Some(page_url(&page.hash)),
                        width: format!("{:.0}", page.width),
                        height: format!("{:.0}", page.height),
                        alt: page.text.clone(),
                    },
                    None => Figure {
                        lang: lang.clone(),
                        src: None,
                        width: String::new(),
                        height: String::new(),
                        alt: String::new(),
                    },
                })
                .collect()
        })
        .collect();
    let state = serde_json::to_string(&preview.release_state(id))
        .unwrap_or_default()
        .replace('<', "\\u003c");
    render("release.html", ReleasePage { id, heads, rows, state })
}

/// A page for unknown URLs.
pub fn not_found(what: &str) -> String {
    render("not_found.html", NotFoundPage { what })
}

/// The DRAFT mark of a web page `serve` shows.
pub fn draft_note(note: &DraftNote<'_>) -> String {
    render("draft_note.html", note)
}
