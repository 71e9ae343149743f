//! The preview's two pages, complete at load (the script only keeps them
//! live): the index of releases, and a release's languages side by side.

use std::fmt::Write;

use super::preview::{Preview, page_url, pdf_url};
use crate::status::OFFICE_ROW;

/// Text for HTML content and attribute values (quick-xml's: `& < > " '`).
pub use quick_xml::escape::escape;

fn head(title: &str, body_attrs: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<link rel=\"stylesheet\" href=\"/assets/preview.css\">\n\
         <link rel=\"icon\" href=\"/assets/favicon.svg\">\n\
         <script src=\"/assets/preview.js\" defer></script>\n\
         <script src=\"/assets/editor.js\" defer></script>\n\
         <script src=\"/assets/team.js\" defer></script>\n</head>\n<body{body_attrs}>\n",
        escape(title)
    )
}

fn status_cell(preview: &Preview, release: &str, lang: &str) -> String {
    let (label, class) = match preview.status_row(release, lang) {
        Some(row) => {
            let label = row.label(&preview.source_language);
            let class = if row.is_done() { "done" } else { "todo" };
            (label, class)
        }
        None => ("…".to_owned(), "unknown"),
    };
    format!(
        "<span class=\"status {class}\" data-status=\"{}/{}\">{}</span>",
        escape(release),
        escape(lang),
        escape(&label)
    )
}

/// `/`: a row per release, a column per language, each cell its status.
pub fn index(preview: &Preview) -> String {
    let mut html = head("pressroom preview", " data-page=\"index\"");
    html.push_str(
        "<header><h1>Releases</h1><a class=\"web\" href=\"/web/\">Web edition</a>\
         <span id=\"connection\"></span></header>\n<main>\n",
    );
    html.push_str("<table id=\"releases\">\n<thead><tr><th>Release</th>");
    for lang in &preview.languages {
        let _ = write!(html, "<th>{}</th>", escape(lang));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    let rows = preview.releases().iter().map(String::as_str).chain([OFFICE_ROW]);
    for release in rows {
        let name = if release == OFFICE_ROW {
            "<span class=\"office\">office.ftl (shared words)</span>".to_owned()
        } else {
            format!("<a href=\"/release/{0}\">{0}</a>", escape(release))
        };
        let _ = write!(html, "<tr><td>{name}</td>");
        for lang in &preview.languages {
            let _ = write!(html, "<td>{}</td>", status_cell(preview, release, lang));
        }
        html.push_str("</tr>\n");
    }
    if preview.releases().is_empty() {
        html.push_str(
            "<tr><td colspan=\"99\">No releases yet: <code>pressroom new &lt;slug&gt;</code> \
             scaffolds one.</td></tr>\n",
        );
    }
    html.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    html
}

/// `/release/<id>`: a column per language, the source first, a row per page.
pub fn release(preview: &Preview, id: &str) -> String {
    let mut html = head(
        &format!("{id} — pressroom preview"),
        &format!(" data-page=\"release\" data-release=\"{}\"", escape(id)),
    );
    let _ = writeln!(
        html,
        "<header><a href=\"/\" data-ui=\"ui-releases\">Releases</a><h1>{}</h1><button type=\"button\" id=\"messages\" hidden>Messages</button><span id=\"connection\"></span></header>",
        escape(id)
    );
    // The overlay is filled from the data below by the script, so the page
    // and a live update show errors the same way.
    html.push_str("<section id=\"overlay\" hidden></section>\n");
    html.push_str("<main id=\"columns\">\n<div class=\"row heads\">");
    for lang in &preview.languages {
        let pdf = preview
            .output(id, lang)
            .and_then(|o| o.pdf.as_ref().map(|_| pdf_url(id, lang, o.pdf_version)));
        let link = match pdf {
            Some(url) => {
                format!("<a class=\"pdf\" href=\"{}\" data-ui=\"ui-pdf\">PDF</a>", escape(&url))
            }
            None => "<a class=\"pdf\" hidden>PDF</a>".to_owned(),
        };
        // The web edition's page, made from the sources as they stand.
        let web = format!(
            "<a class=\"web\" href=\"/web/{0}/{1}.html\" hreflang=\"{0}\" data-ui=\"ui-web-page\">Web page</a>",
            escape(lang),
            escape(id)
        );
        let _ = write!(
            html,
            "<div class=\"head\" data-lang=\"{0}\"><h2>{0}</h2>{1}{link}{web}</div>",
            escape(lang),
            status_cell(preview, id, lang),
        );
    }
    html.push_str("</div>\n");
    let rows =
        preview.languages.iter().filter_map(|l| preview.output(id, l)).map(|o| o.pages.len()).max();
    for index in 0..rows.unwrap_or(0) {
        html.push_str("<div class=\"row pages\">");
        for lang in &preview.languages {
            let page = preview.output(id, lang).and_then(|o| o.pages.get(index));
            match page {
                Some(page) => {
                    let _ = write!(
                        html,
                        "<figure class=\"page\" data-lang=\"{0}\" lang=\"{0}\"><img src=\"{1}\" \
                         width=\"{2:.0}\" height=\"{3:.0}\" alt=\"{4}\"></figure>",
                        escape(lang),
                        page_url(&page.hash),
                        page.width,
                        page.height,
                        escape(&page.text)
                    );
                }
                None => {
                    let _ = write!(
                        html,
                        "<figure class=\"page empty\" data-lang=\"{0}\" lang=\"{0}\"></figure>",
                        escape(lang)
                    );
                }
            }
        }
        html.push_str("</div>\n");
    }
    html.push_str("</main>\n");
    // The translators' editor: filled by its script when a message is
    // clicked.
    html.push_str("<aside id=\"editor\" aria-label=\"Message editor\" hidden></aside>\n");
    // The page's data for the script, as JSON that HTML cannot misread.
    let state = serde_json::to_string(&preview.release_state(id))
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let _ = writeln!(html, "<script type=\"application/json\" id=\"state\">{state}</script>");
    html.push_str("</body>\n</html>\n");
    html
}

/// A page for unknown URLs.
pub fn not_found(what: &str) -> String {
    let mut html = head("Not found — pressroom preview", "");
    let _ = write!(
        html,
        "<main><h1>Not found</h1><p>{}</p><p><a href=\"/\">All releases</a></p></main>\n\
         </body>\n</html>\n",
        escape(what)
    );
    html
}
