//! Recognising a draft from the PDF itself: `build --draft`, watch and serve
//! put [`DRAFT_KEYWORD`] among the document's keywords, which Typst writes
//! to both the Info dictionary and the XMP packet. Either one marks it, so a
//! tool that rewrote only one of them does not unmark it.

use lopdf::Document;

use crate::document::DRAFT_KEYWORD;

/// XMP packets larger than this are not read (no real one comes close).
const MAX_XMP: usize = 16 << 20;

/// Whether the PDF says it is a draft.
pub fn is_draft(bytes: &[u8]) -> bool {
    let Ok(doc) = Document::load_mem(bytes) else { return false };
    info_keywords(&doc).is_some_and(|k| marks(&k)) || xmp(&doc).is_some_and(|x| xmp_marks(&x))
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
fn marks(keywords: &str) -> bool {
    keywords.split([',', ';']).any(|k| k.trim() == DRAFT_KEYWORD)
}

fn xmp_marks(xmp: &str) -> bool {
    super::xmp::without_bookkeeping(xmp).iter().any(|(path, value)| {
        (path.contains("pdf:Keywords") || path.contains("dc:subject")) && marks(value)
    })
}
