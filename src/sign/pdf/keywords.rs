//! What a PDF says of itself among its keywords, which Typst writes to both
//! the Info dictionary and the XMP packet: `build --draft`, watch and serve
//! put [`DRAFT_KEYWORD`] on a draft; a final built under `[review] required`
//! carries [`REVIEWED_KEYWORD`]. Either place marks it, so a tool that
//! rewrote only one of them does not unmark a draft.

use lopdf::Document;

use crate::document::{DRAFT_KEYWORD, REVIEWED_KEYWORD};

/// XMP packets larger than this are not read (no real one comes close).
const MAX_XMP: usize = 16 << 20;

/// Whether the PDF says it is a draft.
pub fn is_draft(bytes: &[u8]) -> bool {
    carries(bytes, DRAFT_KEYWORD)
}

/// Whether the PDF says it was built from approved translations only.
pub fn is_reviewed(bytes: &[u8]) -> bool {
    carries(bytes, REVIEWED_KEYWORD)
}

fn carries(bytes: &[u8], keyword: &str) -> bool {
    let Ok(doc) = Document::load_mem(bytes) else { return false };
    info_keywords(&doc).is_some_and(|k| marks(&k, keyword))
        || xmp(&doc).is_some_and(|x| xmp_marks(&x, keyword))
}

fn info_keywords(doc: &Document) -> Option<String> {
    let info = super::roles::dict(doc, doc.trailer.get(b"Info").ok()?)?;
    lopdf::decode_text_string(info.get(b"Keywords").ok()?).ok()
}

fn xmp(doc: &Document) -> Option<String> {
    let catalog = doc.catalog().ok()?;
    let (_, stream) = doc.dereference(catalog.get(b"Metadata").ok()?).ok()?;
    let stream = stream.as_stream().ok()?;
    let bytes = stream
        .decompressed_content_with_limit(MAX_XMP)
        .unwrap_or_else(|_| stream.content.iter().take(MAX_XMP).copied().collect());
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Keywords are one comma- or semicolon-separated string in Info and
/// `pdf:Keywords`; `dc:subject` holds them one per item.
fn marks(keywords: &str, keyword: &str) -> bool {
    keywords.split([',', ';']).any(|k| k.trim() == keyword)
}

fn xmp_marks(xmp: &str, keyword: &str) -> bool {
    super::xmp::without_bookkeeping(xmp).iter().any(|(path, value)| {
        (path.contains("pdf:Keywords") || path.contains("dc:subject")) && marks(value, keyword)
    })
}
