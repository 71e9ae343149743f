//! What newsrooms and search engines read: an IPTC ninjs 2.2 document per
//! release and language (`<lang>/<id>.ninjs.json`, beside its page), and
//! the schema.org `NewsArticle` each release page carries as JSON-LD. Both
//! come from the document model, as the page does.

use serde::Serialize;

use super::Edition;
use super::site::{Site, pdf_name, release_page};
use crate::diag::Diagnostic;

/// `<lang>/<id>.ninjs.json`: where a release's ninjs document is.
pub fn ninjs_file(edition: &Edition) -> String {
    format!("{}/{}.ninjs.json", edition.lang, edition.id)
}

/// A ninjs 2.2 news item (lower-case names, as 2.x has them).
#[derive(Debug, Serialize)]
pub struct Ninjs {
    pub uri: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub representationtype: &'static str,
    /// The release's day (its embargo's moment, when it has one).
    pub firstcreated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embargoed: Option<String>,
    pub pubstatus: &'static str,
    pub language: String,
    pub headlines: Vec<Part>,
    pub descriptions: Vec<Part>,
    pub bodies: Vec<Part>,
    pub by: String,
    pub copyrightholder: String,
    pub located: String,
    pub renditions: Vec<Rendition>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub associations: Vec<Association>,
}

/// A headline, description or body: its role, media type and text.
#[derive(Debug, Serialize)]
pub struct Part {
    pub role: &'static str,
    pub contenttype: &'static str,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct Rendition {
    pub name: &'static str,
    pub href: String,
    pub contenttype: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sizeinbytes: Option<u64>,
}

/// Another language version of the release: its own news item.
#[derive(Debug, Serialize)]
pub struct Association {
    /// `translation-ru`.
    pub name: String,
    pub uri: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub language: String,
    pub headlines: Vec<Part>,
}

/// The moment a release is of: its embargo, else its day's start (UTC).
fn first_created(edition: &Edition, doc_embargo: Option<String>) -> String {
    doc_embargo.unwrap_or_else(|| format!("{}T00:00:00Z", edition.date.iso()))
}

impl Site<'_> {
    /// The ninjs document of `edition`.
    pub fn ninjs(&self, edition: &Edition, article_html: String) -> Result<String, Diagnostic> {
        let doc = edition.doc()?;
        let uri = self.canonical(&release_page(edition));
        let embargo = edition.embargo.map(|m| m.rfc3339());
        let mut headlines =
            vec![Part { role: "main", contenttype: "text/plain", value: doc.title.value.clone() }];
        if let Some(subtitle) = &doc.subtitle {
            headlines.push(Part {
                role: "sub",
                contenttype: "text/plain",
                value: subtitle.value.clone(),
            });
        }
        let item = Ninjs {
            uri: uri.clone(),
            kind: "text",
            representationtype: "full",
            firstcreated: first_created(edition, embargo.clone()),
            embargoed: embargo,
            pubstatus: "usable",
            language: edition.lang.clone(),
            headlines,
            descriptions: vec![Part {
                role: "summary",
                contenttype: "text/plain",
                value: super::feed::summary(doc),
            }],
            bodies: vec![Part { role: "main", contenttype: "text/html", value: article_html }],
            by: doc.office.name.value.clone(),
            copyrightholder: doc.office.name.value.clone(),
            located: doc.dateline.place.value.clone(),
            renditions: vec![
                Rendition { name: "html", href: uri, contenttype: "text/html", sizeinbytes: None },
                Rendition {
                    name: "pdf",
                    href: self.canonical(&format!("{}/{}", edition.lang, pdf_name(edition))),
                    contenttype: "application/pdf",
                    sizeinbytes: Some(edition.pdf_size),
                },
            ],
            associations: self
                .versions_of(edition)
                .filter(|other| other.lang != edition.lang)
                .map(|other| Association {
                    name: format!("translation-{}", other.lang),
                    uri: self.canonical(&release_page(other)),
                    kind: "text",
                    language: other.lang.clone(),
                    headlines: vec![Part {
                        role: "main",
                        contenttype: "text/plain",
                        value: other.listing.title.clone(),
                    }],
                })
                .collect(),
        };
        let mut json = serde_json::to_string_pretty(&item)
            .map_err(|err| Diagnostic::error("publish", format!("the ninjs document: {err}")))?;
        json.push('\n');
        Ok(json)
    }

    /// The schema.org `NewsArticle` of `edition`, for its page's JSON-LD.
    pub fn news_article(&self, edition: &Edition) -> Result<NewsArticle, Diagnostic> {
        let doc = edition.doc()?;
        let source = self.project.source_language();
        let reference = |other: &Edition| ArticleRef {
            kind: "NewsArticle",
            url: self.canonical(&release_page(other)),
            in_language: other.lang.clone(),
            headline: other.listing.title.clone(),
        };
        let versions: Vec<&Edition> = self.versions_of(edition).collect();
        let publisher = Organization {
            kind: "GovernmentOrganization",
            name: doc.office.name.value.clone(),
            url: self.base_url.to_owned(),
        };
        Ok(NewsArticle {
            context: "https://schema.org",
            kind: "NewsArticle",
            headline: doc.title.value.clone(),
            description: super::feed::summary(doc),
            in_language: edition.lang.clone(),
            date_published: edition.date.iso(),
            url: self.canonical(&release_page(edition)),
            author: publisher.clone(),
            publisher,
            encoding: vec![MediaObject {
                kind: "MediaObject",
                encoding_format: "application/pdf",
                content_url: self.canonical(&format!("{}/{}", edition.lang, pdf_name(edition))),
                content_size: edition.pdf_size.to_string(),
            }],
            translation_of_work: (edition.lang != source)
                .then(|| versions.iter().find(|e| e.lang == source).map(|e| reference(e)))
                .flatten(),
            work_translation: if edition.lang == source {
                versions.iter().filter(|e| e.lang != source).map(|e| reference(e)).collect()
            } else {
                Vec::new()
            },
        })
    }

    /// Every language version of `edition`'s release on the site.
    pub fn versions_of<'s>(&'s self, edition: &'s Edition) -> impl Iterator<Item = &'s Edition> {
        self.editions.iter().filter(move |e| e.id == edition.id)
    }
}

/// schema.org has no press release type: a `NewsArticle`, with its
/// language versions as translations of the source language's.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewsArticle {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub headline: String,
    pub description: String,
    pub in_language: String,
    pub date_published: String,
    pub url: String,
    pub author: Organization,
    pub publisher: Organization,
    /// The PDF, the archival version.
    pub encoding: Vec<MediaObject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation_of_work: Option<ArticleRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub work_translation: Vec<ArticleRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaObject {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub encoding_format: &'static str,
    pub content_url: String,
    /// In bytes.
    pub content_size: String,
}

/// Another language version, by its address.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleRef {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub url: String,
    pub in_language: String,
    pub headline: String,
}
