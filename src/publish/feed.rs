//! One Atom feed (RFC 4287) per language, with atom_syndication: the
//! newest releases, each with its page, its PDF as an enclosure and its
//! text as HTML content. One language per feed, said in `xml:lang`.

use atom_syndication::{
    Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, TextType, WriteConfig,
};

use super::Edition;
use super::site::{Site, office_of, pdf_name, release_page, words_of};
use crate::diag::Diagnostic;

/// How many releases a feed carries: readers poll it for what is new.
pub const ENTRIES: usize = 50;

fn midnight(edition: &Edition) -> FixedDateTime {
    // A release is of a day: its midnight, UTC, so that the feed is the
    // same whenever it is made.
    FixedDateTime::parse_from_rfc3339(&format!("{}T00:00:00Z", edition.date.iso()))
        .unwrap_or_default()
}

fn link(href: String, rel: &str, mime: &str, lang: &str, length: Option<u64>) -> Link {
    Link {
        href,
        rel: rel.to_owned(),
        hreflang: Some(lang.to_owned()),
        mime_type: Some(mime.to_owned()),
        title: None,
        length: length.map(|l| l.to_string()),
    }
}

/// The feed of `lang`'s `editions` (newest first).
pub fn atom(site: &Site<'_>, lang: &str, editions: &[&Edition]) -> Result<String, Diagnostic> {
    let Some(first) = editions.first() else { return Ok(String::new()) };
    let words = words_of(first.doc()?);
    let office = office_of(first.doc()?);
    let author = Person { name: office.name.clone(), ..Person::default() };
    let mut entries = Vec::new();
    for edition in editions.iter().take(ENTRIES) {
        let page = site.canonical(&release_page(edition));
        let doc = edition.doc()?;
        let context = super::ser::ArticleContext { doc };
        let html = site.templates_for(edition.id.as_str()).render("article.html", &context)?;
        let summary = summary(doc);
        entries.push(Entry {
            title: Text::plain(doc.title.value.clone()),
            id: page.clone(),
            updated: midnight(edition),
            published: Some(midnight(edition)),
            authors: vec![author.clone()],
            links: vec![
                link(page, "alternate", "text/html", lang, None),
                link(
                    site.canonical(&format!("{lang}/{}", pdf_name(edition))),
                    "enclosure",
                    "application/pdf",
                    lang,
                    Some(edition.pdf_size),
                ),
            ],
            summary: (!summary.is_empty()).then(|| Text::plain(summary)),
            content: Some(Content {
                content_type: Some("html".to_owned()),
                value: Some(html),
                ..Content::default()
            }),
            ..Entry::default()
        });
    }
    let title = format!("{} — {}", words.get("archive").map_or("", String::as_str), office.name);
    let feed = Feed {
        title: Text { value: title, r#type: TextType::Text, ..Text::default() },
        id: site.canonical(&format!("{lang}/feed.xml")),
        updated: midnight(first),
        authors: vec![author],
        links: vec![
            link(
                site.canonical(&format!("{lang}/feed.xml")),
                "self",
                "application/atom+xml",
                lang,
                None,
            ),
            link(
                site.canonical(&format!("{lang}/index.html")),
                "alternate",
                "text/html",
                lang,
                None,
            ),
        ],
        generator: Some(Generator {
            value: "pressroom".to_owned(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
        lang: Some(lang.to_owned()),
        entries,
        ..Feed::default()
    };
    let config = WriteConfig { write_document_declaration: true, indent_size: Some(2) };
    let bytes = feed
        .write_with_config(Vec::new(), config)
        .map_err(|err| Diagnostic::error("publish", format!("the Atom feed of {lang}: {err}")))?;
    let mut xml = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error("publish", format!("the Atom feed of {lang} is not UTF-8"))
    })?;
    xml.push('\n');
    // XML 1.0 forbids most control characters: a reader rejects the whole
    // feed for one. `check` refuses them in messages; nothing else slips in.
    if let Some(c) = xml.chars().find(|&c| forbidden_in_xml(c)) {
        return Err(Diagnostic::error(
            "publish",
            format!("the Atom feed of {lang} would hold U+{:04X}, which XML forbids", c as u32),
        ));
    }
    Ok(xml)
}

/// Characters XML 1.0 does not allow in a document.
pub fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// A release's first paragraph as plain text: a feed entry's summary, a
/// news item's description.
pub fn summary(doc: &crate::document::Document) -> String {
    doc.body.blocks.first().map(block_text).unwrap_or_default()
}

/// A block's text, for a feed entry's summary.
fn block_text(block: &crate::markup::Block) -> String {
    use crate::markup::Block;
    let spans =
        |spans: &[crate::markup::Span]| spans.iter().map(|s| s.text.as_str()).collect::<String>();
    match block {
        Block::Paragraph { spans: s } => spans(s),
        Block::Bullets { items } | Block::Numbered { items, .. } => {
            items.iter().map(|i| spans(i)).collect::<Vec<_>>().join("; ")
        }
    }
}
